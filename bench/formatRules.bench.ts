/**
 * Validation cost of the format modules. For each of several formats (the project's own records in
 * the shapes of LLaMA-Factory's demo files, test/support/ownDatasets.ts, repeated with a counter so
 * no two lines are equal; a clone without ../shared/corpus runs it the same), a JSONL file of
 * BENCH_FORMATS_MB / 4 MB (default 200 MB in total) under bench/out/formats/ is parsed line by line:
 * baseline = bare JSON.parse; measured = JSON.parse + schemaCheck + check (the pipeline's per-record
 * work). Best of 3 alternating runs each. Target: measured within 1.5x of the baseline.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './benchRow';
import type { FormatId, RuleReport } from '../src/core/formats/formatModule';
import { getFormat, schemaCheck } from '../src/core/formats/registry';
import { alpacaDataset, ktoDataset, preferenceDataset, toolCallDataset, type OwnDataset } from '../test/support/ownDatasets';

const OUT = path.resolve(__dirname, '..', '..', 'bench', 'out', 'formats');

const SOURCES: [FormatId, () => OwnDataset][] = [
  ['alpaca', alpacaDataset],
  ['sharegpt', toolCallDataset],
  ['sharegpt-preference', preferenceDataset],
  ['llamafactory-kto', ktoDataset],
];

async function ensureFile(id: FormatId, source: () => OwnDataset, sizeMb: number): Promise<string> {
  await fsp.mkdir(OUT, { recursive: true });
  // "own" in the name: files generated from the corpus by earlier versions are not reused.
  const file = path.join(OUT, `${id}-own-${sizeMb}mb.jsonl`);
  const target = sizeMb * 1024 * 1024;
  try {
    if ((await fsp.stat(file)).size >= target) return file;
  } catch {
    /* generate below */
  }
  const records = source().records;
  const handle = await fsp.open(file, 'w');
  let bytes = 0;
  let n = 0;
  try {
    while (bytes < target) {
      const chunk: string[] = [];
      for (const r of records) {
        // A varying extra key keeps lines distinct without changing what the rules see.
        chunk.push(JSON.stringify({ ...r, row: n++ }) + '\n');
      }
      const text = chunk.join('');
      await handle.write(text);
      bytes += Buffer.byteLength(text);
    }
  } finally {
    await handle.close();
  }
  return file;
}

function timeParse(lines: string[]): number {
  const t0 = performance.now();
  let keep = 0;
  for (const l of lines) if (l.length) keep += JSON.parse(l) ? 1 : 0;
  const t = performance.now() - t0;
  if (keep === 0) throw new Error('nothing parsed');
  return t;
}

function timeValidate(lines: string[], id: FormatId): { ms: number; reports: number } {
  const f = getFormat(id);
  let reports = 0;
  const sink = (_r: RuleReport) => {
    reports++;
  };
  const t0 = performance.now();
  for (const l of lines) {
    if (!l.length) continue;
    const rec = JSON.parse(l);
    const s = schemaCheck(f, rec);
    if (s.length) reports += s.length;
    else f.check(rec, sink);
  }
  return { ms: performance.now() - t0, reports };
}

export async function run(): Promise<BenchRow[]> {
  const totalMb = Number(process.env.BENCH_FORMATS_MB ?? 200);
  const each = Math.max(1, Math.round(totalMb / SOURCES.length));
  const rows: BenchRow[] = [];
  for (const [id, source] of SOURCES) {
    const file = await ensureFile(id, source, each);
    const lines = readFileSync(file, 'utf8').split('\n');
    const mb = lines.reduce((s, l) => s + l.length + 1, 0) / (1024 * 1024);
    timeValidate(lines.slice(0, 2000), id); // compile the schema, warm the JIT
    let base = Infinity;
    let meas = Infinity;
    let reports = 0;
    for (let i = 0; i < 3; i++) {
      base = Math.min(base, timeParse(lines));
      const v = timeValidate(lines, id);
      meas = Math.min(meas, v.ms);
      reports = v.reports;
    }
    const ratio = meas / base;
    rows.push({
      benchmark: `formats: parse + schema + rules, ${id} (${mb.toFixed(0)} MB, ${lines.length - 1} records, ${reports} reports)`,
      metric: 'throughput',
      value: Math.round((mb / meas) * 1000),
      unit: 'MB/s',
      baseline: Math.round((mb / base) * 1000),
      baselineName: 'JSON.parse alone',
      ratio: Number(ratio.toFixed(2)),
      target: 'time <= 1.5x JSON.parse',
      pass: ratio <= 1.5,
    });
  }
  return rows;
}

if (require.main === module) {
  run().then((rows) => console.table(rows), (e) => {
    console.error(e);
    process.exit(1);
  });
}
