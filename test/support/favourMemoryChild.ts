/**
 * A child process for test/unit/cli/gcTuning.test.ts: what `pairwise validate` does before a file of
 * `bytes` bytes (favourMemoryFor), after what the process does before any command
 * (tuneV8) when `tune` is given, then a workload of short-lived objects with survivors,
 * then the file validated on two threads, then the workload again. Prints one JSON line: whether
 * the process favours memory, the size of V8's young generation before and after the workload,
 * after the run and after the workload that follows it, and the validation result. `tune-only`
 * tunes without setting the flags again as workers start (what the process did before).
 *   node favourMemoryChild.js BYTES FILE [tune | tune-only]
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { favourMemoryFor, tuneV8 } from '../../src/cli/gcTuning';
import { validateFileInParallel } from '../../src/core/curate/parallelValidate';
import { onWorkerHeapSetUp, workersExited } from '../../src/core/curate/workerPool';

async function main(): Promise<void> {
  const [bytes, file, tune] = process.argv.slice(2);
  if (tune === 'tune' || tune === 'tune-only') tuneV8();
  if (tune === 'tune-only') onWorkerHeapSetUp(undefined);
  const youngSize = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? -1;
  const youngBefore = youngSize();
  const favoured = favourMemoryFor(Number(bytes));
  // Objects that die young, a window of them alive at any time (as records in a validation pass).
  const workload = () => {
    const alive: unknown[] = new Array(50_000);
    for (let i = 0; i < 3_000_000; i++) alive[i % alive.length] = { i, text: `x${i}`, pair: [i, i + 1] };
  };
  workload();
  const youngBytes = youngSize();
  const result = await validateFileInParallel(file, { workers: 2, chunkBytes: 16 * 1024 });
  // The worker may still be starting when the run has its result (this file is small).
  await workersExited();
  const youngAfterRun = youngSize();
  workload();
  const youngAfterWorkers = youngSize();
  process.stdout.write(JSON.stringify({ favoured, youngBefore, youngBytes, youngAfterRun, youngAfterWorkers, result }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
