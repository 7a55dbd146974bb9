/**
 * Dataset View webview: a virtualized list of record cards. The page never holds the dataset: it
 * knows the matching record indexes (or just their count when everything matches), asks the host
 * for the records of the visible window plus a margin, and keeps only those cards in the DOM.
 * Card heights vary: unmeasured cards count at an estimate, measured ones correct it (a Fenwick
 * tree of corrections gives any card's offset in O(log n)), and the scroll position is anchored
 * on the first visible card when corrections land above it.
 *
 * Every piece of dataset text goes into the page through textContent; nothing from the data is
 * ever parsed as HTML.
 */
import '../l10nBundle';
import * as l10n from '@vscode/l10n';
import { isRecordQuery, type DatasetState, type DatasetViewToHost, type HostToDatasetView, type JsonPathSegment, type RecordCard, type RecordQuery } from '../../src/protocol/datasetView';

interface Persisted {
  query: RecordQuery;
}
declare function acquireVsCodeApi(): { postMessage(m: DatasetViewToHost): void; getState(): Persisted | undefined; setState(s: Persisted): void };
const vscode = acquireVsCodeApi();

const MARGIN_PX = 800;
const GAP_PX = 10;
const MAX_CACHE = 3000;
const SEARCH_DEBOUNCE_MS = 250;

let state: DatasetState | undefined;
let version = -1;
// The host drops a message whose query is malformed (protocol guard): a persisted query that no longer fits starts empty.
const persisted: unknown = vscode.getState()?.query;
let query: RecordQuery = isRecordQuery(persisted) ? persisted : {};
let matches: number[] | null = null;
let total = 0;
let queryId = 0;
let nextId = 1;
let status = '';
const cache = new Map<number, RecordCard>();
const requested = new Set<number>();

// ---- DOM helpers -------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function post(m: DatasetViewToHost): void {
  vscode.postMessage(m);
}

// ---- static layout ------------------------------------------------------------------------------

const app = document.getElementById('app')!;
const head = el('header', 'view-head');
const title = el('h1');
const formatEl = el('span', 'format');
const recordsEl = el('span', 'count records');
const matchingEl = el('span', 'count matching');
const errorsEl = el('span', 'count errors');
const warningsEl = el('span', 'count warnings');
const evidenceEl = el('span', 'evidence');
const statusEl = el('span', 'status');
head.append(title, formatEl, recordsEl, matchingEl, errorsEl, warningsEl, evidenceEl, statusEl);

const toolbar = el('div', 'toolbar');
const searchInput = el('input', 'search');
searchInput.type = 'search';
searchInput.placeholder = l10n.t('Search records (/)');
searchInput.setAttribute('aria-label', l10n.t('Search records'));
const regexBox = checkbox(l10n.t('Regex'), 'regex');
const caseBox = checkbox(l10n.t('Match case'), 'case');
const errorsBox = checkbox(l10n.t('Has errors'), 'has-errors');
const ruleSelect = el('select', 'rule');
ruleSelect.setAttribute('aria-label', l10n.t('Filter by rule'));
const roleSelect = el('select', 'role');
roleSelect.setAttribute('aria-label', l10n.t('Filter by role'));
const minInput = numberInput(l10n.t('min chars'), 'min-chars');
const maxInput = numberInput(l10n.t('max chars'), 'max-chars');
const clearButton = el('button', 'clear', l10n.t('Clear'));
const pickedNote = el('span', 'picked');
toolbar.append(searchInput, regexBox.label, caseBox.label, errorsBox.label, ruleSelect, roleSelect, minInput, maxInput, clearButton, pickedNote);

const messageEl = el('div', 'message');
messageEl.setAttribute('role', 'alert');
const fileProblemsEl = el('ul', 'problems file');
const scroller = el('div', 'scroller');
scroller.tabIndex = -1;
const canvas = el('div', 'canvas');
const emptyEl = el('p', 'empty');
scroller.append(canvas, emptyEl);
app.replaceChildren(head, toolbar, messageEl, fileProblemsEl, scroller);
title.textContent = l10n.t('Loading…');

