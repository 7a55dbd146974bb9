/**
 * The streaming driver every curation operation shares: detect the format from the first records,
 * then hand each record to a synchronous callback while reading chunk by chunk, with an awaited
 * hook between chunks (where outputs are flushed) and cancellation and progress per chunk.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { AbortedError } from '../base/cancellation';
import { readFileRecords, scanFile } from '../jsonl/readRecords';
import { RecordScanner } from '../jsonl/recordScanner';
import { isParquetFileName, modeForFileName, type ReaderMode, type SourceRecord } from '../jsonl/sourceRecord';
import { DetectionSample, detectFormat, forcedDetection, type Detection } from '../validate/detect';
import { isJsonSpace } from '../jsonl/textPosition';
import type { Problem } from '../base/problem';
import { openInputFile } from '../jsonl/openInput';

/** What every long curation operation accepts, so an editor can show a cancellable progress bar. */
export interface CurateRunOptions {
  signal?: AbortSignal;
  /** Called after each chunk read: bytes read so far and the file size (per input file). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Overrides the reading mode chosen from the file name. */
  mode?: ReaderMode;
  /**
   * Whether a command on several threads scans byte ranges on this thread too (the default: it
   * starts at once, some 2% faster on two cores) or leaves them all to workers and only merges: the
   * extension host, which other extensions share, went 100-130 ms between turns of its event loop
   * while it scanned.
   */
  rangesOnThisThread?: boolean;
}

export interface FormatChoice {
  /** Forces the format instead of detecting it. */
  format?: FormatId;
  formatOptions?: FormatOptions;
}

/** The reads of format detection (see detectFileFormat). */
export const DETECTION_READ_BYTES = 64 * 1024;

/** The format of a file from its first records (or the forced one), sampled as the validator samples them. */
export async function detectFileFormat(path: string, opts: FormatChoice & CurateRunOptions = {}): Promise<Detection> {
  if (opts.format) return forcedDetection(opts.format);
  const values: Record<string, unknown>[] = [];
  const sample = new DetectionSample();
  // Small reads: the scanner parses all of a read's records before handing any over, and 200 are
  // wanted (a read of 1 MB parsed 1,700 records of 600 bytes: 11 ms before any work could start).
  for await (const item of readFileRecords(path, { mode: opts.mode ?? modeForFileName(path), signal: opts.signal, chunkBytes: DETECTION_READ_BYTES })) {
    if (item.kind !== 'record') continue;
    if (item.value) values.push(item.value);
    if (sample.add(item.value !== undefined, item.byteLength - surroundingSpace(item.text), item.text.length)) break;
  }
  return detectFormat(values);
}

/** JSON whitespace around a record's text (one byte each): what its trimmed bytes leave out. */
function surroundingSpace(text: string): number {
  let a = 0;
  let b = text.length;
  while (a < b && isJsonSpace(text.charCodeAt(a))) a++;
  while (b > a && isJsonSpace(text.charCodeAt(b - 1))) b--;
  return a + text.length - b;
}

export function formatModuleOf(d: Detection): FormatModule | undefined {
  return d.format ? getFormat(d.format) : undefined;
}

export interface ScanHooks {
  /** `bytes`: the record's raw UTF-8 as in the file, valid only during the call. */
  record(rec: SourceRecord, bytes: Uint8Array): void;
  /** File-level problems of reading (a torn array, binary content); default: ignored. */
  problem?(p: Problem): void;
  /** Awaited after each chunk's records were handed over (e.g. to flush output). */
  afterChunk?(): Promise<void>;
}

/**
 * Streams every record of a file through `hooks`, in file order; constant memory. `raw`: JSON Lines
 * records are cut but not decoded or parsed (see ScannerOptions.raw), for byte-copying passes.
 */
export async function scanRecords(path: string, hooks: ScanHooks, opts: CurateRunOptions & { raw?: boolean } = {}): Promise<{ bytes: number; records: number }> {
  if (isParquetFileName(path)) {
    // Parquet rows arrive decoded (their bytes are the row as JSON), one row group at a time.
    let records = 0;
    const { bytes } = await scanFile(path, { record: (rec, b) => { records++; hooks.record(rec, b); }, problem: (p) => hooks.problem?.(p) }, { signal: opts.signal, onProgress: opts.onProgress });
    if (hooks.afterChunk) await hooks.afterChunk();
    return { bytes, records };
  }
  const handle = await openInputFile(path);
  let records = 0;
  try {
    const { size } = await handle.stat();
    const scanner = new RecordScanner(opts.mode ?? modeForFileName(path), {
      record: (rec, bytes) => {
        records++;
        hooks.record(rec, bytes);
      },
      problem: (p) => hooks.problem?.(p),
    }, { raw: opts.raw });
    let bytes = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      scanner.prepareForRead();
      const { bytesRead } = await handle.read(scanner.buffer, scanner.end, scanner.free, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      scanner.end += bytesRead;
      scanner.process();
      if (hooks.afterChunk) await hooks.afterChunk();
      opts.onProgress?.(bytes, size);
      if (scanner.isDone) break;
    }
    scanner.finish();
    if (hooks.afterChunk) await hooks.afterChunk();
    return { bytes, records };
  } finally {
    await handle.close();
  }
}

/** Progress of one of `passes` reads of the same file, reported as a share of the whole job. */
export function passProgress(onProgress: CurateRunOptions['onProgress'], pass: number, passes: number): CurateRunOptions['onProgress'] {
  if (!onProgress) return undefined;
  return (bytes, total) => onProgress(Math.round((pass * total + bytes) / passes), total);
}
