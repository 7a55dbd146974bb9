/** Draws one state of the labeling panel: header and progress, the pair, the decision controls, then the side sections. */
import * as l10n from '@vscode/l10n';
import type { Choice, DiffSegment, LabelingAction, LabelingViewState, Message } from '../../src/protocol/labeling';
import { el } from '../shared/dom';
import type { LabelingActions } from './actions';
import { CHOICE_TEXT, type LabelingLayout } from './layout';
import { indexKeys } from './logic/keys';
import { duration, statsText } from './logic/format';
import { renderMarkdown } from './markdown';
import { renderAgreement, renderHelp, renderJudge } from './renderSections';
import { renderHistory } from './history';
import { page } from './state';

const CHOICE_NAMES: Record<Choice, string> = {
  left: l10n.t('left is better'),
  right: l10n.t('right is better'),
  tie: l10n.t('tie'),
  both_bad: l10n.t('both bad'),
  skip: l10n.t('skipped'),
};

function keysOf(action: LabelingAction): string {
  return (page.view?.keys[action] ?? []).join(' / ');
}

function markdownBlock(text: string): HTMLElement {
  const body = el('div', 'md');
  body.append(renderMarkdown(text));
  return body;
}

function bubble(m: Message): HTMLElement {
  const b = el('div', `bubble ${m.role}`);
  b.append(el('div', 'role', m.name ? `${m.role} (${m.name})` : m.role));
  b.append(markdownBlock(m.content));
  return b;
}

function renderPrompt(ui: LabelingLayout, prompt: Message[]): void {
  const chat = el('div', 'chat');
  const systems = prompt.filter((m) => m.role === 'system');
  if (systems.length) {
    const d = el('details', 'system');
    d.append(el('summary', undefined, l10n.t('System prompt')));
    for (const m of systems) d.append(markdownBlock(m.content));
    chat.append(d);
  }
  for (const m of prompt) if (m.role !== 'system') chat.append(bubble(m));
  ui.promptSection.replaceChildren(chat);
}

function diffBody(segments: DiffSegment[], side: 'left' | 'right'): HTMLElement {
  const pre = el('div', 'diff');
  for (const s of segments) {
    if (s.op === 'equal') pre.append(document.createTextNode(s.text));
    else if (s.op === 'delete' && side === 'left') pre.append(el('del', undefined, s.text));
    else if (s.op === 'insert' && side === 'right') pre.append(el('ins', undefined, s.text));
  }
  return pre;
}

function renderHeader(ui: LabelingLayout, s: LabelingViewState): string {
  const ss = s.session;
  const p = ss.progress;
  ui.title.textContent = s.title;
  ui.sourceEl.textContent = l10n.t('{0} · annotator {1}', s.source, ss.annotator);
  const totalText = p.totalFinal ? String(p.total) : `${p.total}+`;
  let prog = l10n.t('{0} / {1} done', p.done, totalText);
  if (p.skipped) prog += ' · ' + l10n.t('{0} skipped', p.skipped);
  prog += ' · ' + l10n.t('this session: {0}', p.session);
  if (p.ratePerHour > 0) prog += ` (${Math.round(p.ratePerHour)}/h)`;
  if (p.etaSeconds !== undefined) prog += ' · ' + l10n.t('about {0} left', duration(p.etaSeconds));
  ui.progressEl.textContent = prog;
  ui.filterSelect.value = ss.filter;
  ui.diffBox.checked = s.diffOn;
  ui.jumpInput.max = String(Math.max(1, p.total));
  ui.messageEl.textContent = s.message?.text ?? '';
  ui.messageEl.className = `message ${s.message?.kind ?? ''}`;
  const nProblems = ss.problems.input.length + ss.problems.log.length;
  ui.problemsEl.textContent = nProblems ? l10n.t('{0} input line(s) and {1} log line(s) were set aside (see the notification).', ss.problems.input.length, ss.problems.log.length) : '';
  return totalText;
}

function renderControls(ui: LabelingLayout, s: LabelingViewState): void {
  ui.undoButton.disabled = !s.session.canUndo;
  ui.redoButton.disabled = !s.session.canRedo;
  ui.undoButton.title = l10n.t('Undo ({0})', keysOf('undo'));
  ui.redoButton.title = l10n.t('Redo ({0})', keysOf('redo'));
  for (const [choice, action, text] of CHOICE_TEXT) {
    const b = ui.choiceButtons.get(choice)!;
    b.textContent = `${text} (${keysOf(action).split(' / ')[0] ?? ''})`;
    b.title = `${text}: ${keysOf(action)}`;
  }
}

