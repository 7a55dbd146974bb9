/**
 * Whether a text is one JSON value, as JSON.parse reads it (ECMA-404: JSON whitespace around it,
 * no trailing comma, no comments, strings with no raw control character, numbers without leading
 * zeros), checked without building anything. The reader asks this before JSON.parse only where
 * lines fail (recordScanner.ts, checksBeforeParse): V8 keeps the text of every failed JSON.parse
 * (for the error's position) alive into the old generation, so a file of invalid lines filled the
 * heap with dead lines until a full collection (two threads peaked at 360-490 MB on 200 MB). Held
 * to JSON.parse by a differential test (test/unit/jsonl/jsonSyntax.test.ts); iterative, so any
 * nesting is checked.
 */

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipJsonSpace as skipSpace } from './jsonChars';

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const OBJECT = 1;
const ARRAY = 2;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** The index after the string that opens at `i`, or -1. */
function skipString(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const c = s.charCodeAt(j);
    // NaN (past the end) fails every test below but this one.
    if (Number.isNaN(c) || c < 0x20) return -1;
    if (c === QUOTE) return j + 1;
    if (c !== BACKSLASH) {
      j++;
      continue;
    }
    const e = s.charCodeAt(j + 1);
    if (e === 0x75) {
      if (!isHex(s.charCodeAt(j + 2)) || !isHex(s.charCodeAt(j + 3)) || !isHex(s.charCodeAt(j + 4)) || !isHex(s.charCodeAt(j + 5))) return -1;
      j += 6;
    } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) j += 2;
    else return -1;
  }
}

/** The index after the number that starts at `i`, or -1. */
function skipNumber(s: string, i: number): number {
  let j = i;
  if (s.charCodeAt(j) === MINUS) j++;
  const first = s.charCodeAt(j);
  if (first === ZERO) j++;
  else if (isDigit(first)) while (isDigit(s.charCodeAt(j))) j++;
  else return -1;
  if (s.charCodeAt(j) === DOT) {
    j++;
    if (!isDigit(s.charCodeAt(j))) return -1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  if ((s.charCodeAt(j) | 0x20) === 0x65) {
    j++;
    const sign = s.charCodeAt(j);
    if (sign === PLUS || sign === MINUS) j++;
    if (!isDigit(s.charCodeAt(j))) return -1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  return j;
}

/** At a property: its name, ':' and the start of its value; -1 when that is not there. */
function skipKey(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const end = skipString(s, i);
  if (end < 0) return -1;
  const colon = skipSpace(s, end);
  return s.charCodeAt(colon) === COLON ? skipSpace(s, colon + 1) : -1;
}

/** Whether JSON.parse would accept `s`. */
export function isJsonText(s: string): boolean {
  const open: number[] = [];
  let i = skipSpace(s, 0);
  for (;;) {
    // A value starts at i.
    const c = s.charCodeAt(i);
    if (c === OPEN_BRACE) {
      i = skipSpace(s, i + 1);
      if (s.charCodeAt(i) === CLOSE_BRACE) i++;
      else {
        open.push(OBJECT);
        i = skipKey(s, i);
        if (i < 0) return false;
        continue;
      }
    } else if (c === OPEN_BRACKET) {
      i = skipSpace(s, i + 1);
      if (s.charCodeAt(i) === CLOSE_BRACKET) i++;
      else {
        open.push(ARRAY);
        continue;
      }
    } else if (c === QUOTE) i = skipString(s, i);
    else if (c === MINUS || isDigit(c)) i = skipNumber(s, i);
    else if (s.startsWith('true', i) || s.startsWith('null', i)) i += 4;
    else if (s.startsWith('false', i)) i += 5;
    else return false;
    if (i < 0) return false;
    // A value ended at i: close what it ends, or go on to the next member.
    for (;;) {
      i = skipSpace(s, i);
      if (open.length === 0) return i === s.length;
      const inside = open[open.length - 1];
      const d = s.charCodeAt(i);
      if (d === COMMA) {
        i = skipSpace(s, i + 1);
        if (inside === OBJECT) {
          i = skipKey(s, i);
          if (i < 0) return false;
        }
        break;
      }
      if (d !== (inside === OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) return false;
      open.pop();
      i++;
    }
  }
}
