/**
 * Rewrite in the labeling page: an editor over the panel for one answer of the pair, with the word
 * diff against the original (computed by the host from the text sent to it) and a preview through
 * the sanitizing Markdown renderer. Keyboard first: `E` (or a column's Rewrite button) opens it,
 * Ctrl/Cmd+Enter saves, Esc cancels (asking first when the text was changed). While it is open the
 * labeling keys are off. The text typed goes to the host (a reloaded webview gets it back) and into
 * the webview's saved state at once (a window reload gets it back).
 */
import * as l10n from '@vscode/l10n';
import type { DiffSegment, LabelingToHost, LabelingViewState } from '../../src/protocol/labeling';
import type { RewriteDraftResume, RewriteEditorView, RewriteSide } from '../../src/protocol/rewrite';
import { button, el } from '../shared/dom';
import type { LabelingLayout } from './layout';
import { renderMarkdown } from './markdown';

const DRAFT_DEBOUNCE_MS = 250;
const PREVIEW_DEBOUNCE_MS = 120;

interface Open {
  key: string;
  side: RewriteSide;
  start: string;
}

interface RewriteEditor {
  ui: LabelingLayout;
  post: (m: LabelingToHost) => void;
  persist: (d: RewriteDraftResume | undefined) => void;
  dialog: HTMLElement;
  heading: HTMLElement;
  prompt: HTMLElement;
  text: HTMLTextAreaElement;
  status: HTMLElement;
  confirm: HTMLElement;
  diff: HTMLElement;
  preview: HTMLElement;
  badges: Record<RewriteSide, HTMLElement>;
  open?: Open;
  confirming: boolean;
  draftTimer?: ReturnType<typeof setTimeout>;
  previewTimer?: ReturnType<typeof setTimeout>;
  /** Key of the pair on screen (for E). */
  pairKey?: string;
}

let editor: RewriteEditor | undefined;

/** The word diff original → rewrite in one view: removed words struck through, added words marked. */
export function unifiedDiff(segments: readonly DiffSegment[]): HTMLElement {
  const out = el('div', 'diff');
  for (const s of segments) {
    if (s.op === 'equal') out.append(document.createTextNode(s.text));
    else out.append(el(s.op === 'delete' ? 'del' : 'ins', undefined, s.text));
  }
  return out;
}

function focusedSide(ui: LabelingLayout): RewriteSide | undefined {
  const a = document.activeElement;
  if (a && ui.left.col.contains(a)) return 'left';
  if (a && ui.right.col.contains(a)) return 'right';
  return undefined;
}

/** Opens the editor on the pair on screen: `side`, else the focused answer, else the host's pick (the better answer). */
export function openRewrite(side?: RewriteSide): void {
  const e = editor;
  if (!e?.pairKey || e.open) return;
  const m: LabelingToHost = { type: 'rewriteOpen', key: e.pairKey };
  const s = side ?? focusedSide(e.ui);
  if (s) m.side = s;
  e.post(m);
}

function sendDraftSoon(e: RewriteEditor): void {
  const o = e.open;
  if (!o) return;
  e.persist({ key: o.key, side: o.side, text: e.text.value });
  if (e.draftTimer) clearTimeout(e.draftTimer);
  e.draftTimer = setTimeout(() => {
    e.draftTimer = undefined;
    if (e.open) e.post({ type: 'rewriteDraft', key: o.key, side: o.side, text: e.text.value });
  }, DRAFT_DEBOUNCE_MS);
  if (e.previewTimer) clearTimeout(e.previewTimer);
  e.previewTimer = setTimeout(() => {
    e.previewTimer = undefined;
    e.preview.replaceChildren(markdownOf(e.text.value));
  }, PREVIEW_DEBOUNCE_MS);
}

function markdownOf(text: string): HTMLElement {
  const d = el('div', 'md');
  d.append(renderMarkdown(text));
  return d;
}

function stopTimers(e: RewriteEditor): void {
  if (e.draftTimer) clearTimeout(e.draftTimer);
  if (e.previewTimer) clearTimeout(e.previewTimer);
  e.draftTimer = e.previewTimer = undefined;
}

function save(e: RewriteEditor): void {
  const o = e.open;
  if (!o) return;
  stopTimers(e);
  e.status.textContent = l10n.t('Saving…');
  e.post({ type: 'rewriteSave', key: o.key, side: o.side, text: e.text.value });
}

function showConfirm(e: RewriteEditor, on: boolean): void {
  e.confirming = on;
  e.confirm.hidden = !on;
}

function cancel(e: RewriteEditor, force = false): void {
  const o = e.open;
  if (!o) return;
  if (!force && e.text.value !== o.start && !e.confirming) {
    showConfirm(e, true);
    return;
  }
  stopTimers(e);
  showConfirm(e, false);
  e.persist(undefined);
  e.post({ type: 'rewriteCancel' });
}

/**
 * The editor's keys, called first by the page's key handler: while the editor is open it takes
 * every key press (true), so no labeling key acts on the pair behind it.
 */
export function rewriteOwnsKey(ev: KeyboardEvent): boolean {
  const e = editor;
  if (!e?.open) return false;
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    save(e);
  } else if (ev.key === 'Escape') {
    ev.preventDefault();
    cancel(e);
  } else if (e.confirming && !['Shift', 'Control', 'Alt', 'Meta'].includes(ev.key)) {
    showConfirm(e, false);
  }
  return true;
}

