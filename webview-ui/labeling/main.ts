/**
 * Labeling panel webview: shows the pair the host sends (prompt as chat bubbles, two responses as
 * sanitized Markdown side by side), and turns key presses and clicks into messages. It keeps no
 * state of its own beyond what is on screen: decisions, filters, the diff toggle and even the draft
 * rationale go to the host, which answers with the full state.
 */
import * as l10n from '@vscode/l10n';
import '../l10nBundle';
import type { AgreementView, JudgeSuggestionView, JudgeView, KeyMap, LabelingAction, LabelingResume, LabelingToHost, LabelingViewState, SessionFilter, Strength } from '../../src/protocol/labeling';
import type { Choice } from '../../src/protocol/labeling';
import type { Message } from '../../src/core/model';
import type { DiffSegment } from '../../src/core/labeling/wordDiff';
import { renderMarkdown } from './markdown';

interface Persisted {
  resume: LabelingResume;
}
declare function acquireVsCodeApi(): { postMessage(m: LabelingToHost): void; getState(): Persisted | undefined; setState(s: Persisted): void };
const vscode = acquireVsCodeApi();

const DRAFT_DEBOUNCE_MS = 300;

let st: LabelingViewState | undefined;
let shownKey: string | undefined;
/** Key of the pair a decision was sent for; further choices wait for the host's answer. */
let pending: string | undefined;
let draftTimer: ReturnType<typeof setTimeout> | undefined;
let guidelinesShown: string | undefined;

function post(m: LabelingToHost): void {
  vscode.postMessage(m);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(text: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

// ---- static layout ------------------------------------------------------------------------------

const app = document.getElementById('app')!;
const head = el('header', 'top');
const title = el('h1', 'title', l10n.t('Loading…'));
const sourceEl = el('span', 'source');
const progressEl = el('span', 'progress');
progressEl.setAttribute('aria-live', 'polite');
head.append(title, sourceEl, progressEl);

const toolbar = el('div', 'toolbar');
const filterSelect = el('select', 'filter');
filterSelect.setAttribute('aria-label', l10n.t('Show pairs'));
for (const [v, t] of [
  ['unlabeled', l10n.t('Unlabeled')],
  ['skipped', l10n.t('Skipped')],
  ['disagreements', l10n.t('Disagreements')],
  ['all', l10n.t('All pairs')],
] as const) {
  const o = el('option', undefined, t);
  o.value = v;
  filterSelect.append(o);
}
filterSelect.addEventListener('change', () => post({ type: 'filter', filter: filterSelect.value as SessionFilter }));
const jumpLabel = el('label', 'jump');
const jumpInput = el('input', 'jump-input');
jumpInput.type = 'number';
jumpInput.min = '1';
jumpInput.setAttribute('aria-label', l10n.t('Go to pair number'));
const jumpGo = button(l10n.t('Go'), 'jump-go secondary', () => jump());
jumpLabel.append(document.createTextNode(l10n.t('Pair') + ' '), jumpInput);
jumpInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    jump();
  }
});
const diffLabel = el('label', 'diff-toggle');
const diffBox = el('input');
diffBox.type = 'checkbox';
diffLabel.append(diffBox, document.createTextNode(' ' + l10n.t('Word diff')));
diffBox.addEventListener('change', () => post({ type: 'diff', on: diffBox.checked }));
const helpButton = button(l10n.t('Shortcuts (?)'), 'help-button secondary', () => toggleHelp());
toolbar.append(filterSelect, jumpLabel, jumpGo, diffLabel, helpButton);

const messageEl = el('div', 'message');
messageEl.setAttribute('role', 'alert');
const problemsEl = el('div', 'problems-note');

const promptSection = el('section', 'prompt');
promptSection.setAttribute('aria-label', l10n.t('Prompt'));

