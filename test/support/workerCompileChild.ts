/**
 * A child process for test/unit/cli/gcTuning.test.ts: what the `pairwise` process sets before any
 * command (tuneV8) when `tune` is given, then a worker thread that runs a hot function,
 * `workerHotLoop`, until V8 optimizes it. Run with --trace-opt: V8 prints how it compiles each
 * function (ConcurrencyMode::kConcurrent on a helper thread, kSynchronous on the worker's own).
 *   node --trace-opt workerCompileChild.js [tune]
 */
import { Worker } from 'node:worker_threads';
import { tuneV8 } from '../../src/cli/gcTuning';

if (process.argv[2] === 'tune') tuneV8();
const hot = `
function workerHotLoop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s * 31 + i) | 0;
  return s;
}
let total = 0;
for (let k = 0; k < 2000; k++) total ^= workerHotLoop(20000);
require('node:worker_threads').parentPort.postMessage(total);
`;
const worker = new Worker(hot, { eval: true });
worker.once('message', () => void worker.terminate());
worker.once('error', (e) => {
  process.stderr.write(String(e.stack ?? e) + '\n');
  process.exit(1);
});
