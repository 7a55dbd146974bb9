/**
 * Text normalisation for duplicate detection and the 53-bit hashes of curation: textHash53 for exact
 * duplicates (fast, four lanes), hash53 (cyrb53, seeded) for split's assignment and source texts.
 */

export interface Normalization {
  /** Collapse runs of whitespace to one space and trim. Default true. */
  whitespace?: boolean;
  /** Compare case-insensitively. Default true. */
  case?: boolean;
}

export function normalizeText(text: string, n: Normalization = {}): string {
  let s = text;
  if (n.whitespace ?? true) s = s.replace(/\s+/g, ' ').trim();
  if (n.case ?? true) s = s.toLowerCase();
  return s;
}

/**
 * cyrb53: two 32-bit multiply-xor lanes folded into 53 bits, exact in a JS number. Across 1M
 * distinct texts a collision has a probability of about 1e-4 (n²/2^54). Split's assignment of a
 * record by its seeded hash must stay the same between versions: keep this function as it is.
 */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return fold53(h1, h2);
}

/** cyrb53's final mix of its two lanes into 53 bits. */
function fold53(a: number, b: number): number {
  let h1 = a;
  let h2 = b;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 32-bit string hash (FNV-1a with a murmur finalizer), for shingles and band keys. */
export function hash32(s: string, seed = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Murmur3's finalizer: a bijection of 32-bit integers with full avalanche. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Table entries that are not a unit's value (see fillTable). */
const SPECIAL = -2;
const HIGH = -3;
const UNKNOWN = -4;

/** Any UTF-16 unit outside ASCII. */
export const NON_ASCII = /[\u0080-\uffff]/;

// The lanes' multipliers and the third, for the length (xxHash32's primes).
const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;

/**
 * The 53-bit hash exact deduplication compares: four lanes of xxHash32's round, each taking every
 * fourth pair of UTF-16 units (little-endian, the last pair padded with 0), folded with the length
 * by cyrb53's final mix. Four lanes, because one chain of multiplications (cyrb53's, one per unit)
 * cannot go faster than its latency; these four run side by side. Its values live only within a
 * run, so it may change between versions; what is written to files and read back by a later
 * version (split's seeded assignment, the synthetic job's accepted records) uses hash53.
 */
export function textHash53(s: string): number {
  const n = s.length;
  const words = (n + 1) >> 1;
  let a = (P1 + P2) | 0;
  let b = P2;
  let c = 0;
  let d = -P1 | 0;
  // charCodeAt past the end is NaN, which | and << make 0: the padding.
  const word = (k: number) => (s.charCodeAt(2 * k) | (s.charCodeAt(2 * k + 1) << 16)) | 0;
  let k = 0;
  for (; k + 4 <= words; k += 4) {
    a = round(a, word(k));
    b = round(b, word(k + 1));
    c = round(c, word(k + 2));
    d = round(d, word(k + 3));
  }
  if (k < words) a = round(a, word(k));
  if (k + 1 < words) b = round(b, word(k + 1));
  if (k + 2 < words) c = round(c, word(k + 2));
  return finish(a, b, c, d, n);
}

function round(acc: number, w: number): number {
  return Math.imul(rotl((acc + Math.imul(w, P2)) | 0, 13), P1);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function finish(a: number, b: number, c: number, d: number, n: number): number {
  const h1 = (rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + n) | 0;
  const h2 = ((a ^ rotl(b, 11)) + (rotl(c, 17) ^ rotl(d, 23)) + Math.imul(n, P3)) | 0;
  return fold53(h1, h2);
}

/**
 * The normalised text hash that files keep: the synthetic job writes it for every record it
 * accepts, and a resumed run, maybe of a later version, recognises them by it. hash53 of the
 * normalised text, as it has been since synthetic jobs were written: it must never change.
 */
export function storedTextHash(text: string): number {
  return hash53(normalizeText(text));
}

/**
 * textHash53(normalizeText(text, n)) without building the normalised string. See
 * normalizedHash53Parts.
 */
export function normalizedHash53(text: string, n: Normalization = {}): number {
  return normalizedHash53Parts([text], n);
}

/**
 * Scratch of the fast path: the units of a record's parts, normalised in place, read as words. It
 * and the default's table (FOLD_COLLAPSE) are constants, never replaced, and the loops are handed
 * them as such: the compiler then knows the arrays where the loops run. With a scratch that grew
 * and a table looked up per call, the same code took 1.3x as long (the benchmark's record texts,
 * one thread). 1 MB, its pages touched only as far as texts reach.
 */
const SCRATCH = new ArrayBuffer(1 << 20);
const SCRATCH_BYTES = Buffer.from(SCRATCH);
const SCRATCH_UNITS = new Uint16Array(SCRATCH);
const SCRATCH_WORDS = new Int32Array(SCRATCH);
/** Texts longer than this (units; the rest is room for the padding of the last words) take the slow path. */
export const SCRATCH_MAX_UNITS = SCRATCH_UNITS.length - 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * textHash53(normalizeText(parts.join('\n'), n)), fast: the parts are copied natively into a
 * scratch of UTF-16 units (Buffer#write: no charCodeAt per unit, which costs as much as the rest),
 * mapped in place through a table (lower case, or "whitespace") and compacted, then hashed as
 * words. The table holds String#toLowerCase of each unit where that is context-free and one unit
 * long; a text with anything else (capital sigma, whose lower case depends on its position, 'İ',
 * which lower-cases to two units, or a surrogate pair when folding case) is normalised natively,
 * so the value is always exactly that of the definition. Hashing each unit through the table as it
 * went (cyrb53, charCodeAt) measured 1.3x as long. On 20 MB of the benchmark's record texts, hashed
 * from a loop that cannot inline the call: 2.4 ns a unit, against 3.1 ns before the
 * scratch and the default's table were constants.
 */
export function normalizedHash53Parts(parts: readonly string[], n: Normalization = {}): number {
  const fold = n.case ?? true;
  const collapse = n.whitespace ?? true;
  if (!fold || !collapse) return hashNormalized(parts, n, tableFor(fold, collapse), collapse);
  // The default of every command: its table named here, a constant (see SCRATCH).
  if (!foldCollapseBuilt) {
    fillTable(FOLD_COLLAPSE, true, true);
    foldCollapseBuilt = true;
  }
  return hashNormalized(parts, n, FOLD_COLLAPSE, true);
}

function hashNormalized(parts: readonly string[], n: Normalization, table: Int32Array, collapse: boolean): number {
  let out = normalizeIntoScratch(parts, table, collapse);
  // A unit not seen before: look its lower case up, then once more.
  if (out === NEEDS_LOOKUP && learnUnits(parts, table)) out = normalizeIntoScratch(parts, table, collapse);
  if (out < 0) return slowNormalizedHash53(parts, n);
  for (let k = 0; k < 8; k++) SCRATCH_UNITS[out + k] = 0;
  return wordsHash(SCRATCH_WORDS, out);
}

/** normalizeIntoScratch's answer for a text that needs the slow path, or a unit looked up first. */
const NEEDS_LOOKUP = -1;
const TOO_LONG = -2;

/** Copies the parts, joined by '\n', into the scratch and normalises them there: the new length. */
function normalizeIntoScratch(parts: readonly string[], table: Int32Array, collapse: boolean): number {
  let total = parts.length;
  for (let p = 0; p < parts.length; p++) total += parts[p].length;
  if (total > SCRATCH_MAX_UNITS || !LITTLE_ENDIAN) return TOO_LONG;
  const units = SCRATCH_UNITS;
  const bytes = SCRATCH_BYTES;
  let len = 0;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) units[len++] = 10;
    len += bytes.write(parts[p], 2 * len, 'utf16le') >> 1;
  }
  // Two loops rather than one with a flag: the flag in the loop measured 40% slower.
  return collapse ? collapseInPlace(units, len, table) : mapInPlace(units, len, table);
}

/**
 * Maps units[0..len) through `table`, collapsing whitespace runs to one space and trimming; returns
 * the new length, or NEEDS_LOOKUP at a negative entry. Branch-free where the CPU would guess wrong:
 * every unit is stored, and the length advances unless it is a space after a space. Small changes
 * here cost much: `space ? 1 : 0` for `+(space)` measured 2x slower, and a call to look an entry up
 * inside the loop 25%.
 */
function collapseInPlace(units: Uint16Array, len: number, table: Int32Array): number {
  let out = 0;
  // 1 after whitespace, and at the start (leading whitespace goes).
  let afterSpace = 1;
  for (let i = 0; i < len; i++) {
    const v = table[units[i]];
    if (v < 0) return NEEDS_LOOKUP;
    const space = +(v === 32);
    units[out] = v;
    out += 1 - (space & afterSpace);
    afterSpace = space;
  }
  return afterSpace !== 0 && out > 0 ? out - 1 : out;
}

/** Maps units[0..len) through `table` (whitespace kept); NEEDS_LOOKUP as collapseInPlace. */
function mapInPlace(units: Uint16Array, len: number, table: Int32Array): number {
  for (let i = 0; i < len; i++) {
    const v = table[units[i]];
    if (v < 0) return NEEDS_LOOKUP;
    units[i] = v;
  }
  return len;
}

/**
 * Looks up the lower case of every unit of the parts the table has not seen (UNKNOWN); whether it
 * found any. Entries that stay negative (capital sigma, 'İ', a surrogate pair with case) send the
 * text the slow way, which lower-cases natively.
 */
function learnUnits(parts: readonly string[], table: Int32Array): boolean {
  let learned = false;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (table[c] !== UNKNOWN) continue;
      const l = String.fromCharCode(c).toLowerCase();
      table[c] = l.length === 1 ? l.charCodeAt(0) : SPECIAL;
      learned = true;
    }
  }
  return learned;
}

