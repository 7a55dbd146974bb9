/** Byte-level UTF-8 helpers for the readers: where input stops being valid UTF-8. */

/** Index of the first byte in `buf[start, end)` that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= end) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Where a walk over UTF-8 bytes ended, in UTF-16 code units of the decoded text. */
export interface Utf16Span {
  /** Code units the bytes decode to. */
  units: number;
  /** Line feeds among them. */
  newlines: number;
  /** Code units after the last line feed (all of them when there is none). */
  afterLastNewline: number;
  /** End of the bytes counted: `end`, or where a sequence cut by `end` starts (when not final). */
  stop: number;
}

/**
 * Walks `buf[start, end)` as TextDecoder decodes UTF-8 (the WHATWG decoder, which is what VS Code
 * shows and what Buffer#toString yields): a valid sequence is one code unit, or two above U+FFFF;
 * every maximal invalid subpart (a byte that cannot start a sequence, such as 0x80-0xC1 or
 * 0xF5-0xFF, or a sequence broken off early) is one U+FFFD. A sequence still incomplete at `end`
 * is one U+FFFD when `final` (the input ends there); otherwise it is left out and `stop` says
 * where it starts, so that the caller counts it with the bytes that complete it.
 */
export function utf16Span(buf: Uint8Array, start: number, end: number, final = true): Utf16Span {
  let units = 0;
  let newlines = 0;
  let lineStart = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let seqStart = start;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (needed === 0) {
      if (b < 0x80) {
        units++;
        if (b === 0x0a) {
          newlines++;
          lineStart = units;
        }
      } else if (b >= 0xc2 && b <= 0xdf) needed = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
        needed = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
        needed = 3;
      } else units++; // 0x80-0xC1, 0xF5-0xFF: U+FFFD
      seqStart = i;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one U+FFFD; this byte starts over.
      units++;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    if (++seen === needed) {
      units += needed === 3 ? 2 : 1;
      needed = seen = 0;
    }
  }
  let stop = end;
  if (needed !== 0) {
    if (final) units++;
    else stop = seqStart;
  }
  return { units, newlines, afterLastNewline: units - lineStart, stop };
}

/** UTF-16 length of `buf[start, end)` as TextDecoder decodes it (see utf16Span). */
export function utf16Length(buf: Uint8Array, start: number, end: number): number {
  return utf16Span(buf, start, end).units;
}
