/** What the readers yield: one item per record slot of a dataset file, or a file-level problem. */
import type { Problem } from '../base/problem';

/** Where a piece of text starts in the document: 1-based line/column (UTF-16) and UTF-16 offset. */
export interface TextOrigin {
  line: number;
  column: number;
  offset: number;
}

export interface SourceRecord extends TextOrigin {
  kind: 'record';
  /** 0-based position of the record among the file's records (blank lines do not count). */
  index: number;
  /** The record's source text: the line without its terminator, or the JSON array element. */
  text: string;
  /** Byte offset of the first byte of `text` in the file (a BOM counted, as the file holds it). */
  byteOffset: number;
  byteLength: number;
  /** The parsed record, when `text` is a JSON object. */
  value?: Record<string, unknown>;
  /** Problems of reading this record: invalid UTF-8, not JSON, not an object. */
  problems?: Problem[];
}

export interface FileProblem {
  kind: 'problem';
  problem: Problem;
}

export type ReaderItem = SourceRecord | FileProblem;

/** Receives what a scanner finds, synchronously and in file order. */
export interface RecordSink {
  /** `bytes` is the record's raw UTF-8 (surrounding whitespace trimmed); valid only during the call. */
  record(rec: SourceRecord, bytes: Uint8Array): void;
  problem(p: Problem): void;
  /**
   * Whether a problem found now will be listed, so needs its exact place and message (default
   * true). When false, a line that is not JSON is counted without locating its syntax error, which
   * re-reads the line with jsonc-parser (the validation pipeline past its listing limit).
   */
  placesProblems?(): boolean;
}

export type ReaderMode = 'jsonl' | 'json';

/** `.json` files hold an array of records (or JSON Lines, which the scanner recognizes); anything else is JSON Lines. */
export function modeForFileName(fileName: string): ReaderMode {
  return /\.json$/i.test(fileName) ? 'json' : 'jsonl';
}

/** Parquet files are read by parquetRecords.ts (asked here, so that asking does not load its decoders). */
export function isParquetFileName(fileName: string): boolean {
  return /\.parquet$/i.test(fileName);
}
