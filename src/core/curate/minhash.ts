/**
 * Near-duplicate detection: MinHash signatures over word shingles and an LSH index (banding).
 *
 * Words are runs of letters and digits (ASCII letters folded to lower case; other scripts are
 * compared as written, so dedupe lower-cases the text first); each Han/kana character counts as a
 * word, since those scripts do not separate words with spaces. A shingle is k consecutive words (a text shorter
 * than k words is one shingle). Each of `numPerm` hash functions is a seeded xor-multiply-shift of
 * the shingle's hash; the signature keeps each function's minimum, and the share of equal minima
 * between two signatures estimates the Jaccard similarity of their shingle sets.
 *
 * Banding: the signature is cut into b bands of r rows; two records become candidates when any
 * band matches exactly. b and r are chosen for the threshold t by minimising the integrated
 * false-positive and false-negative probabilities of 1-(1-s^r)^b (as datasketch does).
 * Memory: numPerm int32 per indexed record (in fixed chunks, never copied), and one Map entry per
 * band per record.
 */
import { fmix32 } from './textHash';

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

export class MinHasher {
  private readonly xors: Int32Array;
  private readonly muls: Int32Array;
  private readonly ring: Int32Array;
  // Minima are taken in signed int32 order: any fixed order is a valid min-wise hash, and staying
  // in int32 keeps V8 on its integer fast path (unsigned values above 2^31 would be doubles).

  constructor(
    readonly numPerm: number,
    readonly shingle: number,
    seed: number,
  ) {
    this.xors = new Int32Array(numPerm);
    this.muls = new Int32Array(numPerm);
    let s = fmix32(seed ^ 0x9e3779b9);
    for (let i = 0; i < numPerm; i++) {
      s = fmix32(s + 0x6d2b79f5);
      this.xors[i] = s;
      s = fmix32(s + 0x6d2b79f5);
      this.muls[i] = s | 1;
    }
    this.ring = new Int32Array(Math.max(1, shingle));
  }

  /** Writes the signature of `text` into out[0 .. numPerm). */
  signature(text: string, out: Int32Array): void {
    out.fill(0x7fffffff, 0, this.numPerm);
    const k = this.shingle;
    const ring = this.ring;
    let words = 0;
    // Words are hashed as they are scanned (FNV-1a, ASCII letters folded to lower case): no regex,
    // no substrings; this loop, not the hash functions, was the cost of a signature.
    let h = 0;
    let inWord = false;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 32;
      const kind = charKind(c);
      if (kind === WORD_CHAR) {
        if (!inWord) {
          h = 0x811c9dc5 | 0;
          inWord = true;
        }
        h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), 0x01000193);
        continue;
      }
      if (inWord) {
        ring[words % k] = fmix32(h) | 0;
        words++;
        if (words >= k) minInto(shingleHash(ring, k, words), this.xors, this.muls, out);
        inWord = false;
      }
      if (kind === IDEOGRAPH) {
        ring[words % k] = fmix32(Math.imul(0x811c9dc5 ^ c, 0x01000193)) | 0;
        words++;
        if (words >= k) minInto(shingleHash(ring, k, words), this.xors, this.muls, out);
      }
    }
    if (words > 0 && words < k) minInto(shingleHash(ring, k, words), this.xors, this.muls, out);
  }
}

const SEPARATOR = 0;
const WORD_CHAR = 1;
const IDEOGRAPH = 2;

/** Letters and digits make words; Han and kana characters are words of their own; the rest separates. */
function charKind(c: number): number {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? WORD_CHAR : SEPARATOR;
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return IDEOGRAPH;
  // Punctuation, symbols and spaces outside ASCII separate words too.
  if (c <= 0xbf || (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff20)) return SEPARATOR;
  return WORD_CHAR;
}

function shingleHash(ring: Int32Array, k: number, words: number): number {
  const count = Math.min(words, k);
  let h = 0x12345678;
  for (let j = count; j >= 1; j--) h = Math.imul(h ^ ring[(words - j) % k], 0x01000193);
  return fmix32(h ^ count) | 0;
}

