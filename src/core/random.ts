/**
 * Seeded randomness (mulberry32): split, sample and synthetic-record seeds are reproducible, and
 * tests reproduce backoff jitter; production retry code passes Math.random. (Labeling derives its
 * hidden sides from string seeds instead: labeling/seededRandom.ts.)
 */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomBelow(rand: RandomSource, n: number): number {
  return Math.floor(rand() * n);
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
export function shuffledIndexes(n: number, rand: RandomSource): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomBelow(rand, i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
