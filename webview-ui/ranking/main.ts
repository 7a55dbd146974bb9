/**
 * Rank-mode webview: the prompt, then the candidates as cards in a column, best first. Number keys
 * pick the next best (candidate n is the card labelled n), Alt+Up/Down move the focused card, Up/Down
 * move the focus, T ties the focused card with the one above, Escape starts over, Enter commits;
 * cards can also be dragged. Every change goes to the host, which keeps the order in progress; the
 * page also persists it, so a window reload restores it. Texts go through the sanitizing renderer.
 */
import '../shared/l10nBundle';
import * as l10n from '@vscode/l10n';
import type { LabelingResume, Message } from '../../src/protocol/labeling';
import type { HostToRanking, RankingToHost, RankingViewState } from '../../src/protocol/ranking';
import { button, el } from '../shared/dom';
import { connectToHost } from '../shared/host';
import { renderMarkdown } from '../labeling/markdown';
import { fromTiers, moveTo, pick, rankAt, toggleTie, toTiers, type WorkingOrder } from './logic/order';

interface Persisted {
  resume: LabelingResume;
  draft?: RankingViewState['draft'];
}

let view: RankingViewState | undefined;
let work: WorkingOrder | undefined;
let workKey: string | undefined;
let focus = 0;
let dragFrom: number | undefined;

const app = document.getElementById('app')!;
const header = el('div', 'top');
const title = el('h1', 'title', l10n.t('Loading…'));
const progress = el('span', 'progress');
header.append(title, progress);
const message = el('div', 'message');
message.setAttribute('role', 'status');
const promptSection = el('section', 'prompt');
const help = el('p', 'muted keys-help', l10n.t('Keys: 1–9 pick the next best · Alt+↑/↓ move the focused card · ↑/↓ focus · T tie with the card above · Esc start over · Enter commit · Z undo · Shift+Z redo · P/N previous/next prompt. Cards can also be dragged.'));
const list = el('ol', 'cards');
list.setAttribute('aria-label', l10n.t('Candidates, best first'));
const toolbar = el('div', 'toolbar');
app.append(header, message, promptSection, help, list, toolbar);

const host = connectToHost<HostToRanking, RankingToHost, Persisted>((m) => {
  if (m.type !== 'state' || !m.state) return;
  view = m.state;
  const key = view.draft.key;
  if (key !== workKey) {
    work = fromTiers(view.draft.order, view.draft.picked);
    workKey = key;
    focus = 0;
  }
  persist();
  render();
});

function persist(): void {
  if (!view) return;
  host.persist({ resume: view.resume, draft: work && workKey ? { key: workKey, order: toTiers(work), picked: work.picked } : undefined });
}

function post(m: RankingToHost): void {
  host.channel.post(m);
}

/** Applies a local change: re-render at once, tell the host, persist. */
function change(next: WorkingOrder, newFocus = focus): void {
  if (!work || !workKey) return;
  work = next;
  focus = Math.max(0, Math.min(newFocus, work.seq.length - 1));
  post({ type: 'order', key: workKey, order: toTiers(work), picked: work.picked });
  persist();
  render();
}

function commit(): void {
  if (work && workKey) post({ type: 'rank', key: workKey, order: toTiers(work) });
}

function markdownBlock(text: string): HTMLElement {
  const body = el('div', 'md');
  body.append(renderMarkdown(text));
  return body;
}

function renderPrompt(prompt: Message[]): void {
  const chat = el('div', 'chat');
  for (const m of prompt) {
    const b = el('div', `bubble ${m.role}`);
    b.append(el('div', 'role', m.name ? `${m.role} (${m.name})` : m.role), markdownBlock(m.content));
    chat.append(b);
  }
  promptSection.replaceChildren(chat);
}

