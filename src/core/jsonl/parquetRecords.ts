/**
 * Reads a Parquet file row group by row group with hyparquet (pure JS, maintained, no native build;
 * hyparquet-compressors adds snappy/zstd/gzip/brotli/lz4). Only the footer and one row group's
 * column chunks are in memory at a time. Each row becomes a SourceRecord like a JSON line: its text
 * is the row as JSON, its "line" is the 1-based row number (Parquet has no text positions).
 */
import { promises as fsp } from 'node:fs';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import * as l10n from '@vscode/l10n';
import type { Problem } from '../base/problem';
import { AbortedError } from '../base/cancellation';
import type { ReaderItem, SourceRecord } from './sourceRecord';
import { openInputFile } from './openInput';

/** A Parquet value as a JSON value: int64 as a number when safe, else a string; bytes as base64. */
export function parquetValueToJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (Array.isArray(v)) return v.map(parquetValueToJson);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = parquetValueToJson(x);
    return out;
  }
  return v === undefined ? null : v;
}

/** Byte ranges of an open file, read on demand (hyparquet asks for the footer, then each column chunk). */
function fileBuffer(handle: fsp.FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const from = Math.max(0, start);
      const to = Math.min(size, end);
      if (to <= from) return new ArrayBuffer(0);
      const buf = new Uint8Array(to - from);
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await handle.read(buf, done, buf.length - done, from + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.buffer.slice(0, done);
    },
  };
}

function fileProblem(message: string): Problem {
  return { line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', rule: 'parquet/unreadable', message };
}

/** Every row of a Parquet file as a record, in order; an unreadable file yields one file-level problem. */
export async function* readParquetRecords(path: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<ReaderItem> {
  const handle = await openInputFile(path);
  try {
    yield* readRows(fileBuffer(handle, (await handle.stat()).size), opts);
  } finally {
    await handle.close();
  }
}

async function* readRows(file: AsyncBuffer, opts: { signal?: AbortSignal }): AsyncGenerator<ReaderItem> {
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    yield { kind: 'problem', problem: fileProblem(l10n.t('Not a readable Parquet file: {0}', (e as Error).message)) };
    return;
  }
  let index = 0;
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    if (opts.signal?.aborted) throw new AbortedError();
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
    } catch (e) {
      yield { kind: 'problem', problem: fileProblem(l10n.t('Rows {0} to {1} of the Parquet file cannot be read: {2}', rowStart + 1, rowEnd, (e as Error).message)) };
      return;
    }
    for (const row of rows) {
      const value = parquetValueToJson(row) as Record<string, unknown>;
      const text = JSON.stringify(value);
      const rec: SourceRecord = { kind: 'record', index, line: index + 1, column: 1, offset: 0, text, byteOffset: 0, byteLength: 0, value };
      index++;
      yield rec;
    }
    rowStart = rowEnd;
  }
}

/**
 * Rows of a Parquet file by row number, read a row group at a time on demand (the Dataset View's
 * window): the footer is read once, the last few row groups read are kept.
 */
export class ParquetRowSource {
  private static readonly KEPT_GROUPS = 2;
  private readonly groups = new Map<number, Promise<string[]>>();
  private constructor(
    private readonly handle: fsp.FileHandle,
    private readonly file: AsyncBuffer,
    private readonly metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>,
    /** Row number where each row group starts, and the total at the end. */
    private readonly starts: number[],
  ) {}

  static async open(path: string): Promise<ParquetRowSource> {
    const handle = await openInputFile(path);
    try {
      const file = fileBuffer(handle, (await handle.stat()).size);
      const metadata = await parquetMetadataAsync(file);
      const starts = [0];
      for (const g of metadata.row_groups) starts.push(starts[starts.length - 1] + Number(g.num_rows));
      return new ParquetRowSource(handle, file, metadata, starts);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  get rows(): number {
    return this.starts[this.starts.length - 1];
  }

  /** The JSON text of each wanted row (as readParquetRecords gives it); rows past the end are left out. */
  async texts(indexes: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const i of [...new Set(indexes)].sort((a, b) => a - b)) {
      if (!Number.isInteger(i) || i < 0 || i >= this.rows) continue;
      const g = this.groupOf(i);
      const rows = await this.group(g);
      out.set(i, rows[i - this.starts[g]]);
    }
    return out;
  }

  private groupOf(i: number): number {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private group(g: number): Promise<string[]> {
    let p = this.groups.get(g);
    if (!p) {
      p = parquetReadObjects({ file: this.file, metadata: this.metadata, rowStart: this.starts[g], rowEnd: this.starts[g + 1], compressors }).then((rows) => rows.map((r) => JSON.stringify(parquetValueToJson(r))));
      p.catch(() => this.groups.delete(g));
      this.groups.set(g, p);
      if (this.groups.size > ParquetRowSource.KEPT_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    }
    return p;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
