/**
 * Mocha's spec reporter plus one machine-readable line at the end, so `scripts/test.mjs` can add
 * up the counts of every layer (unit in Node, integration inside VS Code, end-to-end) into one
 * closing line. It works the same in plain Node and inside the extension host, where console
 * output reaches the launcher through the workbench's automation log. The line also counts the
 * tests that read ../shared/corpus, and those skipped for want of it (test/support/corpus.ts).
 */
import * as Mocha from 'mocha';
import { corpusCounts } from './corpus';

const STATS_MARKER = '##pairwise-stats ';

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const corpus = corpusCounts(runner.suite);
      console.log(STATS_MARKER + JSON.stringify({ passes: s.passes, failures: s.failures, pending: s.pending, corpusRead: corpus.read, corpusSkipped: corpus.skipped }));
    });
  }
}

module.exports = StatsReporter;
