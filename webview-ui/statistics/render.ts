/** Draws the statistics report: the header with its actions, then one section per part of the report. */
import * as l10n from '@vscode/l10n';
import type { ChartId, Distribution, StatisticsState, StatisticsToHost, StatsReport } from '../../src/protocol/statistics';
import { el, table as textTable } from '../shared/dom';
import { barList, histogram } from './charts';
import { fmt } from './logic/format';

type Post = (m: StatisticsToHost) => void;

function section(title: string): HTMLElement {
  const s = el('section');
  s.append(el('h2', undefined, title));
  return s;
}

function table(head: string[], rows: (string | number)[][], numericFrom = 1): HTMLTableElement {
  return textTable(head, rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c))), { numericFrom });
}

function distTable(rows: [string, Distribution][]): HTMLTableElement {
  return table(
    ['', l10n.t('count'), l10n.t('min'), 'p5', l10n.t('median'), l10n.t('mean'), 'p95', l10n.t('max')],
    rows.map(([k, d]) => [k, d.count, d.min, d.p5, d.median, d.mean, d.p95, d.max]),
  );
}

export function render(state: StatisticsState, post: Post): void {
  const app = document.getElementById('app')!;
  const head = el('header', 'stats-head');
  head.append(el('h1', undefined, state.fileName));
  const r = state.report;
  if (r) head.append(el('span', 'format', l10n.t('format: {0}', r.format ?? l10n.t('unknown'))), el('span', 'count', l10n.t('{0} records', fmt(r.records))));
  const status = state.status === 'computing' ? l10n.t('Computing…') : state.status === 'cancelled' ? l10n.t('Cancelled.') : state.status === 'failed' ? l10n.t('Failed.') : '';
  if (status) head.append(el('span', 'status', status));
  const tools = el('div', 'toolbar');
  const save = el('button', undefined, l10n.t('Save as Markdown'));
  save.disabled = !r;
  save.addEventListener('click', () => post({ type: 'saveMarkdown' }));
  const again = el('button', undefined, l10n.t('Recompute'));
  again.disabled = state.status === 'computing';
  again.addEventListener('click', () => post({ type: 'recompute' }));
  tools.append(save, again);
  head.append(tools);
  const parts: HTMLElement[] = [head];
  if (state.message) parts.push(el('div', `message ${state.status === 'failed' ? 'error' : 'info'}`, state.message));
  if (r) parts.push(...reportSections(r, post));
  app.replaceChildren(...parts);
}

function reportSections(r: StatsReport, post: Post): HTMLElement[] {
  const out: HTMLElement[] = [];
  const overview = section(l10n.t('Overview'));
  const tk = r.tokens;
  const tokenizer = tk.model ? l10n.t('{0} for {1}', tk.tokenizer, tk.model) : tk.tokenizer;
  const counting = tk.mode === 'exact' ? l10n.t('exact counts') : l10n.t('estimated ({0} records counted exactly)', fmt(tk.exactRecords));
  const facts: [string, string, string?][] = [
    [l10n.t('Records'), l10n.t('{0} ({1} valid; the figures count valid records)', fmt(r.records), fmt(r.validRecords))],
    [l10n.t('Format'), l10n.t('{0} — {1}', r.format ?? l10n.t('unknown'), r.detection.evidence)],
    [l10n.t('Problems'), l10n.t('{0} errors, {1} warnings, {2} info', fmt(r.problems.error), fmt(r.problems.warning), fmt(r.problems.info))],
    [
      l10n.t('Tokenizer'),
      tk.approximate ? l10n.t('{0}; {1} — approximate for this model family', tokenizer, counting) : l10n.t('{0}; {1}', tokenizer, counting),
      tk.approximate ? 'approximate' : undefined,
    ],
    [l10n.t('Counts'), tk.note],
  ];
  const dl = el('dl', 'facts');
  for (const [k, v, cls] of facts) dl.append(el('dt', undefined, k), el('dd', cls, v));
  overview.append(dl);
  out.push(overview);

  const rules = Object.entries(r.problems.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) {
    const s = section(l10n.t('Problems by rule'));
    s.append(table([l10n.t('rule'), l10n.t('count')], rules));
    out.push(s);
  }

  const onBin = (chart: ChartId, bin: number) => post({ type: 'filterBin', chart, bin });
  const charts = section(l10n.t('Charts'));
  charts.append(
    histogram(r, 'tokensPerRecord', l10n.t('Tokens per record'), l10n.t('tokens'), onBin),
    histogram(r, 'turnsPerRecord', l10n.t('Turns per record'), l10n.t('turns'), onBin),
    el('p', 'hint', l10n.t('Click a bar to show its records in the Dataset View.')),
  );
  out.push(charts);

  const lengths = section(l10n.t('Lengths'));
  lengths.append(distTable([[l10n.t('turns per record'), r.turnsPerRecord], [l10n.t('tokens per record'), r.tokensPerRecord]]));
  lengths.append(el('h3', undefined, l10n.t('Characters per message, by role')), distTable(Object.entries(r.charsByRole)));
  lengths.append(el('h3', undefined, l10n.t('Tokens per message, by role')), distTable(Object.entries(r.tokensByRole)));
  out.push(lengths);

  const cost = section(l10n.t('Context limit and training cost'));
  const c = r.contextLimit;
  const over = el('p', c.over > 0 ? 'over' : undefined, l10n.t('Records over {0} tokens: {1}', fmt(c.limit), fmt(c.over)));
  if (c.over > 0) over.textContent += l10n.t(' (first: {0})', c.records.slice(0, 10).map((i) => `#${i}`).join(', ') + (c.over > 10 ? ', …' : ''));
  cost.append(over);
  cost.append(el('p', undefined, l10n.t('Billing tokens per epoch: {0} × {1} epochs = {2} training tokens', fmt(r.cost.billingTokensPerEpoch), fmt(r.cost.epochs), fmt(r.cost.trainingTokens))));
  if (r.cost.costs.length > 0) {
    cost.append(table([l10n.t('model'), l10n.t('price per 1M tokens'), l10n.t('estimated cost')], r.cost.costs.map((x) => [x.model, fmt(x.trainingPerMTok), x.cost.toFixed(2)])));
  } else cost.append(el('p', 'hint', l10n.t('Set prices in the pairwise.stats.trainingPrices setting to see costs.')));
  out.push(cost);

  if (r.preference || r.kto) {
    const s = section(l10n.t('Label balance'));
    if (r.preference) {
      const p = r.preference;
      s.append(el('p', undefined, l10n.t('Chosen longer than rejected in {0} of {1} pairs ({2}%); rejected longer in {3}; same length in {4}.', fmt(p.chosenLonger), fmt(p.pairs), (p.chosenLongerShare * 100).toFixed(1), fmt(p.rejectedLonger), fmt(p.sameLength))));
    }
    if (r.kto) s.append(el('p', undefined, l10n.t('Desirable: {0}; undesirable: {1}.', fmt(r.kto.desirable), fmt(r.kto.undesirable))));
    out.push(s);
  }

  const langs = section(l10n.t('Languages (scripts)'));
  langs.append(barList(r.languages.map((l) => ({ label: l.script, count: l.records }))));
  out.push(langs);
  const words = section(l10n.t('Most frequent first words of prompts'));
  words.append(barList(r.firstWords.map((w) => ({ label: w.word, count: w.count }))));
  out.push(words);
  return out;
}

