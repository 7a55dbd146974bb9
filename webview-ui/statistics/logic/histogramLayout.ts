/**
 * Where the bars of a report histogram go in its SVG viewBox: one slot per bin, bar heights
 * scaled to the tallest bin, and a label on every few bars so the labels do not overlap. Pure:
 * no DOM, unit-tested in plain Node.
 */
import { fmt } from './format';

export const CHART = { width: 640, height: 220, left: 52, right: 10, top: 10, bottom: 44 } as const;
export const PLOT_W = CHART.width - CHART.left - CHART.right;
export const PLOT_H = CHART.height - CHART.top - CHART.bottom;
/** The room one axis label needs (px). */
const LABEL_PX = 44;

export interface Bin {
  from: number;
  to: number;
  count: number;
}

export interface BarLayout {
  /** The bin's range as its axis label: one value for a bin of width 1. */
  label: string;
  x: number;
  width: number;
  /** Height of the bar (the hit area is the full plot height). */
  height: number;
  /** Whether the axis shows this bar's label. */
  labeled: boolean;
}

export function histogramLayout(bins: readonly Bin[]): { max: number; bars: BarLayout[] } {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const slot = PLOT_W / bins.length;
  const gap = Math.min(4, slot * 0.15);
  const every = Math.max(1, Math.ceil((bins.length * LABEL_PX) / PLOT_W));
  const bars = bins.map((b, i) => ({
    label: b.to - b.from === 1 ? String(b.from) : `${fmt(b.from)}–${fmt(b.to)}`,
    x: CHART.left + i * slot + gap / 2,
    width: Math.max(1, slot - gap),
    height: (b.count / max) * PLOT_H,
    labeled: i % every === 0,
  }));
  return { max, bars };
}
