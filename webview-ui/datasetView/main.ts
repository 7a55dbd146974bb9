/**
 * Dataset View webview: renders records as cards. Every piece of dataset text goes into the page
 * through textContent; nothing from the data is ever parsed as HTML.
 */
import type { DatasetState, DatasetViewToHost, HostToDatasetView, RecordCard } from '../../src/protocol/datasetView';

declare function acquireVsCodeApi(): { postMessage(m: DatasetViewToHost): void };
const vscode = acquireVsCodeApi();
const PAGE = 200;

let state: DatasetState | undefined;
let shown = PAGE;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

interface Turn {
  role: string;
  content: string;
}

function asTurn(v: unknown): Turn | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const role = o.role ?? o.from;
  const content = o.content ?? o.value;
  if (typeof role !== 'string') return undefined;
  return { role, content: typeof content === 'string' ? content : JSON.stringify(content, null, 2) };
}

function asTurns(v: unknown): Turn[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const turns = v.map(asTurn);
  return turns.every((t): t is Turn => t !== undefined) ? turns : undefined;
}

const ASSISTANT = new Set(['assistant', 'gpt', 'function_call', 'model']);
const SYSTEM = new Set(['system']);

function bubble(t: Turn): HTMLElement {
  const side = ASSISTANT.has(t.role) ? 'assistant' : SYSTEM.has(t.role) ? 'system' : t.role === 'user' || t.role === 'human' ? 'user' : 'tool';
  const b = el('div', `bubble ${side}`);
  b.append(el('div', 'role', t.role), el('div', 'content', t.content));
  return b;
}

function renderValue(key: string, v: unknown): HTMLElement {
  const field = el('div', 'field');
  field.append(el('div', 'key', key));
  const turns = asTurns(v) ?? (asTurn(v) ? [asTurn(v)!] : undefined);
  if (turns) {
    const chat = el('div', 'chat');
    turns.forEach((t) => chat.append(bubble(t)));
    field.append(chat);
  } else if (typeof v === 'string') {
    field.append(el('div', 'content text', v));
  } else {
    field.append(el('pre', 'content json', JSON.stringify(v, null, 2)));
  }
  return field;
}

function renderCard(c: RecordCard): HTMLElement {
  const card = el('article', 'card');
  card.tabIndex = 0;
  card.dataset.line = String(c.line);
  const head = el('header', 'card-head');
  head.append(el('span', 'index', `#${c.index + 1}`), el('span', 'line', `line ${c.line}`));
  const errors = c.problems.filter((p) => p.severity === 'error').length;
  if (c.problems.length) head.append(el('span', errors ? 'badge error' : 'badge warning', `${c.problems.length} problem${c.problems.length > 1 ? 's' : ''}`));
  card.append(head);
  if (c.problems.length) {
    const list = el('ul', 'problems');
    for (const p of c.problems) list.append(el('li', p.severity, `${p.message} (${p.rule}, line ${p.line}:${p.column})`));
    card.append(list);
  }
  if (c.value) {
    const v = c.value;
    const pair = 'chosen' in v && 'rejected' in v;
    const body = el('div', 'body');
    const rest = Object.keys(v).filter((k) => !(pair && (k === 'chosen' || k === 'rejected')));
    rest.forEach((k) => body.append(renderValue(k, v[k])));
    if (pair) {
      const sides = el('div', 'pair');
      const chosen = renderValue('chosen', v.chosen);
      chosen.classList.add('chosen');
      const rejected = renderValue('rejected', v.rejected);
      rejected.classList.add('rejected');
      sides.append(chosen, rejected);
      body.append(sides);
    }
    card.append(body);
  } else {
    card.append(el('pre', 'content raw', c.text ?? ''));
  }
  const reveal = () => vscode.postMessage({ type: 'reveal', line: c.line });
  card.addEventListener('dblclick', reveal);
  card.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') reveal();
  });
  return card;
}

function render(): void {
  const app = document.getElementById('app')!;
  app.replaceChildren();
  if (!state) {
    app.append(el('p', 'empty', 'Loading…'));
    return;
  }
  const header = el('header', 'view-head');
  const errors = state.records.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
  header.append(
    el('h1', undefined, state.fileName),
    el('span', 'format', state.format ? `format: ${state.format}` : 'format: not recognized'),
    el('span', 'count', `${state.records.length} records`),
    el('span', errors ? 'count error' : 'count', `${errors} errors`),
  );
  if (state.evidence) header.append(el('span', 'evidence', state.evidence));
  app.append(header);
  if (state.fileProblems.length) {
    const list = el('ul', 'problems file');
    for (const p of state.fileProblems) list.append(el('li', p.severity, `${p.message} (${p.rule}, line ${p.line}:${p.column})`));
    app.append(list);
  }
  const cards = el('div', 'cards');
  state.records.slice(0, shown).forEach((c) => cards.append(renderCard(c)));
  app.append(cards);
  if (state.records.length > shown) {
    const more = el('button', 'more', `Show ${Math.min(PAGE, state.records.length - shown)} more of ${state.records.length - shown}`);
    more.addEventListener('click', () => {
      shown += PAGE;
      render();
    });
    app.append(more);
  }
}

window.addEventListener('message', (e: MessageEvent<HostToDatasetView>) => {
  if (e.data?.type === 'state') {
    state = e.data.state;
    render();
  }
});
render();
vscode.postMessage({ type: 'ready' });