function checkbox(text: string, cls: string): { label: HTMLLabelElement; box: HTMLInputElement } {
  const label = el('label', cls);
  const box = el('input');
  box.type = 'checkbox';
  label.append(box, document.createTextNode(` ${text}`));
  return { label, box };
}

function numberInput(placeholder: string, cls: string): HTMLInputElement {
  const i = el('input', cls);
  i.type = 'number';
  i.min = '0';
  i.placeholder = placeholder;
  i.setAttribute('aria-label', placeholder);
  return i;
}

// ---- virtual list geometry --------------------------------------------------------------------

/** Prefix sums of height corrections (measured height minus the estimate), by list position. */
class Fenwick {
  private t: Float64Array;
  constructor(readonly size: number) {
    this.t = new Float64Array(size + 1);
  }
  add(i: number, d: number): void {
    for (i++; i < this.t.length; i += i & -i) this.t[i] += d;
  }
  /** Sum over positions [0, i). */
  sum(i: number): number {
    let s = 0;
    for (i = Math.min(i, this.size); i > 0; i -= i & -i) s += this.t[i];
    return s;
  }
}

const estimate = 180;
let heights = new Map<number, number>();
let fen = new Fenwick(1024);

function resetGeometry(): void {
  heights = new Map();
  fen = new Fenwick(Math.max(1024, total));
}

function ensureCapacity(): void {
  if (total <= fen.size) return;
  let size = fen.size;
  while (size < total) size *= 2;
  fen = new Fenwick(size);
  for (const [pos, h] of heights) fen.add(pos, h - estimate);
}

const offsetOf = (pos: number) => pos * estimate + fen.sum(pos);
const totalHeight = () => offsetOf(total);

/** The last list position whose top is at or above `y`. */
function positionAt(y: number): number {
  let lo = 0;
  let hi = total - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsetOf(mid) <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

const indexAt = (pos: number) => (matches ? matches[pos] : pos);

// ---- rendering ----------------------------------------------------------------------------------

interface Turn {
  role: string;
  content: unknown;
  /** The key holding the content (`content` or `value`), for editing. */
  key: string;
}

function asTurn(v: unknown): Turn | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const role = o.role ?? o.from;
  if (typeof role !== 'string') return undefined;
  const key = 'content' in o ? 'content' : 'value';
  return { role, content: o[key], key };
}

function asTurns(v: unknown): Turn[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const turns = v.map(asTurn);
  return turns.every((t): t is Turn => t !== undefined) ? turns : undefined;
}

const ASSISTANT = new Set(['assistant', 'gpt', 'function_call', 'model', 'bot']);

/** A string value of the record: focusable and, unless read-only, editable in place. */
function textValue(v: string, path: JsonPathSegment[]): HTMLElement {
  const e = el('div', 'content text value', v);
  e.tabIndex = 0;
  e.dataset.path = JSON.stringify(path);
  if (!state?.readOnly) {
    e.classList.add('editable');
    e.title = l10n.t('Double-click or Enter to edit');
  }
  return e;
}

function contentValue(v: unknown, path: JsonPathSegment[]): HTMLElement {
  if (typeof v === 'string') return textValue(v, path);
  return el('pre', 'content json', JSON.stringify(v, null, 2) ?? String(v));
}

function bubble(t: Turn, path: JsonPathSegment[]): HTMLElement {
  const side = ASSISTANT.has(t.role) ? 'assistant' : t.role === 'system' ? 'system' : t.role === 'user' || t.role === 'human' ? 'user' : 'tool';
  const b = el('div', `bubble ${side}`);
  b.append(el('div', 'role', t.role), contentValue(t.content, [...path, t.key]));
  return b;
}

function renderValue(key: string, v: unknown, path: JsonPathSegment[]): HTMLElement {
  const field = el('div', 'field');
  field.append(el('div', 'key', key));
  const turns = asTurns(v);
  const one = turns ? undefined : asTurn(v);
  if (turns) {
    const chat = el('div', 'chat');
    turns.forEach((t, i) => chat.append(bubble(t, [...path, i])));
    field.append(chat);
  } else if (one) {
    const chat = el('div', 'chat');
    chat.append(bubble(one, path));
    field.append(chat);
  } else {
    field.append(contentValue(v, path));
  }
  return field;
}