const responses = el('section', 'responses');
const grid = el('div', 'pair-grid');
responses.append(grid);
function responseColumn(side: 'left' | 'right'): { col: HTMLElement; stats: HTMLElement; body: HTMLElement; badge: HTMLElement } {
  const col = el('article', `response ${side}`);
  col.setAttribute('aria-label', side === 'left' ? l10n.t('Left response') : l10n.t('Right response'));
  const h = el('header', 'response-head');
  const name = el('h2', undefined, side === 'left' ? l10n.t('Left') : l10n.t('Right'));
  const stats = el('span', 'stats');
  const badge = el('span', 'judge-badge');
  h.append(name, stats, badge);
  const body = el('div', 'body');
  col.append(h, body);
  grid.append(col);
  return { col, stats, body, badge };
}
const left = responseColumn('left');
const right = responseColumn('right');

// The AI judge's verdict (pairwise.judge.showSuggestions); a polite live region, never focusable, so keys stay with the panel.
const judgeEl = el('section', 'judge');
judgeEl.setAttribute('aria-label', l10n.t('AI judge'));
judgeEl.setAttribute('aria-live', 'polite');

const decisionSection = el('section', 'decision');
const currentEl = el('div', 'current');
const choices = el('div', 'choices');
const choiceButtons = new Map<Choice, HTMLButtonElement>();
const CHOICE_TEXT: [Choice, LabelingAction, string][] = [
  ['left', 'left', l10n.t('← Left is better')],
  ['right', 'right', l10n.t('Right is better →')],
  ['tie', 'tie', l10n.t('Tie')],
  ['both_bad', 'bothBad', l10n.t('Both bad')],
  ['skip', 'skip', l10n.t('Skip')],
];
for (const [choice, , text] of CHOICE_TEXT) {
  const b = button(text, `choice choice-${choice}${choice === 'skip' ? ' secondary' : ''}`, () => decide(choice));
  b.dataset.choice = choice;
  choiceButtons.set(choice, b);
  choices.append(b);
}
const strengthSet = el('fieldset', 'strength');
const legend = el('legend', undefined, l10n.t('Strength (optional)'));
strengthSet.append(legend);
const strengthInputs = new Map<string, HTMLInputElement>();
for (const [v, t] of [
  ['', l10n.t('not given')],
  ['slightly', l10n.t('slightly better')],
  ['clearly', l10n.t('clearly better')],
] as const) {
  const l = el('label');
  const r = el('input');
  r.type = 'radio';
  r.name = 'strength';
  r.value = v;
  r.addEventListener('change', () => sendDraft());
  strengthInputs.set(v, r);
  l.append(r, document.createTextNode(` ${t}`));
  strengthSet.append(l);
}
const rationale = el('textarea', 'rationale');
rationale.rows = 2;
rationale.placeholder = l10n.t('Rationale (optional). Shortcuts are off while typing; Esc leaves the box.');
rationale.setAttribute('aria-label', l10n.t('Rationale'));
rationale.maxLength = 10_000;
rationale.addEventListener('input', () => sendDraft());
const nav = el('div', 'nav');
const prevButton = button(l10n.t('Previous'), 'previous secondary', () => post({ type: 'previous' }));
const nextButton = button(l10n.t('Next'), 'next secondary', () => post({ type: 'next' }));
const undoButton = button(l10n.t('Undo'), 'undo secondary', () => post({ type: 'undo' }));
const redoButton = button(l10n.t('Redo'), 'redo secondary', () => post({ type: 'redo' }));
nav.append(prevButton, nextButton, undoButton, redoButton);
decisionSection.append(currentEl, choices, strengthSet, rationale, nav);

const doneEl = el('div', 'done');

const guidelines = el('details', 'guidelines');
const guidelinesSummary = el('summary', undefined, l10n.t('Guidelines'));
const guidelinesBody = el('div', 'body');
guidelines.append(guidelinesSummary, guidelinesBody);

const agreementEl = el('details', 'agreement');
const agreementSummary = el('summary', undefined, l10n.t('Agreement and win rates'));
const agreementBody = el('div', 'body');
agreementEl.append(agreementSummary, agreementBody);
agreementEl.addEventListener('toggle', () => {
  if (agreementEl.open && !st?.agreement) post({ type: 'agreement' });
});

