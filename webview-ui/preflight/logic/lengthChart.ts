/** Geometry of the pre-flight's length chart: bars of the histogram and where the limit falls, in SVG units. Pure, unit-tested. */
export const LENGTH_CHART = { width: 640, height: 200, left: 48, top: 12, bottom: 28, right: 12 } as const;

export interface LengthBar {
  x: number;
  width: number;
  height: number;
  from: number;
  to: number | undefined;
  count: number;
  /** Every length of the bucket is over the limit: its records are cut. */
  over: boolean;
  /** The limit falls inside the bucket: some of its records are cut. */
  straddles: boolean;
}

export interface LengthChartLayout {
  bars: LengthBar[];
  max: number;
  /** X of the limit line, when there is a limit. */
  limitX?: number;
}

/** Bars for `counts` over `edges` (edges[i] ≤ length < edges[i+1]); the limit line at `maxLength`. */
export function lengthChartLayout(edges: readonly number[], counts: readonly number[], maxLength: number | undefined): LengthChartLayout {
  const { width, height, left, top, bottom, right } = LENGTH_CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, counts.length);
  const step = edges.length > 1 ? edges[1] - edges[0] : 1;
  const span = step * n;
  const max = Math.max(1, ...counts);
  const bars = counts.map((count, i) => {
    const from = edges[i];
    const to = i + 1 < edges.length ? edges[i + 1] : undefined;
    const over = maxLength !== undefined && from > maxLength;
    const straddles = maxLength !== undefined && !over && (to === undefined || to - 1 > maxLength);
    return { x: left + (i * plotW) / n, width: Math.max(1, plotW / n - 1), height: (count / max) * plotH, from, to, count, over, straddles };
  });
  const limitX = maxLength === undefined ? undefined : left + Math.min(1, (maxLength - (edges[0] ?? 0)) / span) * plotW;
  return { bars, max, limitX };
}
