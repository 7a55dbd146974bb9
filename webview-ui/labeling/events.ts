/**
 * The labeling page's listeners: controls, the labeling keys (from the state's key map, off while
 * typing) and the inert links of responses and guidelines (the host opens them after asking).
 */
import type { SessionFilter } from '../../src/protocol/labeling';
import type { LabelingActions } from './actions';
import type { LabelingLayout } from './layout';
import { actionFor } from './logic/keys';
import { rewriteOwnsKey } from './rewrite';
import { page } from './state';

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(t.type);
}

export function bindEvents(ui: LabelingLayout, act: LabelingActions): void {
  const { post } = act;
  ui.filterSelect.addEventListener('change', () => post({ type: 'filter', filter: ui.filterSelect.value as SessionFilter }));
  ui.jumpGo.addEventListener('click', () => act.jump());
  ui.jumpInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      act.jump();
    }
  });
  ui.diffBox.addEventListener('change', () => post({ type: 'diff', on: ui.diffBox.checked }));
  ui.helpButton.addEventListener('click', () => act.toggleHelp());
  for (const [choice, b] of ui.choiceButtons) b.addEventListener('click', () => act.decide(choice));
  for (const r of ui.strengthInputs.values()) r.addEventListener('change', () => act.sendDraft());
  ui.rationale.addEventListener('input', () => act.sendDraft());
  ui.prevButton.addEventListener('click', () => post({ type: 'previous' }));
  ui.nextButton.addEventListener('click', () => post({ type: 'next' }));
  ui.undoButton.addEventListener('click', () => post({ type: 'undo' }));
  ui.redoButton.addEventListener('click', () => post({ type: 'redo' }));
  ui.agreementEl.addEventListener('toggle', () => {
    if (ui.agreementEl.open && !page.view?.agreement) post({ type: 'agreement' });
  });

  document.addEventListener('keydown', (e) => {
    if (rewriteOwnsKey(e)) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    if (e.key === 'Escape' && !ui.helpEl.hidden) {
      act.toggleHelp(false);
      return;
    }
    const action = actionFor(page.keyIndex, e);
    if (!action || e.repeat) return;
    e.preventDefault();
    act.byKey[action]();
  });

  // Links in responses and guidelines carry no href: the host opens http(s) links after asking.
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('[data-href]');
    if (!a) return;
    e.preventDefault();
    post({ type: 'openLink', href: a.getAttribute('data-href') ?? '' });
  });
  document.addEventListener('keydown', (e) => {
    const t = e.target as Element | null;
    if (e.key === 'Enter' && t?.matches?.('[data-href]')) post({ type: 'openLink', href: t.getAttribute('data-href') ?? '' });
  });
}
