/** `pairwise sample`: N records uniformly at random, seeded (src/core/curate/sample). */
import { parseArgs } from 'node:util';
import { sampleFile, type SampleResult } from '../core/curate';
import { cannot, intOption } from './curateArgs';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';

export const SAMPLE_HELP = l10n.t(`Usage: pairwise sample FILE -n N [--seed N] [--shuffle] [-o OUT] [--json]

Writes N records drawn uniformly at random (reservoir sampling, seeded) to OUT, in file order, or
in random order with --shuffle. Records are written unchanged.

Options:
  -n N           how many records
  --seed N       default 42
  --shuffle      random order instead of file order
  -o, --out OUT  default FILE.sample<N>.<ext>
  --json         print the result as JSON

Exit codes: 0 written, 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

export async function sampleCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      n: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      shuffle: { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(SAMPLE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('sample needs exactly one FILE'));
  const n = intOption(values.n, '-n', 1);
  if (n === undefined) throw new UsageError(l10n.t('sample needs -n N'));
  const file = positionals[0];
  const bar = new ProgressBar(io.errStream, file);
  let r: SampleResult;
  try {
    const run = await runInterruptible(io, 'sample', (signal) => sampleFile(file, { n, seed: intOption(values.seed, '--seed'), order: values.shuffle ? 'sampled' : 'original', out: values.out, signal, onProgress: (d, t) => bar.update(d, t) }));
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    io.err(cannot('sample', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if (values.json) io.out(JSON.stringify(r) + '\n');
  else io.out(l10n.t('{0}: sampled {1} of {2} -> {3}', file, r.sampled, count.records(r.records), r.out) + '\n');
  return EXIT_OK;
}
