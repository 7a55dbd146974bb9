/** Text normalisation for duplicate detection, and a fast 53-bit string hash (cyrb53). */

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
 * distinct texts a collision has a probability of about 1e-4 (n²/2^54).
 */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
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

/** Any UTF-16 unit outside ASCII. */
export const NON_ASCII = /[\u0080-\uffff]/;

/**
 * hash53(normalizeText(text, n)) without building the normalised string: one pass over the text
 * that maps each UTF-16 unit through a table (lower case, or "whitespace") while hashing. No
 * lower-cased copy, no joined copy of a record's parts. The table holds String#toLowerCase of each
 * unit where that is context-free and one unit long; a text with anything else (capital sigma,
 * whose lower case depends on its position, or 'İ', which lower-cases to two units) is hashed the
 * slow way, so the value is always exactly hash53(normalizeText(text, n)).
 */
export function normalizedHash53(text: string, n: Normalization = {}): number {
  return normalizedHash53Parts([text], n);
}

/** normalizedHash53(parts.join('\n'), n), without the join. */
export function normalizedHash53Parts(parts: readonly string[], n: Normalization = {}): number {
  const ws = n.whitespace ?? true;
  const table = (n.case ?? true) ? (foldTable ??= buildTable(true)) : (plainTable ??= buildTable(false));
  let h1 = 0xdeadbeef | 0;
  let h2 = 0x41c6ce57;
  let started = false;
  let space = false;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) {
      // The separator '\n' of the join: whitespace like any other.
      if (ws) {
        if (started) space = true;
      } else {
        h1 = Math.imul(h1 ^ 10, 2654435761);
        h2 = Math.imul(h2 ^ 10, 1597334677);
        started = true;
      }
    }
    const s = parts[p];
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      let v = table[ch];
      if (v < 0) {
        if (v === UNKNOWN) v = learn(table, ch);
        if (v >= 0) {
          // learned a plain lower case: fall through to hashing
        } else if (v === WS) {
          if (ws) {
            if (started) space = true;
            continue;
          }
          v = ch;
        } else if (v === HIGH) {
          v = lowerPairHigh(s, i);
          if (v < 0) return slowNormalizedHash53(parts.join('\n'), n);
          if (pairLow >= 0) {
            // The pair's lower case: its high unit here, its low unit below.
            if (space) {
              h1 = Math.imul(h1 ^ 32, 2654435761);
              h2 = Math.imul(h2 ^ 32, 1597334677);
              space = false;
            }
            h1 = Math.imul(h1 ^ v, 2654435761);
            h2 = Math.imul(h2 ^ v, 1597334677);
            i++;
            v = pairLow;
          }
        } else return slowNormalizedHash53(parts.join('\n'), n);
      }
      if (space) {
        h1 = Math.imul(h1 ^ 32, 2654435761);
        h2 = Math.imul(h2 ^ 32, 1597334677);
        space = false;
      }
      h1 = Math.imul(h1 ^ v, 2654435761);
      h2 = Math.imul(h2 ^ v, 1597334677);
      started = true;
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Low unit to hash after the high unit lowerPairHigh returned; -1 when s[i] starts no pair. */
let pairLow = -1;

/**
 * For a high surrogate at s[i]: the high unit to hash (of the pair's lower case), or `ch` itself
 * when no low surrogate follows; -1 when the lower case is not one astral code point.
 */
function lowerPairHigh(s: string, i: number): number {
  const ch = s.charCodeAt(i);
  const lo = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
  pairLow = -1;
  if (lo < 0xdc00 || lo > 0xdfff) return ch;
  const lower = astralLower(((ch - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
  if (lower < 0) return -1;
  pairLow = 0xdc00 + ((lower - 0x10000) & 0x3ff);
  return 0xd800 + ((lower - 0x10000) >> 10);
}

const WS = -1;
const SPECIAL = -2;
const HIGH = -3;
let foldTable: Int32Array | undefined;
let plainTable: Int32Array | undefined;
const astralCache = new Map<number, number>();

/** Per UTF-16 unit: its (lower-cased) value, WS, HIGH (a high surrogate, when folding) or SPECIAL. */
function buildTable(fold: boolean): Int32Array {
  const t = new Int32Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (isSpace(c)) t[c] = WS;
    else if (!fold) t[c] = c;
    else if (c < 0x80) t[c] = c >= 65 && c <= 90 ? c | 32 : c;
    else if (c >= 0xd800 && c <= 0xdbff) t[c] = HIGH;
    else if (c >= 0xdc00 && c <= 0xdfff) t[c] = c;
    else if (c === 0x3a3) t[c] = SPECIAL; // Σ: σ or final ς depending on what follows
    else t[c] = UNKNOWN; // looked up on first sight: 65k toLowerCase calls up front cost ~50 ms
  }
  return t;
}

const UNKNOWN = -4;

/** Fills in a table entry left UNKNOWN; returns its value. */
function learn(t: Int32Array, c: number): number {
  const l = String.fromCharCode(c).toLowerCase();
  return (t[c] = l.length === 1 ? l.charCodeAt(0) : SPECIAL);
}

/** The lower case of an astral code point, or -1 when it is not one code point. */
function astralLower(cp: number): number {
  let v = astralCache.get(cp);
  if (v === undefined) {
    const l = String.fromCodePoint(cp).toLowerCase();
    const lc = l.codePointAt(0) ?? -1;
    v = l.length === 2 && lc > 0xffff ? lc : -1;
    if (astralCache.size < 4096) astralCache.set(cp, v);
  }
  return v;
}

/** The reference path: lower-case the whole text natively, then hash while collapsing whitespace. */
function slowNormalizedHash53(text: string, n: Normalization): number {
  const ws = n.whitespace ?? true;
  const fold = n.case ?? true;
  const s = fold && NON_ASCII.test(text) ? text.toLowerCase() : text;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let started = false;
  let space = false;
  for (let i = 0; i < s.length; i++) {
    let ch = s.charCodeAt(i);
    if (ws && isSpace(ch)) {
      if (started) space = true;
      continue;
    }
    if (space) {
      h1 = Math.imul(h1 ^ 32, 2654435761);
      h2 = Math.imul(h2 ^ 32, 1597334677);
      space = false;
    }
    if (fold && ch >= 65 && ch <= 90) ch |= 32;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
    started = true;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