const helpEl = el('div', 'shortcuts');
helpEl.setAttribute('role', 'dialog');
helpEl.setAttribute('aria-label', l10n.t('Keyboard shortcuts'));
helpEl.hidden = true;

app.replaceChildren(head, toolbar, messageEl, problemsEl, promptSection, responses, judgeEl, decisionSection, doneEl, guidelines, agreementEl, helpEl);

// ---- actions -------------------------------------------------------------------------------------

function selectedStrength(): Strength | undefined {
  const v = [...strengthInputs.values()].find((r) => r.checked)?.value;
  return v === 'slightly' || v === 'clearly' ? v : undefined;
}

function decide(choice: Choice): void {
  const key = st?.session.pair?.key;
  if (!key || pending === key) return;
  pending = key;
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = undefined;
  const m: LabelingToHost = { type: 'decide', choice, key };
  const strength = selectedStrength();
  if (strength && (choice === 'left' || choice === 'right')) m.strength = strength;
  const r = rationale.value.trim();
  if (r) m.rationale = r;
  for (const b of choiceButtons.values()) b.disabled = true;
  post(m);
}

function sendDraft(): void {
  const key = st?.session.pair?.key;
  if (!key) return;
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    draftTimer = undefined;
    post({ type: 'draft', key, strength: selectedStrength(), rationale: rationale.value });
  }, DRAFT_DEBOUNCE_MS);
}

function jump(): void {
  const n = Number(jumpInput.value);
  if (Number.isInteger(n) && n >= 1) post({ type: 'jump', index: n - 1 });
}

function toggleHelp(show = helpEl.hidden): void {
  helpEl.hidden = !show;
  if (show) helpEl.focus();
}

const ACTIONS: Record<LabelingAction, () => void> = {
  left: () => decide('left'),
  right: () => decide('right'),
  tie: () => decide('tie'),
  bothBad: () => decide('both_bad'),
  skip: () => decide('skip'),
  undo: () => post({ type: 'undo' }),
  redo: () => post({ type: 'redo' }),
  previous: () => post({ type: 'previous' }),
  next: () => post({ type: 'next' }),
  diff: () => post({ type: 'diff', on: !(st?.diffOn ?? false) }),
  help: () => toggleHelp(),
};

const ACTION_TEXT: Record<LabelingAction, string> = {
  left: l10n.t('Left is better'),
  right: l10n.t('Right is better'),
  tie: l10n.t('Tie'),
  bothBad: l10n.t('Both bad'),
  skip: l10n.t('Skip'),
  undo: l10n.t('Undo the last decision'),
  redo: l10n.t('Redo'),
  previous: l10n.t('Previous pair'),
  next: l10n.t('Next pair'),
  diff: l10n.t('Toggle the word diff'),
  help: l10n.t('Show or hide these shortcuts'),
};

// ---- keyboard ------------------------------------------------------------------------------------

/** Canonical name of a key (see DEFAULT_KEYS): modifiers in a fixed order; a printable key stands for its shifted self. */
function canonical(mods: { ctrl: boolean; alt: boolean; meta: boolean; shift: boolean }, key: string): string {
  const printable = [...key].length === 1;
  const parts: string[] = [];
  if (mods.ctrl) parts.push('Ctrl');
  if (mods.alt) parts.push('Alt');
  if (mods.meta) parts.push('Meta');
  if (mods.shift && !printable) parts.push('Shift');
  parts.push(printable && mods.shift ? key.toUpperCase() : key);
  return parts.join('+');
}

function parseKeyName(name: string): string {
  const parts = name.split('+');
  let key = parts.pop() ?? '';
  if (key === '' && name.endsWith('+')) {
    key = '+';
    parts.pop();
  }
  const m = new Set(parts.map((p) => p.trim().toLowerCase()));
  if (key.length > 1 && key.toLowerCase() === 'space') key = ' ';
  return canonical({ ctrl: m.has('ctrl') || m.has('control'), alt: m.has('alt') || m.has('option'), meta: m.has('meta') || m.has('cmd'), shift: m.has('shift') }, key);
}

