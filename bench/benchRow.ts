/** One row of BENCHMARKS.md: what was measured, against which baseline, and whether it met its target. */
export interface BenchRow {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  target?: string;
  pass?: boolean;
}
