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
 * A pair at the threshold t is found by two steps, each tuned so that pairs at t + 0.03 are found
 * (RECALL_MARGIN, RECALL):
 * - Acceptance. The estimate is a binomial share (numPerm draws at the true Jaccard J), so a pair
 *   is a near duplicate when its estimate reaches the bar that 97.5% of estimates at J = t + 0.03
 *   reach (0.781 for t = 0.8 with 256 functions; never above t). The bar being a little below t is
 *   the price of recall at t + 0.03: with the bar at t itself, 128 functions found only 82% of
 *   those pairs, and pairs at t - 0.1 still pass less than 0.5% of the time with 256 functions.
 * - Candidates. The signature is cut into b bands of r rows; two records are compared only when a
 *   band matches exactly, which happens with probability 1-(1-s^r)^b. r is the largest (fewest
 *   chance candidates) for which some b with b·r ≤ numPerm makes that probability at least 99% at
 *   the bar, and b the fewest bands that do: the S-curve's 50% point sits well below t (0.66 for
 *   t = 0.8). The parameters chosen before balanced both errors over [0, 1] (as datasketch does),
 *   which put the 50% point above the threshold (0.84 for t = 0.8): 53% of pairs at 0.83 were found.
 * test/unit/curate/nearRecall.test.ts and bench/nearRecall.bench.ts measure the recall.
 *
 * Memory: a signature keeps the low 16 bits of each minimum (numPerm × 2 bytes per indexed record,
 * in fixed chunks, never copied: two different minima agree on them once in 65,536, which moves an
 * estimate by less than 0.0001), and one entry per band per record (bandTable.ts, 11-17 bytes).
 * Band keys use the full minima.
 */
import { BandTable } from './bandTable';
import { fmix32 } from './textHash';

/** MinHash functions of near-duplicate search (dedupe --near, synth's duplicate check). */
export const NEAR_NUM_PERM = 256;

/** Pairs at the threshold plus this are found with probability RECALL (or more). */
export const RECALL_MARGIN = 0.03;
export const RECALL = 0.975;
/** Probability that a pair whose estimate is at the acceptance bar shares a band (is compared at all). */
const CANDIDATE_RECALL = 0.99;

export interface LshParams {
  bands: number;
  rows: number;
  /** Estimated Jaccard at or above which a compared pair is a near duplicate (a multiple of 1/numPerm, at most the threshold). */
  accept: number;
}

/** ln C(n, k) + k ln p + (n - k) ln(1 - p): the log of a binomial probability. */
function logBinomial(n: number, k: number, p: number): number {
  let lc = 0;
  for (let i = 1; i <= k; i++) lc += Math.log((n - k + i) / i);
  return lc + (k > 0 ? k * Math.log(p) : 0) + (n - k > 0 ? (n - k) * Math.log(1 - p) : 0);
}

/** The largest k with P(X >= k) >= prob for X ~ Binomial(n, p). */
function binomialLowerQuantile(n: number, p: number, prob: number): number {
  if (p >= 1) return n;
  let tail = 0;
  for (let k = n; k >= 0; k--) {
    tail += Math.exp(logBinomial(n, k, p));
    if (tail >= prob) return k;
  }
  return 0;
}

/** Bands, rows and the acceptance bar for a Jaccard threshold (see the header). */
export function lshParams(threshold: number, numPerm: number): LshParams {
  const k = Math.min(binomialLowerQuantile(numPerm, Math.min(1, threshold + RECALL_MARGIN), RECALL), Math.floor(threshold * numPerm + 1e-9));
  const accept = Math.max(1, k) / numPerm;
  let best: LshParams | undefined;
  for (let r = 1; r <= numPerm; r++) {
    const perBand = accept ** r;
    // Bands needed for CANDIDATE_RECALL at the bar: 1-(1-perBand)^b >= CANDIDATE_RECALL.
    const b = perBand >= 1 ? 1 : Math.ceil(Math.log(1 - CANDIDATE_RECALL) / Math.log1p(-perBand));
    if (Number.isFinite(b) && b * r <= numPerm) best = { bands: b, rows: r, accept };
  }
  // A signature too short for the candidate recall: one row per band, every function a band.
  return best ?? { bands: numPerm, rows: 1, accept };
}

/** Probability that a pair of true Jaccard `s` shares at least one band. */
export function candidateProbability(s: number, p: Pick<LshParams, 'bands' | 'rows'>): number {
  return 1 - (1 - s ** p.rows) ** p.bands;
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

/** Equal positions between a full signature and a stored one (low 16 bits of each minimum). */
function equalLow16(sig: Int32Array, stored: Uint16Array, off: number, n: number): number {
  let eq = 0;
  for (let i = 0; i < n; i++) if ((sig[i] & 0xffff) === stored[off + i]) eq++;
  return eq;
}

/** Signatures per storage chunk: chunks are never copied or doubled, so memory tracks the count. */
const CHUNK = 4096;

/** Signatures of indexed records plus their band buckets; finds the best earlier match of a signature. */
export class LshIndex {
  private readonly chunks: Uint16Array[] = [];
  private size = 0;
  /** Per band: band key → slots (typed arrays: a Map per band took 37 bytes per record and band). */
  private readonly buckets: BandTable[];
  private seen = new Int32Array(CHUNK);
  private stamp = 0;
  /** Equal positions needed: params.accept × numPerm. */
  private readonly acceptCount: number;
  /** Signatures compared by queries so far (the work candidate verification did). */
  comparisons = 0;

  constructor(
    readonly numPerm: number,
    readonly params: LshParams,
  ) {
    this.buckets = Array.from({ length: params.bands }, () => new BandTable());
    this.acceptCount = Math.round(params.accept * numPerm);
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

  /**
   * The indexed slot most similar to `sig` (earliest on ties) among those sharing a band with it,
   * if its estimated similarity reaches the acceptance bar (params.accept).
   */
  query(sig: Int32Array): { slot: number; similarity: number } | undefined {
    const stamp = ++this.stamp;
    let bestSlot = -1;
    let bestEq = this.acceptCount - 1;
    const check = (slot: number) => {
      if (this.seen[slot] === stamp) return;
      this.seen[slot] = stamp;
      this.comparisons++;
      const eq = equalLow16(sig, this.chunks[Math.floor(slot / CHUNK)], (slot % CHUNK) * this.numPerm, this.numPerm);
      if (eq > bestEq || (eq === bestEq && bestSlot >= 0 && slot < bestSlot)) [bestSlot, bestEq] = [slot, eq];
    };
    for (let b = 0; b < this.params.bands; b++) this.buckets[b].forEach(this.bandKey(sig, b), check);
    return bestSlot < 0 ? undefined : { slot: bestSlot, similarity: bestEq / this.numPerm };
  }

  /** Indexes a signature; returns its slot (slots count up from 0 in insertion order). */
  insert(sig: Int32Array): number {
    const slot = this.size++;
    if (slot % CHUNK === 0) this.chunks.push(new Uint16Array(CHUNK * this.numPerm));
    if (this.size > this.seen.length) {
      const s = new Int32Array(this.seen.length * 2);
      s.set(this.seen);
      this.seen = s;
    }
    const chunk = this.chunks[this.chunks.length - 1];
    const off = (slot % CHUNK) * this.numPerm;
    for (let i = 0; i < this.numPerm; i++) chunk[off + i] = sig[i] & 0xffff;
    for (let b = 0; b < this.params.bands; b++) this.buckets[b].add(this.bandKey(sig, b), slot);
    return slot;
  }
}
