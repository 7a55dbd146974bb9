/** `pairwise split`: train/validation/test files by ratios (src/core/curate/split). */
import { parseArgs } from 'node:util';
import { checkRatios, splitFile, type SplitResult } from '../core/curate';
import { cannot, intOption } from './curateArgs';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';

export const SPLIT_HELP = l10n.t(`Usage: pairwise split FILE --ratios 0.95,0.05 [--seed N] [--group-by-prompt] [--names a,b,c]
                      [--out-dir DIR] [--json]

Splits a dataset into FILE.train.<ext>, FILE.validation.<ext> (and FILE.test.<ext> for three
ratios), keeping the input's layout (JSON Lines, or a JSON array). Seeded and reproducible; exact
counts, or with --group-by-prompt records sharing a prompt always land in the same split (counts
then follow the ratios approximately).

Options:
  --ratios LIST       shares summing to 1, e.g. 0.95,0.05 or 0.8,0.1,0.1
  --seed N            default 42
  --group-by-prompt   never put one prompt in two splits
  --names LIST        split names (default train,validation,test)
  --out-dir DIR       where to write (default beside FILE)
  --json              print the result as JSON
  --format ID         the file's format instead of detecting it

Exit codes: 0 written, 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

export async function splitCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ratios: { type: 'string' },
      seed: { type: 'string' },
      'group-by-prompt': { type: 'boolean' },
      names: { type: 'string' },
      'out-dir': { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(SPLIT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('split needs exactly one FILE'));
  if (!values.ratios) throw new UsageError(l10n.t('split needs --ratios, e.g. --ratios 0.95,0.05'));
  const ratios = values.ratios.split(',').map((s) => Number(s));
  try {
    // The same rule as the core's split and the extension's Split command.
    checkRatios(ratios);
  } catch (e) {
    throw new UsageError(l10n.t('--ratios {0}: {1}', values.ratios, (e as Error).message));
  }
  const file = positionals[0];
  const bar = new ProgressBar(io.errStream, file);
  let r: SplitResult;
  try {
    const run = await runInterruptible(io, 'split', (signal) => splitFile(file, {
      ratios,
      seed: intOption(values.seed, '--seed'),
      groupByPrompt: values['group-by-prompt'] ?? false,
      names: values.names?.split(','),
      outDir: values['out-dir'],
      format: parseFormatOption(values.format, '--format'),
      signal,
      onProgress: (d, t) => bar.update(d, t),
    }));
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof RangeError) throw new UsageError(e.message);
    io.err(cannot('split', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if (values.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return EXIT_OK;
  }
  io.out((r.groups !== undefined ? l10n.t('{0}: {1} in {2}', file, count.records(r.records), count.promptGroups(r.groups)) : `${file}: ${count.records(r.records)}`) + '\n');
  for (const s of r.splits) io.out(`  ${s.name.padEnd(12)} ${String(s.records).padStart(8)}  ${s.path}\n`);
  return EXIT_OK;
}
