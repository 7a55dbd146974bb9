/**
 * A child process for the kill tests of output sets (test/unit/curate/outputSetKill.test.ts): runs
 * split, dedupe or filter through the core, and at the chosen point of the set's commit says so on
 * stdout and blocks until the parent kills it with SIGKILL.
 *   node killedCommitChild.js split|dedupe|filter INPUT STOP_AT [SEED]
 * STOP_AT 0: the temps are durable, no journal yet; N ≥ 1: after the N-th rename.
 */
import * as fs from 'node:fs';
import { dedupeFile } from '../../src/core/curate/dedupe';
import { filterFile } from '../../src/core/curate/filter';
import { splitFile } from '../../src/core/curate/split';
import { outputSetTestHooks } from '../../src/core/jsonl/outputSet';

function pause(where: string): void {
  fs.writeSync(1, `paused ${where}\n`);
  // Blocks this thread for good (no event loop turn, no exit handler): only SIGKILL ends it.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

async function main(): Promise<void> {
  const [command, input, stopAtArg, seedArg] = process.argv.slice(2);
  const stopAt = Number(stopAtArg);
  const seed = Number(seedArg ?? 1);
  if (stopAt === 0) outputSetTestHooks.beforeJournal = () => pause('before the journal');
  else outputSetTestHooks.afterRename = (n, total) => n === stopAt && pause(`after rename ${n} of ${total}`);
  if (command === 'split') await splitFile(input, { ratios: [0.5, 0.3, 0.2], seed });
  else if (command === 'dedupe') await dedupeFile(input, { near: seed !== 1, threshold: 0.5 });
  else if (command === 'filter') await filterFile(input, { criteria: { maxTokens: seed * 6 } });
  else throw new Error(`unknown command ${command}`);
  fs.writeSync(1, 'finished\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
