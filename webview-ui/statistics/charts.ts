/** The report's charts: a clickable histogram (SVG built from the numeric bins, no markup parsed) and horizontal bar lists. */
import * as l10n from '@vscode/l10n';
import type { ChartId, StatsReport } from '../../src/protocol/statistics';
import { el, svg } from '../shared/dom';
import { fmt } from './logic/format';
import { CHART, histogramLayout, PLOT_H, PLOT_W } from './logic/histogramLayout';

/** A clickable histogram: one <rect> per bin, labels every few bars so they do not overlap. */
export function histogram(report: StatsReport, chart: ChartId, title: string, xLabel: string, onBin: (chart: ChartId, bin: number) => void): HTMLElement {
  const fig = el('figure', 'chart');
  fig.dataset.chart = chart;
  fig.append(el('figcaption', undefined, title));
  const bins = report.histograms[chart].bins;
  if (bins.length === 0) {
    fig.append(el('p', 'empty', l10n.t('No valid records to chart.')));
    return fig;
  }
  const { width, height, left, top } = CHART;
  const { max, bars } = histogramLayout(bins);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'histogram' });
  root.append(svg('line', { x1: left, y1: top + PLOT_H, x2: left + PLOT_W, y2: top + PLOT_H, class: 'axis' }));
  root.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', class: 'tick' }, fmt(max)));
  root.append(svg('text', { x: left - 4, y: top + PLOT_H, 'text-anchor': 'end', class: 'tick' }, '0'));
  bins.forEach((b, i) => {
    const { label, x, width: w, height: h, labeled } = bars[i];
    // A transparent hit area the full height of the plot, so short bars are easy to click.
    const g = svg('g', { class: b.count > 0 ? 'bin' : 'bin empty', 'data-bin': i, 'data-count': b.count, tabindex: b.count > 0 ? 0 : -1, role: 'button', 'aria-label': l10n.t('{0}: {1} records', label, b.count) });
    g.append(svg('rect', { x, y: top, width: w, height: PLOT_H, class: 'hit' }));
    g.append(svg('rect', { x, y: top + PLOT_H - h, width: w, height: h, class: 'bar' }));
    const tip = b.count > 0 ? l10n.t('{0} {1}: {2} records — click to show them in the Dataset View', label, xLabel, fmt(b.count)) : l10n.t('{0} {1}: {2} records', label, xLabel, fmt(b.count));
    g.append(svg('title', {}, tip));
    if (b.count > 0) {
      const open = () => onBin(chart, i);
      g.addEventListener('click', open);
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
    }
    root.append(g);
    if (labeled) root.append(svg('text', { x: x + w / 2, y: top + PLOT_H + 14, 'text-anchor': 'middle', class: 'tick' }, label));
  });
  root.append(svg('text', { x: left + PLOT_W / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  fig.append(root);
  return fig;
}

/** A horizontal bar list (scripts, first words): widths from counts, labels as text. */
export function barList(rows: { label: string; count: number }[]): HTMLElement {
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

