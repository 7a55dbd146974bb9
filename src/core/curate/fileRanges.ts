/**
 * Cuts a JSON Lines file into byte ranges that start at line starts, for scanning in parallel, and
 * streams one range through a RecordScanner (lines, indexes and UTF-16 offsets then count from the
 * range's start; byte offsets are the file's).
 */
import { closeSync, promises as fsp, readSync } from 'node:fs';
import { AbortedError } from '../base/cancellation';
import { RecordScanner } from '../jsonl/recordScanner';
import { isParquetFileName, type RecordSink, type SourceRecord } from '../jsonl/sourceRecord';
import type { Problem } from '../base/problem';
import { openInputFile, openInputFileSync } from '../jsonl/openInput';

export interface ByteRange {
  start: number;
  end: number;
}

const PROBE = 64 * 1024;
/** The first range holds at least the bytes a whole-file scan inspects for binary content. */
const MIN_FIRST_RANGE = 8192;

/**
 * `n` ranges of about equal size covering [0, size), each after the first starting just after a
 * newline; fewer when lines are longer than a range. A line is never cut.
 */
export async function lineAlignedRanges(path: string, n: number): Promise<ByteRange[]> {
  return lineAlignedCuts(path, (size) => Array.from({ length: Math.max(0, n - 1) }, (_, k) => Math.floor((size * (k + 1)) / n)));
}

/**
 * Ranges for threads that take them in turn (jobQueue.ts): each a share of what is left, from
 * `1 / (2 * threads)` of the file down to `minBytes`, so the first ones cost little to set up and
 * the last ones are small enough that the thread finishing last waits little for the others. None
 * is larger than `maxBytes` (give or take the line a cut moves to).
 */
export async function shrinkingRanges(path: string, threads: number, minBytes: number, maxBytes = Infinity): Promise<ByteRange[]> {
  return lineAlignedCuts(path, (size) => {
    const cuts: number[] = [];
    for (let at = 0; ; ) {
      at += Math.max(minBytes, Math.min(maxBytes, Math.floor((size - at) / (2 * threads))));
      if (at >= size) return cuts;
      cuts.push(at);
    }
  });
}

/** Ranges that start at the first line start at or after each cut (ascending) that `cutsOf(size)` gives. */
async function lineAlignedCuts(path: string, cutsOf: (size: number) => number[]): Promise<ByteRange[]> {
  // A Parquet file is not split by bytes: one range, so callers take their single-thread path.
  if (isParquetFileName(path)) return [{ start: 0, end: (await fsp.stat(path)).size }];
  const handle = await openInputFile(path);
  try {
    const { size } = await handle.stat();
    const starts = [0];
    const probe = Buffer.allocUnsafe(PROBE);
    for (const cut of cutsOf(size)) {
      let at = Math.max(cut, starts[starts.length - 1], MIN_FIRST_RANGE);
      let found = -1;
      while (found < 0 && at < size) {
        const { bytesRead } = await handle.read(probe, 0, PROBE, at);
        if (bytesRead === 0) break;
        const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
        if (nl >= 0) found = at + nl + 1;
        else at += bytesRead;
      }
      if (found < 0 || found >= size) break;
      if (found > starts[starts.length - 1]) starts.push(found);
    }
    return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : size }));
  } finally {
    await handle.close();
  }
}

export interface RangeScanHooks {
  /** `bytes`: the record's raw UTF-8 (surrounding whitespace trimmed), valid only during the call. */
  record(rec: SourceRecord, bytes: Uint8Array): void;
  problem?(p: Problem): void;
  /** After each chunk: bytes of the range read so far. */
  progress?(bytesRead: number): void;
  /** Checked after each chunk: true stops reading there (records of that chunk were all handed over). */
  stop?(): boolean;
  /** As RecordSink.placesProblems: false, and a line that is not JSON is counted without locating its error. */
  placesProblems?(): boolean;
}

export interface RangeScanTotals {
  /** Records handed over. */
  records: number;
  /** Record slots (records, and records skipped as too large). */
  slots: number;
  /** Lines of the range (its newlines, when it ends with one). */
  lines: number;
  /** Its length in UTF-16 units, as the editor counts them (what its records' offsets count from). */
  units: number;
  /** The first range found the file binary: a whole-file scan stops there, so later ranges do not count. */
  binary: boolean;
}

/**
 * What the scanner of a range hands its records to: an object of one class for every range, not
 * closures made per range, so that the scanner's optimized call to it stays right from one range
 * to the next (a new closure at each range was a new call target, and V8 threw away the scanner's
 * compiled loop at the second range).
 */
class RangeSink implements RecordSink {
  records = 0;
  binary = false;

  constructor(private readonly hooks: RangeScanHooks) {}

  record(rec: SourceRecord, bytes: Uint8Array): void {
    this.records++;
    this.hooks.record(rec, bytes);
  }

  problem(p: Problem): void {
    if (p.rule === 'jsonl/binary-file') this.binary = true;
    this.hooks.problem?.(p);
  }

  placesProblems(): boolean {
    return this.hooks.placesProblems?.() ?? true;
  }
}

/** Bytes scanned between two turns of the event loop (some 20 ms of work). */
const YIELD_BYTES = 4 * 1024 * 1024;

/**
 * The read buffer of this thread's last finished scan, for its next one. A scan takes it, so scans
 * that overlap (awaits between chunks) never share it; one a huge line grew is let go.
 */
let spareBuffer: Buffer | undefined;
const SPARE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Streams the records of one range of a JSON Lines file (see lineAlignedRanges) in order, reading
 * up to `readBytes` at a time (the scanner's buffer otherwise: 1 MB or more). Reads are synchronous, with a turn of the event loop every few MB: an asynchronous read waits for a
 * thread of libuv's pool, which on a machine whose cores are all busy scanning ranges may wait for
 * the scheduler.
 */
export async function scanRange(path: string, range: ByteRange, hooks: RangeScanHooks, isAborted: () => boolean = () => false, readBytes = Infinity): Promise<RangeScanTotals> {
  const fd = openInputFileSync(path);
  const sink = new RangeSink(hooks);
  const buffer = spareBuffer;
  spareBuffer = undefined;
  let scanner: RecordScanner | undefined;
  try {
    // The first range is a file's start: BOM and binary checks as in a whole-file scan.
    scanner = new RecordScanner('jsonl', sink, range.start === 0 ? { buffer } : { buffer, continueAt: range.start });
    let read = 0;
    let yielded = 0;
    const length = range.end - range.start;
    while (read < length) {
      if (isAborted()) throw new AbortedError();
      scanner.prepareForRead();
      const want = Math.min(scanner.free, length - read, readBytes);
      const bytesRead = readSync(fd, scanner.buffer, scanner.end, want, range.start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
      scanner.end += bytesRead;
      scanner.process();
      hooks.progress?.(read);
      if (scanner.isDone || hooks.stop?.()) break;
      if (read - yielded >= YIELD_BYTES) {
        // On the calling thread (an editor's extension host), let other work in now and then.
        yielded = read;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    scanner.finish();
    return { records: sink.records, slots: scanner.recordSlots, lines: scanner.currentLine - 1, units: scanner.currentOffset, binary: sink.binary };
  } finally {
    closeSync(fd);
    if (scanner && scanner.buffer.length <= SPARE_MAX_BYTES) spareBuffer = scanner.buffer;
  }
}
