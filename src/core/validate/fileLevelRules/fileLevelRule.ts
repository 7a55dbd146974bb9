/**
 * What a file-level rule is: a rule that relates a record to an earlier one (an exact duplicate, a
 * contradicting preference). Each rule gives a key per record and two indexes over the keys: one
 * that streams (the validation pipeline and `filter` read a file once, in order) and one that
 * records can also leave (the editor's incremental validator, where edits add and remove records).
 */
import type { FormatModule, FormatOptions } from '../../formats/formatModule';
import type { Severity } from '../../base/problem';

/** Where a rule's key is taken: on every JSON-object record before its checks, or on records that passed them. */
export type RuleStage = 'object' | 'valid';

/** What a key function sees of a record. */
export interface KeyInput {
  /** The record's UTF-8 bytes without surrounding whitespace. */
  bytes: Uint8Array;
  value: Record<string, unknown>;
  /** The file's format (always set at the 'valid' stage). */
  format: FormatModule | undefined;
  formatOptions: FormatOptions | undefined;
}

/** An earlier record, as a message names it. */
export interface EarlierRecord {
  line: number;
  index: number;
}

/** Where a streamed record is: enough to name it later and to read its bytes back. */
export interface StreamedRecord extends EarlierRecord {
  byteOffset: number;
  byteLength: number;
}

/** An index fed once, in file order. */
export interface StreamingIndex<K> {
  /** Registers a record; returns the earlier record it conflicts with, if any. */
  add(key: K, rec: StreamedRecord, bytes: Uint8Array): EarlierRecord | undefined;
  /**
   * As add, for an index that compares records' bytes, when they are not at hand: they are read
   * back from the file (`start`, `length`: the record's trimmed bytes) only if needed.
   */
  addSpan?(key: K, rec: StreamedRecord, start: number, length: number): EarlierRecord | undefined;
  /** Makes room for about `n` records at once, for an index that would otherwise grow step by step. */
  reserve?(n: number): void;
  /**
   * Reads where keys `from` to `to` of `keys` (numbers; NaN: none) will be looked up, just before
   * they are added: their cache misses then overlap instead of coming one per add.
   */
  prefetch?(keys: Float64Array, from: number, to: number): void;
}

/** How an editable index reads the records it holds. */
export interface RecordAccess<T> {
  /** Position in the document (orders the records). */
  offsetOf(item: T): number;
  text(item: T): string;
}

/** An index that records join and leave in any order. */
export interface EditableIndex<K, T> {
  add(item: T, key: K): void;
  remove(item: T, key: K): void;
  /** Whether an add or remove since the last `findings` may have changed them. */
  readonly changed: boolean;
  /** Calls `fn` with each record that conflicts with an earlier one, and that earlier one. */
  findings(access: RecordAccess<T>, fn: (item: T, earlier: T) => void): void;
}

export interface FileLevelRule<K> {
  /** Rule id, as in `formats/ruleCatalog.ts`. */
  readonly id: string;
  readonly severity: Severity;
  readonly stage: RuleStage;
  /** Whether the rule can report anything in a file of this format (undefined: no known format). */
  appliesTo(format: FormatModule | undefined): boolean;
  /** The record's key, or undefined when the rule does not apply to it. May throw (a canonical mapping that fails). */
  key(input: KeyInput): K | undefined;
  /** The message on a record that conflicts with the record on `earlierLine`. */
  message(earlierLine: number, key: K): string;
  /** `fetch` reads back the bytes of an earlier record. */
  streamingIndex(fetch: ByteFetcher): StreamingIndex<K>;
  /** `expected`: about how many records it will hold (to size it once). */
  editableIndex<T>(expected?: number): EditableIndex<K, T>;
}

/**
 * Gives back the bytes of an earlier record (from the file, or the in-memory text). `into`: a buffer
 * the caller owns that a fetcher from the file may read into when it is large enough (the result
 * is then a view of it, valid until the caller reuses it).
 */
export type ByteFetcher = (byteOffset: number, byteLength: number, into?: Buffer) => Uint8Array;

/** Refills a rule input with one record (the key functions keep nothing of it); false when the record is not a JSON object. */
export function fillKeyInput(input: KeyInput, value: Record<string, unknown> | undefined, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined): boolean {
  if (!value) return false;
  input.bytes = bytes;
  input.value = value;
  input.format = format;
  input.formatOptions = options;
  return true;
}
