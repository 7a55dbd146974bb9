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
 * hash53(normalizeText(text, n)) without building the normalised string: one pass that collapses
 * whitespace and folds ASCII case while hashing (non-ASCII text is lower-cased natively first).
 */
export function normalizedHash53(text: string, n: Normalization = {}): number {
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
