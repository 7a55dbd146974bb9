/**
 * Writes records as a Parquet file with hyparquet-writer (pure JS like the hyparquet reader, kept
 * up to date, no native build to ship in the VSIX or the CLI bundle). One column per top-level key,
 * in first-seen order. Scalars get a Parquet type when every row agrees (STRING, INT64, DOUBLE,
 * BOOLEAN); nested values (messages, tools…) and columns of mixed types are JSON-annotated byte
 * arrays: hyparquet and pyarrow know the annotation, `datasets` hands them back as JSON text.
 * A key a record lacks is null in its row (Parquet has no "absent").
 *
 * The column set must be known before the first row group, so the caller passes over its records
 * twice: once through `ParquetColumnTypes`, then through `writeParquetRecords`.
 */
import { ByteWriter, parquetWriteRows, type BasicType, type ColumnSource } from 'hyparquet-writer';
import type { AtomicFileWriter } from './atomicWrite';

/** Rows per row group: small enough that the Dataset View reads one group quickly. */
export const PARQUET_ROW_GROUP_SIZE = 1000;

type Kind = 'string' | 'int' | 'float' | 'boolean' | 'json';

export class ParquetColumnTypes {
  private readonly kinds = new Map<string, Set<Kind>>();

  add(record: Record<string, unknown>): void {
    for (const [key, v] of Object.entries(record)) {
      let set = this.kinds.get(key);
      if (!set) this.kinds.set(key, (set = new Set()));
      if (v === null || v === undefined) continue;
      set.add(kindOf(v));
    }
  }

  columns(): Omit<ColumnSource, 'data'>[] {
    return [...this.kinds].map(([name, kinds]) => ({ name, type: columnType(kinds), nullable: true }));
  }
}

function kindOf(v: unknown): Kind {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'int' : Number.isFinite(v) ? 'float' : 'json';
  return 'json';
}

function columnType(kinds: Set<Kind>): BasicType {
  if (kinds.size === 0) return 'STRING';
  if (kinds.size === 1) {
    const [k] = kinds;
    return k === 'string' ? 'STRING' : k === 'int' ? 'INT64' : k === 'float' ? 'DOUBLE' : k === 'boolean' ? 'BOOLEAN' : 'JSON';
  }
  if (kinds.size === 2 && kinds.has('int') && kinds.has('float')) return 'DOUBLE';
  return 'JSON';
}

/** A row as the writer takes it: INT64 values as bigint, absent keys as null. */
function toRow(record: Record<string, unknown>, columns: Omit<ColumnSource, 'data'>[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    const v = record[c.name];
    row[c.name] = v === undefined ? null : c.type === 'INT64' && typeof v === 'number' ? BigInt(v) : v;
  }
  return row;
}

/**
 * hyparquet-writer's byte buffer, drained into the atomic temp file after each row group, so at
 * most one encoded row group is held in memory.
 */
class AtomicSink extends ByteWriter {
  constructor(private readonly out: AtomicFileWriter) {
    super(1 << 16);
  }
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    return this.out.write(bytes);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

export async function writeParquetRecords(
  records: AsyncIterable<Record<string, unknown>>,
  columns: Omit<ColumnSource, 'data'>[],
  out: AtomicFileWriter,
): Promise<void> {
  async function* rows() {
    for await (const r of records) yield toRow(r, columns);
  }
  // A record set with no keys at all still makes a readable file.
  const cols = columns.length > 0 ? columns : [{ name: 'text', type: 'STRING' as const, nullable: true }];
  await parquetWriteRows({ writer: new AtomicSink(out), rows: rows(), columns: cols, rowGroupSize: PARQUET_ROW_GROUP_SIZE, createdBy: 'pairwise (hyparquet-writer)' });
}
