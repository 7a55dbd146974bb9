/** `pairwise dedupe`: exact and near-duplicate removal (src/core/curate/dedupe). */
import { parseArgs } from 'node:util';
import { dedupeFile, type DedupeResult } from '../core/curate';
import { cannot, intOption, numberOption } from './curateArgs';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';

export const DEDUPE_HELP = l10n.t(`Usage: pairwise dedupe FILE [--near] [--threshold 0.8] [--normalize ws,case|none]
                       [--shingle K] [--seed N] [-o OUT] [--report R] [--json]

Removes duplicate records, keeping the first of each: exact duplicates of the prompt and response
text (after whitespace and case normalisation; the same content in any format matches) and, with
--near, near duplicates by MinHash/LSH over word shingles. Kept records are written unchanged.

Options:
  --near             also remove near duplicates
  --threshold T      Jaccard similarity for near duplicates (default 0.8)
  --normalize LIST   ws, case, both (ws,case: default) or none
  --shingle K        words per shingle (default 3)
  --seed N           seed of the MinHash functions (default 1)
  -o, --out OUT      kept records (default FILE.dedup.<ext>)
  --report R         JSONL of removed records and what they duplicate (default FILE.dedup-report.jsonl)
  --json             print the result as JSON
  --format ID        the file's format instead of detecting it

Exit codes: 0 written, 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

export async function dedupeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      near: { type: 'boolean' },
      threshold: { type: 'string' },
      normalize: { type: 'string' },
      shingle: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string', short: 'o' },
      report: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(DEDUPE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('dedupe needs exactly one FILE'));
  const norm = (values.normalize ?? 'ws,case').split(',').map((s) => s.trim());
  for (const n of norm) if (!['ws', 'case', 'none', ''].includes(n)) throw new UsageError(l10n.t('--normalize takes ws, case or none, not "{0}"', n));
  const file = positionals[0];
  const bar = new ProgressBar(io.errStream, file);
  let r: DedupeResult;
  try {
    const run = await runInterruptible(io, 'dedupe', (signal) => dedupeFile(file, {
      near: values.near ?? false,
      threshold: numberOption(values.threshold, '--threshold', 0.01, 1),
      normalize: { whitespace: norm.includes('ws'), case: norm.includes('case') },
      shingle: intOption(values.shingle, '--shingle', 1),
      seed: intOption(values.seed, '--seed'),
      out: values.out,
      report: values.report,
      format: parseFormatOption(values.format, '--format'),
      signal,
      onProgress: (d, t) => bar.update(d, t),
    }));
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(cannot('dedupe', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if (values.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return EXIT_OK;
  }
  const near = r.near ? l10n.t(', {0} (Jaccard ≥ {1}, {2}×{3} LSH)', count.nearDuplicates(r.nearDuplicates), r.near.threshold, r.near.bands, r.near.rows) : '';
  io.out(l10n.t('{0}: kept {1} of {2}; removed {3}{4} -> {5}', file, r.kept, count.records(r.records), count.exactDuplicates(r.exactDuplicates), near, String(r.out)) + '\n');
  if (r.exactDuplicates + r.nearDuplicates > 0) io.out(l10n.t('  report: {0}', String(r.report)) + '\n');
  return EXIT_OK;
}
