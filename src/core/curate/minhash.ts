/**
 * Near-duplicate detection: MinHash signatures over word shingles and an LSH index (banding).
 *
 * Words are runs of letters and digits, lower-cased; each Han/kana character counts as a word, since
 * those scripts do not separate words with spaces. A shingle is k consecutive words (a text shorter
 * than k words is one shingle). Each of `numPerm` hash functions is a seeded xor-multiply-shift of
 * the shingle's hash; the signature keeps each function's minimum, and the share of equal minima
 * between two signatures estimates the Jaccard similarity of their shingle sets.
 *
 * Banding: the signature is cut into b bands of r rows; two records become candidates when any
 * band matches exactly. b and r are chosen for the threshold t by minimising the integrated
 * false-positive and false-negative probabilities of 1-(1-s^r)^b (as datasketch does).
 * Memory: one Uint32Array row of numPerm per indexed record, and one Map entry per band per record.
 */
import { fmix32, hash32 } from './textHash';

export interface LshParams {
  bands: number;
  rows: number;
}

function integrate(f: (x: number) => number, a: number, b: number): number {
  const steps = 200;
  const h = (b - a) / steps;
  let s = 0;
  for (let i = 0; i < steps; i++) s += f(a + (i + 0.5) * h) * h;
  return s;
}

/** Bands and rows (bands × rows ≤ numPerm) for a Jaccard threshold, equal weight on both errors. */
export function lshParams(threshold: number, numPerm: number): LshParams {
  let best: LshParams = { bands: 1, rows: numPerm };
  let bestErr = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    const maxR = Math.floor(numPerm / b);
    for (let r = 1; r <= maxR; r++) {
      const fp = integrate((s) => 1 - (1 - s ** r) ** b, 0, threshold);
      const fn = integrate((s) => 1 - (1 - (1 - s ** r) ** b), threshold, 1);
      const err = fp + fn;
      if (err < bestErr) [best, bestErr] = [{ bands: b, rows: r }, err];
    }
  }
  return best;
}

const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

export class MinHasher {
  private readonly xors: Uint32Array;
  private readonly muls: Uint32Array;
  private readonly ring: Uint32Array;

  constructor(
    readonly numPerm: number,
    readonly shingle: number,
    seed: number,
  ) {
    this.xors = new Uint32Array(numPerm);
    this.muls = new Uint32Array(numPerm);
    let s = fmix32(seed ^ 0x9e3779b9);
    for (let i = 0; i < numPerm; i++) {
      s = fmix32(s + 0x6d2b79f5);
      this.xors[i] = s;
      s = fmix32(s + 0x6d2b79f5);
      this.muls[i] = s | 1;
    }
    this.ring = new Uint32Array(Math.max(1, shingle));
  }

  /** Writes the signature of `text` (already normalised) into out[offset .. offset+numPerm). */
  signature(text: string, out: Uint32Array, offset = 0): void {
    const n = this.numPerm;
    out.fill(0xffffffff, offset, offset + n);
    const k = this.shingle;
    const ring = this.ring;
    let words = 0;
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = WORD.exec(text)) !== null) {
      ring[words % k] = hash32(m[0].toLowerCase());
      words++;
      if (words >= k) this.addShingle(this.shingleHash(words), out, offset);
    }
    if (words > 0 && words < k) this.addShingle(this.shingleHash(words), out, offset);
  }

  private shingleHash(words: number): number {
    const k = this.shingle;
    const count = Math.min(words, k);
    let h = 0x12345678;
    for (let j = count; j >= 1; j--) h = Math.imul(h ^ this.ring[(words - j) % k], 0x01000193);
    return fmix32(h ^ count);
  }

  private addShingle(x: number, out: Uint32Array, offset: number): void {
    const xors = this.xors;
    const muls = this.muls;
    for (let i = 0; i < this.numPerm; i++) {
      let t = Math.imul(x ^ xors[i], muls[i]);
      t = (t ^ (t >>> 15)) >>> 0;
      if (t < out[offset + i]) out[offset + i] = t;
    }
  }
}

/** Share of equal positions between two signatures: the MinHash estimate of Jaccard similarity. */
export function signatureSimilarity(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number, n: number): number {
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[aOff + i] === b[bOff + i]) eq++;
  return eq / n;
}

/** Signatures of indexed records plus their band buckets; finds the best earlier match of a signature. */
export class LshIndex {
  private sigs: Uint32Array;
  private size = 0;
  /** Band key (band × 2^32 + band hash) → slot, or slots when several share it. */
  private readonly buckets = new Map<number, number | number[]>();
  private seen: Int32Array;
  private stamp = 0;

  constructor(
    readonly numPerm: number,
    readonly params: LshParams,
  ) {
    this.sigs = new Uint32Array(numPerm * 1024);
    this.seen = new Int32Array(1024);
  }

  get count(): number {
    return this.size;
  }

  private bandKey(sig: Uint32Array, off: number, band: number): number {
    const r = this.params.rows;
    let h = 0x2545f491 ^ band;
    for (let i = band * r; i < band * r + r; i++) h = Math.imul(h ^ sig[off + i], 0x01000193);
    return band * 4294967296 + fmix32(h);
  }

  /** The indexed slot most similar to `sig` at or above `threshold` (earliest on ties), if any. */
  query(sig: Uint32Array, threshold: number): { slot: number; similarity: number } | undefined {
    const stamp = ++this.stamp;
    let best: { slot: number; similarity: number } | undefined;
    const check = (slot: number) => {
      if (this.seen[slot] === stamp) return;
      this.seen[slot] = stamp;
      const s = signatureSimilarity(sig, 0, this.sigs, slot * this.numPerm, this.numPerm);
      if (s >= threshold && (!best || s > best.similarity || (s === best.similarity && slot < best.slot))) best = { slot, similarity: s };
    };
    for (let b = 0; b < this.params.bands; b++) {
      const hit = this.buckets.get(this.bandKey(sig, 0, b));
      if (hit === undefined) continue;
      if (typeof hit === 'number') check(hit);
      else for (const slot of hit) check(slot);
    }
    return best;
  }

  /** Indexes a signature; returns its slot (slots count up from 0 in insertion order). */
  insert(sig: Uint32Array): number {
    const slot = this.size++;
    if (this.size * this.numPerm > this.sigs.length) {
      const g = new Uint32Array(this.sigs.length * 2);
      g.set(this.sigs);
      this.sigs = g;
      const s = new Int32Array(this.seen.length * 2);
      s.set(this.seen);
      this.seen = s;
    }
    this.sigs.set(sig.subarray(0, this.numPerm), slot * this.numPerm);
    for (let b = 0; b < this.params.bands; b++) {
      const key = this.bandKey(sig, 0, b);
      const hit = this.buckets.get(key);
      if (hit === undefined) this.buckets.set(key, slot);
      else if (typeof hit === 'number') this.buckets.set(key, [hit, slot]);
      else hit.push(slot);
    }
    return slot;
  }
}
