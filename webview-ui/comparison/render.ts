/**
 * Draws the comparison report: the headline (B's win rate with its 95% interval on a 0–100% scale,
 * the sign test), a table per annotator and merged whose every count is a button listing the
 * prompts behind it, and that list, each prompt opening its pair in the labeling panel. Text from
 * the data goes in as textContent only.
 */
import * as l10n from '@vscode/l10n';
import type { ComparedPrompt, ComparisonOutcome, ComparisonState, ComparisonTally, ComparisonToHost } from '../../src/protocol/comparison';
import { button, el, svg } from '../shared/dom';

type Post = (m: ComparisonToHost) => void;

const OUTCOMES: ComparisonOutcome[] = ['candidateWins', 'ties', 'baselineWins', 'bothBad', 'skipped', 'unlabeled', 'noMajority'];
/** The outcomes that make the rate; the others are counted apart. */
const DECISIVE = new Set<ComparisonOutcome>(['candidateWins', 'ties', 'baselineWins']);

function outcomeTitle(o: ComparisonOutcome): string {
  switch (o) {
    case 'candidateWins':
      return l10n.t('B wins');
    case 'ties':
      return l10n.t('Ties');
    case 'baselineWins':
      return l10n.t('A wins');
    case 'bothBad':
      return l10n.t('Both bad');
    case 'skipped':
      return l10n.t('Skipped');
    case 'unlabeled':
      return l10n.t('Not labeled');
    default:
      return l10n.t('No majority');
  }
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const pValue = (p: number | undefined) => (p === undefined ? '–' : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** Which row (annotator, or '' for merged) and outcome the list below the table shows. */
let selected: { row: string; outcome: ComparisonOutcome } = { row: '', outcome: 'candidateWins' };

/** The interval on a 0–100% scale, the rate as a dot, 50% (no difference) as a line. */
function intervalChart(t: ComparisonTally): SVGSVGElement {
  const w = 420;
  const x = (v: number) => 10 + v * (w - 20);
  const root = svg('svg', { viewBox: `0 0 ${w} 34`, role: 'img', class: 'interval', 'aria-label': l10n.t('95% interval of the win rate') });
  root.append(svg('line', { x1: x(0), y1: 14, x2: x(1), y2: 14, class: 'axis' }));
  root.append(svg('line', { x1: x(0.5), y1: 4, x2: x(0.5), y2: 24, class: 'even' }));
  for (const v of [0, 0.5, 1]) root.append(svg('text', { x: x(v), y: 33, 'text-anchor': 'middle', class: 'tick' }, `${v * 100}%`));
  if (t.interval && t.winRate !== undefined) {
    root.append(svg('rect', { x: x(t.interval.lower), y: 9, width: Math.max(1, x(t.interval.upper) - x(t.interval.lower)), height: 10, class: 'range' }));
    root.append(svg('circle', { cx: x(t.winRate), cy: 14, r: 5, class: 'rate' }));
  }
  return root;
}

function headline(s: ComparisonState): HTMLElement {
  const r = s.report!;
  const m = r.merged;
  const box = el('section', 'headline');
  if (m.winRate === undefined) {
    box.append(el('p', 'verdict', l10n.t('No decided pair yet: label the pairs of {0} first.', s.fileName)));
    return box;
  }
  box.append(
    el('p', 'verdict', l10n.t('{0} wins {1} against {2} (95% interval {3}–{4}; sign test p = {5})', r.arms.candidate, pct(m.winRate), r.arms.baseline, pct(m.interval?.lower), pct(m.interval?.upper), pValue(m.signTestP))),
    intervalChart(m),
  );
  const lower = m.interval?.lower ?? 0;
  const upper = m.interval?.upper ?? 1;
  const reading = lower > 0.5 ? l10n.t('B is better than A on these prompts: the whole interval is above 50%.') : upper < 0.5 ? l10n.t('B is worse than A on these prompts: the whole interval is below 50%.') : l10n.t('No clear difference yet: the interval contains 50%. More prompts narrow it.');
  box.append(el('p', 'reading', reading));
  return box;
}

function tallyTable(s: ComparisonState, redraw: () => void): HTMLTableElement {
  const r = s.report!;
  const rows: { key: string; who: string; t: ComparisonTally }[] = [...r.annotators.map((a) => ({ key: a.annotator, who: a.annotator, t: a.tally })), { key: '', who: l10n.t('Merged ({0})', r.rule.kind === 'annotator' ? r.rule.name : r.rule.kind), t: r.merged }];
  const table = el('table', 'tally');
  const head = el('tr');
  head.append(el('th', undefined, l10n.t('Annotator')));
  for (const o of OUTCOMES.slice(0, 3)) head.append(el('th', 'num', outcomeTitle(o)));
  head.append(el('th', 'num', l10n.t('Win rate of B')), el('th', 'num', l10n.t('95% interval')), el('th', 'num', l10n.t('Sign test p')));
  for (const o of OUTCOMES.slice(3)) head.append(el('th', 'num apart', outcomeTitle(o)));
  table.append(el('thead'));
  table.tHead!.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', row.key === '' ? 'merged' : undefined);
    tr.append(el('td', undefined, row.who));
    const countCell = (o: ComparisonOutcome) => {
      const td = el('td', DECISIVE.has(o) ? 'num' : 'num apart');
      const b = button(String(row.t.counts[o]), 'count', () => {
        selected = { row: row.key, outcome: o };
        redraw();
      });
      b.dataset.row = row.key;
      b.dataset.outcome = o;
      b.title = l10n.t('The prompts behind this number');
      if (selected.row === row.key && selected.outcome === o) b.classList.add('selected');
      td.append(b);
      return td;
    };
    for (const o of OUTCOMES.slice(0, 3)) tr.append(countCell(o));
    tr.append(el('td', 'num rate', pct(row.t.winRate)), el('td', 'num', row.t.interval ? `${pct(row.t.interval.lower)}–${pct(row.t.interval.upper)}` : '–'), el('td', 'num', pValue(row.t.signTestP)));
    for (const o of OUTCOMES.slice(3)) tr.append(countCell(o));
    body.append(tr);
  }
  table.append(body);
  return table;
}

function promptList(title: string, prompts: readonly ComparedPrompt[], post: Post | undefined): HTMLElement {
  const section = el('section', 'pairs');
  section.append(el('h2', undefined, l10n.t('{0}: {1}', title, prompts.length)));
  if (prompts.length === 0) {
    section.append(el('p', 'muted', l10n.t('None.')));
    return section;
  }
  const ul = el('ul');
  for (const p of prompts) {
    const li = el('li');
    if (post && p.pair) {
      const pair = p.pair;
      const open = button(l10n.t('line {0}', p.line), 'open-pair', () => post({ type: 'openPair', pair }));
      open.title = l10n.t('Open this pair in the labeling panel');
      li.append(open);
    } else {
      li.append(el('span', 'line', l10n.t('line {0}', p.line)));
    }
    li.append(el('span', 'id', p.id), el('span', 'prompt', p.prompt));
    ul.append(li);
  }
  section.append(ul);
  return section;
}

export function render(s: ComparisonState, post: Post): void {
  const app = document.getElementById('app')!;
  const redraw = () => render(s, post);
  app.replaceChildren();
  const head = el('header');
  head.append(el('h1', undefined, s.report ? l10n.t('Did {0} beat {1}?', s.report.arms.candidate, s.report.arms.baseline) : l10n.t('Model comparison')));
  head.append(button(l10n.t('Refresh'), 'refresh', () => post({ type: 'refresh' })));
  app.append(head);
  if (s.status === 'computing' && !s.report) app.append(el('p', 'status', l10n.t('Reading the answers and the label logs…')));
  if (s.message) app.append(el('p', 'message error', s.message));
  const r = s.report;
  if (!r) return;
  app.append(
    el('p', 'setup', l10n.t('B = {0}, A = {1} · {2}', r.arms.candidate, r.arms.baseline, s.fileName)),
    el('p', 'setup', l10n.t('{0} prompt(s): {1} pair(s) to label, {2} with identical answers, {3} without both answers · {4} label log(s)', r.prompts, r.pairs, r.identical.length, r.missing.length, r.logs.length)),
  );
  app.append(headline(s));
  app.append(tallyTable(s, redraw));
  app.append(
    el(
      'p',
      'method',
      l10n.t(
        'Win rate of B = (B wins + ties / 2) / (B wins + ties + A wins). 95% Wilson score interval: it keeps its coverage on small sets and near 0% or 100%, where the usual ± interval does not. Sign test: exact, two-sided, B wins against A wins with ties left out. Both bad, skipped, not labeled and no majority are counted apart, outside the rate. Merged: one outcome per pair by strict majority of the annotators who did not skip.',
      ),
    ),
  );
  const row = selected.row === '' ? { who: l10n.t('Merged'), t: r.merged } : r.annotators.map((a) => ({ who: a.annotator, t: a.tally })).find((a) => a.who === selected.row);
  if (row) app.append(promptList(l10n.t('{0} · {1}', row.who, outcomeTitle(selected.outcome)), row.t.pairs[selected.outcome], post));
  if (r.identical.length) app.append(promptList(l10n.t('Identical answers (nothing to label)'), r.identical, undefined));
  if (r.missing.length) app.append(promptList(l10n.t('Without an answer of both models'), r.missing, undefined));
}