function problemText(p: RecordCard['problems'][number]): string {
  return l10n.t('{0} ({1}, line {2}:{3})', p.message, p.rule, p.line, p.column);
}

function renderCard(c: RecordCard, pos: number): HTMLElement {
  const card = el('article', 'card');
  card.tabIndex = 0;
  card.dataset.index = String(c.index);
  card.dataset.pos = String(pos);
  const top = el('header', 'card-head');
  const reveal = el('button', 'reveal', l10n.t('#{0} · line {1}', c.index + 1, c.line));
  reveal.title = l10n.t('Reveal this record in the text editor');
  reveal.addEventListener('click', () => post({ type: 'reveal', index: c.index }));
  top.append(reveal, el('span', 'chars', l10n.t('{0} chars', c.chars)));
  const errors = c.problems.filter((p) => p.severity === 'error').length;
  if (c.problems.length) top.append(el('span', errors ? 'badge error' : 'badge warning', c.problems.length > 1 ? l10n.t('{0} problems', c.problems.length) : l10n.t('1 problem')));
  card.append(top);
  if (c.problems.length) {
    const list = el('ul', 'problems');
    for (const p of c.problems) list.append(el('li', p.severity, problemText(p)));
    card.append(list);
  }
  if (c.value) {
    const v = c.value;
    const pair = 'chosen' in v && 'rejected' in v;
    const body = el('div', 'body');
    for (const k of Object.keys(v)) if (!(pair && (k === 'chosen' || k === 'rejected'))) body.append(renderValue(k, v[k], [k]));
    if (pair) {
      const sides = el('div', 'pair');
      const chosen = renderValue('chosen', v.chosen, ['chosen']);
      chosen.classList.add('chosen');
      const rejected = renderValue('rejected', v.rejected, ['rejected']);
      rejected.classList.add('rejected');
      sides.append(chosen, rejected);
      body.append(sides);
    }
    card.append(body);
  } else {
    card.append(el('pre', 'content raw', c.text ?? ''));
  }
  return card;
}

function placeholder(index: number, pos: number): HTMLElement {
  const card = el('article', 'card placeholder', l10n.t('Loading record #{0}…', index + 1));
  card.dataset.pos = String(pos);
  card.style.height = `${estimate - GAP_PX}px`;
  return card;
}

interface Live {
  index: number;
  el: HTMLElement;
  real: boolean;
}
const live = new Map<number, Live>();
let focusPos = 0;

function dropLive(pos: number): void {
  const item = live.get(pos);
  if (!item) return;
  if (editing && item.el.contains(editing.area)) return;
  item.el.remove();
  live.delete(pos);
}

function clearLive(): void {
  for (const pos of [...live.keys()]) dropLive(pos);
}

function render(): void {
  ensureCapacity();
  emptyEl.textContent = state && total === 0 ? (state.indexing.done ? l10n.t('No record matches.') : l10n.t('Indexing…')) : '';
  const top = scroller.scrollTop;
  const view = scroller.clientHeight || 600;
  if (total === 0) {
    clearLive();
    canvas.style.height = '0px';
    return;
  }
  const first = positionAt(Math.max(0, top - MARGIN_PX));
  const last = Math.min(total - 1, positionAt(top + view + MARGIN_PX));
  for (const [pos, item] of live) if (pos < first || pos > last || item.index !== indexAt(pos) || (!item.real && cache.has(item.index))) dropLive(pos);
  const missing: number[] = [];
  for (let pos = first; pos <= last; pos++) {
    const index = indexAt(pos);
    const have = live.get(pos);
    if (have) {
      // A card kept from before a data change: shown until its fresh copy arrives.
      if (!have.real && !cache.has(index) && !requested.has(index)) missing.push(index);
      continue;
    }
    const card = cache.get(index);
    const node = card ? renderCard(card, pos) : placeholder(index, pos);
    if (!card && !requested.has(index)) missing.push(index);
    canvas.append(node);
    live.set(pos, { index, el: node, real: !!card });
  }
  // Measure, then keep the first visible card where it was on screen; but a view scrolled to the
  // end stays at the end, so the last records come into view even when the cards measured there are
  // taller than the estimate (anchored on the first visible card, the end moved away with every
  // measurement, and when a render came in between, the last card left the window again).
  const atEnd = top > 0 && scroller.clientHeight > 0 && top + scroller.clientHeight >= scroller.scrollHeight - 1;
  const anchor = positionAt(top);
  const anchorShift = top - offsetOf(anchor);
  for (const [pos, item] of live) {
    if (!item.real) continue;
    const h = item.el.offsetHeight + GAP_PX;
    const old = heights.get(pos);
    if (old !== h) {
      fen.add(pos, h - (old ?? estimate));
      heights.set(pos, h);
    }
  }
  for (const [pos, item] of live) item.el.style.top = `${offsetOf(pos)}px`;
  canvas.style.height = `${totalHeight()}px`;
  const wanted = atEnd ? Math.max(0, totalHeight() - scroller.clientHeight) : offsetOf(anchor) + anchorShift;
  if (Math.abs(wanted - top) > 1) scroller.scrollTop = wanted;
  if (missing.length) {
    missing.forEach((i) => requested.add(i));
    post({ type: 'window', id: nextId++, indexes: missing });
  }
}

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

