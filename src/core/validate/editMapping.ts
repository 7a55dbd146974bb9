/**
 * Mapping the editor's changes onto records, in the two ways a dataset is read: JSON Lines (the
 * records on changed lines are dropped and those lines read again) and a JSON array (an edit inside
 * one element re-reads that element; anything else is a structural edit, read whole again).
 * Positions of everything after an edit move with it (anchoredBlocks.ts, staticProblems.ts).
 */
import { scanText } from '../jsonl/readRecords';
import type { RecordSink, SourceRecord } from '../jsonl/sourceRecord';
import { isJsonSpace } from '../jsonl/textPosition';
import { lineOf, offsetOf, type AnchoredBlocks } from './anchoredBlocks';
import type { RecordSlot, SeverityTally } from './recordSlot';
import type { StaticProblems, TextChange } from './staticProblems';

/** The document as the editor holds it after the edit (0-based lines, no line terminators). */
export interface DocumentLines {
  readonly lineCount: number;
  lineText(line: number): string;
  /** Length of the document's line terminator (1 for LF, 2 for CRLF). */
  readonly eolLength: number;
  textBetween(startOffset: number, endOffset: number): string;
  fullText(): string;
}

/** What the mappers change: the records, the problems outside them, and how a record is checked. */
export interface EditHost {
  readonly records: AnchoredBlocks<RecordSlot, SeverityTally>;
  readonly statics: StaticProblems;
  /** Replaces `count` records from `at` by `fresh` (detached, absolute positions), keeping the file-level indexes in step. */
  replace(at: number, count: number, fresh: RecordSlot[]): void;
  /** A detached record, checked where it is (`endsFile`: nothing follows it in the document). */
  checked(text: string, line: number, column: number, offset: number, endsFile: boolean): RecordSlot;
  /** Checks a placed record again with its new text. */
  recheck(slot: RecordSlot, text: string): void;
}

/** What an edit touched: the first record index and how many records were checked again. */
export interface Reread {
  minIndex: number;
  count: number;
}

export interface EditMapper {
  /** Applies the changes to the positions; false when they cannot be mapped onto records. */
  map(changes: readonly TextChange[]): boolean;
  /** Reads the touched records again from the document; undefined when that is not possible. */
  reread(doc: DocumentLines): Reread | undefined;
}

interface DirtyLines {
  start: number; // 0-based first line
  end: number; // 0-based last line
  startOffset: number;
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Length of the text after its last line break (the column shift an insertion causes). */
function lastLineLength(s: string): number {
  const i = s.lastIndexOf('\n');
  return i < 0 ? s.length : s.length - i - 1;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isJsonSpace(s.charCodeAt(i))) return false;
  return true;
}

/** JSON Lines: drops the records on changed lines and remembers which lines to read again. */
export class LineEditMapper implements EditMapper {
  private dirty: DirtyLines[] = [];

  /** `sniffed`: a `.json` file read as JSON Lines, which stays so only while its first record is untouched. */
  constructor(
    private readonly host: EditHost,
    private readonly sniffed: boolean,
  ) {}

  map(changes: readonly TextChange[]): boolean {
    const { records, statics } = this.host;
    this.dirty = [];
    const firstLine = records.size > 0 ? lineOf(records.at(0)) - 1 : Infinity;
    for (const c of changes) {
      if (this.sniffed && c.startLine <= firstLine) return false;
      const sL = c.startLine;
      const eL = c.endLine;
      const nl = countNewlines(c.text);
      const dLine = nl - (eL - sL);
      const dOff = c.text.length - c.rangeLength;
      const lo = records.firstAtLine(sL + 1);
      const hi = records.firstAtLine(eL + 2);
      if (hi > lo) this.host.replace(lo, hi - lo, []);
      records.shiftFrom(lo, dLine, dOff);
      statics.shift(c, dLine, dOff, lastLineLength(c.text), true);
      this.markDirty({ start: sL, end: sL + nl, startOffset: c.rangeOffset - c.startCharacter }, eL, dLine, dOff);
    }
    return true;
  }

