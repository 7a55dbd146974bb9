/**
 * Streaming readers over a file (constant memory, one pass) and over in-memory text, built on
 * RecordScanner. The sink-based `scan*` functions are the fast path the validator uses; the
 * iterator forms are for everyone else.
 */
import { promises as fsp } from 'node:fs';
import type { Problem } from '../base/problem';
import { RecordScanner, type ScannerOptions } from './recordScanner';
import { isParquetFileName, modeForFileName, type ReaderItem, type ReaderMode, type RecordSink, type SourceRecord } from './sourceRecord';
import { AbortedError } from '../base/cancellation';
import { readParquetRecords } from './parquetRecords';
import { openInputFile } from './openInput';

export interface ReadOptions extends ScannerOptions {
  /** Defaults from the file name: `.json` is an array (or JSON Lines), anything else JSON Lines. */
  mode?: ReaderMode;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Streams an open file through `sink`; the caller keeps the handle (e.g. to re-read earlier records). */
export async function scanFileHandle(handle: fsp.FileHandle, fileName: string, sink: RecordSink, opts: ReadOptions = {}): Promise<{ bytes: number }> {
  if (isParquetFileName(fileName)) return scanParquetFile(fileName, sink, opts);
  const { size } = await handle.stat();
  const scanner = new RecordScanner(opts.mode ?? modeForFileName(fileName), sink, opts);
  // The next chunk is read while the scanner checks this one (double buffering): the disk and the
  // CPU work at the same time. After prepareForRead the scanner has room for half a chunk at least,
  // so one staged read always fits.
  const staging = Buffer.allocUnsafeSlow(Math.max(1, scanner.free >> 1));
  let bytes = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(staging, 0, staging.length, 0);
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      scanner.prepareForRead();
      staging.copy(scanner.buffer, scanner.end, 0, bytesRead);
      bytes += bytesRead;
      scanner.end += bytesRead;
      pending = handle.read(staging, 0, staging.length, bytes);
      scanner.process();
      opts.onProgress?.(bytes, size);
      if (scanner.isDone) break;
    }
  } finally {
    // No read may still be writing into the staging buffer (or use the handle) once this returns.
    await pending?.catch(() => undefined);
  }
  scanner.finish();
  return { bytes };
}

export async function scanFile(path: string, sink: RecordSink, opts: ReadOptions = {}): Promise<{ bytes: number }> {
  if (isParquetFileName(path)) return scanParquetFile(path, sink, opts);
  const handle = await openInputFile(path);
  try {
    return await scanFileHandle(handle, path, sink, opts);
  } finally {
    await handle.close();
  }
}

/** Scans document text (as an editor holds it); offsets and columns are UTF-16, as the editor's. */
export function scanText(text: string | Uint8Array, mode: ReaderMode, sink: RecordSink, opts?: ScannerOptions): void {
  RecordScanner.scanBuffer(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, mode, sink, opts);
}

class ItemQueue implements RecordSink {
  items: ReaderItem[] = [];
  record(rec: SourceRecord): void {
    this.items.push(rec);
  }
  problem(p: Problem): void {
    this.items.push({ kind: 'problem', problem: p });
  }
  take(): ReaderItem[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}

/** Yields every record (and file-level problem) of a file, in order, reading it chunk by chunk. */
export async function* readFileRecords(path: string, opts: ReadOptions = {}): AsyncGenerator<ReaderItem> {
  if (isParquetFileName(path)) {
    yield* readParquetRecords(path, opts);
    return;
  }
  const handle = await openInputFile(path);
  try {
    const queue = new ItemQueue();
    const scanner = new RecordScanner(opts.mode ?? modeForFileName(path), queue, opts);
    let bytes = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      scanner.prepareForRead();
      const { bytesRead } = await handle.read(scanner.buffer, scanner.end, scanner.free, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      scanner.end += bytesRead;
      scanner.process();
      yield* queue.take();
      if (scanner.isDone) break;
    }
    scanner.finish();
    yield* queue.take();
  } finally {
    await handle.close();
  }
}

/** Every record (and file-level problem) of in-memory text, in order. */
export function readTextRecords(text: string | Uint8Array, mode: ReaderMode = 'jsonl', opts?: ScannerOptions): ReaderItem[] {
  const queue = new ItemQueue();
  scanText(text, mode, queue, opts);
  return queue.take();
}

/** A Parquet file through a sink, like scanFile: the record's bytes are its row as JSON text. */
async function scanParquetFile(path: string, sink: RecordSink, opts: ReadOptions): Promise<{ bytes: number }> {
  const { size } = await fsp.stat(path);
  for await (const item of readParquetRecords(path, opts)) {
    if (item.kind === 'problem') sink.problem(item.problem);
    else sink.record(item, Buffer.from(item.text, 'utf8'));
  }
  opts.onProgress?.(size, size);
  return { bytes: size };
}
