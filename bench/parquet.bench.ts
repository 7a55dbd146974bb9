/**
 * Reading a Parquet file through our reader (readFileRecords: row group by row group, each row as a
 * record with its JSON text) against the library floor measured in the same run: hyparquet's own
 * parquetReadObjects on the same file, row group by row group as our reader asks for them (same
 * compressors, no per-row JSON); the whole file in one call is printed too (it holds every row at
 * once, and was the slower on this data). The JSON Lines reader
 * on the same records is printed for reference, and writing the Parquet file (convert) beside
 * writing the JSONL. The files are written here from seeded chat records.
 *
 *   BENCH_PARQUET_RECORDS   records (default 100000)
 *   BENCH_REPEAT            runs per measurement, best kept (default 3)
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { convertFile } from '../src/core/convert/convertFile';
import { readFileRecords } from '../src/core/jsonl/readRecords';
import { seededRandom } from '../src/core/base/random';
import type { BenchRow } from './benchRow';
import { round } from './childRun';

function records(n: number): string {
  const rnd = seededRandom(14);
  const words = ['data', 'model', 'train', 'token', 'answer', 'question', 'the', 'a', 'of', 'parquet', 'row', 'group', 'chat'];
  const text = (k: number) => Array.from({ length: k }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: `${i}: ${text(12 + Math.floor(rnd() * 30))}?` },
      { role: 'assistant', content: text(40 + Math.floor(rnd() * 120)) },
    ];
    lines.push(JSON.stringify({ messages }));
  }
  return lines.join('\n') + '\n';
}

async function best<T>(repeat: number, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let out: { ms: number; value: T } | undefined;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    const value = await f();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!out || ms < out.ms) out = { ms, value };
  }
  return out!;
}

async function countRecords(file: string): Promise<number> {
  let n = 0;
  for await (const item of readFileRecords(file)) if (item.kind === 'record') n++;
  return n;
}

export async function run(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_PARQUET_RECORDS ?? 100_000);
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-bench-pq-'));
  try {
    const input = path.join(dir, 'chat.jsonl');
    await fsp.writeFile(input, records(n));
    const jsonl = path.join(dir, 'out.jsonl');
    const pq = path.join(dir, 'out.parquet');
    const writeJsonl = await best(1, () => convertFile(input, { from: 'openai-chat', to: 'openai-chat', out: jsonl }));
    const writePq = await best(1, () => convertFile(input, { from: 'openai-chat', to: 'openai-chat', out: pq }));
    if (writePq.value.written !== n) throw new Error(`wrote ${writePq.value.written} of ${n} records`);
    const mb = (f: string) => fsp.stat(f).then((s) => round(s.size / 1024 ** 2, 1));

    const floor = await best(repeat, async () => {
      const bytes = await fsp.readFile(pq);
      const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), compressors });
      return rows.length;
    });
    const perGroup = await best(repeat, async () => {
      const bytes = await fsp.readFile(pq);
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const metadata = await parquetMetadataAsync(file);
      let rowStart = 0;
      let count = 0;
      for (const g of metadata.row_groups) {
        const rowEnd = rowStart + Number(g.num_rows);
        count += (await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors })).length;
        rowStart = rowEnd;
      }
      return count;
    });
    const ours = await best(repeat, () => countRecords(pq));
    const ref = await best(repeat, () => countRecords(jsonl));
    if (ours.value !== n || floor.value !== n || perGroup.value !== n || ref.value !== n) throw new Error(`read ${ours.value} / ${floor.value} / ${ref.value} of ${n}`);

    const b = `parquet: ${n} chat records (${await mb(pq)} MB Parquet, ${await mb(jsonl)} MB JSONL)`;
    const ratio = ours.ms / perGroup.ms;
    return [
      { benchmark: b, metric: 'hyparquet parquetReadObjects, row group by row group (library floor)', value: round(perGroup.ms), unit: 'ms' },
      { benchmark: b, metric: 'hyparquet parquetReadObjects, whole file in one call', value: round(floor.ms), unit: 'ms' },
      { benchmark: b, metric: 'our reader (readFileRecords: row groups, each row as a record with its JSON text)', value: round(ours.ms), unit: 'ms', baseline: round(perGroup.ms), baselineName: 'library floor', ratio: round(ratio, 2), target: '≤ 2× the library floor', pass: ratio <= 2 },
      { benchmark: b, metric: 'JSON Lines reader on the same records (reference)', value: round(ref.ms), unit: 'ms', baseline: round(ours.ms), baselineName: 'our Parquet reader', ratio: round(ref.ms / ours.ms, 2) },
      { benchmark: b, metric: 'convert to .parquet (two passes: columns, then rows)', value: round(writePq.ms), unit: 'ms', baseline: round(writeJsonl.ms), baselineName: 'convert to .jsonl', ratio: round(writePq.ms / writeJsonl.ms, 2) },
    ];
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
