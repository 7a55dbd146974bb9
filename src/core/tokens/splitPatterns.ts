/**
 * The pre-tokenization split of o200k_base and cl100k_base, written out instead of run as a regex
 * (gpt-tokenizer's O200K_TOKEN_SPLIT_REGEX and CL100K_TOKEN_SPLIT_REGEX, which are tiktoken's
 * patterns with the `u` flag). A sticky regex test per piece was 42% of an exact token count's time
 * (BENCHMARKS.md, curate, the third machine); these loops read each code point's class from a table.
 *
 * Each function gives where the piece that starts at `i` ends, or -1 when no alternative of the
 * pattern matches there. It follows the regex's own order: the first alternative that matches wins,
 * greedy quantifiers take all they can and give back only what the rest of the alternative needs.
 * Positions are UTF-16 indexes; a surrogate pair is one code point, a lone surrogate is one of its
 * own (as in a `u` regex), in no class. A differential test holds both functions to the regexes.
 */

/** \p{L} */
const LETTER = 1;
/** [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]: what o200k_base takes as an upper-case run. */
const UPPERISH = 2;
/** [\p{Ll}\p{Lm}\p{Lo}\p{M}]: what o200k_base takes as a lower-case run. */
const LOWERISH = 4;
/** \p{N} */
const NUMBER = 8;
/** \s (white space and line terminators, as a `u` regex reads it) */
const SPACE = 16;
/** Not yet looked up (BMP table). */
const UNKNOWN = 0xff;

const CLASS_REGEXES: readonly [RegExp, number][] = [
  [/^\p{L}$/u, LETTER],
  [/^[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]$/u, UPPERISH],
  [/^[\p{Ll}\p{Lm}\p{Lo}\p{M}]$/u, LOWERISH],
  [/^\p{N}$/u, NUMBER],
  [/^\s$/u, SPACE],
];

/** A code point's classes, by the engine that runs the patterns' regexes: their Unicode data always agree. */
function lookUp(cp: number): number {
  const s = String.fromCodePoint(cp);
  let c = 0;
  for (const [re, bit] of CLASS_REGEXES) if (re.test(s)) c |= bit;
  return c;
}

/** The classes of each BMP code point, looked up the first time it is seen (by the regexes above). */
const BMP = new Uint8Array(65536).fill(UNKNOWN);
/** The same past the BMP (1 MB, made when the first such code point comes: emoji, some scripts). */
let astral: Uint8Array | undefined;

/** The classes of the code point at `i` (a lone surrogate: none). */
function classAt(text: string, i: number): number {
  const u = text.charCodeAt(i);
  if (u < 0xd800 || u > 0xdfff) {
    const c = BMP[u];
    return c !== UNKNOWN ? c : (BMP[u] = lookUp(u));
  }
  const cp = text.codePointAt(i) as number;
  if (cp === u) return 0;
  astral ??= new Uint8Array(0x100000).fill(UNKNOWN);
  const c = astral[cp - 0x10000];
  return c !== UNKNOWN ? c : (astral[cp - 0x10000] = lookUp(cp));
}

/** UTF-16 units of the code point at `i`. */
export function widthAt(text: string, i: number): number {
  const u = text.charCodeAt(i);
  if (u < 0xd800 || u > 0xdbff || i + 1 >= text.length) return 1;
  const v = text.charCodeAt(i + 1);
  return v >= 0xdc00 && v <= 0xdfff ? 2 : 1;
}

/** Past the run of code points from `i` that have any of `bits`. */
function runEnd(text: string, i: number, bits: number): number {
  while (i < text.length && (classAt(text, i) & bits) !== 0) i += widthAt(text, i);
  return i;
}

/** [^\r\n\p{L}\p{N}] */
function isPrefix(text: string, i: number): boolean {
  const u = text.charCodeAt(i);
  return u !== 10 && u !== 13 && (classAt(text, i) & (LETTER | NUMBER)) === 0;
}

/** [^\s\p{L}\p{N}] */
function isSymbol(text: string, i: number): boolean {
  return (classAt(text, i) & (SPACE | LETTER | NUMBER)) === 0;
}

/** Past an optional '(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]) at `i`. */
function contractionEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x27 || i + 1 >= text.length) return i;
  const a = text.charCodeAt(i + 1) | 0x20;
  if (a === 0x73 || a === 0x64 || a === 0x6d || a === 0x74) return i + 2;
  if (i + 2 >= text.length) return i;
  const b = text.charCodeAt(i + 2) | 0x20;
  if ((a === 0x6c && b === 0x6c) || (a === 0x76 && b === 0x65) || (a === 0x72 && b === 0x65)) return i + 3;
  return i;
}

