/**
 * Deterministic randomness from a string seed: the same seed gives the same sides and the same
 * pair order after a reload, on any machine.
 */
import { createHash } from 'node:crypto';

/** A uniform [0, 1) generator (sfc32) seeded from the SHA-256 of `seed`. */
export function seededRandom(seed: string): () => number {
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
