/**
 * The shared corpus: real datasets of the trainers' own projects in ../shared/corpus beside the
 * repository (see its README). CI and the team's machines have it; a clone anywhere else does not,
 * and its files may never be copied into the project. So the tests run on the project's own
 * datasets (test/support/ownDatasets.ts) everywhere, and the tests that read the corpus only add
 * checks on real files: each calls `needsCorpus(this)` (in the test, or in a `before` hook for a
 * whole suite), which skips it with the reason in its title where the corpus is absent.
 *
 * The reporter (statsReporter.ts) counts the tests marked here, and `npm test` prints one line
 * saying whether the corpus was found and how many tests read it or were skipped.
 * PAIRWISE_CORPUS names another folder (a missing one shows what a fresh clone sees).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Mocha from 'mocha';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where the corpus is looked for. */
export const CORPUS_ROOT = process.env.PAIRWISE_CORPUS ? path.resolve(process.env.PAIRWISE_CORPUS) : path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** Whether the corpus folder exists. */
export const HAS_CORPUS = fs.existsSync(CORPUS_ROOT) && fs.statSync(CORPUS_ROOT).isDirectory();

/** The reason shown on a skipped test. */
export const CORPUS_MISSING = `${path.relative(REPO_ROOT, CORPUS_ROOT) || CORPUS_ROOT} not found`;

/** A path inside the corpus, e.g. corpusPath('llama-factory', 'dpo_en_demo.json'). */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_ROOT, ...parts);
}

/** A file of LLaMA-Factory's demo data in the corpus. */
export function llamaFactoryFile(name: string): string {
  return corpusPath('llama-factory', name);
}

/** The property of a mocha test that says it reads the corpus ('read') or was skipped for want of it ('skipped'). */
export const CORPUS_MARK = 'pairwiseCorpus';

type Marked = Mocha.Test & { [CORPUS_MARK]?: 'read' | 'skipped' };

function testsUnder(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(testsUnder)];
}

/**
 * Called first in a test, or in a suite's `before` hook: marks the test (or every test of the
 * suite) as reading the corpus, and skips it, with the reason added to its title, when the corpus
 * is absent. Use a `function () {}`, not an arrow, so `this` is mocha's context.
 */
export function needsCorpus(ctx: Mocha.Context): void {
  const runnable = ctx.test;
  if (!runnable) throw new Error('needsCorpus(this) belongs in a test or a hook');
  const isHook = (runnable as { type?: string }).type === 'hook';
  const tests: Marked[] = isHook ? testsUnder(runnable.parent!) : [runnable as Mocha.Test];
  for (const t of tests) {
    t[CORPUS_MARK] = HAS_CORPUS ? 'read' : 'skipped';
    if (!HAS_CORPUS) t.title += ` (skipped: ${CORPUS_MISSING})`;
  }
  if (!HAS_CORPUS) ctx.skip();
}

/** Counts of the marked tests under a suite (the reporter's figures). */
export function corpusCounts(root: Mocha.Suite): { read: number; skipped: number } {
  let read = 0;
  let skipped = 0;
  for (const t of testsUnder(root) as Marked[]) {
    if (t[CORPUS_MARK] === 'read') read++;
    else if (t[CORPUS_MARK] === 'skipped') skipped++;
  }
  return { read, skipped };
}
