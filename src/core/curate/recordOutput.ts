/**
 * Writes records to a whole-file output atomically, each as its source bytes (so a kept record is
 * byte-identical to its input line), as JSON Lines or as a JSON array. Buffered in one growing
 * byte buffer (raw bytes are copied, never re-encoded): `add` is synchronous, `flush` is awaited
 * between input chunks, `commit` renames into place.
 *
 * A `.parquet` target is staged the same way as JSON Lines in a temp beside it; `complete` then
 * reads the staged lines twice (the columns, then the rows) into the Parquet temp and drops the
 * staging file, so a Parquet input split or deduplicated into `name.train.parquet` is Parquet.
 */
import * as path from 'node:path';
import { AtomicFileWriter } from '../jsonl/atomicWrite';
import { commitOutputSet } from '../jsonl/outputSet';
import { isParquetFileName } from '../jsonl/sourceRecord';
import { readFileRecords } from '../jsonl/readRecords';
import { ParquetColumnTypes, writeParquetRecords } from '../jsonl/parquetWriter';
import * as l10n from '@vscode/l10n';
import { tryParseJson } from '../formats/textChecks';

const FLUSH_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;


export class RecordOutput {
  private buf: Buffer = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  /** The buffer of the last completed write, for the next flush to continue in. */
  private spare: Buffer | undefined;
  private used = 0;
  private first = true;
  count = 0;

  private constructor(
    readonly target: string,
    private readonly writer: AtomicFileWriter,
    readonly asArray: boolean,
    /** The Parquet temp, for a `.parquet` target (`writer` then stages JSON Lines). */
    private readonly parquet?: AtomicFileWriter,
  ) {}

  /** `asArray` defaults from the name: `.json` writes a JSON array, `.parquet` Parquet, anything else JSON Lines. */
  static async open(target: string, asArray = /\.json$/i.test(target)): Promise<RecordOutput> {
    if (isParquetFileName(target)) {
      const staging = await AtomicFileWriter.create(target);
      const parquet = await AtomicFileWriter.create(target).catch(async (e: unknown) => {
        await staging.abort();
        throw e;
      });
      return new RecordOutput(target, staging, false, parquet);
    }
    const out = new RecordOutput(target, await AtomicFileWriter.create(target), asArray);
    if (asArray) out.push('[');
    return out;
  }

  /** Adds a record by its raw bytes (a JSONL line without terminator, or an array element). */
  addBytes(bytes: Uint8Array): void {
    // Staged for Parquet as JSON Lines: an element of an indented JSON array spans lines, so it is
    // put on one (one that is not JSON stays out, and `complete`, counting rows, refuses the set).
    if (this.parquet && (bytes.includes(NEWLINE) || bytes.includes(CR))) {
      const value = tryParseJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
      if (value === undefined) {
        this.count++;
        return;
      }
      bytes = Buffer.from(JSON.stringify(value), 'utf8');
    }
    this.count++;
    if (this.asArray) {
      this.push(this.first ? '\n  ' : ',\n  ');
      this.first = false;
    }
    this.reserve(bytes.length + 1);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    if (!this.asArray) this.buf[this.used++] = NEWLINE;
  }

  /**
   * Adds `records` consecutive JSONL lines as one block: their bytes joined by single newlines, as
   * they lie in a file, without the last newline. A JSON array output takes records one by one.
   */
  addLines(bytes: Uint8Array, records: number): void {
    if (this.asArray) throw new Error('RecordOutput.addLines: a JSON array output takes records one by one');
    this.count += records;
    this.reserve(bytes.length + 1);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    this.buf[this.used++] = NEWLINE;
  }

  /** Adds a record by its text (encoded as UTF-8). */
  add(text: string): void {
    this.addBytes(Buffer.from(text, 'utf8'));
  }

  /** Adds a record object (converted records), serialized like the other records of the output. */
  addObject(record: Record<string, unknown>): void {
    this.add(this.asArray ? JSON.stringify(record, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(record));
  }

  get needsFlush(): boolean {
    return this.used >= FLUSH_BYTES;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.buf;
    const chunk = full.subarray(0, this.used);
    // The writer holds `chunk` until its write completes: continue in the other buffer meanwhile,
    // and keep this one for the next flush. (A fresh buffer per flush cost a page fault per 4 KB:
    // 40-60 ms of the 200 MB a dedupe writes.)
    this.buf = this.spare && this.spare.length >= FLUSH_BYTES * 2 ? this.spare : Buffer.allocUnsafe(Math.max(FLUSH_BYTES * 2, full.length));
    this.spare = undefined;
    this.used = 0;
    await this.writer.write(chunk);
    this.spare = full;
  }

  async commit(): Promise<void> {
    await commitRecordOutputs([this]);
  }

  /** Writes what is still buffered (and a JSON array's end): complete, not yet committed (commitRecordOutputs). */
  async complete(): Promise<AtomicFileWriter> {
    if (this.asArray) this.push(this.first ? ']\n' : '\n]\n');
    await this.flush();
    if (!this.parquet) return this.writer;
    const staged = this.writer.tempPath;
    const records = async function* () {
      for await (const item of readFileRecords(staged, { mode: 'jsonl' })) if (item.kind === 'record' && item.value) yield item.value;
    };
    const types = new ParquetColumnTypes();
    let rows = 0;
    for await (const r of records()) {
      types.add(r);
      rows++;
    }
    // Every record is a row, or nothing is written: a record dropped here would vanish unnoticed.
    if (rows !== this.count) {
      await this.abort();
      throw new Error(l10n.t('{0} of the {1} records are not JSON objects, which Parquet cannot hold as rows; nothing was written to {2}. Write JSON Lines (.jsonl) instead.', this.count - rows, this.count, path.basename(this.target)));
    }
    await writeParquetRecords(records(), types.columns(), this.parquet);
    await this.writer.abort();
    return this.parquet;
  }

  async abort(): Promise<void> {
    this.used = 0;
    await this.writer.abort();
    await this.parquet?.abort();
  }

  private push(s: string): void {
    this.reserve(s.length * 3);
    this.used += this.buf.write(s, this.used, 'utf8');
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const g = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + n));
    this.buf.copy(g, 0, 0, this.used);
    this.buf = g;
  }
}

/**
 * Commits the outputs of one run as a set: after a kill the folder holds all of the previous
 * outputs or all of these (split's train beside the old validation file could share records).
 */
export async function commitRecordOutputs(outputs: readonly RecordOutput[]): Promise<void> {
  const writers: AtomicFileWriter[] = [];
  for (const o of outputs) writers.push(await o.complete());
  await commitOutputSet(writers);
}

/** Aborts every output (after a failure or a cancel), leaving no temporary file behind. */
export async function abortAll(outputs: readonly (RecordOutput | undefined)[]): Promise<void> {
  await Promise.all(outputs.map((o) => o?.abort()));
}

/** `dir/name.<suffix>.<ext>` beside the input, keeping its extension (`.json` stays an array). */
export function siblingPath(input: string, suffix: string): string {
  const ext = path.extname(input) || '.jsonl';
  return path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.${suffix}${ext}`);
}
