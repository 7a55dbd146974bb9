/**
 * The worker side of parallel exact deduplication: hashes every record of one byte range and
 * returns, per record in file order, what the main thread needs to keep first occurrences, write
 * kept records by copying their bytes and write the report — no texts.
 */
import type { FormatId, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { canonicalOf } from './datasetScan';
import { exactRecordHash } from './exactHash';
import { scanRange, type ByteRange, type RangeScanTotals } from './fileRanges';
import type { Normalization } from './textHash';
import { leadingWhitespace } from './columns';

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

function grow<T extends Float64Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  const g = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  g.set(a);
  return g;
}

export async function dedupeRange(job: DedupeRangeJob, progress?: (bytes: number) => void): Promise<DedupeRangeResult> {
  const format = job.format ? getFormat(job.format) : undefined;
  let hashes = new Float64Array(4096);
  let offsets = new Float64Array(4096);
  let lengths = new Uint32Array(4096);
  let indexes = new Uint32Array(4096);
  let lines = new Uint32Array(4096);
  let asText = new Uint8Array(4096);
  let n = 0;
  const totals = await scanRange(job.path, job.range, {
    record: (rec, bytes) => {
      if (n === hashes.length) {
        hashes = grow(hashes, n + 1);
        offsets = grow(offsets, n + 1);
        lengths = grow(lengths, n + 1);
        indexes = grow(indexes, n + 1);
        lines = grow(lines, n + 1);
        asText = grow(asText, n + 1);
      }
      const canonical = canonicalOf(format, rec, job.formatOptions);
      hashes[n] = exactRecordHash(canonical, rec, job.norm);
      asText[n] = canonical ? 0 : 1;
      // The scanner trims ASCII whitespace around a record; its text starts at the untrimmed line.
      offsets[n] = rec.byteOffset + leadingWhitespace(rec.text);
      lengths[n] = bytes.length;
      indexes[n] = rec.index;
      lines[n] = rec.line;
      n++;
    },
    progress,
  });
  return {
    ...totals,
    hashes: hashes.slice(0, n),
    offsets: offsets.slice(0, n),
    lengths: lengths.slice(0, n),
    indexes: indexes.slice(0, n),
    recordLines: lines.slice(0, n),
    asText: asText.slice(0, n),
  };
}

/** The buffers of a result, to transfer rather than copy. */
export function dedupeRangeTransfers(r: DedupeRangeResult): ArrayBuffer[] {
  return [r.hashes.buffer, r.offsets.buffer, r.lengths.buffer, r.indexes.buffer, r.recordLines.buffer, r.asText.buffer] as ArrayBuffer[];
}
