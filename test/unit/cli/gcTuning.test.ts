/**
 * The V8 settings of the `pairwise` process (src/cli/gcTuning.ts). Each case runs in a child
 * process: V8's flags are per process, and this one must keep its own.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { LARGE_INPUT_BYTES } from '../../../src/cli/gcTuning';
import { validateFile, type ValidationResult } from '../../../src/core/validate/pipeline';
import { alpacaDataset, writeDataset } from '../../support/ownDatasets';
import { tempDir } from '../curate/tmpDir';

const child = path.resolve(__dirname, '..', '..', 'support', 'favourMemoryChild.js');
const compileChild = path.resolve(__dirname, '..', '..', 'support', 'workerCompileChild.js');

/** V8's --trace-opt lines about compiling workerHotLoop in a worker (workerCompileChild.ts), tuned or not. */
function workerCompiles(tune: boolean): string[] {
  const out = execFileSync(process.execPath, ['--trace-opt', compileChild, ...(tune ? ['tune'] : [])], { encoding: 'utf8', timeout: 60_000 });
  return out.split('\n').filter((l) => l.includes('compiling method') && l.includes('workerHotLoop'));
}

interface ChildRun {
  favoured: boolean;
  youngBefore: number;
  youngBytes: number;
  /** After the run on two threads, and after the same workload again, once the worker has exited. */
  youngAfterRun: number;
  youngAfterWorkers: number;
  result: ValidationResult;
}

function run(bytes: number, file: string, tune: boolean | 'tune-only' = false): ChildRun {
  const how = tune === 'tune-only' ? ['tune-only'] : tune ? ['tune'] : [];
  return JSON.parse(execFileSync(process.execPath, [child, String(bytes), file, ...how], { encoding: 'utf8', timeout: 60_000 })) as ChildRun;
}

describe('gcTuning: the young generation, workers\' optimizing compiles, and V8 favouring memory from LARGE_INPUT_BYTES of input on', function () {
  this.timeout(120_000);
  const tmp = tempDir('gc-tuning');
  after(() => tmp.cleanup());

  it('keeps the young generation smaller, set at run time, and validation gives the same result', async () => {
    // Records with duplicates among them, over many ranges of two threads.
    const file = writeDataset(tmp.dir, alpacaDataset({ name: 'alpaca.jsonl', count: 3000, duplicates: 300 }));
    const below = run(LARGE_INPUT_BYTES - 1, file);
    const above = run(LARGE_INPUT_BYTES, file);
    assert.equal(below.favoured, false);
    assert.equal(above.favoured, true);
    // The same workload: V8 grows its young generation to 32 MB without the setting, not with it.
    assert.ok(above.youngBytes > 0 && above.youngBytes < below.youngBytes, `young generation ${above.youngBytes} bytes favouring memory, ${below.youngBytes} without`);
    const one = await validateFile(file);
    assert.deepEqual(above.result, one);
    assert.deepEqual(below.result, one);
    assert.ok(one.problems.length > 0);
  });

  it('keeps the young generation from growing, set at run time before any command, and validation gives the same result', async () => {
    const file = writeDataset(tmp.dir, alpacaDataset({ name: 'alpaca-tuned.jsonl', count: 3000, duplicates: 300 }));
    const tuned = run(0, file, true);
    const untuned = run(0, file);
    assert.equal(tuned.favoured, false);
    // The same workload: V8 grows the young generation without the setting, not with it.
    assert.equal(tuned.youngBytes, tuned.youngBefore, `young generation ${tuned.youngBefore} then ${tuned.youngBytes} bytes`);
    assert.ok(untuned.youngBytes > untuned.youngBefore, `without the setting: ${untuned.youngBefore} then ${untuned.youngBytes} bytes`);
    assert.deepEqual(tuned.result, await validateFile(file));
  });

  it('keeps the young generation from growing once worker threads have started (V8 resets the setting as it sets up their heaps)', () => {
    const file = writeDataset(tmp.dir, alpacaDataset({ name: 'alpaca-workers.jsonl', count: 3000, duplicates: 300 }));
    const tuned = run(0, file, true);
    const once = run(0, file, 'tune-only');
    assert.equal(tuned.youngAfterWorkers, tuned.youngAfterRun, `young generation ${tuned.youngAfterRun} bytes after the run, then ${tuned.youngAfterWorkers}`);
    // Set only once, before any worker: the workload after the run grows it.
    assert.ok(once.youngAfterWorkers > once.youngAfterRun, `set once: ${once.youngAfterRun} then ${once.youngAfterWorkers} bytes`);
    assert.deepEqual(tuned.result, once.result);
  });

  it('has workers started after it compile their hot functions on their own thread, not a helper that two busy threads starve', () => {
    const tuned = workerCompiles(true);
    const untuned = workerCompiles(false);
    // Optimized either way; without the setting on a helper thread, with it on the worker's own.
    assert.ok(untuned.some((l) => l.includes('ConcurrencyMode::kConcurrent')), `without the setting:\n${untuned.join('\n')}`);
    assert.ok(tuned.length > 0, "tuned: the worker's hot function was never optimized");
    assert.ok(tuned.every((l) => l.includes('ConcurrencyMode::kSynchronous')), `tuned:\n${tuned.join('\n')}`);
  });
});
