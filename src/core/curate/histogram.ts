/**
 * Histogram bins for the statistics charts, chosen after the values are known: at most `maxBins`
 * equal-width bins of a "nice" width (1, 2, 5 × 10^k) starting at a multiple of the width, so labels
 * read well. Also the bin of each record, so a chart click can list the records behind a bar.
 */
export interface HistogramBin {
  /** Inclusive lower and exclusive upper bound (the last bin includes its upper bound). */
  from: number;
  to: number;
  count: number;
}

export interface Histogram {
  bins: HistogramBin[];
  /** Values counted (records that have a value). */
  total: number;
}

/** Record has no value in this chart (e.g. it is invalid). */
export const NO_BIN = 0xffff;

export function niceWidth(span: number, maxBins: number): number {
  if (span <= 0) return 1;
  const raw = span / maxBins;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return Math.max(1, 10 * p);
}

/**
 * Bins the values; `binOf[i]` gets the bin of value i (or NO_BIN where `present[i]` is 0). Integer
 * values: a width of 1 gives one bin per value.
 */
export function buildHistogram(values: ArrayLike<number>, present: ArrayLike<number> | undefined, maxBins = 20): { histogram: Histogram; binOf: Uint16Array } {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (present && !present[i]) continue;
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const binOf = new Uint16Array(n).fill(NO_BIN);
  if (min === Infinity) return { histogram: { bins: [], total: 0 }, binOf };
  let width = niceWidth(max - min, maxBins);
  let start = Math.floor(min / width) * width;
  // A nice width can need one bin more than maxBins once the start is rounded down.
  while (Math.floor((max - start) / width) + 1 > maxBins) {
    width = niceWidth(width * (maxBins + 1), maxBins);
    start = Math.floor(min / width) * width;
  }
  const count = Math.floor((max - start) / width) + 1;
  const bins: HistogramBin[] = [];
  for (let b = 0; b < count; b++) bins.push({ from: start + b * width, to: start + (b + 1) * width, count: 0 });
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (present && !present[i]) continue;
    const b = Math.min(count - 1, Math.floor((values[i] - start) / width));
    binOf[i] = b;
    bins[b].count++;
    total++;
  }
  return { histogram: { bins, total }, binOf };
}
