/** `pairwise merge`: several files into one target format (src/core/curate/merge). */
import { parseArgs } from 'node:util';
import { mergeFiles, type MergeResult } from '../core/curate';
import { cannot } from './curateArgs';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';
import { shownPath } from '../core/base';

export const MERGE_HELP = l10n.t(`Usage: pairwise merge FILE... --to ID -o OUT [--allow-lossy] [--json]

Merges dataset files of the same or convertible formats into one file of format ID, through the
canonical model. Anything that cannot be carried over is listed per file, record and field; unless
--allow-lossy is given, any loss refuses the merge and no output is written.

Options:
  --to ID          target format (see: pairwise formats)
  -o, --out OUT    output file; a name ending in .json writes a JSON array
  --allow-lossy    write even when something is lost, and list what was
  --json           print the result as JSON

Exit codes: 0 written, 1 refused (something would be lost), 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

const LISTED = 20;

export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      to: { type: 'string' },
      out: { type: 'string', short: 'o' },
      'allow-lossy': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(MERGE_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError(l10n.t('merge needs at least one input file'));
  const to = parseFormatOption(values.to, '--to');
  if (!to) throw new UsageError(l10n.t('merge needs --to ID'));
  const out = values.out;
  if (!out) throw new UsageError(l10n.t('merge needs -o OUT'));
  let r: MergeResult;
  try {
    const run = await runInterruptible(io, 'merge', (signal) => mergeFiles(positionals, { to, out, allowLossy: values['allow-lossy'] ?? false, signal }));
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    io.err(cannot('merge', positionals.join(', '), e));
    return EXIT_USAGE;
  }
  if (values.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return r.out ? EXIT_OK : EXIT_FINDINGS;
  }
  const lines: string[] = [];
  for (const l of r.losses.slice(0, LISTED)) lines.push(`${shownPath(l.source)}${l.line ? `:${l.line}` : ''}: ${l.field}: ${l.reason}\n`);
  const total = Object.values(r.lossCounts).reduce((a, b) => a + b, 0);
  if (total > LISTED) lines.push(l10n.t('… {0} more', total - LISTED) + '\n');
  if (lines.length > 0) io.err(lines.join(''));
  for (const s of r.sources) {
    const extra = [s.droppedRecords ? l10n.t('{0} dropped', s.droppedRecords) : '', s.lossyRecords ? l10n.t('{0} with losses', s.lossyRecords) : ''].filter(Boolean).join(', ');
    io.out(l10n.t('  {0}: {1}, {2} of {3}{4}', s.path, s.format ?? l10n.t('unknown format'), s.written, count.records(s.records), extra ? ` (${extra})` : '') + '\n');
  }
  if (!r.out) {
    io.err(l10n.t('pairwise: merge refused: {0}', String(r.refused)) + '\n');
    return EXIT_FINDINGS;
  }
  io.out(l10n.t('merged {0} from {1} into {2} -> {3}', count.records(r.written), count.files(r.sources.length), r.to, r.out) + '\n');
  return EXIT_OK;
}
