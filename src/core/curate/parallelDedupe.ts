/**
 * Exact deduplication of a JSON Lines file on several threads: workers hash the records of one
 * byte range each (dedupeRange.ts); this thread walks the ranges in file order keeping first
 * occurrences, then writes kept records by copying their bytes from the file (no re-parse) and the
 * report, exactly as the single-thread pass in dedupe.ts does.
 */
import { promises as fsp } from 'node:fs';
import { AbortedError } from '../base/cancellation';
import type { DedupeResult, RemovedRecord } from './dedupeTypes';
import type { DedupeRangeJob, DedupeRangeResult } from './dedupeRange';
import { lineAlignedRanges } from './fileRanges';
import { HashIndex } from './hashIndex';
import type { RecordOutput } from './recordOutput';
import type { CurateRunOptions, FormatChoice } from './datasetScan';
import type { Normalization } from './textHash';
import { runWorkers } from './workerPool';
import * as l10n from '@vscode/l10n';

const WINDOW_BYTES = 8 * 1024 * 1024;

/** Reads a file through one window, for copying records' bytes in file order. */
class ByteWindow {
  private buf = Buffer.allocUnsafe(WINDOW_BYTES);
  private start = 0;
  private length = 0;

  constructor(private readonly handle: fsp.FileHandle) {}

  /** The bytes at [offset, offset + length) when the window holds them, else undefined. */
  peek(offset: number, length: number): Uint8Array | undefined {
    const s = offset - this.start;
    return s >= 0 && s + length <= this.length ? this.buf.subarray(s, s + length) : undefined;
  }

  /** Moves the window to start at `offset`, large enough for `length` bytes. */
  async fill(offset: number, length: number): Promise<void> {
    if (length > this.buf.length) this.buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < this.buf.length) {
      const { bytesRead } = await this.handle.read(this.buf, got, this.buf.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.start = offset;
    this.length = got;
    if (got < length) throw new Error(l10n.t('The file changed while it was read: {0} bytes expected at byte {1}.', length, offset));
  }
}

export interface ParallelExactOptions extends CurateRunOptions, FormatChoice {
  norm: Normalization;
  workers: number;
  maxListed: number;
}

/** Fills `result` (records, kept, exactDuplicates, comparedAsText, removed) and writes `kept` and `report`. */
export async function dedupeExactParallel(input: string, result: DedupeResult, kept: RecordOutput | undefined, report: RecordOutput | undefined, opts: ParallelExactOptions): Promise<void> {
  const { size } = await fsp.stat(input);
  const ranges = await lineAlignedRanges(input, opts.workers);
  const jobs: DedupeRangeJob[] = ranges.map((range) => ({ job: 'dedupeRange', path: input, range, format: result.format, formatOptions: opts.formatOptions, norm: opts.norm }));
  const all = await runWorkers<DedupeRangeResult>(jobs, { signal: opts.signal, onProgress: opts.onProgress, totalBytes: size });
  // A whole-file scan stops at a binary start: so do we.
  const parts = all[0].binary ? all.slice(0, 1) : all;

  let slots = 0;
  for (const p of parts) slots += p.slots;
  const lineOf = new Uint32Array(slots);
  const firstByHash = new HashIndex();
  const keep = new Uint8Array(parts.reduce((a, p) => a + p.hashes.length, 0));
  let k = 0;
  let indexBase = 0;
  let lineBase = 0;
  for (const p of parts) {
    for (let j = 0; j < p.hashes.length; j++, k++) {
      const index = indexBase + p.indexes[j];
      const line = lineBase + p.recordLines[j];
      lineOf[index] = line;
      result.records++;
      if (p.asText[j]) result.comparedAsText++;
      const first = firstByHash.setIfAbsent(p.hashes[j], index);
      if (first !== index) {
        const r: RemovedRecord = { record: index, line, kind: 'exact', duplicateOf: first, duplicateOfLine: lineOf[first], similarity: 1 };
        result.exactDuplicates++;
        if (result.removed.length < opts.maxListed) result.removed.push(r);
        report?.add(JSON.stringify(r));
        if (report?.needsFlush) await report.flush();
        continue;
      }
      keep[k] = 1;
      result.kept++;
    }
    indexBase += p.slots;
    lineBase += p.lines;
  }
  if (!kept) return;

  const handle = await fsp.open(input, 'r');
  try {
    const window = new ByteWindow(handle);
    k = 0;
    for (const p of parts) {
      for (let j = 0; j < p.hashes.length; j++, k++) {
        if (!keep[k]) continue;
        const offset = p.offsets[j];
        const length = p.lengths[j];
        let bytes = window.peek(offset, length);
        if (!bytes) {
          if (opts.signal?.aborted) throw new AbortedError();
          if (kept.needsFlush) await kept.flush();
          await window.fill(offset, length);
          bytes = window.peek(offset, length) as Uint8Array;
        }
        kept.addBytes(bytes);
      }
    }
  } finally {
    await handle.close();
  }
}
