/**
 * The statistics report webview: draws the report the host computed. Every text from the data
 * (file name, rule ids, first words, model names) goes in as textContent; the charts are SVG
 * elements built here from the numeric bins (no markup is ever parsed). A bar click asks the host
 * to show the records behind it in the Dataset View.
 */
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
    ['', 'count', 'min', 'p5', 'median', 'mean', 'p95', 'max'],
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
    fig.append(el('p', 'empty', 'No valid records to chart.'));
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
    const g = svg('g', { class: b.count > 0 ? 'bin' : 'bin empty', 'data-bin': i, 'data-count': b.count, tabindex: b.count > 0 ? 0 : -1, role: 'button', 'aria-label': `${label}: ${b.count} records` });
    g.append(svg('rect', { x, y: top, width: w, height: plotH, class: 'hit' }));
    g.append(svg('rect', { x, y: top + plotH - h, width: w, height: h, class: 'bar' }));
    g.append(svg('title', {}, `${label} ${xLabel}: ${fmt(b.count)} records${b.count > 0 ? ' — click to show them in the Dataset View' : ''}`));
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
  if (r) head.append(el('span', 'format', `format: ${r.format ?? 'unknown'}`), el('span', 'count', `${fmt(r.records)} records`));
  const status = state.status === 'computing' ? 'Computing…' : state.status === 'cancelled' ? 'Cancelled.' : state.status === 'failed' ? 'Failed.' : '';
  if (status) head.append(el('span', 'status', status));
  const tools = el('div', 'toolbar');
  const save = el('button', undefined, 'Save as Markdown');
  save.disabled = !r;
  save.addEventListener('click', () => vscode.postMessage({ type: 'saveMarkdown' }));
  const again = el('button', undefined, 'Recompute');
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
  const overview = section('Overview');
  const tk = r.tokens;
  const facts: [string, string][] = [
    ['Records', `${fmt(r.records)} (${fmt(r.validRecords)} valid; the figures count valid records)`],
    ['Format', `${r.format ?? 'unknown'} — ${r.detection.evidence}`],
    ['Problems', `${fmt(r.problems.error)} errors, ${fmt(r.problems.warning)} warnings, ${fmt(r.problems.info)} info`],
    [
      'Tokenizer',
      `${tk.tokenizer}${tk.model ? ` for ${tk.model}` : ''}; ${tk.mode === 'exact' ? 'exact counts' : `estimated (${fmt(tk.exactRecords)} records counted exactly)`}${tk.approximate ? ' — approximate for this model family' : ''}`,
    ],
    ['Counts', tk.note],
  ];
  const dl = el('dl', 'facts');
  for (const [k, v] of facts) dl.append(el('dt', undefined, k), el('dd', k === 'Tokenizer' && tk.approximate ? 'approximate' : undefined, v));
  overview.append(dl);
  out.push(overview);

  const rules = Object.entries(r.problems.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) {
    const s = section('Problems by rule');
    s.append(table(['rule', 'count'], rules));
    out.push(s);
  }

  const charts = section('Charts');
  charts.append(
    histogram(r, 'tokensPerRecord', 'Tokens per record', 'tokens'),
    histogram(r, 'turnsPerRecord', 'Turns per record', 'turns'),
    el('p', 'hint', 'Click a bar to show its records in the Dataset View.'),
  );
  out.push(charts);

  const lengths = section('Lengths');
  lengths.append(distTable([['turns per record', r.turnsPerRecord], ['tokens per record', r.tokensPerRecord]]));
  lengths.append(el('h3', undefined, 'Characters per message, by role'), distTable(Object.entries(r.charsByRole)));
  lengths.append(el('h3', undefined, 'Tokens per message, by role'), distTable(Object.entries(r.tokensByRole)));
  out.push(lengths);

  const cost = section('Context limit and training cost');
  const c = r.contextLimit;
  const over = el('p', c.over > 0 ? 'over' : undefined, `Records over ${fmt(c.limit)} tokens: ${fmt(c.over)}`);
  if (c.over > 0) over.textContent += ` (first: ${c.records.slice(0, 10).map((i) => `#${i}`).join(', ')}${c.over > 10 ? ', …' : ''})`;
  cost.append(over);
  cost.append(el('p', undefined, `Billing tokens per epoch: ${fmt(r.cost.billingTokensPerEpoch)} × ${fmt(r.cost.epochs)} epochs = ${fmt(r.cost.trainingTokens)} training tokens`));
  if (r.cost.costs.length > 0) {
    cost.append(table(['model', 'price per 1M tokens', 'estimated cost'], r.cost.costs.map((x) => [x.model, fmt(x.trainingPerMTok), x.cost.toFixed(2)])));
  } else cost.append(el('p', 'hint', 'Set prices in the pairwise.stats.trainingPrices setting to see costs.'));
  out.push(cost);

  if (r.preference || r.kto) {
    const s = section('Label balance');
    if (r.preference) {
      const p = r.preference;
      s.append(el('p', undefined, `Chosen longer than rejected in ${fmt(p.chosenLonger)} of ${fmt(p.pairs)} pairs (${(p.chosenLongerShare * 100).toFixed(1)}%); rejected longer in ${fmt(p.rejectedLonger)}; same length in ${fmt(p.sameLength)}.`));
    }
    if (r.kto) s.append(el('p', undefined, `Desirable: ${fmt(r.kto.desirable)}; undesirable: ${fmt(r.kto.undesirable)}.`));
    out.push(s);
  }

  const langs = section('Languages (scripts)');
  langs.append(barList(r.languages.map((l) => ({ label: l.script, count: l.records }))));
  out.push(langs);
  const words = section('Most frequent first words of prompts');
  words.append(barList(r.firstWords.map((w) => ({ label: w.word, count: w.count }))));
  out.push(words);
  return out;
}

window.addEventListener('message', (e: MessageEvent<HostToStatistics>) => {
  if (e.data?.type === 'state') render(e.data.state);
});
vscode.postMessage({ type: 'ready' });
