/** `pairwise filter`: keep the records that meet every criterion (src/core/curate/filter). */
import { parseArgs } from 'node:util';
import { filterFileOffThread, type FilterCriteria, type FilterField, type FilterResult } from '../core/curate';
import type { Role } from '../core/model';
import { cannot, intOption } from './curateArgs';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { runInterruptible } from './interrupt';

export const FILTER_HELP = l10n.t(`Usage: pairwise filter FILE [--min-tokens N] [--max-tokens N] [--role ROLE]
                       [--regex FIELD:RE] [--has-problems | --no-problems] [-o OUT] [--removed R]

Keeps the records that meet every given criterion and writes them to OUT; the others go to R.
Records are written unchanged.

Options:
  --min-tokens N, --max-tokens N   tokens per record (all messages), inclusive
  --role ROLE                      a message with this role (system, user, assistant, tool) exists
  --regex FIELD:RE                 RE matches FIELD: prompt, response, system or any (JavaScript
                                   syntax; add /i after RE for case-insensitive, e.g. any:hello/i)
  --has-problems | --no-problems   only records with (without) validation problems
  --model ID                       tokenizer of this model for the token criteria
  -o, --out OUT                    kept records (default FILE.kept.<ext>)
  --removed R                      removed records (default FILE.removed.<ext>)
  --json                           print the result as JSON
  --format ID                      the file's format instead of detecting it

Exit codes: 0 written, 2 bad usage or an unreadable file.
Ctrl-C cancels: nothing is written, exit code 130.
`);

const ROLES = ['system', 'user', 'assistant', 'tool'];
const FIELDS = ['prompt', 'response', 'system', 'any'];

function parseRegex(spec: string): { field: FilterField; pattern: RegExp } {
  const colon = spec.indexOf(':');
  const field = spec.slice(0, colon);
  if (colon < 0 || !FIELDS.includes(field)) throw new UsageError(l10n.t('--regex takes FIELD:RE with FIELD one of {0}, not "{1}"', FIELDS.join(', '), spec));
  let source = spec.slice(colon + 1);
  let flags = '';
  const m = /\/([imsu]+)$/.exec(source);
  if (m) {
    source = source.slice(0, -m[0].length);
    flags = m[1];
  }
  try {
    return { field: field as FilterField, pattern: new RegExp(source, flags) };
  } catch (e) {
    throw new UsageError(l10n.t('--regex: {0}', e instanceof Error ? e.message : String(e)));
  }
}

export async function filterCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'min-tokens': { type: 'string' },
      'max-tokens': { type: 'string' },
      role: { type: 'string' },
      regex: { type: 'string' },
      'has-problems': { type: 'boolean' },
      'no-problems': { type: 'boolean' },
      model: { type: 'string' },
      out: { type: 'string', short: 'o' },
      removed: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(FILTER_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('filter needs exactly one FILE'));
  if (values['has-problems'] && values['no-problems']) throw new UsageError(l10n.t('give --has-problems or --no-problems, not both'));
  if (values.role !== undefined && !ROLES.includes(values.role)) throw new UsageError(l10n.t('--role takes {0}, not "{1}"', ROLES.join(', '), values.role));
  const criteria: FilterCriteria = {
    minTokens: intOption(values['min-tokens'], '--min-tokens'),
    maxTokens: intOption(values['max-tokens'], '--max-tokens'),
    role: values.role as Role | undefined,
    regex: values.regex !== undefined ? parseRegex(values.regex) : undefined,
    problems: values['has-problems'] ? 'has' : values['no-problems'] ? 'none' : undefined,
  };
  if (Object.values(criteria).every((v) => v === undefined)) throw new UsageError(l10n.t('filter needs at least one criterion (see pairwise filter --help)'));
  const file = positionals[0];
  const bar = new ProgressBar(io.errStream, file);
  let r: FilterResult;
  try {
    // A regular expression runs in a worker (filterFileOffThread), so Ctrl-C works even on a backtracking pattern.
    const run = await runInterruptible(io, 'filter', (signal) =>
      filterFileOffThread(file, { criteria, model: values.model, out: values.out, removedOut: values.removed, format: parseFormatOption(values.format, '--format'), signal, onProgress: (d, t) => bar.update(d, t) }),
    );
    if ('exit' in run) return run.exit;
    r = run.result;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(cannot('filter', file, e));
    return EXIT_USAGE;
  } finally {
    bar.clear();
  }
  if (values.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return EXIT_OK;
  }
  const why = Object.entries(r.removedBy)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  io.out(l10n.t('{0}: kept {1} of {2} -> {3}; removed {4}{5} -> {6}', file, r.kept, count.records(r.records), r.out, r.removed, why ? ` (${why})` : '', r.removedOut) + '\n');
  return EXIT_OK;
}