// ---- header and controls ----------------------------------------------------------------------

/** A count with its noun: `one` and `many` are l10n.t messages with {0} for the number. */
function plural(n: number, one: string, many: string): string {
  return (n === 1 ? one : many).replace('{0}', n.toLocaleString('en-US'));
}

function renderHead(): void {
  if (!state) return;
  title.textContent = state.readOnly ? l10n.t('{0} (read-only)', state.fileName) : state.fileName;
  formatEl.textContent = state.format ? l10n.t('format: {0}', state.format) : state.indexing.done ? l10n.t('format: not recognized') : l10n.t('format: detecting…');
  recordsEl.textContent = plural(state.records, l10n.t('{0} record'), l10n.t('{0} records'));
  matchingEl.textContent = l10n.t('{0} matching', total.toLocaleString('en-US'));
  errorsEl.textContent = plural(state.errors, l10n.t('{0} error'), l10n.t('{0} errors'));
  errorsEl.classList.toggle('error', state.errors > 0);
  warningsEl.textContent = plural(state.warnings, l10n.t('{0} warning'), l10n.t('{0} warnings'));
  evidenceEl.textContent = state.evidence ?? '';
  const indexing = state.indexing.error
    ? l10n.t('indexing failed: {0}', state.indexing.error)
    : state.indexing.done
      ? ''
      : state.indexing.phase === 'checking'
        ? l10n.t('checking {0}', percent(state.indexing.bytes, state.indexing.totalBytes))
        : l10n.t('indexing {0}', percent(state.indexing.bytes, state.indexing.totalBytes));
  statusEl.textContent = [indexing, status, state.problemsNote ?? ''].filter(Boolean).join(' · ');
  fileProblemsEl.replaceChildren(...state.fileProblems.map((p) => el('li', p.severity, problemText(p))));
  fillSelect(ruleSelect, l10n.t('All rules'), state.rules.map((r) => ({ value: r.rule, label: `${r.rule} (${r.count})` })), query.rule);
  fillSelect(roleSelect, l10n.t('Any role'), state.roles.map((r) => ({ value: r, label: r })), query.role);
  pickedNote.textContent = query.recordIndexes ? plural(query.recordIndexes.length, l10n.t('{0} picked record only'), l10n.t('{0} picked records only')) : '';
}

function percent(a: number, b: number): string {
  return b > 0 ? `${Math.floor((a / b) * 100)}%` : '0%';
}

function fillSelect(select: HTMLSelectElement, none: string, options: { value: string; label: string }[], current: string | undefined): void {
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  const nodes = [el('option', undefined, none), ...options.map((o) => el('option', undefined, o.label))];
  nodes[0].value = '';
  options.forEach((o, i) => (nodes[i + 1].value = o.value));
  select.replaceChildren(...nodes);
  select.value = current ?? '';
}

function controlsFromQuery(): void {
  searchInput.value = query.search ?? '';
  regexBox.box.checked = !!query.regex;
  caseBox.box.checked = !!query.caseSensitive;
  errorsBox.box.checked = !!query.hasErrors;
  minInput.value = query.minChars === undefined ? '' : String(query.minChars);
  maxInput.value = query.maxChars === undefined ? '' : String(query.maxChars);
  renderHead();
}

