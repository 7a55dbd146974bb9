/**
 * The worker side of parallel exact deduplication: hashes every record of one byte range and
 * returns, per record in file order, what the main thread needs to keep first occurrences, write
 * kept records by copying their bytes and write the report — no texts.
 */
import { canonicalOf, type FormatId, type FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { exactRecordHash } from './exactHash';
import { scanRange, type ByteRange, type RangeScanTotals } from './fileRanges';
import type { Normalization } from './textHash';
import { Column, F64Column, leadingWhitespace } from './columns';

export interface DedupeRangeJob {
  job: 'dedupeRange';
  path: string;
  range: ByteRange;
  format?: FormatId;
  formatOptions?: FormatOptions;
  norm: Normalization;
}

/** Per record of the range, in order (typed arrays, transferred). */
export interface DedupeRangeResult extends RangeScanTotals {
  hashes: Float64Array;
  /** File byte offset and length of the record's bytes as the scanner hands them (trimmed). */
  offsets: Float64Array;
  lengths: Uint32Array;
  /** Record index and line within the range (0-based and 1-based). */
  indexes: Uint32Array;
  recordLines: Uint32Array;
  /** 1 where the record was compared by its source text. */
  asText: Uint8Array;
}

export async function dedupeRange(job: DedupeRangeJob, progress?: (bytes: number) => void, isAborted?: () => boolean): Promise<DedupeRangeResult> {
  const format = job.format ? getFormat(job.format) : undefined;
  const hashes = new F64Column();
  const offsets = new F64Column();
  const lengths = new Column(Uint32Array);
  const indexes = new Column(Uint32Array);
  const lines = new Column(Uint32Array);
  const asText = new Column(Uint8Array);
  const totals = await scanRange(job.path, job.range, {
    record: (rec, bytes) => {
      const canonical = canonicalOf(format, rec, job.formatOptions);
      hashes.push(exactRecordHash(canonical, rec, job.norm));
      asText.push(canonical ? 0 : 1);
      // The scanner trims ASCII whitespace around a record; its text starts at the untrimmed line.
      offsets.push(rec.byteOffset + leadingWhitespace(rec.text));
      lengths.push(bytes.length);
      indexes.push(rec.index);
      lines.push(rec.line);
    },
    progress,
  }, isAborted);
  return {
    ...totals,
    hashes: hashes.done(),
    offsets: offsets.done(),
    lengths: lengths.done(),
    indexes: indexes.done(),
    recordLines: lines.done(),
    asText: asText.done(),
  };
}

/** The buffers of a result, to transfer rather than copy. */
export function dedupeRangeTransfers(r: DedupeRangeResult): ArrayBuffer[] {
  return [r.hashes.buffer, r.offsets.buffer, r.lengths.buffer, r.indexes.buffer, r.recordLines.buffer, r.asText.buffer] as ArrayBuffer[];
}
