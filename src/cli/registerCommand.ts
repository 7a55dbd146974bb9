/** `pairwise register`: write or update a file's LLaMA-Factory dataset_info.json entry (src/core/curate/datasetInfo). */
import { parseArgs } from 'node:util';
import { NotLoadableError, registerDataset, type RegisterResult } from '../core/datasetInfo';
import { cannot } from './curateArgs';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { parseFormatOption } from './validateCommand';
import * as l10n from '@vscode/l10n';

export const REGISTER_HELP = l10n.t(`Usage: pairwise register FILE [--info dataset_info.json] [--name NAME] [--format ID] [--json]

Adds (or replaces) the entry LLaMA-Factory needs to load FILE as it is: file_name, formatting,
ranking, columns and tags for the file's format. Other entries are kept; the file is rewritten
atomically as 2-space JSON.

Options:
  --info PATH    the dataset_info.json to update (default: the one beside FILE; created if absent)
  --name NAME    entry name (default: FILE's name without extension)
  --format ID    the file's format instead of detecting it
  --json         print the entry as JSON

Exit codes: 0 written, 1 LLaMA-Factory cannot load this format (convert it first),
2 bad usage or an unreadable file.
`);

export async function registerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      info: { type: 'string' },
      name: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(REGISTER_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('register needs exactly one FILE'));
  const file = positionals[0];
  let r: RegisterResult;
  try {
    r = await registerDataset(file, { info: values.info, name: values.name, format: parseFormatOption(values.format, '--format') });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof NotLoadableError) {
      io.err(l10n.t('pairwise register: {0}', e.message) + '\n');
      return EXIT_FINDINGS;
    }
    io.err(cannot('register', file, e));
    return EXIT_USAGE;
  }
  if (values.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else io.out((r.replaced ? l10n.t('{0}: replaced "{1}" ({2}): {3}', r.info, r.name, r.format, JSON.stringify(r.entry)) : l10n.t('{0}: added "{1}" ({2}): {3}', r.info, r.name, r.format, JSON.stringify(r.entry))) + '\n');
  return EXIT_OK;
}