/** textHash53 of `n` units held in `words` as pairs, the units after them zero. */
function wordsHash(words: Int32Array, n: number): number {
  const count = (n + 1) >> 1;
  let a = (P1 + P2) | 0;
  let b = P2;
  let c = 0;
  let d = -P1 | 0;
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    a = Math.imul(rotl((a + Math.imul(words[k], P2)) | 0, 13), P1);
    b = Math.imul(rotl((b + Math.imul(words[k + 1], P2)) | 0, 13), P1);
    c = Math.imul(rotl((c + Math.imul(words[k + 2], P2)) | 0, 13), P1);
    d = Math.imul(rotl((d + Math.imul(words[k + 3], P2)) | 0, 13), P1);
  }
  if (k < count) a = round(a, words[k]);
  if (k + 1 < count) b = round(b, words[k + 1]);
  if (k + 2 < count) c = round(c, words[k + 2]);
  return finish(a, b, c, d, n);
}

/** The table of the default normalisation (case folded, whitespace collapsed), filled on first use. */
const FOLD_COLLAPSE = new Int32Array(65536);
let foldCollapseBuilt = false;

/** The other normalisations' tables (index: fold * 2 + collapse). */
const tables: (Int32Array | undefined)[] = [undefined, undefined, undefined, undefined];

