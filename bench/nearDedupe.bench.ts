/**
 * Near-duplicate search: recall at controlled true Jaccard similarity, and time and memory of
 * `dedupeFile --near` on 200,000 records.
 *
 * Recall: 2,000 pairs of texts per level whose 3-word-shingle sets have a known Jaccard similarity
 * (test/support/jaccardPairs.ts), at the default threshold 0.8: the share whose second text finds
 * its first, at the threshold - 0.1 (false positives), the threshold, + 0.03 and + 0.1. The baseline,
 * in the same run, is the search as it was before: 128 functions, bands and rows balancing both
 * errors over [0, 1] (datasketch's choice, 9 × 13 at 0.8) and estimates accepted from the threshold.
 *
 * Time and memory: the near-duplicate file of curate.bench.ts (every 10th record an earlier one with
 * about 5% of its words replaced), deduplicated in a child process (curate.bench.ts's "near" mode),
 * against the floor of reading and parsing it (read lines + JSON.parse) in the same run.
 *
 *   BENCH_NEAR_RECORDS   records of the near-duplicate file (default 200000)
 *   BENCH_REPEAT         runs per measurement, best kept (default 1)
 */
import * as path from 'node:path';
import { LshIndex, lshParams, MinHasher, NEAR_NUM_PERM, type LshParams } from '../src/core/curate/minhash';
import { seededRandom } from '../src/core/base/random';
import { jaccardPair } from '../test/support/jaccardPairs';
import type { BenchRow } from './benchRow';
import { bestOfChildRuns, round } from './childRun';
import { generate, makeNearRecords, OUT_DIR } from './curate.bench';
import { CURATE_CHILD_BUNDLE, type CurateChildResult as ChildResult } from './curateChild';

const THRESHOLD = 0.8;
const PAIRS = 2000;

/** The parameters chosen before: minimise the integrated false-positive and false-negative probabilities. */
function balancedParams(threshold: number, numPerm: number): { bands: number; rows: number } {
  const integrate = (f: (x: number) => number, a: number, b: number) => {
    const h = (b - a) / 200;
    let s = 0;
    for (let i = 0; i < 200; i++) s += f(a + (i + 0.5) * h) * h;
    return s;
  };
  let best = { bands: 1, rows: numPerm };
  let bestErr = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r <= Math.floor(numPerm / b); r++) {
      const err = integrate((s) => 1 - (1 - s ** r) ** b, 0, threshold) + integrate((s) => (1 - s ** r) ** b, threshold, 1);
      if (err < bestErr) [best, bestErr] = [{ bands: b, rows: r }, err];
    }
  }
  return best;
}

/** Share of PAIRS pairs at `target` Jaccard found by an index with these parameters. */
function recall(numPerm: number, params: LshParams, target: number, seed: number): number {
  const rnd = seededRandom(seed);
  const hasher = new MinHasher(numPerm, 3, seed);
  const index = new LshIndex(numPerm, params);
  const sig = new Int32Array(numPerm);
  const pairs = Array.from({ length: PAIRS }, (_, i) => jaccardPair(rnd, target, i));
  for (const p of pairs) {
    hasher.signature(p.a, sig);
    index.insert(sig);
  }
  let found = 0;
  pairs.forEach((p, i) => {
    hasher.signature(p.b, sig);
    if (index.query(sig)?.slot === i) found++;
  });
  return found / PAIRS;
}

export function run(): Promise<BenchRow[]> {
  const nearRecords = Number(process.env.BENCH_NEAR_RECORDS ?? 200000);
  const repeat = Number(process.env.BENCH_REPEAT ?? 1);
  const rows: BenchRow[] = [];

  const now = lshParams(THRESHOLD, NEAR_NUM_PERM);
  const before = { ...balancedParams(THRESHOLD, 128), accept: THRESHOLD };
  const b = `near-duplicate recall, threshold ${THRESHOLD}, ${PAIRS} pairs per level`;
  const config = `${NEAR_NUM_PERM} functions, ${now.bands}×${now.rows} bands, estimate ≥ ${round(now.accept, 3)}`;
  const baselineName = `before: 128 functions, ${before.bands}×${before.rows}, estimate ≥ ${THRESHOLD}`;
  for (const [d, target, pass] of [
    [-0.1, 'false positives ≤ 1%', (v: number) => v <= 0.01],
    [0, 'informational', undefined],
    [0.03, '≥ 95%', (v: number) => v >= 0.95],
    [0.1, '≥ 99.5%', (v: number) => v >= 0.995],
  ] as const) {
    const j = Math.round((THRESHOLD + d) * 100) / 100;
    const seed = 100 + Math.round(d * 100);
    const v = recall(NEAR_NUM_PERM, now, j, seed);
    const old = recall(128, before, j, seed);
    rows.push({ benchmark: b, metric: `pairs found at true Jaccard ${j} [${config}]`, value: round(v * 100, 1), unit: '%', baseline: round(old * 100, 1), baselineName, target, pass: pass?.(v) });
  }

  const nearFile = path.join(OUT_DIR, `near-${nearRecords}.jsonl`);
  generate(nearFile, (_b, n) => n >= nearRecords, makeNearRecords(seededRandom(9)));
  const floor = bestOfChildRuns<ChildResult>(CURATE_CHILD_BUNDLE, 'floor', nearFile, repeat);
  const nd = bestOfChildRuns<ChildResult>(CURATE_CHILD_BUNDLE, 'near', nearFile, repeat);
  const nl = `near-duplicate dedupe ${nd.records} records (${round(nd.bytes / 1048576)} MB)`;
  rows.push({ benchmark: nl, metric: `dedupeFile --near time [${nd.detail}; ${config}]`, value: round(nd.ms / 1000, 2), unit: 's', baseline: round(floor.ms / 1000, 2), baselineName: 'floor: read lines + JSON.parse', ratio: round(nd.ms / floor.ms, 1), target: '< 60 s', pass: nd.ms < 60000 });
  rows.push({ benchmark: nl, metric: 'dedupeFile --near peak RSS', value: round(nd.maxRssMB), unit: 'MB', baseline: round(floor.maxRssMB), baselineName: 'floor RSS', target: '< 500 MB', pass: nd.maxRssMB < 500 });
  return Promise.resolve(rows);
}
