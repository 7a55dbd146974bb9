/**
 * The byte-level core of every reader: cuts a UTF-8 byte stream into records (JSON Lines, or the
 * elements of a top-level JSON array) in one pass, with constant memory apart from the record
 * being read, and reports what is malformed at its exact place instead of throwing.
 *
 * The driver owns the I/O: it reads into `buffer` from `end` (after `prepareForRead`), bumps `end`
 * and calls `process`; `finish` flushes at end of input. Everything is reported to a RecordSink.
 */
import { isBareMessageList, wrapBareMessageList } from './bareMessageList';
import { isUtf8 } from 'node:buffer';
import { problemAt, unplacedRange, type Problem } from '../base/problem';
import { describeJsonValue } from './describeJsonValue';
import { locateSyntaxError, notJsonMessage } from './parseError';
import { isJsonText } from './jsonSyntax';
import type { ReaderMode, RecordSink, SourceRecord } from './sourceRecord';
import { RecordTextPositions } from './textPosition';
import { firstInvalidUtf8, utf16Length, utf16Span } from './utf8';
import { ValidUtf8Lines } from './validUtf8Lines';
import * as l10n from '@vscode/l10n';

export interface ScannerOptions {
  /** A record longer than this is reported and skipped rather than buffered. Default 256 MiB. */
  maxRecordBytes?: number;
  /** Size of the first buffer and of each read. Default 1 MiB. */
  chunkBytes?: number;
  /**
   * JSON Lines only: cut records without decoding or parsing them, for consumers that only count
   * or copy records' bytes (split, sample). Records then carry `text: ''`, `offset: -1` and no
   * value or problems; which slots are records (blank lines, BOM, too-large and binary input) is
   * decided exactly as when parsing, so indexes match a parsing scan. Arrays are always parsed.
   */
  raw?: boolean;
  /**
   * JSON Lines only: the input starts at this file byte offset, at the start of a line that is not
   * the file's first (one range of a file scanned in parallel). No BOM or binary check (they
   * belong to the file's start); byte offsets are the file's, while lines, record indexes and
   * UTF-16 offsets count from the range's start (the caller adds what precedes it).
   */
  continueAt?: number;
  /** A buffer to read into first, of at least chunkBytes (scanRange's spare from the thread's last scan). */
  buffer?: Buffer;
}

const enum Json {
  Pre, // before the top-level value
  First, // after `[`: an element or `]`
  Next, // after `,`: an element
  InElement,
  After, // after an element: `,` or `]`
  Post, // after `]`
}

const BINARY_SAMPLE = 8192;

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** What a record that isJsonText rejected failed with (JSON.parse was not asked). */
const NOT_JSON = Symbol('not JSON');

/**
 * Whether a record is checked with isJsonText before JSON.parse, given which of the last 32 failed
 * (RecordScanner.failures): when the last one did, or at least one in eight of them.
 */
export function checksBeforeParse(failures: number): boolean {
  return failures !== 0 && ((failures & 1) !== 0 || bitCount(failures) >= 4);
}