  /** Adds the lines of one change, merging the ranges it overlaps and moving those after it. */
  private markDirty(range: DirtyLines, eL: number, dLine: number, dOff: number): void {
    const sL = range.start;
    const kept: DirtyLines[] = [];
    for (const d of this.dirty) {
      if (d.end < sL) kept.push(d);
      else if (d.start > eL) {
        d.start += dLine;
        d.end += dLine;
        d.startOffset += dOff;
        kept.push(d);
      } else {
        const end = d.end > eL ? Math.max(range.end, d.end + dLine) : range.end;
        range = d.start < range.start ? { start: d.start, end, startOffset: d.startOffset } : { ...range, end };
      }
    }
    kept.push(range);
    kept.sort((a, b) => a.start - b.start);
    this.dirty = kept;
  }

  reread(doc: DocumentLines): Reread {
    let minIndex = Infinity;
    let count = 0;
    for (const d of this.dirty) {
      const fresh: RecordSlot[] = [];
      let offset = d.startOffset;
      const last = Math.min(d.end, doc.lineCount - 1);
      for (let line = d.start; line <= last; line++) {
        const text = doc.lineText(line);
        if (!isBlank(text)) fresh.push(this.host.checked(text, line + 1, 1, offset, line === doc.lineCount - 1));
        offset += text.length + doc.eolLength;
      }
      const at = this.host.records.firstAtLine(d.start + 1);
      if (fresh.length > 0) this.host.replace(at, 0, fresh);
      minIndex = Math.min(minIndex, at);
      count += fresh.length;
    }
    this.dirty = [];
    return { minIndex, count };
  }
}

/** JSON array: each change must fall inside one element; everything else is a structural edit. */
export class ArrayEditMapper implements EditMapper {
  /** Records with edits not yet read again, and their length after the edits. */
  private readonly pending = new Map<RecordSlot, number>();

  constructor(private readonly host: EditHost) {}

  map(changes: readonly TextChange[]): boolean {
    const { records, statics } = this.host;
    for (const c of changes) {
      const k = records.lastAtOrBefore(c.rangeOffset);
      if (k < 0) return false;
      const s = records.at(k);
      const len = this.pending.get(s) ?? s.length;
      if (c.rangeOffset + c.rangeLength > offsetOf(s) + len) return false;
      const dLine = countNewlines(c.text) - (c.endLine - c.startLine);
      const dOff = c.text.length - c.rangeLength;
      this.pending.set(s, len + dOff);
      const newEndCol = c.text.includes('\n') ? lastLineLength(c.text) : c.startCharacter + c.text.length;
      // Later records on the edit's last line change column; they follow record k directly.
      for (let i = k + 1; i < records.size && lineOf(records.at(i)) - 1 === c.endLine; i++) records.at(i).column += newEndCol - c.endCharacter;
      records.shiftFrom(k + 1, dLine, dOff);
      statics.shift(c, dLine, dOff, lastLineLength(c.text), false);
    }
    return true;
  }

  reread(doc: DocumentLines): Reread | undefined {
    const { records } = this.host;
    let minIndex = Infinity;
    let count = 0;
    const edited = [...this.pending].map(([s, length]) => ({ s, length, i: records.indexOf(s) })).sort((a, b) => a.i - b.i);
    this.pending.clear();
    for (const { s, length, i } of edited) {
      if (i < 0) continue;
      const start = offsetOf(s);
      const text = doc.textBetween(start, start + length);
      if (!isSingleElement(text)) return undefined;
      this.host.recheck(s, text);
      minIndex = Math.min(minIndex, i);
      count++;
    }
    return { minIndex, count };
  }
}

/** Whether text is exactly one JSON object or array as an element of a top-level array (no whitespace around it). */
function isSingleElement(text: string): boolean {
  if (text.length === 0 || (text[0] !== '{' && text[0] !== '[')) return false;
  if (isJsonSpace(text.charCodeAt(text.length - 1))) return false;
  let count = 0;
  let bad = false;
  const sink: RecordSink = {
    record: (rec: SourceRecord) => {
      count++;
      if (rec.text !== text) bad = true;
    },
    problem: () => {
      bad = true;
    },
  };
  scanText('[' + text + ']', 'json', sink);
  return !bad && count === 1;
}