function queryFromControls(): RecordQuery {
  const q: RecordQuery = {};
  if (searchInput.value) q.search = searchInput.value;
  if (regexBox.box.checked) q.regex = true;
  if (caseBox.box.checked) q.caseSensitive = true;
  if (errorsBox.box.checked) q.hasErrors = true;
  if (ruleSelect.value) q.rule = ruleSelect.value;
  if (roleSelect.value) q.role = roleSelect.value;
  // A number input can hold "1e999": an infinite length is no length (and would not survive the message).
  const min = Number(minInput.value);
  const max = Number(maxInput.value);
  if (minInput.value !== '' && Number.isFinite(min)) q.minChars = min;
  if (maxInput.value !== '' && Number.isFinite(max)) q.maxChars = max;
  if (query.recordIndexes) q.recordIndexes = query.recordIndexes;
  return q;
}

function showMessage(text: string, kind: 'error' | 'info' = 'error'): void {
  messageEl.textContent = text;
  messageEl.className = `message ${text ? kind : ''}`;
}

/** Sends the query; `keepScroll` when re-running the same query over changed data. */
function runQuery(keepScroll = false): void {
  vscode.setState({ query });
  queryId = nextId++;
  status = l10n.t('searching…');
  renderHead();
  pendingKeepScroll = keepScroll;
  post({ type: 'query', id: queryId, query });
}
let pendingKeepScroll = false;

function applyControls(): void {
  query = queryFromControls();
  runQuery();
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchInput.addEventListener('input', () => {
  if (searchTimer) clearTimeout(searchTimer);
  searchTimer = setTimeout(applyControls, SEARCH_DEBOUNCE_MS);
});
for (const c of [regexBox.box, caseBox.box, errorsBox.box, ruleSelect, roleSelect, minInput, maxInput]) c.addEventListener('change', applyControls);
clearButton.addEventListener('click', () => {
  query = {};
  controlsFromQuery();
  runQuery();
});

// ---- keyboard and focus -------------------------------------------------------------------------

function focusCard(pos: number): void {
  if (total === 0) return;
  focusPos = Math.max(0, Math.min(total - 1, pos));
  const top = offsetOf(focusPos);
  const h = heights.get(focusPos) ?? estimate;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + h > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + h - scroller.clientHeight;
  render();
  live.get(focusPos)?.el.focus({ preventScroll: true });
}

function cardOf(node: EventTarget | null): HTMLElement | undefined {
  return node instanceof HTMLElement ? (node.closest('article.card') as HTMLElement | null) ?? undefined : undefined;
}

canvas.addEventListener('focusin', (e) => {
  const card = cardOf(e.target);
  if (card?.dataset.pos) focusPos = Number(card.dataset.pos);
});

canvas.addEventListener('dblclick', (e) => {
  const t = e.target;
  if (t instanceof HTMLElement && t.classList.contains('value')) startEdit(t);
});

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (t instanceof HTMLTextAreaElement) {
    if (e.key === 'Escape') {
      e.preventDefault();
      cancelEdit();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commitEdit();
    }
    return;
  }
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement) {
    if (e.key === 'Escape') {
      e.preventDefault();
      t.blur();
      focusCard(focusPos);
    } else if (e.key === 'Enter' && t === searchInput) {
      if (searchTimer) clearTimeout(searchTimer);
      applyControls();
    }
    return;
  }
  if (e.key === '/') {
    e.preventDefault();
    searchInput.focus();
    searchInput.select();
  } else if (e.key === 'ArrowDown' || e.key === 'j') {
    e.preventDefault();
    focusCard(cardOf(t) ? focusPos + 1 : focusPos);
  } else if (e.key === 'ArrowUp' || e.key === 'k') {
    e.preventDefault();
    focusCard(focusPos - 1);
  } else if (e.key === 'Enter') {
    if (t.classList.contains('value')) {
      e.preventDefault();
      startEdit(t);
    } else if (t.matches('article.card') && t.dataset.index) {
      e.preventDefault();
      post({ type: 'reveal', index: Number(t.dataset.index) });
    }
  }
});

