/**
 * The conversation above the two answers of a multi-turn pair: the shared history once, its earlier
 * turns in a collapsible block (open or closed as the annotator left it), the latest user turn always
 * visible, and which turn of how many this is. Text goes through the sanitizing Markdown renderer.
 */
import * as l10n from '@vscode/l10n';
import type { Message, SessionState } from '../../src/protocol/labeling';
import { el } from '../shared/dom';
import { historyParts } from './historyParts';
import type { LabelingLayout } from './layout';
import { renderMarkdown } from './markdown';

type PairView = NonNullable<SessionState['pair']>;

/** Whether the earlier turns are shown; kept across pairs while the page lives. */
let earlierOpen = true;

function bubble(m: Message): HTMLElement {
  const b = el('div', `bubble ${m.role}`);
  b.append(el('div', 'role', m.name ? `${m.role} (${m.name})` : m.role));
  const body = el('div', 'md');
  body.append(renderMarkdown(m.content));
  b.append(body);
  return b;
}

/**
 * Draws the prompt of a multi-turn pair and adds the turn to the title; false (nothing drawn) for
 * a single-turn pair, which the usual prompt view shows.
 */
export function renderHistory(ui: LabelingLayout, pair: PairView, keysOf: (a: 'turnPrevious' | 'turnNext') => string): boolean {
  const parts = historyParts(pair.prompt);
  if (parts.earlier.length === 0 && !pair.turn) return false;
  const chat = el('div', 'chat multi-turn');
  if (pair.turn) {
    const t = pair.turn;
    ui.title.textContent += ' · ' + l10n.t('turn {0} of {1}', t.turn, t.turns);
    const bar = el('div', 'turn-indicator', l10n.t('Turn {0} of {1} of this conversation', t.turn, t.turns));
    bar.title = l10n.t('Previous turn: {0} · next turn: {1}', keysOf('turnPrevious'), keysOf('turnNext'));
    chat.append(bar);
  }
  if (parts.system.length) {
    const d = el('details', 'system');
    d.append(el('summary', undefined, l10n.t('System prompt')));
    for (const m of parts.system) {
      const body = el('div', 'md');
      body.append(renderMarkdown(m.content));
      d.append(body);
    }
    chat.append(d);
  }
  if (parts.earlier.length) {
    const d = el('details', 'history');
    d.open = earlierOpen;
    d.append(el('summary', undefined, l10n.t('Earlier turns ({0} messages)', parts.earlier.length)));
    for (const m of parts.earlier) d.append(bubble(m));
    d.addEventListener('toggle', () => {
      earlierOpen = d.open;
    });
    chat.append(d);
  }
  const latest = el('div', 'latest-turn');
  for (const m of parts.latest) latest.append(bubble(m));
  chat.append(latest);
  ui.promptSection.replaceChildren(chat);
  return true;
}