export function createRewriteEditor(ui: LabelingLayout, post: (m: LabelingToHost) => void, persist: (d: RewriteDraftResume | undefined) => void): void {
  const badges = {} as Record<RewriteSide, HTMLElement>;
  for (const side of ['left', 'right'] as const) {
    const col = ui[side];
    // Focusable, so that E rewrites the answer the annotator is reading.
    col.col.tabIndex = 0;
    const badge = el('span', 'rewrite-badge');
    const open = button(l10n.t('Rewrite'), 'rewrite-open secondary', () => openRewrite(side));
    open.title = l10n.t('Edit this answer to improve it (E)');
    col.stats.after(badge, open);
    badges[side] = badge;
  }
  const dialog = el('section', 'rewrite-editor');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.hidden = true;
  const heading = el('h2', 'rewrite-heading');
  dialog.setAttribute('aria-label', l10n.t('Rewrite'));
  // The prompt stays in view while rewriting (a copy of the panel's, already sanitized).
  const prompt = el('details', 'rewrite-prompt');
  prompt.open = true;
  const hint = el('p', 'muted', l10n.t('Markdown. Ctrl+Enter (Cmd+Enter) saves; Esc cancels. The labeling keys are off while the editor is open.'));
  const text = el('textarea', 'rewrite-text');
  text.rows = 12;
  text.spellcheck = true;
  text.setAttribute('aria-label', l10n.t('Rewritten answer (Markdown)'));
  const status = el('p', 'rewrite-status');
  status.setAttribute('role', 'alert');
  const confirm = el('div', 'rewrite-confirm');
  confirm.hidden = true;
  confirm.append(el('span', undefined, l10n.t('Discard your changes? Esc again discards them; any other key keeps editing.')));
  const panes = el('div', 'rewrite-panes');
  const diffPane = el('section', 'rewrite-diff');
  const diff = el('div', 'rewrite-diff-body');
  diffPane.append(el('h3', undefined, l10n.t('Changes from the original')), diff);
  const previewPane = el('section', 'rewrite-preview');
  const preview = el('div', 'rewrite-preview-body');
  previewPane.append(el('h3', undefined, l10n.t('Preview')), preview);
  panes.append(diffPane, previewPane);
  const actions = el('div', 'rewrite-actions');
  const e: RewriteEditor = { ui, post, persist, dialog, heading, prompt, text, status, confirm, diff, preview, badges, confirming: false };
  actions.append(button(l10n.t('Save (Ctrl+Enter)'), 'rewrite-save', () => save(e)), button(l10n.t('Cancel (Esc)'), 'rewrite-cancel secondary', () => cancel(e)));
  dialog.append(heading, prompt, hint, text, confirm, status, actions, panes);
  document.getElementById('app')!.append(dialog);
  text.addEventListener('input', () => sendDraftSoon(e));
  editor = e;
}

function show(e: RewriteEditor, v: RewriteEditorView): void {
  const fresh = !e.open || e.open.key !== v.key || e.open.side !== v.side;
  if (fresh) {
    e.open = { key: v.key, side: v.side, start: v.start };
    e.text.value = v.text;
    e.preview.replaceChildren(markdownOf(v.text));
    showConfirm(e, false);
    e.dialog.hidden = false;
    e.prompt.replaceChildren(el('summary', undefined, l10n.t('Prompt')), ...Array.from(e.ui.promptSection.childNodes, (n) => n.cloneNode(true)));
    e.heading.textContent = v.side === 'left' ? l10n.t('Rewrite the left answer') : l10n.t('Rewrite the right answer');
    if (v.fromSaved) e.heading.textContent += ' ' + l10n.t('(your saved rewrite)');
    e.text.focus();
  }
  // The diff is of the text the host has; shown when it is what the box holds (the next draft brings the rest).
  if (fresh || v.text === e.text.value) e.diff.replaceChildren(unifiedDiff(v.diff));
}

function hide(e: RewriteEditor): void {
  if (!e.open) return;
  stopTimers(e);
  e.open = undefined;
  showConfirm(e, false);
  e.dialog.hidden = true;
  e.text.value = '';
  if (e.dialog.contains(document.activeElement)) (document.activeElement as HTMLElement).blur();
}

/** The draft in the editor as typed (the host's copy may be a keystroke behind), for the webview's saved state. */
export function localDraft(): RewriteDraftResume | undefined {
  const o = editor?.open;
  return o && { key: o.key, side: o.side, text: editor!.text.value };
}

/** Draws the rewrite part of a state: the editor while the host has one open, the badge of a saved rewrite. */
export function renderRewrite(s: LabelingViewState): void {
  const e = editor;
  if (!e) return;
  const pair = s.session.pair;
  e.pairKey = pair?.key;
  const rw = s.rewrite;
  for (const side of ['left', 'right'] as const) e.badges[side].textContent = rw?.saved?.side === side ? l10n.t('Rewritten by you ({0} chars)', rw.saved.chars) : '';
  if (rw?.editor && pair && rw.editor.key === pair.key) {
    show(e, rw.editor);
    e.status.textContent = s.message?.text ?? '';
    e.status.className = `rewrite-status ${s.message?.kind ?? ''}`;
  } else {
    hide(e);
  }
}