function render(): void {
  const s = view;
  if (!s) return;
  const item = s.session.item;
  const p = s.session.progress;
  progress.textContent = l10n.t('{0} / {1} prompts ranked', p.done, p.total);
  message.className = `message ${s.message?.kind ?? ''}`;
  message.textContent = s.message?.text ?? '';
  if (!item || !work) {
    title.textContent = l10n.t('{0} — every prompt is ranked', s.title);
    promptSection.replaceChildren();
    list.replaceChildren();
    renderToolbar(false);
    return;
  }
  title.textContent = l10n.t('{0} — prompt {1} of {2}', s.title, item.index + 1, p.total);
  renderPrompt(item.prompt);
  const cards = work.seq.map((c, i) => {
    const cand = item.candidates[c];
    const li = el('li', `card${i === focus ? ' focused' : ''}${i < work!.picked ? ' picked' : ''}${work!.tiedAbove[i] ? ' tied' : ''}`);
    li.draggable = true;
    li.tabIndex = i === focus ? 0 : -1;
    li.dataset.place = String(i);
    const head = el('div', 'card-head');
    head.append(el('span', 'rank', l10n.t('#{0}', rankAt(work!, i))), el('span', 'label', l10n.t('Candidate {0}', c + 1)));
    if (work!.tiedAbove[i]) head.append(el('span', 'tie-note', l10n.t('tied with the card above')));
    head.append(el('span', 'stats', l10n.t('{0} words · ~{1} tokens', cand.words, cand.tokens)));
    const actions = el('span', 'card-actions');
    actions.append(
      button('↑', 'secondary', () => change(moveTo(work!, i, i - 1), i - 1)),
      button('↓', 'secondary', () => change(moveTo(work!, i, i + 1), i + 1)),
      button(work!.tiedAbove[i] ? l10n.t('Untie') : l10n.t('Tie with above'), 'secondary', () => change(toggleTie(work!, i), i)),
    );
    const [up, down, tie] = Array.from(actions.children) as HTMLButtonElement[];
    up.disabled = tie.disabled = i === 0;
    down.disabled = i === work!.seq.length - 1;
    head.append(actions);
    li.append(head, markdownBlock(cand.content));
    li.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('button')) return;
      focus = i;
      render();
    });
    li.addEventListener('dragstart', (e) => {
      dragFrom = i;
      e.dataTransfer?.setData('text/plain', String(i));
    });
    li.addEventListener('dragover', (e) => e.preventDefault());
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      if (dragFrom !== undefined) change(moveTo(work!, dragFrom, i), i);
      dragFrom = undefined;
    });
    return li;
  });
  list.replaceChildren(...cards);
  renderToolbar(true);
  (list.children[focus] as HTMLElement | undefined)?.focus({ preventScroll: false });
}

function renderToolbar(hasItem: boolean): void {
  const s = view!;
  const commitBtn = button(l10n.t('Commit ranking (Enter)'), 'primary commit', commit);
  commitBtn.disabled = !hasItem;
  const reset = button(l10n.t('Start over (Esc)'), 'secondary', () => work && change(fromTiers(work.seq.map((_, i) => [i]), 0), 0));
  reset.disabled = !hasItem;
  const undo = button(l10n.t('Undo (Z)'), 'secondary', () => post({ type: 'undo' }));
  undo.disabled = !s.session.canUndo;
  const redo = button(l10n.t('Redo (Shift+Z)'), 'secondary', () => post({ type: 'redo' }));
  redo.disabled = !s.session.canRedo;
  toolbar.replaceChildren(
    commitBtn,
    reset,
    undo,
    redo,
    button(l10n.t('Previous (P)'), 'secondary', () => post({ type: 'previous' })),
    button(l10n.t('Next unranked (N)'), 'secondary', () => post({ type: 'next' })),
  );
}

window.addEventListener('keydown', (e) => {
  if (!view || e.ctrlKey || e.metaKey) return;
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select')) return;
  // Enter on a focused button presses the button, not "commit".
  if (e.key === 'Enter' && target.closest('button')) return;
  const w = work;
  let handled = true;
  if (e.key === 'Enter') commit();
  else if (e.key === 'z' && !e.shiftKey) post({ type: 'undo' });
  else if (e.key === 'Z' || (e.key === 'z' && e.shiftKey)) post({ type: 'redo' });
  else if (e.key === 'p') post({ type: 'previous' });
  else if (e.key === 'n') post({ type: 'next' });
  else if (!w || !view.session.item) handled = false;
  else if (/^[1-9]$/.test(e.key) && !e.altKey) {
    const c = Number(e.key) - 1;
    if (c < w.seq.length) change(pick(w, c), w.picked);
  } else if (e.key === 'ArrowUp' && e.altKey) change(moveTo(w, focus, focus - 1), focus - 1);
  else if (e.key === 'ArrowDown' && e.altKey) change(moveTo(w, focus, focus + 1), focus + 1);
  else if (e.key === 'ArrowUp') {
    focus = Math.max(0, focus - 1);
    render();
  } else if (e.key === 'ArrowDown') {
    focus = Math.min(w.seq.length - 1, focus + 1);
    render();
  } else if (e.key === 't' || e.key === 'T') change(toggleTie(w, focus));
  else if (e.key === 'Escape') change(fromTiers(w.seq.map((_, i) => [i]), 0), 0);
  else handled = false;
  if (handled) e.preventDefault();
});

post({ type: 'ready' });
