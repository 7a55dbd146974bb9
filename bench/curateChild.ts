/**
 * The child side of the curation benchmarks (curate.bench.ts, nearDedupe.bench.ts): one
 * measurement (`floor`, `floor-grouped`, `stats`, `stats-exact`, `dedupe`, `dedupe-two-threads`, `near` or `split`) of
 * one file, its result as a JSON line on stdout. Bundled as dist/cli.js is (esbuild.js), so this
 * thread runs the code the CLI runs, as the worker threads (dist/curateWorker.js) already did; see
 * validateChild.ts.
 */
import { jsonParseFloor, jsonParseFloorGroupedDecoding } from './jsonlFloor';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serveChildMeasurement } from './childRun';
import { tuneV8 } from '../src/cli/gcTuning';
import { computeStats } from '../src/core/curate/computeStats';
import { dedupeFile } from '../src/core/curate/dedupe';
import { splitFile } from '../src/core/curate/split';
import { dedupeWorkerCount, workerCount } from '../src/core/curate/workerPool';

/** The bundle of this file (esbuild.js writes it; `npm run bench` builds first). */
export const CURATE_CHILD_BUNDLE = path.resolve(__dirname, '..', 'bench-bundles', 'curateChild.js');

export interface CurateChildResult {
  ms: number;
  bytes: number;
  records: number;
  detail: string;
  maxRssMB: number;
}

/** The threads statistics and exact dedupe use on this file, this one among them (workerPool.ts); near dedupe uses one. */
function threads(file: string, mode: 'stats' | 'stats-exact' | 'dedupe' | 'dedupe-two-threads'): string {
  const size = fs.statSync(file).size;
  const n = mode === 'stats-exact' ? 1 : mode === 'dedupe' ? dedupeWorkerCount(size) : mode === 'dedupe-two-threads' ? 2 : workerCount(size);
  return n > 1 ? `${n} threads (this one and ${n - 1} worker${n > 2 ? 's' : ''})` : 'one thread';
}

async function child(mode: string, file: string): Promise<CurateChildResult> {
  const scratch = path.join(path.dirname(file), `scratch-${process.pid}`);
  fs.mkdirSync(scratch, { recursive: true });
  // As the `pairwise` process does before any command (the floors are plain Node).
  if (!mode.startsWith('floor')) tuneV8();
  const t0 = process.hrtime.bigint();
  let records = 0;
  let detail = '';
  let ms = 0;
  try {
    if (mode === 'floor') records = jsonParseFloor(file).records;
    else if (mode === 'floor-grouped') records = jsonParseFloorGroupedDecoding(file).records;
    else if (mode === 'stats' || mode === 'stats-exact') {
      const s = await computeStats(file, { tokenMode: mode === 'stats-exact' ? 'exact' : 'auto' });
      records = s.report.records;
      detail = `${s.report.tokens.mode}, ${s.report.tokens.exactRecords} records counted exactly, ${s.report.tokensPerRecord.sum} tokens, ${threads(file, mode)}`;
    } else if (mode === 'dedupe' || mode === 'dedupe-two-threads' || mode === 'near') {
      // dedupe-two-threads: two threads whatever the size (the default keeps a file below 64 MB on one).
      const workers = mode === 'dedupe-two-threads' ? 2 : undefined;
      const r = await dedupeFile(file, { near: mode === 'near', workers, out: path.join(scratch, 'kept.jsonl'), report: path.join(scratch, 'report.jsonl') });
      records = r.records;
      detail = `${r.exactDuplicates} exact, ${r.nearDuplicates} near duplicates removed${mode === 'near' ? '' : `, ${threads(file, mode)}`}`;
    } else if (mode === 'split') {
      const r = await splitFile(file, { ratios: [0.9, 0.05, 0.05], outDir: scratch });
      records = r.records;
      detail = r.splits.map((s) => `${s.name} ${s.records}`).join(', ');
    } else throw new Error(`unknown mode ${mode}`);
  } finally {
    // Stop the clock before deleting the outputs: removing the bench's scratch files (hundreds of
    // MB) is not part of the operation, and the floor deletes nothing.
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { ms, bytes: fs.statSync(file).size, records, detail, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

serveChildMeasurement(module, child);
