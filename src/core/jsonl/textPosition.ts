/**
 * Converts offsets inside a record's text into document positions, given where the record starts.
 * Line breaks are `\n` and `\r\n` (a `\r` before `\n` is part of the break, as in VS Code).
 */
import type { SourceRange } from '../base/problem';
import type { TextOrigin } from './sourceRecord';

export class RecordTextPositions {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly origin: TextOrigin,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** 1-based document line and column of a UTF-16 offset into the record text (clamped to it). */
  position(rel: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(rel, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    let col = at - this.lineStarts[lo];
    // An offset that lands between `\r` and `\n` belongs at the end of the line.
    if (at > 0 && this.text.charCodeAt(at - 1) === 13 && this.text.charCodeAt(at) === 10) col--;
    if (lo === 0) return { line: this.origin.line, column: this.origin.column + col };
    return { line: this.origin.line + lo, column: col + 1 };
  }

  /** A document range (plus absolute offsets) for `[start, end)` of the record text. */
  range(start: number, end: number): SourceRange & { offset: number; endOffset: number } {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    const a = this.position(s);
    const b = this.position(e);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, offset: this.origin.offset + s, endOffset: this.origin.offset + e };
  }

  /** The whole record without surrounding whitespace. */
  wholeRange(): SourceRange & { offset: number; endOffset: number } {
    let s = 0;
    let e = this.text.length;
    while (s < e && isJsonSpace(this.text.charCodeAt(s))) s++;
    while (e > s && isJsonSpace(this.text.charCodeAt(e - 1))) e--;
    return this.range(s, e);
  }
}

export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