/** \p{N}{1,3} at `i`, or -1. */
function numberEnd(text: string, i: number): number {
  let e = i;
  for (let k = 0; k < 3 && e < text.length && (classAt(text, e) & NUMBER) !== 0; k++) e += widthAt(text, e);
  return e > i ? e : -1;
}

/** ` ?[^\s\p{L}\p{N}]+` then `[\r\n]*` (`[\r\n/]*` with `slash`) at `i`, or -1. */
function symbolsEnd(text: string, i: number, slash: boolean): number {
  let s = i;
  if (text.charCodeAt(i) === 0x20 && i + 1 < text.length && isSymbol(text, i + 1)) s = i + 1;
  else if (!isSymbol(text, i)) return -1;
  let e = s;
  while (e < text.length && isSymbol(text, e)) e += widthAt(text, e);
  for (; e < text.length; e++) {
    const u = text.charCodeAt(e);
    if (u !== 10 && u !== 13 && !(slash && u === 0x2f)) break;
  }
  return e;
}

/** Past the white space from `i` (all of it is in the BMP), and the last \r or \n in it (-1: none). */
function spaceRun(text: string, i: number): [number, number] {
  let e = i;
  let lastNewline = -1;
  while (e < text.length && (classAt(text, e) & SPACE) !== 0) {
    const u = text.charCodeAt(e);
    if (u === 10 || u === 13) lastNewline = e;
    e++;
  }
  return [e, lastNewline];
}

/** [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ at `s`, or -1. */
function upperThenLowerEnd(text: string, s: number): number {
  // The upper run gives back code points until the lower run can start: at the last one of the
  // run that is in both classes, unless the code point after the run is a lower one.
  let e = s;
  let lastBoth = -1;
  while (e < text.length) {
    const c = classAt(text, e);
    if ((c & UPPERISH) === 0) break;
    if ((c & LOWERISH) !== 0) lastBoth = e;
    e += widthAt(text, e);
  }
  if (e < text.length && (classAt(text, e) & LOWERISH) !== 0) return runEnd(text, e, LOWERISH);
  return lastBoth >= 0 ? lastBoth + widthAt(text, lastBoth) : -1;
}

/** o200k_base's piece at `i`: its end, or -1. */
export function o200kPieceEnd(text: string, i: number): number {
  const prefixed = isPrefix(text, i);
  const next = i + widthAt(text, i);
  // [^\r\n\p{L}\p{N}]?[upper]*[lower]+(contraction)?
  let e = prefixed && next < text.length ? upperThenLowerEnd(text, next) : -1;
  if (e < 0) e = upperThenLowerEnd(text, i);
  if (e >= 0) return contractionEnd(text, e);
  // [^\r\n\p{L}\p{N}]?[upper]+[lower]*(contraction)?
  let s = -1;
  if (prefixed && next < text.length && (classAt(text, next) & UPPERISH) !== 0) s = next;
  else if ((classAt(text, i) & UPPERISH) !== 0) s = i;
  if (s >= 0) return contractionEnd(text, runEnd(text, runEnd(text, s, UPPERISH), LOWERISH));
  // \p{N}{1,3}
  e = numberEnd(text, i);
  if (e >= 0) return e;
  // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
  e = symbolsEnd(text, i, true);
  if (e >= 0) return e;
  if ((classAt(text, i) & SPACE) === 0) return -1;
  const [end, lastNewline] = spaceRun(text, i);
  // \s*[\r\n]+
  if (lastNewline >= 0) return lastNewline + 1;
  // \s+(?!\S)
  if (end === text.length) return end;
  if (end - i >= 2) return end - 1;
  // \s+
  return end;
}

/** cl100k_base's piece at `i`: its end, or -1. */
export function cl100kPieceEnd(text: string, i: number): number {
  // '(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])
  let e = contractionEnd(text, i);
  if (e > i) return e;
  // [^\r\n\p{L}\p{N}]?\p{L}+
  const next = i + widthAt(text, i);
  if (isPrefix(text, i) && next < text.length && (classAt(text, next) & LETTER) !== 0) return runEnd(text, next, LETTER);
  if ((classAt(text, i) & LETTER) !== 0) return runEnd(text, i, LETTER);
  // \p{N}{1,3}
  e = numberEnd(text, i);
  if (e >= 0) return e;
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  e = symbolsEnd(text, i, false);
  if (e >= 0) return e;
  if ((classAt(text, i) & SPACE) === 0) return -1;
  const [end, lastNewline] = spaceRun(text, i);
  // \s+$
  if (end === text.length) return end;
  // \s*[\r\n]
  if (lastNewline >= 0) return lastNewline + 1;
  // \s+(?!\S)
  if (end - i >= 2) return end - 1;
  // \s
  return i + 1;
}