function tableFor(fold: boolean, collapse: boolean): Int32Array {
  const k = (fold ? 2 : 0) + (collapse ? 1 : 0);
  return (tables[k] ??= fillTable(new Int32Array(65536), fold, collapse));
}

/**
 * Per UTF-16 unit: its (lower-cased) value, a space for any whitespace when collapsing, HIGH (a
 * high surrogate, when folding) or SPECIAL.
 */
function fillTable(t: Int32Array, fold: boolean, collapse: boolean): Int32Array {
  for (let c = 0; c < 65536; c++) {
    if (isSpace(c)) t[c] = collapse ? 32 : c;
    else if (!fold) t[c] = c;
    else if (c < 0x80) t[c] = c >= 65 && c <= 90 ? c | 32 : c;
    else if (c >= 0xd800 && c <= 0xdbff) t[c] = HIGH;
    else if (c >= 0xdc00 && c <= 0xdfff) t[c] = c;
    else if (c === 0x3a3) t[c] = SPECIAL; // Σ: σ or final ς depending on what follows
    else t[c] = UNKNOWN; // looked up on first sight: 65k toLowerCase calls up front cost ~50 ms
  }
  return t;
}

/** The reference path: normalise the joined text natively, then hash it. */
function slowNormalizedHash53(parts: readonly string[], n: Normalization): number {
  return textHash53(normalizeText(parts.length === 1 ? parts[0] : parts.join('\n'), n));
}
