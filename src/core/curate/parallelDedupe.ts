/**
 * Exact deduplication of a JSON Lines file on several threads: this thread and workers hash the
 * records of byte ranges they take in turn (dedupeRange.ts; with this thread among them, two threads
 * on two cores ran 2-3% faster than two workers beside it, and used 8% less CPU time); this thread
 * walks the ranges in file order keeping first occurrences and writes kept records by copying their
 * bytes from the file (no re-parse) and the report, exactly as the single-thread pass in dedupe.ts
 * does.
 */
import { promises as fsp } from 'node:fs';
import { AbortedError } from '../base/cancellation';
import type { DedupeResult, RemovedRecord } from './dedupeTypes';
import { dedupeRange, type DedupeRangeJob, type DedupeRangeResult } from './dedupeRange';
import { shrinkingRanges } from './fileRanges';
import { HASH_INDEX_RESERVE_LIMIT, HashIndex } from './hashIndex';
import type { RecordOutput } from './recordOutput';
import type { CurateRunOptions, FormatChoice } from './datasetScan';
import type { Normalization } from './textHash';
import { runRangeJobs } from './jobQueue';
import * as l10n from '@vscode/l10n';
import { openInputFile } from '../jsonl/openInput';

const WINDOW_BYTES = 8 * 1024 * 1024;
const NEWLINE = 0x0a;

/** Reads a file through one window, for copying records' bytes in file order. */
class ByteWindow {
  private buf = Buffer.allocUnsafe(WINDOW_BYTES);
  private start = 0;
  private length = 0;

  constructor(private readonly handle: fsp.FileHandle) {}

  /** Whether the window holds the bytes at [offset, offset + length). */
  holds(offset: number, length: number): boolean {
    const s = offset - this.start;
    return s >= 0 && s + length <= this.length;
  }

  /** The bytes at [offset, offset + length) when the window holds them, else undefined. */
  peek(offset: number, length: number): Uint8Array | undefined {
    return this.holds(offset, length) ? this.buf.subarray(offset - this.start, offset - this.start + length) : undefined;
  }

