/**
 * One record as a card: its problems, then its fields, a chat drawn as bubbles, a preference pair
 * side by side. Every piece of dataset text goes in through textContent; nothing from the data is
 * ever parsed as HTML.
 */
import * as l10n from '@vscode/l10n';
import type { JsonPathSegment, RecordCard } from '../../src/protocol/datasetView';
import { el } from '../shared/dom';
import { asTurn, asTurns, type Turn } from './logic/turns';
import { ESTIMATE_PX } from './state';
import { renderTrainerView, type TrainerViewEntry } from './trainerView';

const GAP_PX = 10;

export interface CardOptions {
  readOnly: boolean;
  /** Reveals the record in the text editor. */
  reveal(index: number): void;
  /** The record's trainer's view, as the page keeps it. */
  trainerView(index: number): TrainerViewEntry | undefined;
  toggleTrainerView(index: number): void;
  selectModel(): void;
}

/** A string value of the record: focusable and, unless read-only, editable in place. */
function textValue(v: string, path: JsonPathSegment[], o: CardOptions): HTMLElement {
  const e = el('div', 'content text value', v);
  e.tabIndex = 0;
  e.dataset.path = JSON.stringify(path);
  if (!o.readOnly) {
    e.classList.add('editable');
    e.title = l10n.t('Double-click or Enter to edit');
  }
  return e;
}

function contentValue(v: unknown, path: JsonPathSegment[], o: CardOptions): HTMLElement {
  if (typeof v === 'string') return textValue(v, path, o);
  return el('pre', 'content json', JSON.stringify(v, null, 2) ?? String(v));
}

/** The chat sides of the card being drawn, as the host decided them (RecordCard.sides). */
type Sides = RecordCard['sides'];

function bubble(t: Turn, path: JsonPathSegment[], o: CardOptions, sides: Sides): HTMLElement {
  // A speaker the host did not name (none should be missing) is drawn as a tool's output.
  const side = sides && Object.prototype.hasOwnProperty.call(sides, t.role) ? sides[t.role] : 'tool';
  const b = el('div', `bubble ${side}`);
  b.append(el('div', 'role', t.role), contentValue(t.content, [...path, t.key], o));
  return b;
}

function renderValue(key: string, v: unknown, path: JsonPathSegment[], o: CardOptions, sides: Sides): HTMLElement {
  const field = el('div', 'field');
  field.append(el('div', 'key', key));
  const turns = asTurns(v);
  const one = turns ? undefined : asTurn(v);
  if (turns) {
    const chat = el('div', 'chat');
    turns.forEach((t, i) => chat.append(bubble(t, [...path, i], o, sides)));
    field.append(chat);
  } else if (one) {
    const chat = el('div', 'chat');
    chat.append(bubble(one, path, o, sides));
    field.append(chat);
  } else {
    field.append(contentValue(v, path, o));
  }
  return field;
}

export function problemText(p: RecordCard['problems'][number]): string {
  return l10n.t('{0} ({1}, line {2}:{3})', p.message, p.rule, p.line, p.column);
}

export function renderCard(c: RecordCard, pos: number, o: CardOptions): HTMLElement {
  const card = el('article', 'card');
  card.tabIndex = 0;
  card.dataset.index = String(c.index);
  card.dataset.pos = String(pos);
  const top = el('header', 'card-head');
  const reveal = el('button', 'reveal', l10n.t('#{0} · line {1}', c.index + 1, c.line));
  reveal.title = l10n.t('Reveal this record in the text editor');
  reveal.addEventListener('click', () => o.reveal(c.index));
  top.append(reveal, el('span', 'chars', l10n.t('{0} chars', c.chars)));
  const tv = o.trainerView(c.index);
  if (c.value) {
    const toggle = el('button', 'trainer-view-toggle', l10n.t('Trainer\'s view'));
    toggle.title = l10n.t('Show the record as the trainer sees it: rendered with the model\'s chat template, trained tokens highlighted, the cut at the length limit (T)');
    toggle.setAttribute('aria-pressed', String(!!tv?.open));
    toggle.addEventListener('click', () => o.toggleTrainerView(c.index));
    top.append(toggle);
  }
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
    for (const k of Object.keys(v)) if (!(pair && (k === 'chosen' || k === 'rejected'))) body.append(renderValue(k, v[k], [k], o, c.sides));
    if (pair) {
      const pairBox = el('div', 'pair');
      const chosen = renderValue('chosen', v.chosen, ['chosen'], o, c.sides);
      chosen.classList.add('chosen');
      const rejected = renderValue('rejected', v.rejected, ['rejected'], o, c.sides);
      rejected.classList.add('rejected');
      pairBox.append(chosen, rejected);
      body.append(pairBox);
    }
    card.append(body);
  } else {
    card.append(el('pre', 'content raw', c.text ?? ''));
  }
  const section = renderTrainerView(tv, o.selectModel);
  if (section) card.append(section);
  return card;
}

export function placeholder(index: number, pos: number): HTMLElement {
  const card = el('article', 'card placeholder', l10n.t('Loading record #{0}…', index + 1));
  card.dataset.pos = String(pos);
  card.style.height = `${ESTIMATE_PX - GAP_PX}px`;
  return card;
}

export { GAP_PX };
