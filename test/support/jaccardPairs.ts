/**
 * Pairs of texts whose 3-word-shingle sets have a chosen Jaccard similarity, for measuring the
 * recall of near-duplicate search (test/unit/curate/nearRecall.test.ts, bench/nearRecall.bench.ts).
 *
 * A text is 60–400 distinct words; its twin has one run of words replaced by new ones, which
 * changes the shingles that touch the run. The run's length is chosen for the target, the true
 * Jaccard is computed from the two shingle sets, and a length that cannot come within 0.01 of the
 * target is drawn again.
 */
import { randomBelow, type RandomSource } from '../../src/core/base/random';

export interface JaccardPair {
  a: string;
  b: string;
  /** Exact Jaccard similarity of the two texts' 3-word-shingle sets. */
  jaccard: number;
}

function shingles(words: readonly string[]): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) s.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return s;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Pair number `id` (ids keep the words of different pairs apart) within 0.01 of `target` Jaccard (at most 0.95). */
export function jaccardPair(rnd: RandomSource, target: number, id: number): JaccardPair {
  for (;;) {
    const p = drawPair(rnd, target, id);
    if (Math.abs(p.jaccard - target) <= 0.01) return p;
  }
}

function drawPair(rnd: RandomSource, target: number, id: number): JaccardPair {
  const n = 60 + randomBelow(rnd, 341);
  const word = (tag: string, i: number) => `${tag}${id.toString(36)}q${i.toString(36)}z${randomBelow(rnd, 1e9).toString(36)}`;
  const a = Array.from({ length: n }, (_, i) => word('w', i));
  // Replacing q consecutive words (not at an end) changes q + 2 of the n - 2 shingles on each side:
  // J = (n - 2 - d) / (n - 2 + d) for d = q + 2.
  const m = n - 2;
  const d = Math.max(3, Math.round((m * (1 - target)) / (1 + target)));
  const q = d - 2;
  const start = 2 + randomBelow(rnd, n - q - 3);
  const b = a.slice();
  for (let i = start; i < start + q; i++) b[i] = word('r', i);
  return { a: a.join(' '), b: b.join(' '), jaccard: jaccard(shingles(a), shingles(b)) };
}
