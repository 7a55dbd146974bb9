/**
 * Seeded randomness, two generators:
 * - `seededRandom(seed: number)` (mulberry32): split, sample and synthetic-record seeds are
 *   reproducible, and tests reproduce backoff jitter; production retry code passes Math.random.
 * - `seededRandomFromString(seed)` (sfc32 over the SHA-256 of the seed): labeling derives a pair's
 *   hidden sides and order from a string, so they are the same after a reload, on any machine.
 */
import { createHash } from 'node:crypto';

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

/** A uniform [0, 1) generator (sfc32) seeded from the SHA-256 of `seed`. */
export function seededRandomFromString(seed: string): RandomSource {
  const d = createHash('sha256').update(seed, 'utf8').digest();
  let a = d.readUInt32LE(0);
  let b = d.readUInt32LE(4);
  let c = d.readUInt32LE(8);
  let n = d.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    n >>>= 0;
    const t = (a + b + n) | 0;
    n = (n + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** One fair bit from a seed, used for the side of a pair. */
export function seededBit(seed: string): boolean {
  return (createHash('sha256').update(seed, 'utf8').digest()[0] & 1) === 1;
}