function renderPair(ui: LabelingLayout, s: LabelingViewState, totalText: string, prevKey: string | undefined): void {
  const ss = s.session;
  const p = ss.progress;
  const pair = ss.pair;
  const has = !!pair;
  ui.promptSection.hidden = ui.responses.hidden = ui.decisionSection.hidden = !has;
  ui.doneEl.hidden = has;
  if (!pair) {
    page.shownKey = undefined;
    ui.doneEl.textContent =
      ss.filter !== 'unlabeled'
        ? l10n.t('No pair matches this filter.')
        : p.totalFinal
          ? l10n.t('All {0} pairs are labeled. Export with “Pairwise: Export Preferences”.', p.total)
          : l10n.t('All {0} pairs are labeled so far (the input is still being read). Export with “Pairwise: Export Preferences”.', p.total);
    return;
  }
  page.shownKey = pair.key;
  ui.jumpInput.placeholder = String(pair.index + 1);
  if (document.activeElement !== ui.jumpInput) ui.jumpInput.value = String(pair.index + 1);
  ui.title.textContent = l10n.t('{0} — pair {1} of {2}', s.title, pair.index + 1, totalText);
  // Multi-turn pairs: the shared history once, earlier turns collapsible (history.ts).
  if (!renderHistory(ui, pair, keysOf)) renderPrompt(ui, pair.prompt);
  ui.left.stats.textContent = statsText(pair.left);
  ui.right.stats.textContent = statsText(pair.right);
  if (s.diffOn && pair.diff) {
    ui.left.body.replaceChildren(diffBody(pair.diff, 'left'));
    ui.right.body.replaceChildren(diffBody(pair.diff, 'right'));
  } else {
    ui.left.body.replaceChildren(markdownBlock(pair.left.content));
    ui.right.body.replaceChildren(markdownBlock(pair.right.content));
  }
  const d = pair.decision;
  const label = CHOICE_NAMES[d?.choice ?? 'skip'] + (d?.strength ? ` (${d.strength === 'slightly' ? l10n.t('slightly better') : l10n.t('clearly better')})` : '') + (d?.rationale ? ` — “${d.rationale}”` : '');
  ui.currentEl.textContent = d ? l10n.t('Your label: {0}. Choose again to change it.', label) : '';
  for (const [c, b] of ui.choiceButtons) {
    b.disabled = false;
    b.classList.toggle('selected', d?.choice === c);
  }
  if (prevKey !== pair.key) {
    // A new pair on screen: the inputs show the host's draft for it (empty for a fresh pair).
    ui.rationale.value = s.draft.rationale;
    ui.strengthInputs.get(s.draft.strength ?? '')!.checked = true;
    if (document.activeElement === ui.rationale) ui.rationale.blur();
  }
}

function renderGuidelines(ui: LabelingLayout, g: LabelingViewState['guidelines']): void {
  if (!g) {
    ui.guidelines.hidden = true;
    return;
  }
  ui.guidelines.hidden = false;
  ui.guidelinesSummary.textContent = l10n.t('Guidelines ({0})', g.file);
  const shown = g.error !== undefined ? `error:${g.error}` : `md:${g.markdown ?? ''}`;
  // Rendered again only when the text changed (every decision brings a new state).
  if (shown === page.guidelinesShown) return;
  page.guidelinesShown = shown;
  if (g.error !== undefined) ui.guidelinesBody.replaceChildren(el('p', 'error', l10n.t('Cannot read the guidelines: {0}', g.error)));
  else ui.guidelinesBody.replaceChildren(markdownBlock(g.markdown ?? ''));
}

export function render(ui: LabelingLayout, act: LabelingActions, s: LabelingViewState): void {
  const prevKey = page.shownKey;
  page.view = s;
  page.pending = undefined;
  page.keyIndex = indexKeys(s.keys);
  const totalText = renderHeader(ui, s);
  renderControls(ui, s);
  renderHelp(ui, act, keysOf);
  renderPair(ui, s, totalText, prevKey);
  renderGuidelines(ui, s.guidelines);
  renderAgreement(ui, act, s.agreement);
  renderJudge(ui, s.judge, !!s.session.pair);
}