  /** The byte at `offset`, or -1 outside the window. */
  byteAt(offset: number): number {
    const s = offset - this.start;
    return s >= 0 && s < this.length ? this.buf[s] : -1;
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
  /** Threads, this one included. */
  workers: number;
  maxListed: number;
  /** The smallest range the threads take in turn; MIN_CHUNK_BYTES unless a test asks for many small ones. */
  chunkBytes?: number;
}

/** The smallest range the threads take in turn (shrinkingRanges; as parallel validation's). */
const MIN_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Fills `result` (records, kept, exactDuplicates, comparedAsText, removed) and writes `kept` and
 * `report`. This thread and workers hash ranges taken in turn (jobQueue.ts); this thread keeps first
 * occurrences and writes each range's kept records as soon as it and those before it are hashed,
 * while the threads hash the next ones.
 */
export async function dedupeExactParallel(input: string, result: DedupeResult, kept: RecordOutput | undefined, report: RecordOutput | undefined, opts: ParallelExactOptions): Promise<void> {
  const { size } = await fsp.stat(input);
  const ranges = await shrinkingRanges(input, opts.workers, opts.chunkBytes ?? MIN_CHUNK_BYTES);
  const jobs: DedupeRangeJob[] = ranges.map((range) => ({ job: 'dedupeRange', path: input, range, format: result.format, formatOptions: opts.formatOptions, norm: opts.norm }));
  const firstByHash = new HashIndex();
  /** Line of each record slot so far (for the line of the record a duplicate repeats). */
  let lineOf = new Uint32Array(1 << 16);
  let indexBase = 0;
  let lineBase = 0;
  let binary = false;
  const handle = kept ? await openInputFile(input) : undefined;
  const window = handle && new ByteWindow(handle);
  try {
    await runRangeJobs<DedupeRangeJob, DedupeRangeResult>(jobs, {
      worker: 'curateWorker',
      threads: opts.workers,
      local: (job, progress, isStopped) => dedupeRange(job, progress, isStopped),
      totalBytes: size,
      run: opts,
      onResult: async (i, p) => {
        // A whole-file scan stops at a binary start: so do we.
        if (i === 0) binary = p.binary;
        else if (binary) return;
        // Room for the whole file's records at the first range's density, up to HASH_INDEX_RESERVE_LIMIT (a
        // file of small records first and large ones later must not reserve for what it lacks).
        if (i === 0) firstByHash.reserve(Math.min(HASH_INDEX_RESERVE_LIMIT, Math.ceil((p.hashes.length * size) / Math.max(1, ranges[0].end - ranges[0].start))));
        if (indexBase + p.slots > lineOf.length) {
          const grown = new Uint32Array(Math.max(lineOf.length * 2, indexBase + p.slots));
          grown.set(lineOf);
          lineOf = grown;
        }
        const keep = new Uint8Array(p.hashes.length);
        const marks: RangeMarks = { p, keep, indexBase, lineBase, lineOf, firstByHash, result, report, maxListed: opts.maxListed };
        for (let j = 0; j < p.hashes.length; ) {
          j = markRange(marks, j);
          if (report?.needsFlush) await report.flush();
        }
        indexBase += p.slots;
        lineBase += p.lines;
        if (kept && window) await writeKept(p, keep, kept, window, opts.signal);
      },
    });
  } finally {
    await handle?.close();
  }
}

/** What markRange reads and fills for one range's records. */
interface RangeMarks {
  p: DedupeRangeResult;
  /** 1 for each record of the range that is kept. */
  keep: Uint8Array;
  indexBase: number;
  lineBase: number;
  lineOf: Uint32Array;
  firstByHash: HashIndex;
  result: DedupeResult;
  report: RecordOutput | undefined;
  maxListed: number;
}

/**
 * Keeps first occurrences among the range's records from `from` on, listing the others, until the
 * report needs a flush; returns where it stopped. Synchronous: in the async caller, every value the
 * loop touched lived across awaits in a context object rather than in registers.
 */
function markRange(m: RangeMarks, from: number): number {
  const { p, keep, indexBase, lineBase, lineOf, firstByHash, result, report } = m;
  const n = p.hashes.length;
  let kept = 0;
  let compared = 0;
  let j = from;
  for (; j < n; j++) {
    const index = indexBase + p.indexes[j];
    const line = lineBase + p.recordLines[j];
    lineOf[index] = line;
    compared += p.asText[j];
    const first = firstByHash.setIfAbsent(p.hashes[j], index);
    if (first === index) {
      keep[j] = 1;
      kept++;
      continue;
    }
    const r: RemovedRecord = { record: index, line, kind: 'exact', duplicateOf: first, duplicateOfLine: lineOf[first], similarity: 1 };
    result.exactDuplicates++;
    if (result.removed.length < m.maxListed) result.removed.push(r);
    report?.add(JSON.stringify(r));
    if (report?.needsFlush) {
      j++;
      break;
    }
  }
  result.records += j - from;
  result.kept += kept;
  result.comparedAsText += compared;
  return j;
}

/** Bytes of kept records handed to the output at once: a run is cut here so its buffer stays small. */
const RUN_BYTES = 1 << 20;

/**
 * Copies the kept records of one range from the file into `kept`. Consecutive kept records whose
 * bytes lie one newline apart in the file (no blank line, CR or padding between them) go as one
 * block: copying them one by one cost about 1 µs a record, a third of the main thread's time.
 */
async function writeKept(p: DedupeRangeResult, keep: Uint8Array, kept: RecordOutput, window: ByteWindow, signal: AbortSignal | undefined): Promise<void> {
  const joinable = !kept.asArray;
  /** The pending run: file offsets of its first byte and past its last, and its records. */
  let start = 0;
  let end = 0;
  let records = 0;
  for (let j = 0; j < p.hashes.length; j++) {
    if (!keep[j]) continue;
    const offset = p.offsets[j];
    const length = p.lengths[j];
    if (records > 0 && joinable && offset === end + 1 && end + 1 - start <= RUN_BYTES && window.byteAt(end) === NEWLINE && window.holds(start, offset + length - start)) {
      end = offset + length;
      records++;
      continue;
    }
    if (records > 0) emit(kept, window.peek(start, end - start) as Uint8Array, records);
    if (!window.holds(offset, length)) {
      if (signal?.aborted) throw new AbortedError();
      await window.fill(offset, length);
    }
    if (kept.needsFlush) await kept.flush();
    start = offset;
    end = offset + length;
    records = 1;
  }
  if (records > 0) emit(kept, window.peek(start, end - start) as Uint8Array, records);
}

/** One record, or a block of JSONL lines (a JSON array output gets single records only). */
function emit(kept: RecordOutput, bytes: Uint8Array, records: number): void {
  if (records === 1) kept.addBytes(bytes);
  else kept.addLines(bytes, records);
}
