/** The report's charts: a clickable histogram (SVG built from the numeric bins, no markup parsed) and horizontal bar lists. */
import * as l10n from '@vscode/l10n';
import type { ChartId, StatsReport } from '../../src/protocol/statistics';
import { el, svg } from '../shared/dom';
import { fmt } from './logic/format';

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
    if (i % every === 0) root.append(svg('text', { x: x + w / 2, y: top + plotH + 14, 'text-anchor': 'middle', class: 'tick' }, label));
  });
  root.append(svg('text', { x: left + plotW / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
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