/** The hot loop: a plain function over typed arrays, so V8 keeps it monomorphic and in int32. */
function minInto(x: number, xors: Int32Array, muls: Int32Array, out: Int32Array): void {
  const n = xors.length;
  for (let i = 0; i < n; i++) {
    let t = Math.imul(x ^ xors[i], muls[i]);
    t ^= t >>> 15;
    if (t < out[i]) out[i] = t;
  }
}

/** Share of equal positions between two signatures: the MinHash estimate of Jaccard similarity. */
export function signatureSimilarity(a: Int32Array, aOff: number, b: Int32Array, bOff: number, n: number): number {
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[aOff + i] === b[bOff + i]) eq++;
  return eq / n;
}

/** Signatures per storage chunk: chunks are never copied or doubled, so memory tracks the count. */
const CHUNK = 4096;

/** Signatures of indexed records plus their band buckets; finds the best earlier match of a signature. */
export class LshIndex {
  private readonly chunks: Int32Array[] = [];
  private size = 0;
  /**
   * Per band: band hash (int32, a small integer to V8, never a boxed number) → slot, or slots when
   * several share it. One map per band rather than one for all keeps each under V8's limit of 2^24
   * entries (one map overflowed past 2^24 / bands records: 670k at threshold 0.5).
   */
  private readonly buckets: Map<number, number | number[]>[];
  private seen = new Int32Array(CHUNK);
  private stamp = 0;

  constructor(
    readonly numPerm: number,
    readonly params: LshParams,
  ) {
    this.buckets = Array.from({ length: params.bands }, () => new Map<number, number | number[]>());
  }

  get count(): number {
    return this.size;
  }

  private bandKey(sig: Int32Array, band: number): number {
    const r = this.params.rows;
    let h = 0x2545f491 ^ band;
    for (let i = band * r; i < band * r + r; i++) h = Math.imul(h ^ sig[i], 0x01000193);
    return fmix32(h) | 0;
  }

  /** The indexed slot most similar to `sig` at or above `threshold` (earliest on ties), if any. */
  query(sig: Int32Array, threshold: number): { slot: number; similarity: number } | undefined {
    const stamp = ++this.stamp;
    let best: { slot: number; similarity: number } | undefined;
    const check = (slot: number) => {
      if (this.seen[slot] === stamp) return;
      this.seen[slot] = stamp;
      const s = signatureSimilarity(sig, 0, this.chunks[Math.floor(slot / CHUNK)], (slot % CHUNK) * this.numPerm, this.numPerm);
      if (s >= threshold && (!best || s > best.similarity || (s === best.similarity && slot < best.slot))) best = { slot, similarity: s };
    };
    for (let b = 0; b < this.params.bands; b++) {
      const hit = this.buckets[b].get(this.bandKey(sig, b));
      if (hit === undefined) continue;
      if (typeof hit === 'number') check(hit);
      else for (const slot of hit) check(slot);
    }
    return best;
  }

  /** Indexes a signature; returns its slot (slots count up from 0 in insertion order). */
  insert(sig: Int32Array): number {
    const slot = this.size++;
    if (slot % CHUNK === 0) this.chunks.push(new Int32Array(CHUNK * this.numPerm));
    if (this.size > this.seen.length) {
      const s = new Int32Array(this.seen.length * 2);
      s.set(this.seen);
      this.seen = s;
    }
    this.chunks[this.chunks.length - 1].set(sig.subarray(0, this.numPerm), (slot % CHUNK) * this.numPerm);
    for (let b = 0; b < this.params.bands; b++) {
      const key = this.bandKey(sig, b);
      const bucket = this.buckets[b];
      const hit = bucket.get(key);
      if (hit === undefined) bucket.set(key, slot);
      else if (typeof hit === 'number') bucket.set(key, [hit, slot]);
      else hit.push(slot);
    }
    return slot;
  }
}
