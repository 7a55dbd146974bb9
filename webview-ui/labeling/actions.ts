/**
 * What the annotator can do on the labeling page, each turned into a message to the host (which
 * answers with a new state). Shared by the buttons, the key map and the rendered sections.
 */
import type { Choice, LabelingAction, LabelingToHost, Strength } from '../../src/protocol/labeling';
import type { LabelingLayout } from './layout';
import { openRewrite } from './rewrite';
import { page } from './state';

const DRAFT_DEBOUNCE_MS = 300;

export function createActions(ui: LabelingLayout, post: (m: LabelingToHost) => void) {
  function selectedStrength(): Strength | undefined {
    const v = [...ui.strengthInputs.values()].find((r) => r.checked)?.value;
    return v === 'slightly' || v === 'clearly' ? v : undefined;
  }

  function decide(choice: Choice): void {
    const key = page.view?.session.pair?.key;
    if (!key || page.pending === key) return;
    page.pending = key;
    if (page.draftTimer) clearTimeout(page.draftTimer);
    page.draftTimer = undefined;
    const m: LabelingToHost = { type: 'decide', choice, key };
    const strength = selectedStrength();
    if (strength && (choice === 'left' || choice === 'right')) m.strength = strength;
    const r = ui.rationale.value.trim();
    if (r) m.rationale = r;
    for (const b of ui.choiceButtons.values()) b.disabled = true;
    post(m);
  }

  function sendDraft(): void {
    const key = page.view?.session.pair?.key;
    if (!key) return;
    if (page.draftTimer) clearTimeout(page.draftTimer);
    page.draftTimer = setTimeout(() => {
      page.draftTimer = undefined;
      post({ type: 'draft', key, strength: selectedStrength(), rationale: ui.rationale.value });
    }, DRAFT_DEBOUNCE_MS);
  }

  function jump(): void {
    const n = Number(ui.jumpInput.value);
    if (Number.isInteger(n) && n >= 1) post({ type: 'jump', index: n - 1 });
  }

  function toggleHelp(show = ui.helpEl.hidden): void {
    ui.helpEl.hidden = !show;
    if (show) ui.helpEl.focus();
  }

  /** The action of each labeling key. */
  const byKey: Record<LabelingAction, () => void> = {
    left: () => decide('left'),
    right: () => decide('right'),
    tie: () => decide('tie'),
    bothBad: () => decide('both_bad'),
    skip: () => decide('skip'),
    undo: () => post({ type: 'undo' }),
    redo: () => post({ type: 'redo' }),
    previous: () => post({ type: 'previous' }),
    next: () => post({ type: 'next' }),
    turnPrevious: () => post({ type: 'turn', step: 'previous' }),
    turnNext: () => post({ type: 'turn', step: 'next' }),
    diff: () => post({ type: 'diff', on: !(page.view?.diffOn ?? false) }),
    help: () => toggleHelp(),
    rewrite: () => openRewrite(),
  };

  return { post, decide, sendDraft, jump, toggleHelp, byKey };
}

export type LabelingActions = ReturnType<typeof createActions>;
