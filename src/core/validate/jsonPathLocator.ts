/**
 * Where a JSON path points in a record's text, found by walking the text along the path: values
 * off the path are skipped (strings by their closing quote, objects and arrays by their brackets),
 * never decoded, and no tree is built. For placing a report on a record that JSON.parse accepted;
 * jsonc-parser's parseTree decoded every string of the record and built a node for every value,
 * which took most of the time of validating a file with a problem in every record. No recursion,
 * so any nesting is walked. The result is what jsonc-parser's findNodeAtLocation gives (the first
 * property of a name, as it takes), checked against it in test/unit/validate/jsonPathLocator.test.ts.
 */
import type { JsonPath } from '../formats/formatModule';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipJsonSpace as skipSpace } from '../jsonl/jsonChars';
import { isJsonSpace } from '../jsonl/textPosition';

export interface JsonSpan {
  offset: number;
  length: number;
}

export interface PathLocation {
  /** The value at the path or, when the path is not there whole, at its deepest existing part. */
  value: JsonSpan;
  /** The key of that value when it is a property of an object (with its quotes). */
  key?: JsonSpan;
  /** The path was found whole. */
  exact: boolean;
  /** The value is the record itself. */
  root: boolean;
}

/** The index after the string that opens at `i` (a quote), or -1 when it is not closed. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Quotes and brackets: what a walk over an object or array stops at. */
const STRUCTURE = /["{}[\]]/g;

/** The index after the value that starts at `i`, or -1 when the text ends inside it. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    STRUCTURE.lastIndex = i;
    for (;;) {
      const m = STRUCTURE.exec(text);
      if (!m) return -1;
      const at = m.index;
      const s = text.charCodeAt(at);
      if (s === QUOTE) {
        const end = skipString(text, at);
        if (end < 0) return -1;
        STRUCTURE.lastIndex = end;
      } else if (s === OPEN_BRACE || s === OPEN_BRACKET) depth++;
      else if (--depth === 0) return at + 1;
    }
  }
  // A number, true, false or null: up to the next separator.
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isJsonSpace(d)) break;
    j++;
  }
  return j > i ? j : -1;
}

/** After a member (property or element) that ends at `end`: where the next one starts, or -1 when none follows. */
function nextMember(text: string, end: number): number {
  const q = skipSpace(text, end);
  return text.charCodeAt(q) === COMMA ? skipSpace(text, q + 1) : -1;
}

/** Whether the key string at [start, end) (quotes included) is `name`. */
function keyIs(text: string, start: number, end: number, name: string): boolean {
  const bs = text.indexOf('\\', start + 1);
  if (bs < 0 || bs >= end - 1) return end - start - 2 === name.length && text.startsWith(name, start + 1);
  return JSON.parse(text.slice(start, end)) === name;
}

/**
 * The place of `path` in `text` (a JSON value with whitespace around it allowed), or undefined
 * when the text is not JSON the walk understands. A path into a record that is a bare list of
 * messages (xtuner) starts with 'messages': that step is the list itself.
 */
export function locateJsonPath(text: string, path: JsonPath): PathLocation | undefined {
  let v = skipSpace(text, 0);
  if (v >= text.length) return undefined;
  const steps = text.charCodeAt(v) === OPEN_BRACKET && path[0] === 'messages' ? path.slice(1) : path;
  let key: JsonSpan | undefined;
  let matched = 0;
  for (const step of steps) {
    const c = text.charCodeAt(v);
    let next = -1;
    let nextKey: JsonSpan | undefined;
    if (typeof step === 'string') {
      if (c !== OPEN_BRACE) break;
      let q = skipSpace(text, v + 1);
      if (text.charCodeAt(q) !== CLOSE_BRACE) {
        for (;;) {
          if (text.charCodeAt(q) !== QUOTE) return undefined;
          const keyEnd = skipString(text, q);
          if (keyEnd < 0) return undefined;
          const colon = skipSpace(text, keyEnd);
          if (text.charCodeAt(colon) !== COLON) return undefined;
          const valueStart = skipSpace(text, colon + 1);
          if (keyIs(text, q, keyEnd, step)) {
            next = valueStart;
            nextKey = { offset: q, length: keyEnd - q };
            break;
          }
          const valueEnd = skipValue(text, valueStart);
          if (valueEnd < 0) return undefined;
          q = nextMember(text, valueEnd);
          if (q < 0) break;
        }
      }
    } else {
      if (c !== OPEN_BRACKET || !Number.isInteger(step) || step < 0) break;
      let q = skipSpace(text, v + 1);
      if (text.charCodeAt(q) !== CLOSE_BRACKET) {
        for (let index = 0; ; index++) {
          if (index === step) {
            next = q;
            break;
          }
          const end = skipValue(text, q);
          if (end < 0) return undefined;
          q = nextMember(text, end);
          if (q < 0) break;
        }
      }
    }
    if (next < 0) break;
    v = next;
    key = nextKey;
    matched++;
  }
  const end = skipValue(text, v);
  if (end < 0) return undefined;
  return { value: { offset: v, length: end - v }, key: matched > 0 ? key : undefined, exact: matched === steps.length, root: matched === 0 };
}