function eventKeyName(e: KeyboardEvent): string {
  const printable = [...e.key].length === 1;
  // e.key of a printable key is already the shifted character ('Z', '?').
  return canonical({ ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey, shift: e.shiftKey && !printable }, e.key);
}

let keyIndex = new Map<string, LabelingAction>();
function indexKeys(keys: KeyMap): void {
  keyIndex = new Map();
  for (const [action, names] of Object.entries(keys) as [LabelingAction, string[]][]) {
    for (const n of names) keyIndex.set(parseKeyName(n), action);
  }
}

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(t.type);
}

document.addEventListener('keydown', (e) => {
  if (isTyping(e.target)) {
    if (e.key === 'Escape') (e.target as HTMLElement).blur();
    return;
  }
  if (e.key === 'Escape' && !helpEl.hidden) {
    toggleHelp(false);
    return;
  }
  const action = keyIndex.get(eventKeyName(e));
  if (!action || e.repeat) return;
  e.preventDefault();
  ACTIONS[action]();
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

// ---- rendering -----------------------------------------------------------------------------------

function keysOf(action: LabelingAction): string {
  return (st?.keys[action] ?? []).join(' / ');
}

function bubble(m: Message): HTMLElement {
  const b = el('div', `bubble ${m.role}`);
  b.append(el('div', 'role', m.name ? `${m.role} (${m.name})` : m.role));
  const body = el('div', 'md');
  body.append(renderMarkdown(m.content));
  b.append(body);
  return b;
}

function renderPrompt(prompt: Message[]): void {
  const chat = el('div', 'chat');
  const systems = prompt.filter((m) => m.role === 'system');
  if (systems.length) {
    const d = el('details', 'system');
    d.append(el('summary', undefined, l10n.t('System prompt')));
    for (const m of systems) {
      const body = el('div', 'md');
      body.append(renderMarkdown(m.content));
      d.append(body);
    }
    chat.append(d);
  }
  for (const m of prompt) if (m.role !== 'system') chat.append(bubble(m));
  promptSection.replaceChildren(chat);
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

function statsText(r: { chars: number; words: number; tokens: number }): string {
  const n = (x: number, one: string, many: string) => (x === 1 ? one : many).replace('{0}', x.toLocaleString());
  return l10n.t(
    '{0} · {1} · ~{2}',
    n(r.chars, l10n.t('{0} char'), l10n.t('{0} chars')),
    n(r.words, l10n.t('{0} word'), l10n.t('{0} words')),
    n(r.tokens, l10n.t('{0} token'), l10n.t('{0} tokens')),
  );
}

function duration(seconds: number): string {
  if (seconds < 90) return l10n.t('{0} s', Math.round(seconds));
  const m = Math.round(seconds / 60);
  if (m < 90) return l10n.t('{0} min', m);
  return l10n.t('{0} h {1} min', Math.floor(m / 60), m % 60);
}

const CHOICE_NAMES: Record<Choice, string> = {
  left: l10n.t('left is better'),
  right: l10n.t('right is better'),
  tie: l10n.t('tie'),
  both_bad: l10n.t('both bad'),
  skip: l10n.t('skipped'),
};

function renderAgreement(a: AgreementView | undefined): void {
  if (!a) {
    agreementBody.replaceChildren(el('p', 'muted', l10n.t('Open this section to compute agreement from the label logs beside the input.')));
    return;
  }
  const out: HTMLElement[] = [];
  out.push(el('p', 'muted', l10n.t('Logs: {0} · annotators: {1} · {2} current decision(s)', a.logs.join(', '), a.annotators.join(', ') || l10n.t('none'), a.decisions)));
  if (a.error) out.push(el('p', 'error', a.error));
  const r = a.report;
  if (r) {
    const na = l10n.t('n/a');
    const pct = r.percent === null ? na : `${r.percent.toFixed(1)}%`;
    const k = (x: number | null | undefined) => (x === null || x === undefined ? na : x.toFixed(3));
    const line =
      r.cohenKappa !== undefined
        ? l10n.t("{0} pair(s) labeled by all: agreement {1}, Cohen's κ {2}, Fleiss' κ {3}", r.pairs, pct, k(r.cohenKappa), k(r.fleissKappa))
        : l10n.t("{0} pair(s) labeled by all: agreement {1}, Fleiss' κ {2}", r.pairs, pct, k(r.fleissKappa));
    const p = el('p', 'agreement-line', line);
    out.push(p);
    if (r.pairwise.length > 1) {
      const t = table([l10n.t('Annotators'), l10n.t('Pairs'), l10n.t('Agreement'), l10n.t("Cohen's κ")], r.pairwise.map((w) => [w.annotators.join(' & '), String(w.pairs), w.percent === null ? na : `${w.percent.toFixed(1)}%`, k(w.cohenKappa)]));
      out.push(t);
    }
  } else {
    out.push(el('p', 'muted', l10n.t('Agreement needs decisions of at least two annotators (another *.labels.jsonl beside the input).')));
  }
  if (a.withDataset && a.withDataset.pairs) out.push(el('p', undefined, l10n.t("Agreed with the dataset's own label on {0} of {1} pair(s).", a.withDataset.agree, a.withDataset.pairs)));
  if (a.winRates.length) {
    out.push(
      table(
        [l10n.t('Model'), l10n.t('Wins'), l10n.t('Losses'), l10n.t('Ties'), l10n.t('Both bad'), l10n.t('Win rate')],
        a.winRates.map((w) => [w.model, String(w.wins), String(w.losses), String(w.ties), String(w.bothBad), w.winRate === null ? l10n.t('n/a') : `${(100 * w.winRate).toFixed(1)}%`]),
        'win-rates',
      ),
    );
  }
  const refresh = button(l10n.t('Refresh'), 'secondary', () => post({ type: 'agreement' }));
  out.push(refresh);
  agreementBody.replaceChildren(...out);
}

function verdictText(v: JudgeSuggestionView): string {
  switch (v.verdict) {
    case 'left':
      return l10n.t('left is better');
    case 'right':
      return l10n.t('right is better');
    case 'tie':
      return l10n.t('tie');
    default:
      return l10n.t('uncertain (its two answers with the responses swapped disagreed)');
  }
}

function suggestionLine(v: JudgeSuggestionView, pairNumber?: number): HTMLElement {
  const p = el('p', `judge-line verdict-${v.verdict}`);
  const who = v.model ? l10n.t('AI judge ({0})', v.model) : l10n.t('AI judge');
  const head = pairNumber === undefined ? l10n.t('{0}: {1}', who, verdictText(v)) : l10n.t('{0} on pair {1}, which you just labeled: {2}', who, pairNumber, verdictText(v));
  p.append(el('strong', undefined, head));
  const notes: string[] = [];
  if (v.verdict !== 'uncertain') notes.push(v.consistent ? l10n.t('same answer in both orders') : l10n.t('the two orders disagreed'));
  if (v.agreesWithYou !== undefined) notes.push(v.agreesWithYou ? l10n.t('agrees with you') : l10n.t('differs from your label'));
  if (notes.length) p.append(document.createTextNode(` · ${notes.join(' · ')}`));
  if (v.reason) p.append(el('span', 'judge-reason', ` — “${v.reason}”`));
  return p;
}

function renderJudge(j: JudgeView | undefined, hasPair: boolean): void {
  left.badge.textContent = right.badge.textContent = '';
  if (!j) {
    judgeEl.hidden = true;
    judgeEl.replaceChildren();
    return;
  }
  judgeEl.hidden = false;
  const out: HTMLElement[] = [];
  const sug = j.suggestion;
  if (hasPair && sug) {
    out.push(suggestionLine(sug));
    if (sug.verdict === 'left' || sug.verdict === 'right') (sug.verdict === 'left' ? left : right).badge.textContent = l10n.t("Judge's pick");
  } else if (hasPair && j.pending) {
    out.push(el('p', 'muted', l10n.t("The AI judge's verdict on this pair appears after you decide.")));
  } else if (hasPair) {
    out.push(el('p', 'muted', l10n.t('The AI judge has not judged this pair.')));
  }
  if (j.lastDecided) out.push(suggestionLine(j.lastDecided.suggestion, j.lastDecided.pairNumber));
  const a = j.agreement;
  const figure = a.pairs ? l10n.t('Agreement with the judge: {0} of {1} pair(s) ({2}%)', a.agree, a.pairs, (a.percent ?? 0).toFixed(1)) : l10n.t('Agreement with the judge: no pair decided by both yet');
  const meta = el('p', 'muted judge-agreement', figure);
  meta.append(document.createTextNode(' · ' + l10n.t('{0} pair(s) judged in {1}', j.judged, j.file)));
  if (j.badLines) meta.append(document.createTextNode(' · ' + l10n.t('{0} damaged line(s) skipped', j.badLines)));
  out.push(meta);
  judgeEl.replaceChildren(...out);
}

function table(headers: string[], rows: string[][], cls = ''): HTMLTableElement {
  const t = el('table', cls);
  const hr = el('tr');
  for (const h of headers) hr.append(el('th', undefined, h));
  t.append(el('thead'));
  t.tHead!.append(hr);
  const tb = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) tr.append(el('td', undefined, c));
    tb.append(tr);
  }
  t.append(tb);
  return t;
}

function renderHelp(): void {
  const rows = (Object.keys(ACTION_TEXT) as LabelingAction[]).map((a) => [ACTION_TEXT[a], keysOf(a) || '—']);
  const close = button(l10n.t('Close (Esc)'), 'secondary', () => toggleHelp(false));
  helpEl.replaceChildren(
    el('h2', undefined, l10n.t('Keyboard shortcuts')),
    table([l10n.t('Action'), l10n.t('Keys')], rows),
    el('p', 'muted', l10n.t('Change them with the setting pairwise.labeling.keys. Keys do nothing while the rationale box has focus.')),
    close,
  );
  helpEl.tabIndex = -1;
}

function render(s: LabelingViewState): void {
  const prevKey = shownKey;
  st = s;
  pending = undefined;
  vscode.setState({ resume: s.resume });
  indexKeys(s.keys);
  const ss = s.session;
  const p = ss.progress;
  title.textContent = s.title;
  sourceEl.textContent = l10n.t('{0} · annotator {1}', s.source, ss.annotator);
  const totalText = p.totalFinal ? String(p.total) : `${p.total}+`;
  let prog = l10n.t('{0} / {1} done', p.done, totalText);
  if (p.skipped) prog += ' · ' + l10n.t('{0} skipped', p.skipped);
  prog += ' · ' + l10n.t('this session: {0}', p.session);
  if (p.ratePerHour > 0) prog += ` (${Math.round(p.ratePerHour)}/h)`;
  if (p.etaSeconds !== undefined) prog += ' · ' + l10n.t('about {0} left', duration(p.etaSeconds));
  progressEl.textContent = prog;
  filterSelect.value = ss.filter;
  diffBox.checked = s.diffOn;
  jumpInput.max = String(Math.max(1, p.total));
  messageEl.textContent = s.message?.text ?? '';
  messageEl.className = `message ${s.message?.kind ?? ''}`;
  const nProblems = ss.problems.input.length + ss.problems.log.length;
  problemsEl.textContent = nProblems ? l10n.t('{0} input line(s) and {1} log line(s) were set aside (see the notification).', ss.problems.input.length, ss.problems.log.length) : '';
  undoButton.disabled = !ss.canUndo;
  redoButton.disabled = !ss.canRedo;
  undoButton.title = l10n.t('Undo ({0})', keysOf('undo'));
  redoButton.title = l10n.t('Redo ({0})', keysOf('redo'));
  for (const [choice, action, text] of CHOICE_TEXT) {
    const b = choiceButtons.get(choice)!;
    b.textContent = `${text} (${keysOf(action).split(' / ')[0] ?? ''})`;
    b.title = `${text}: ${keysOf(action)}`;
  }
  renderHelp();
  const pair = ss.pair;
  const has = !!pair;
  promptSection.hidden = responses.hidden = decisionSection.hidden = !has;
  doneEl.hidden = has;
  if (!pair) {
    shownKey = undefined;
    doneEl.textContent =
      ss.filter !== 'unlabeled'
        ? l10n.t('No pair matches this filter.')
        : p.totalFinal
          ? l10n.t('All {0} pairs are labeled. Export with “Pairwise: Export Preferences”.', p.total)
          : l10n.t('All {0} pairs are labeled so far (the input is still being read). Export with “Pairwise: Export Preferences”.', p.total);
  } else {
    shownKey = pair.key;
    jumpInput.placeholder = String(pair.index + 1);
    if (document.activeElement !== jumpInput) jumpInput.value = String(pair.index + 1);
    title.textContent = l10n.t('{0} — pair {1} of {2}', s.title, pair.index + 1, totalText);
    renderPrompt(pair.prompt);
    left.stats.textContent = statsText(pair.left);
    right.stats.textContent = statsText(pair.right);
    if (s.diffOn && pair.diff) {
      left.body.replaceChildren(diffBody(pair.diff, 'left'));
      right.body.replaceChildren(diffBody(pair.diff, 'right'));
    } else {
      const lm = el('div', 'md');
      lm.append(renderMarkdown(pair.left.content));
      const rm = el('div', 'md');
      rm.append(renderMarkdown(pair.right.content));
      left.body.replaceChildren(lm);
      right.body.replaceChildren(rm);
    }
    const d = pair.decision;
    const label = CHOICE_NAMES[d?.choice ?? 'skip'] + (d?.strength ? ` (${d.strength === 'slightly' ? l10n.t('slightly better') : l10n.t('clearly better')})` : '') + (d?.rationale ? ` — “${d.rationale}”` : '');
    currentEl.textContent = d ? l10n.t('Your label: {0}. Choose again to change it.', label) : '';
    for (const [c, b] of choiceButtons) {
      b.disabled = false;
      b.classList.toggle('selected', d?.choice === c);
    }
    if (prevKey !== pair.key) {
      // A new pair on screen: the inputs show the host's draft for it (empty for a fresh pair).
      rationale.value = s.draft.rationale;
      strengthInputs.get(s.draft.strength ?? '')!.checked = true;
      if (document.activeElement === rationale) rationale.blur();
    }
  }
  if (s.guidelines) {
    guidelines.hidden = false;
    guidelinesSummary.textContent = l10n.t('Guidelines ({0})', s.guidelines.file);
    const shown = s.guidelines.error !== undefined ? `error:${s.guidelines.error}` : `md:${s.guidelines.markdown ?? ''}`;
    // Rendered again only when the text changed (every decision brings a new state).
    if (shown !== guidelinesShown) {
      guidelinesShown = shown;
      if (s.guidelines.error !== undefined) guidelinesBody.replaceChildren(el('p', 'error', l10n.t('Cannot read the guidelines: {0}', s.guidelines.error)));
      else {
        const g = el('div', 'md');
        g.append(renderMarkdown(s.guidelines.markdown ?? ''));
        guidelinesBody.replaceChildren(g);
      }
    }
  } else guidelines.hidden = true;
  renderAgreement(s.agreement);
  renderJudge(s.judge, has);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as { type?: string; state?: LabelingViewState };
  if (m?.type === 'state' && m.state) render(m.state);
});

post({ type: 'ready' });
