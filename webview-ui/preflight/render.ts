/**
 * Draws the pre-flight report: what it was run with, the totals, a chart of record lengths against
 * the trainer's limit (SVG from the numeric histogram, no markup parsed), and the lists of records
 * to look at, each a link that reveals the record in the editor. Text from the data goes in as
 * textContent only.
 */
import * as l10n from '@vscode/l10n';
import type { PreflightIssue, PreflightReport, PreflightState, PreflightToHost } from '../../src/protocol/preflight';
import { button, el, svg } from '../shared/dom';
import { LENGTH_CHART, lengthChartLayout } from './logic/lengthChart';

type Post = (m: PreflightToHost) => void;

function lengthChart(r: PreflightReport): HTMLElement {
  const fig = el('figure', 'chart');
  const title = r.maxLength !== undefined ? l10n.t('Lengths in tokens against the limit of {0}', r.maxLength) : l10n.t('Lengths in tokens (no limit)');
  fig.append(el('figcaption', undefined, title));
  const { width, height, top, bottom, left } = LENGTH_CHART;
  const { bars, max, limitX } = lengthChartLayout(r.histogram.edges, r.histogram.counts, r.maxLength);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'lengths' });
  const base = height - bottom;
  root.append(svg('line', { x1: left, y1: base, x2: width - LENGTH_CHART.right, y2: base, class: 'axis' }));
  root.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', class: 'tick' }, String(max)));
  root.append(svg('text', { x: left - 4, y: base, 'text-anchor': 'end', class: 'tick' }, '0'));
  bars.forEach((b, i) => {
    const rect = svg('rect', { x: b.x, y: base - b.height, width: b.width, height: b.height, class: b.over ? 'bar over' : b.straddles ? 'bar straddles' : 'bar' });
    const range = b.to === undefined ? l10n.t('{0}+ tokens', b.from) : l10n.t('{0}–{1} tokens', b.from, b.to - 1);
    rect.append(svg('title', {}, l10n.t('{0}: {1} records', range, b.count)));
    root.append(rect);
    if (i % 4 === 0) root.append(svg('text', { x: b.x, y: base + 14, class: 'tick' }, String(b.from)));
  });
  if (limitX !== undefined) {
    root.append(svg('line', { x1: limitX, y1: top, x2: limitX, y2: base, class: 'limit' }));
    root.append(svg('text', { x: limitX + 3, y: top + 10, class: 'limit-label' }, l10n.t('limit {0}', r.maxLength ?? '')));
  }
  fig.append(root);
  return fig;
}

function issues(title: string, count: number, list: readonly PreflightIssue[], post: Post): HTMLElement | undefined {
  if (count === 0) return undefined;
  const section = el('section', 'issues');
  section.append(el('h2', undefined, l10n.t('{0}: {1}', title, count)));
  const ul = el('ul');
  for (const i of list) {
    const li = el('li');
    const link = button(l10n.t('line {0}', i.line), 'line-link', () => post({ type: 'reveal', line: i.line }));
    link.title = l10n.t('Show this record in the editor');
    li.append(link, el('span', 'detail', i.overBy ? l10n.t('{0} (+{1})', i.detail, i.overBy) : i.detail));
    ul.append(li);
  }
  section.append(ul);
  if (count > list.length) section.append(el('p', 'more', l10n.t('{0} more not listed.', count - list.length)));
  return section;
}

export function render(s: PreflightState, post: Post): void {
  const app = document.getElementById('app')!;
  app.replaceChildren();
  const head = el('header');
  head.append(el('h1', undefined, l10n.t('Pre-flight of {0}', s.fileName)));
  const setup = [s.model ? l10n.t('model {0}', s.model) : undefined, s.trainer ? l10n.t('trainer {0}', s.trainer) : undefined, s.optionsFrom ? l10n.t('options from {0}', s.optionsFrom) : undefined].filter((x): x is string => !!x);
  if (setup.length) head.append(el('p', 'setup', setup.join(' · ')));
  const actions = el('div', 'actions');
  actions.append(button(l10n.t('Run again'), 'rerun', () => post({ type: 'rerun' })), button(l10n.t('Select Model…'), 'select-model', () => post({ type: 'selectModel' })));
  head.append(actions);
  app.append(head);
  if (s.status === 'running') app.append(el('p', 'status', l10n.t('Rendering and tokenizing every record…')));
  if (s.message) app.append(el('p', s.status === 'failed' ? 'message error' : 'message', s.message));
  const r = s.report;
  if (!r) return;
  const totals = el('dl', 'totals');
  const add = (k: string, v: string) => totals.append(el('dt', undefined, k), el('dd', undefined, v));
  add(l10n.t('Records'), l10n.t('{0} ({1} rendered, {2} skipped)', r.records, r.rendered, r.skipped));
  add(l10n.t('Tokens'), String(r.totalTokens));
  add(l10n.t('Trained tokens (after the cut)'), String(r.trainedTokens));
  add(l10n.t('Length limit'), r.maxLength !== undefined ? String(r.maxLength) : l10n.t('none'));
  app.append(totals);
  app.append(lengthChart(r));
  const lists = [
    issues(l10n.t('Over the length limit'), r.counts.overLimit, r.overLimit, post),
    issues(l10n.t('Every trained token cut away'), r.counts.allTrainedCut, r.allTrainedCut, post),
    issues(l10n.t('Left out by the chat template'), r.counts.missingContent, r.missingContent, post),
    issues(l10n.t('Refused by the chat template'), r.counts.templateErrors, r.templateErrors, post),
  ].filter((x): x is HTMLElement => !!x);
  if (lists.length === 0) app.append(el('p', 'clean', l10n.t('Nothing to look at: every record fits, trains on something, and renders whole.')));
  app.append(...lists);
}
