/**
 * The child side of the validation benchmark: one measurement (`floor`, `floor-grouped`,
 * `validate` or `validate2`) of one file, its result as a JSON line on stdout. It runs as an
 * esbuild bundle built like dist/cli.js (esbuild.js), so the figures are those of the code
 * `pairwise validate` and the extension run: transpiled file by file (out/), every call into
 * another module goes through an export getter, which measured 7% slower on openai-chat data
 * (797 ms against 737 ms for 200 MB).
 */
import { jsonParseFloor, jsonParseFloorGroupedDecoding } from './jsonlFloor';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serveChildMeasurement } from './childRun';
import { tuneV8, favourMemoryFor } from '../src/cli/gcTuning';
import { validateFile } from '../src/core/validate/pipeline';
import { validateFileInParallel } from '../src/core/curate/parallelValidate';

/** The bundle of this file (esbuild.js writes it; `npm run bench` builds first). */
export const VALIDATE_CHILD_BUNDLE = path.resolve(__dirname, '..', 'bench-bundles', 'validateChild.js');

export interface ValidateChildResult {
  ms: number;
  bytes: number;
  records: number;
  problems: number;
  maxRssMB: number;
}

async function child(mode: string, file: string): Promise<ValidateChildResult> {
  // As the `pairwise` process does before any command (the floors are plain Node).
  if (!mode.startsWith('floor')) {
    tuneV8();
    // As `pairwise validate` does before each file.
    favourMemoryFor(fs.statSync(file).size);
  }
  const t0 = process.hrtime.bigint();
  let records = 0;
  let problems = 0;
  if (mode === 'floor') {
    records = jsonParseFloor(file).records;
  } else if (mode === 'floor-grouped') {
    records = jsonParseFloorGroupedDecoding(file).records;
  } else {
    // 'validate': one thread; 'validate2': two threads, this one and a worker (what `pairwise validate` uses on two cores).
    const r = mode === 'validate2' ? await validateFileInParallel(file, { workers: 2 }) : await validateFile(file);
    records = r.records;
    problems = r.problems.length + r.omitted;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, bytes: fs.statSync(file).size, records, problems, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

serveChildMeasurement(module, child);
