/**
 * The statistics report webview: draws the report the host computed. Every text from the data
 * (file name, rule ids, first words, model names) goes in as textContent; the charts are SVG
 * elements built here from the numeric bins (no markup is ever parsed). A bar click asks the host
 * to show the records behind it in the Dataset View.
 */
import '../l10nBundle';
import * as l10n from '@vscode/l10n';
import type { Distribution } from '../../src/core/curate/numericSeries';
import type { ChartId, HostToStatistics, StatisticsState, StatisticsToHost, StatsReport } from '../../src/protocol/statistics';

declare function acquireVsCodeApi(): { postMessage(m: StatisticsToHost): void };
const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function section(title: string): HTMLElement {
  const s = el('section');
  s.append(el('h2', undefined, title));
  return s;
}

function table(head: string[], rows: (string | number)[][], numericFrom = 1): HTMLTableElement {
  const t = el('table');
  const tr = el('tr');
  head.forEach((h, i) => tr.append(el('th', i >= numericFrom ? 'num' : undefined, h)));
  t.append(el('thead'));
  t.tHead!.append(tr);
  const body = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    r.forEach((c, i) => row.append(el('td', i >= numericFrom ? 'num' : undefined, typeof c === 'number' ? fmt(c) : c)));
    body.append(row);
  }
  t.append(body);
  return t;
}

function distTable(rows: [string, Distribution][]): HTMLTableElement {
  return table(
    ['', l10n.t('count'), l10n.t('min'), 'p5', l10n.t('median'), l10n.t('mean'), 'p95', l10n.t('max')],
    rows.map(([k, d]) => [k, d.count, d.min, d.p5, d.median, d.mean, d.p95, d.max]),
  );
}

/** A clickable histogram: one <rect> per bin, labels every few bars so they do not overlap. */
function histogram(report: StatsReport, chart: ChartId, title: string, xLabel: string): HTMLElement {
  const fig = el('figure', 'chart');
  fig.dataset.chart = chart;
  fig.append(el('figcaption', undefined, title));
  const bins = report.histograms[chart].bins;
  if (bins.length === 0) {
    fig.append(el('p', 'empty', l10n.t('No valid records to chart.')));
    return fig;
  }
  const width = 640;
  const height = 220;
  const left = 52;
  const right = 10;
  const top = 10;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'histogram' });
  root.append(svg('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: 'axis' }));
  root.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', class: 'tick' }, fmt(max)));
  root.append(svg('text', { x: left - 4, y: top + plotH, 'text-anchor': 'end', class: 'tick' }, '0'));
  const slot = plotW / bins.length;
  const gap = Math.min(4, slot * 0.15);
  const every = Math.max(1, Math.ceil((bins.length * 44) / plotW));
  bins.forEach((b, i) => {
    const label = b.to - b.from === 1 ? String(b.from) : `${fmt(b.from)}–${fmt(b.to)}`;
    const h = (b.count / max) * plotH;
    const x = left + i * slot + gap / 2;
    const w = Math.max(1, slot - gap);
    // A transparent hit area the full height of the plot, so short bars are easy to click.
    const g = svg('g', { class: b.count > 0 ? 'bin' : 'bin empty', 'data-bin': i, 'data-count': b.count, tabindex: b.count > 0 ? 0 : -1, role: 'button', 'aria-label': l10n.t('{0}: {1} records', label, b.count) });
    g.append(svg('rect', { x, y: top, width: w, height: plotH, class: 'hit' }));
    g.append(svg('rect', { x, y: top + plotH - h, width: w, height: h, class: 'bar' }));
    const tip = b.count > 0 ? l10n.t('{0} {1}: {2} records — click to show them in the Dataset View', label, xLabel, fmt(b.count)) : l10n.t('{0} {1}: {2} records', label, xLabel, fmt(b.count));
    g.append(svg('title', {}, tip));
    if (b.count > 0) {
      const open = () => vscode.postMessage({ type: 'filterBin', chart, bin: i });
      g.addEventListener('click', open);
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
    }
    root.append(g);
    if (i % every === 0) root.append(svg('text', { x: x + w / 2, y: top + plotH + 14, 'text-anchor': 'middle', class: 'tick' }, label));
  });
  root.append(svg('text', { x: left + plotW / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  fig.append(root);
  return fig;
}

/** A horizontal bar list (scripts, first words): widths from counts, labels as text. */
function barList(rows: { label: string; count: number }[]): HTMLElement {
  const list = el('div', 'bar-list');
  const max = Math.max(1, ...rows.map((r) => r.count));
  for (const r of rows) {
    const row = el('div', 'bar-row');
    row.append(el('span', 'bar-label', r.label));
    const track = el('span', 'bar-track');
    const fill = el('span', 'bar-fill');
    fill.style.width = `${(r.count / max) * 100}%`;
    track.append(fill);
    row.append(track, el('span', 'num', fmt(r.count)));
    list.append(row);
  }
  return list;
}

function render(state: StatisticsState): void {
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
  save.addEventListener('click', () => vscode.postMessage({ type: 'saveMarkdown' }));
  const again = el('button', undefined, l10n.t('Recompute'));
  again.disabled = state.status === 'computing';
  again.addEventListener('click', () => vscode.postMessage({ type: 'recompute' }));
  tools.append(save, again);
  head.append(tools);
  const parts: HTMLElement[] = [head];
  if (state.message) parts.push(el('div', `message ${state.status === 'failed' ? 'error' : 'info'}`, state.message));
  if (r) parts.push(...reportSections(r));
  app.replaceChildren(...parts);
}

function reportSections(r: StatsReport): HTMLElement[] {
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

  const charts = section(l10n.t('Charts'));
  charts.append(
    histogram(r, 'tokensPerRecord', l10n.t('Tokens per record'), l10n.t('tokens')),
    histogram(r, 'turnsPerRecord', l10n.t('Turns per record'), l10n.t('turns')),
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

window.addEventListener('message', (e: MessageEvent<HostToStatistics>) => {
  if (e.data?.type === 'state') render(e.data.state);
});
vscode.postMessage({ type: 'ready' });
