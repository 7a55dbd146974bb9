/**
 * Commits several whole-file outputs of one run as a set: the folder holds the previous run's
 * outputs or this run's, never some of each (a new train file beside the old validation file could
 * share records with it). See commitJournal.ts for the protocol and its recovery.
 */
import * as path from 'node:path';
import type { AtomicFileWriter } from './atomicWrite';
import { finishJournal, renameEntry, writeJournal } from './commitJournal';
import { checkReplaceTarget, fsyncDir } from './writeTargets';

/**
 * Test-only: called once the temps are durable (before the journal) and after each rename, so a
 * test can kill the process at those points. Nothing in Pairwise sets them.
 */
export const outputSetTestHooks: { beforeJournal?: () => void; afterRename?: (renamed: number, total: number) => void } = {};

/**
 * Finishes every writer (fsync), then renames them all into place under a journal. On a failure
 * before the journal the caller aborts the writers as usual (the old set stays); after it, the
 * temps belong to the journal and the next run completes the set.
 */
export async function commitOutputSet(writers: readonly AtomicFileWriter[]): Promise<void> {
  if (writers.length === 1) return writers[0].commit();
  for (const w of writers) await w.finish();
  // Every target is checked before the journal: once it exists, the set must go through whole.
  for (const w of writers) await checkReplaceTarget(w.target);
  outputSetTestHooks.beforeJournal?.();
  const journal = await writeJournal(writers.map((w) => ({ temp: w.tempPath, target: w.target })));
  const renames = writers.map((w) => w.journaled());
  for (let i = 0; i < renames.length; i++) {
    await renameEntry(renames[i].temp, renames[i].target);
    outputSetTestHooks.afterRename?.(i + 1, renames.length);
  }
  for (const dir of new Set(renames.map((r) => path.dirname(r.target)))) await fsyncDir(dir);
  await finishJournal(journal);
}