function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export class RecordScanner {
  buffer: Buffer;
  /** Bytes of `buffer` that hold data. */
  end = 0;
  private pos = 0;
  /** File byte offset of buffer[0]. */
  private base = 0;
  private line = 1;
  private col = 1;
  private charOff = 0;
  private index = 0;
  private started = false;
  private done = false;
  private mode: ReaderMode | 'sniff';
  private readonly maxRecordBytes: number;
  private readonly chunkBytes: number;
  private readonly raw: boolean;

  // JSON Lines: a line longer than maxRecordBytes is being skipped.
  private skippingLine = false;

  // JSON array state.
  private js = Json.Pre;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elemStart = 0; // buffer-relative
  private elemLine = 0;
  private elemCol = 0;
  private elemChar = 0;
  private elemByte = 0; // absolute
  private skippingElem = false;
  private singleValue = false;
  private comma = { line: 0, col: 0, off: 0 };

  constructor(
    mode: ReaderMode,
    private readonly sink: RecordSink,
    opts: ScannerOptions = {},
  ) {
    this.mode = mode === 'json' ? 'sniff' : 'jsonl';
    this.maxRecordBytes = opts.maxRecordBytes ?? 256 * 1024 * 1024;
    this.chunkBytes = opts.chunkBytes ?? 1024 * 1024;
    this.raw = opts.raw ?? false;
    this.buffer = opts.buffer && opts.buffer.length >= this.chunkBytes ? opts.buffer : Buffer.allocUnsafeSlow(this.chunkBytes);
    if (opts.continueAt !== undefined) {
      this.mode = 'jsonl';
      this.base = opts.continueAt;
      this.started = true;
    }
  }

  /** Record slots so far (records, including those skipped as too large): the next record's index. */
  get recordSlots(): number {
    return this.index;
  }

  /** The current 1-based line: after `finish`, 1 + the lines read (so 1 + the newlines of input that ends with one). */
  get currentLine(): number {
    return this.line;
  }

  /** UTF-16 units of the input so far (as the editor counts them): after `finish`, the input's length in UTF-16. */
  get currentOffset(): number {
    return this.charOff;
  }

  /** Scans a whole in-memory input. */
  static scanBuffer(data: Uint8Array, mode: ReaderMode, sink: RecordSink, opts?: ScannerOptions): void {
    const s = new RecordScanner(mode, sink, { ...opts, chunkBytes: 16 });
    s.buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    s.end = data.byteLength;
    s.finish();
  }

  get isDone(): boolean {
    return this.done;
  }

  /** Moves pending bytes to the front and grows the buffer so that a read of chunkBytes fits. */
  prepareForRead(): void {
    // An element being skipped keeps only the bytes of a UTF-8 sequence its last chunk cut.
    const inElement = this.mode === 'json' && this.js === Json.InElement;
    const keep = inElement ? (this.skippingElem ? Math.min(this.pos, this.elemStart) : this.elemStart) : this.pos;
    if (keep > 0) {
      this.buffer.copy(this.buffer, 0, keep, this.end);
      this.end -= keep;
      this.pos -= keep;
      this.elemStart -= keep;
      this.base += keep;
    }
    if (this.buffer.length - this.end < this.chunkBytes / 2) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.end + this.chunkBytes));
      this.buffer.copy(grown, 0, 0, this.end);
      this.buffer = grown;
    }
  }

  /** Space free for the next read, after prepareForRead. */
  get free(): number {
    return this.buffer.length - this.end;
  }

  process(): void {
    this.run(false);
  }

  finish(): void {
    this.run(true);
  }

  private run(final: boolean): void {
    if (this.done) return;
    if (!this.started) {
      if (this.end < BINARY_SAMPLE && !final) return;
      this.started = true;
      if (this.end >= 3 && this.buffer[0] === 0xef && this.buffer[1] === 0xbb && this.buffer[2] === 0xbf) this.pos = 3;
      if (this.looksBinary()) {
        this.done = true;
        return;
      }
    }
    if (this.mode === 'sniff' && !this.sniff(final)) return;
    if (this.mode === 'jsonl') this.runLines(final);
    else this.runArray(final);
    if (final) this.done = true;
  }

  // ---- shared -------------------------------------------------------------------------------

  /** `p` is a fresh literal of the caller's: completed in place (a spread into a new one is slow in V8). */
  private problem(p: Omit<Problem, 'severity'> & { severity?: Problem['severity'] }): void {
    p.severity ??= 'error';
    this.sink.problem(p as Problem);
  }

  /** A problem at the current document position (zero or one character wide). */
  private problemHere(rule: string, message: string, width = 1, record?: number): void {
    this.problem({ line: this.line, column: this.col, endLine: this.line, endColumn: this.col + width, rule, message, record, offset: this.charOff, endOffset: this.charOff + width });
  }

  /**
   * Updates the document position over raw bytes (used only outside records and for skipped
   * input), counting characters as the editor's decoder does (invalid bytes are one U+FFFD each).
   * Returns where it stopped: `to`, or, when not `final`, the start of a sequence cut by `to`
   * (its bytes are counted with the chunk that completes it).
   */
  private advance(from: number, to: number, final = true): number {
    const span = utf16Span(this.buffer, from, to, final);
    if (span.newlines > 0) {
      this.line += span.newlines;
      this.col = 1 + span.afterLastNewline;
    } else this.col += span.units;
    this.charOff += span.units;
    return span.stop;
  }

  /** Moves the document position past a decoded text. */
  private advanceText(text: string): void {
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.col += text.length;
    } else {
      let n = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
      this.line += n;
      this.col = text.length - last;
    }
    this.charOff += text.length;
  }

  private looksBinary(): boolean {
    const n = Math.min(this.end, BINARY_SAMPLE);
    const sample = this.buffer.subarray(this.pos, n);
    const nul = sample.indexOf(0);
    let bad = 0;
    if (nul < 0 && !isUtf8(sample)) {
      for (let i = this.pos; i < n; ) {
        const k = firstInvalidUtf8(this.buffer, i, n);
        // A sequence cut by the end of the sample is not evidence.
        if (k < 0 || k > n - 4) break;
        bad++;
        i = k + 1;
      }
    }
    if (nul < 0 && (bad < 8 || bad < (n - this.pos) / 10)) return false;
    const at = nul >= 0 ? this.pos + nul : this.pos;
    this.advance(this.pos, at);
    const why = nul >= 0 ? l10n.t('a NUL byte at line {0}, column {1}', this.line, this.col) : l10n.t('{0} invalid UTF-8 sequences in its first {1} bytes', bad, n);
    this.problemHere('jsonl/binary-file', l10n.t('This file looks binary, not JSON text ({0}); it was not checked further.', why), 1);
    return true;
  }

  private emit(rec: SourceRecord, bs: number, be: number): void {
    let s = bs;
    let e = be;
    while (s < e && isWs(this.buffer[s])) s++;
    while (e > s && isWs(this.buffer[e - 1])) e--;
    this.sink.record(rec, this.buffer.subarray(s, e));
  }

  /** Parses a record's text, attaching reader problems (invalid UTF-8, not JSON, not an object). */
  private parseRecord(rec: SourceRecord, bs: number, be: number, utf8Checked: boolean): void {
    const text = rec.text;
    let positions: RecordTextPositions | undefined;
    const pos = () => (positions ??= new RecordTextPositions(text, rec));
    const add = (p: Problem) => (rec.problems ??= []).push(p);
    if (!utf8Checked && text.indexOf('\uFFFD') >= 0) {
      const bad = firstInvalidUtf8(this.buffer, bs, be);
      if (bad >= 0) {
        const rel = utf16Length(this.buffer, bs, bad);
        add(problemAt(pos().range(rel, rel + 1), 'error', 'jsonl/invalid-utf8', l10n.t('Invalid UTF-8 byte 0x{0}; the file must be UTF-8 encoded.', this.buffer[bad].toString(16).toUpperCase().padStart(2, '0')), rec.index));
      }
    }
    let value: unknown;
    let error: unknown;
    // Where lines fail, the text is checked first: V8 keeps the text of a failed JSON.parse alive
    // into the old generation (jsonSyntax.ts). See `failures`.
    const f = this.failures;
    if (checksBeforeParse(f) && !isJsonText(text)) error = NOT_JSON;
    else {
      try {
        value = JSON.parse(text);
      } catch (err) {
        error = err;
      }
    }
    this.failures = (f << 1) | (error === undefined ? 0 : 1);
    if (error !== undefined) {
      if (this.sink.placesProblems?.() === false) {
        const why = error instanceof Error ? error.message : l10n.t('unexpected character');
        add(problemAt(unplacedRange(rec), 'error', 'jsonl/invalid-json', l10n.t('Not valid JSON: {0}.', why), rec.index));
        return;
      }
      const se = locateSyntaxError(text, error instanceof Error ? error : undefined);
      const message = notJsonMessage(se, be === this.end && this.isAtEof);
      add(problemAt(pos().range(se.offset, se.offset + se.length), 'error', 'jsonl/invalid-json', message, rec.index));
      return;
    }
    if (isBareMessageList(value)) {
      rec.value = wrapBareMessageList(value);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const what = describeJsonValue(value);
      add(problemAt(pos().wholeRange(), 'error', 'jsonl/not-an-object', l10n.t('A record must be a JSON object, but this is {0}.', what), rec.index));
      return;
    }
    rec.value = value as Record<string, unknown>;
  }

  private isAtEof = false;
  /**
   * Which of the last 32 records were not JSON, newest in the lowest bit (checksBeforeParse).
   * Checking only the record after a failure let a file whose every other line is broken keep each
   * broken line alive until a full collection: 143-267 MB on one thread for 200 MB, 107 MB now.
   * Checking every record costs some 75% more on a valid file.
   */
  private failures = 0;

  // ---- JSON Lines -----------------------------------------------------------------------------

  private runLines(final: boolean): void {
    const buf = this.buffer;
    const view = buf.subarray(0, this.end);
    let pos = this.pos;
    if (this.skippingLine) {
      const nl = view.indexOf(0x0a, pos);
      const span = utf16Span(buf, pos, nl < 0 ? this.end : nl + 1, nl >= 0 || final);
      this.charOff += span.units;
      pos = span.stop;
      if (nl >= 0) {
        this.skippingLine = false;
        this.line++;
      }
      if (this.skippingLine) {
        this.pos = pos;
        return;
      }
    }
    // One native UTF-8 check for every complete line of this chunk; lines are checked one by one
    // only when it fails.
    const lastNl = view.lastIndexOf(0x0a);
    const chunkValid = !this.raw && lastNl >= pos && isUtf8(view.subarray(pos, lastNl + 1));
    const validLines = chunkValid ? new ValidUtf8Lines(buf, lastNl + 1) : undefined;
    for (;;) {
      let nl = view.indexOf(0x0a, pos);
      if (nl < 0) {
        if (!final || pos >= this.end) break;
        nl = this.end;
        this.isAtEof = true;
      }
      let le = nl;
      if (le > pos && buf[le - 1] === 0x0d) le--;
      const term = (nl < this.end ? nl + 1 : nl) - le;
      let ts = pos;
      while (ts < le && isWs(buf[ts])) ts++;
      if (ts === le) {
        // Blank line: only ASCII whitespace, so bytes are characters.
        this.charOff += le - pos + term;
        this.line++;
        pos = nl + 1;
        continue;
      }
      if (le - pos > this.maxRecordBytes) {
        this.tooLarge(pos, le - pos);
        this.charOff += utf16Length(buf, pos, nl < this.end ? nl + 1 : nl);
        this.line++;
        pos = nl + 1;
        continue;
      }
      if (this.raw) {
        // Bytes only: no decoding, so no UTF-16 offsets either.
        this.emit({ kind: 'record', index: this.index++, text: '', offset: -1, byteOffset: this.base + pos, byteLength: le - pos, line: this.line, column: 1 }, pos, le);
        this.line++;
        pos = nl + 1;
        continue;
      }
      const text = validLines && nl <= lastNl ? validLines.text(pos, le, nl) : buf.toString('utf8', pos, le);
      const rec: SourceRecord = { kind: 'record', index: this.index++, text, offset: this.charOff, byteOffset: this.base + pos, byteLength: le - pos, line: this.line, column: 1 };
      this.parseRecord(rec, pos, le, chunkValid && nl <= lastNl);
      this.emit(rec, pos, le);
      this.charOff += text.length + term;
      this.line++;
      pos = nl + 1;
    }
    // A CR ending what is read so far may open the line's CRLF, which the loop above does not count
    // in a record's size: nor does this check, or where a read stopped would decide.
    const pending = this.end - pos - (this.end > pos && buf[this.end - 1] === 0x0d ? 1 : 0);
    if (!final && pending > this.maxRecordBytes) {
      this.tooLarge(pos, this.end - pos);
      const span = utf16Span(buf, pos, this.end, false);
      this.charOff += span.units;
      pos = span.stop;
      this.skippingLine = true;
    }
    this.pos = Math.min(pos, this.end);
  }

  private tooLarge(at: number, bytes: number): void {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    const idx = this.index++;
    this.problem({
      line: this.line,
      column: this.col,
      endLine: this.line,
      endColumn: this.col + 1,
      offset: this.charOff,
      endOffset: this.charOff + 1,
      rule: 'jsonl/record-too-large',
      message: l10n.t('Record is larger than {0} MiB ({1}{2} MiB at byte {3}); it was skipped.', mb(this.maxRecordBytes), bytes > this.maxRecordBytes ? l10n.t('over ') : '', mb(bytes), this.base + at),
      record: idx,
    });
  }

  // ---- .json: sniffing -----------------------------------------------------------------------

  /** Decides between a JSON array and JSON Lines in a `.json` file; false while undecided. */
  private sniff(final: boolean): boolean {
    const buf = this.buffer;
    let k = this.pos;
    while (k < this.end && isWs(buf[k])) k++;
    if (k === this.end && !final) return false;
    if (k === this.end || buf[k] === 0x5b /* [ */ || buf[k] !== 0x7b /* { */) {
      this.mode = 'json';
      return true;
    }
    // Starts with `{`: JSON Lines if its first line is a whole JSON value, one document otherwise.
    const view = buf.subarray(0, this.end);
    const nl = view.indexOf(0x0a, k);
    if (nl < 0 && !final && this.end - k <= this.maxRecordBytes) return false;
    const lineEnd = nl < 0 ? this.end : nl;
    let whole = false;
    if (lineEnd - k <= this.maxRecordBytes) {
      try {
        JSON.parse(buf.toString('utf8', k, lineEnd));
        whole = true;
      } catch {
        whole = false;
      }
    } else whole = true;
    this.mode = whole ? 'jsonl' : 'json';
    return true;
  }

  // ---- .json: a top-level array ----------------------------------------------------------------

  private startElement(at: number): void {
    this.js = Json.InElement;
    this.elemStart = at;
    this.elemByte = this.base + at;
    this.elemLine = this.line;
    this.elemCol = this.col;
    this.elemChar = this.charOff;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.skippingElem = false;
  }

  private runArray(final: boolean): void {
    const buf = this.buffer;
    let i = this.pos;
    const end = this.end;
    while (i < end) {
      if (this.js === Json.InElement) {
        const stop = this.scanElement(i, end);
        if (stop < 0) {
          i = end;
          break;
        }
        this.endElement(stop, false);
        i = stop;
        continue;
      }
      const c = buf[i];
      if (isWs(c)) {
        // Lines end at `\n` (a `\r` before it is a character of the line, as everywhere here).
        if (c === 0x0a) {
          this.line++;
          this.col = 1;
        } else this.col++;
        this.charOff++;
        i++;
        continue;
      }
      switch (this.js) {
        case Json.Pre:
          if (c === 0x5b) {
            this.js = Json.First;
            this.col++;
            this.charOff++;
            i++;
          } else {
            this.problemHere('json/not-an-array', l10n.t('A .json dataset must be a JSON array of records (or JSON Lines); this file holds a single value.'));
            this.singleValue = true;
            this.startElement(i);
          }
          break;
        case Json.First:
        case Json.Next:
          if (c === 0x5d /* ] */) {
            if (this.js === Json.Next) {
              const { line, col, off } = this.comma;
              this.problem({ line, column: col, endLine: line, endColumn: col + 1, offset: off, endOffset: off + 1, rule: 'json/trailing-comma', message: l10n.t('Trailing comma after the last record (not allowed in JSON).') });
            }
            this.js = Json.Post;
            this.col++;
            this.charOff++;
            i++;
          } else if (c === 0x2c /* , */) {
            this.problemHere('json/missing-record', l10n.t('Expected a record before \',\'.'));
            this.col++;
            this.charOff++;
            i++;
          } else this.startElement(i);
          break;
        case Json.After:
          if (c === 0x2c && !this.singleValue) {
            this.js = Json.Next;
            this.comma = { line: this.line, col: this.col, off: this.charOff };
            this.col++;
            this.charOff++;
            i++;
          } else if (c === 0x5d && !this.singleValue) {
            this.js = Json.Post;
            this.col++;
            this.charOff++;
            i++;
          } else if (this.singleValue) {
            this.js = Json.Post;
          } else {
            // Recover: a missing comma between two records.
            this.problemHere('json/missing-comma', l10n.t('Expected \',\' or \']\' after a record.'));
            this.startElement(i);
          }
          break;
        case Json.Post: {
          this.problemHere('json/trailing-content', l10n.t('Unexpected text after the end of the top-level value; it was not read.'));
          this.pos = end;
          this.done = true;
          return;
        }
      }
    }
    if (this.js === Json.InElement && !this.skippingElem && end - this.elemStart > this.maxRecordBytes) {
      // Keep scanning the element for its end, but drop its bytes as they pass.
      this.tooLargeElement();
    }
    if (this.js === Json.InElement && this.skippingElem) this.elemStart = this.advance(this.elemStart, end, final);
    this.pos = i;
    if (!final) return;
    if (this.js === Json.InElement) {
      this.isAtEof = true;
      this.endElement(end, true);
    }
    if (this.js === Json.First || this.js === Json.Next || this.js === Json.After) {
      if (!this.singleValue) this.problemHere('json/unclosed-array', l10n.t('The array of records is not closed: \']\' is missing (was the file truncated?).'), 0);
    }
  }

  /** Scans element bytes from `from`; returns the index just past the element's end, or -1 if it continues. */
  private scanElement(from: number, end: number): number {
    const buf = this.buffer;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let i = from;
    for (; i < end; i++) {
      const c = buf[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        // A raw line break cannot be inside a valid string: resynchronize on it.
        else if (c === 0x0a) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) {
          // The closing `]` of the array after a scalar element; a stray closer at the very start
          // becomes a one-character element (reported as not JSON) so that scanning moves on.
          if (i === from && this.elemStart === from) i++;
          break;
        }
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && (c === 0x2c || isWs(c))) break;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return i < end || (i === end && depth === 0 && !inString && i > from && (buf[i - 1] === 0x7d || buf[i - 1] === 0x5d)) ? i : -1;
  }

  private tooLargeElement(): void {
    const idx = this.index++;
    const mb = (this.maxRecordBytes / 1024 / 1024).toFixed(0);
    this.problem({ line: this.elemLine, column: this.elemCol, endLine: this.elemLine, endColumn: this.elemCol + 1, offset: this.elemChar, endOffset: this.elemChar + 1, rule: 'jsonl/record-too-large', message: l10n.t('Record is larger than {0} MiB (at byte {1}); it was skipped.', mb, this.elemByte), record: idx });
    this.skippingElem = true;
    // Restore the position to the element start so `advance` counts its bytes.
    this.line = this.elemLine;
    this.col = this.elemCol;
    this.charOff = this.elemChar;
  }

  private endElement(stop: number, atEof: boolean): void {
    if (this.skippingElem) {
      this.advance(this.elemStart, stop);
      this.skippingElem = false;
      this.js = Json.After;
      if (atEof) this.problemHere('json/unclosed-array', l10n.t('The file ends inside a record: \']\' is missing (was the file truncated?).'), 0);
      return;
    }
    const text = this.buffer.toString('utf8', this.elemStart, stop);
    const rec: SourceRecord = { kind: 'record', index: this.index++, text, offset: this.elemChar, byteOffset: this.elemByte, byteLength: stop - this.elemStart, line: this.elemLine, column: this.elemCol };
    this.parseRecord(rec, this.elemStart, stop, false);
    this.emit(rec, this.elemStart, stop);
    this.line = this.elemLine;
    this.col = this.elemCol;
    this.charOff = this.elemChar;
    this.advanceText(text);
    this.js = Json.After;
    this.elemStart = stop;
  }
}
