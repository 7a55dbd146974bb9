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

/** Table entries that are not a unit's value (see buildTable). */
const SPECIAL = -2;
const HIGH = -3;
const UNKNOWN = -4;

/** Any UTF-16 unit outside ASCII. */
export const NON_ASCII = /[\u0080-\uffff]/;

/**
 * hash53(normalizeText(text, n)) without building the normalised string: one pass over the text
 * that maps each UTF-16 unit through a table (lower case, or "whitespace") while hashing. No
 * lower-cased copy, no joined copy of a record's parts. The table holds String#toLowerCase of each
 * unit where that is context-free and one unit long; a text with anything else (capital sigma,
 * whose lower case depends on its position, 'İ', which lower-cases to two units, or a surrogate
 * pair when folding case) is hashed the slow way, so the value is always exactly
 * hash53(normalizeText(text, n)).
 */
export function normalizedHash53(text: string, n: Normalization = {}): number {
  return normalizedHash53Parts([text], n);
}

/**
 * normalizedHash53(parts.join('\n'), n), without the join. Whitespace is collapsed with as few
 * branches as the CPU has to guess: every whitespace unit maps to a space, and a space is skipped
 * only right after another (rare: runs, leading ones); a trailing space is taken back at the end
 * from the state saved before each unit. A branch on "is this whitespace" once per word (which the
 * CPU guesses wrong about as often as it is taken) made hashing 1.5x slower.
 */
export function normalizedHash53Parts(parts: readonly string[], n: Normalization = {}): number {
  const fold = n.case ?? true;
  // Two loops rather than one with a flag: the flag in the loop measured 40% slower.
  return (n.whitespace ?? true) ? collapsedHash(parts, tableFor(fold, true), n) : unitsHash(parts, tableFor(fold, false), n);
}

/** The hash of the parts joined by '\n', each unit through `table`, whitespace collapsed and trimmed. */
function collapsedHash(parts: readonly string[], table: Int32Array, n: Normalization): number {
  let h1 = 0xdeadbeef | 0;
  let h2 = 0x41c6ce57;
  // The state before the last unit hashed, to take a trailing space back.
  let b1 = h1;
  let b2 = h2;
  // 1 after whitespace, and at the start (leading whitespace goes).
  let afterSpace = 1;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0 && afterSpace === 0) {
      // The separator '\n' of the join: whitespace like any other.
      b1 = h1;
      b2 = h2;
      h1 = Math.imul(h1 ^ 32, 2654435761);
      h2 = Math.imul(h2 ^ 32, 1597334677);
      afterSpace = 1;
    }
    const s = parts[p];
    for (let i = 0; i < s.length; i++) {
      let v = table[s.charCodeAt(i)];
      if (v < 0) {
        v = known(table, s.charCodeAt(i), v);
        if (v < 0) return slowNormalizedHash53(parts.join('\n'), n);
      }
      const space = +(v === 32);
      if ((space & afterSpace) !== 0) continue;
      b1 = h1;
      b2 = h2;
      h1 = Math.imul(h1 ^ v, 2654435761);
      h2 = Math.imul(h2 ^ v, 1597334677);
      afterSpace = space;
    }
  }
  if (afterSpace !== 0) {
    h1 = b1;
    h2 = b2;
  }
  return fold53(h1, h2);
}

/** The hash of the parts joined by '\n', each unit through `table` (whitespace kept). */
function unitsHash(parts: readonly string[], table: Int32Array, n: Normalization): number {
  let h1 = 0xdeadbeef | 0;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) {
      h1 = Math.imul(h1 ^ 10, 2654435761);
      h2 = Math.imul(h2 ^ 10, 1597334677);
    }
    const s = parts[p];
    for (let i = 0; i < s.length; i++) {
      let v = table[s.charCodeAt(i)];
      if (v < 0) {
        v = known(table, s.charCodeAt(i), v);
        if (v < 0) return slowNormalizedHash53(parts.join('\n'), n);
      }
      h1 = Math.imul(h1 ^ v, 2654435761);
      h2 = Math.imul(h2 ^ v, 1597334677);
    }
  }
  return fold53(h1, h2);
}

/**
 * A table entry below zero: the unit's lower case when it was not looked up yet (then known), or
 * -1 when it has none of one unit of its own (capital sigma, 'İ', a surrogate pair with case): the
 * caller hashes the slow way, which lower-cases natively.
 */
function known(table: Int32Array, c: number, v: number): number {
  if (v !== UNKNOWN) return -1;
  const l = String.fromCharCode(c).toLowerCase();
  return (table[c] = l.length === 1 ? l.charCodeAt(0) : SPECIAL);
}

/** Per case folding and whitespace collapsing (index: fold * 2 + collapse). */
const tables: (Int32Array | undefined)[] = [undefined, undefined, undefined, undefined];

function tableFor(fold: boolean, collapse: boolean): Int32Array {
  const k = (fold ? 2 : 0) + (collapse ? 1 : 0);
  return (tables[k] ??= buildTable(fold, collapse));
}

/**
 * Per UTF-16 unit: its (lower-cased) value, a space for any whitespace when collapsing, HIGH (a
 * high surrogate, when folding) or SPECIAL.
 */
function buildTable(fold: boolean, collapse: boolean): Int32Array {
  const t = new Int32Array(65536);
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
  return fold53(h1, h2);
}