// ---- editing ------------------------------------------------------------------------------------

interface Editing {
  index: number;
  path: JsonPathSegment[];
  old: string;
  shown: HTMLElement;
  area: HTMLTextAreaElement;
}
let editing: Editing | undefined;
const pendingEdits = new Map<number, Editing>();

function valueAt(v: unknown, path: JsonPathSegment[]): unknown {
  let cur = v;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}

function startEdit(shown: HTMLElement): void {
  if (editing) return;
  if (state?.readOnly) {
    showMessage(l10n.t('This view is read-only: the file is too large to edit as a text document.'), 'info');
    return;
  }
  const card = cardOf(shown);
  const index = Number(card?.dataset.index);
  const path = JSON.parse(shown.dataset.path ?? '[]') as JsonPathSegment[];
  const old = valueAt(cache.get(index)?.value, path);
  if (typeof old !== 'string') return;
  const area = el('textarea', 'editor');
  area.value = old;
  area.rows = Math.min(20, old.split('\n').length + 1);
  area.setAttribute('aria-label', l10n.t('Edit value (Ctrl+Enter to save, Escape to cancel)'));
  shown.replaceWith(area);
  editing = { index, path, old, shown, area };
  area.addEventListener('blur', () => commitEdit());
  area.focus();
  scheduleRender();
}

function endEdit(): Editing | undefined {
  const e = editing;
  if (!e) return undefined;
  editing = undefined;
  e.area.replaceWith(e.shown);
  e.shown.focus({ preventScroll: true });
  scheduleRender();
  return e;
}

function cancelEdit(): void {
  endEdit();
}

function commitEdit(): void {
  const value = editing?.area.value;
  const e = endEdit();
  if (!e || value === undefined || value === e.old) return;
  e.shown.textContent = value;
  const id = nextId++;
  pendingEdits.set(id, e);
  post({ type: 'edit', id, index: e.index, path: e.path, oldValue: e.old, newValue: value });
}

// ---- messages from the host -------------------------------------------------------------------

function onState(s: DatasetState): void {
  const first = state === undefined;
  const changed = s.version !== version;
  state = s;
  if (first) {
    query = s.query;
    controlsFromQuery();
  }
  if (changed) {
    version = s.version;
    cache.clear();
    requested.clear();
    for (const item of live.values()) item.real = false;
    runQuery(!first);
  } else if (matches === null && !status) {
    // Indexing a large file: everything matches, and there is more of it now.
    total = s.records;
  }
  renderHead();
  scheduleRender();
}

window.addEventListener('message', (e: MessageEvent<HostToDatasetView>) => {
  const m = e.data;
  switch (m?.type) {
    case 'state':
      onState(m.state);
      break;
    case 'records':
      if (m.version < version) break;
      for (const r of m.records) {
        cache.set(r.index, r);
        requested.delete(r.index);
      }
      while (cache.size > MAX_CACHE) cache.delete(cache.keys().next().value as number);
      scheduleRender();
      break;
    case 'queryResult': {
      if (m.id !== queryId) break;
      status = '';
      matches = m.matches;
      total = m.total;
      showMessage(m.error ?? '');
      if (!pendingKeepScroll) {
        scroller.scrollTop = 0;
        focusPos = 0;
      }
      resetGeometry();
      clearLive();
      renderHead();
      scheduleRender();
      break;
    }
    case 'queryProgress':
      if (m.id === queryId) {
        status = l10n.t('searching {0}', percent(m.done, m.total));
        renderHead();
      }
      break;
    case 'editResult': {
      const e = pendingEdits.get(m.id);
      pendingEdits.delete(m.id);
      if (!m.ok) {
        showMessage(m.message ?? l10n.t('The edit could not be applied.'));
        if (e) e.shown.textContent = e.old;
      } else showMessage('');
      break;
    }
    case 'setQuery':
      query = m.query;
      controlsFromQuery();
      runQuery();
      break;
  }
});

scroller.addEventListener('scroll', scheduleRender, { passive: true });
new ResizeObserver(() => {
  resetGeometry();
  scheduleRender();
}).observe(scroller);
post({ type: 'ready', query });
