/** Dispatches `pairwise <command>`; every failure becomes a message and an exit code, never a stack trace. */
import { agreementCommand } from './agreementCommand';
import { compareCommand } from './compareCommand';
import { convertCommand } from './convertCommand';
import { datasetStatsCommand } from './datasetStatsCommand';
import { dedupeCommand } from './dedupeCommand';
import { exportCommand } from './exportCommand';
import { filterCommand } from './filterCommand';
import { formatsCommand } from './formatsCommand';
import { generateCommand } from './generateCommand';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { judgeCommand } from './judgeCommand';
import { leaderboardCommand } from './leaderboardCommand';
import { mergeCommand } from './mergeCommand';
import { preflightCommand } from './preflightCommand';
import { registerCommand } from './registerCommand';
import { sampleCommand } from './sampleCommand';
import { splitCommand } from './splitCommand';
import { synthCommand } from './synthCommand';
import { trainConfigCommand } from './trainConfigCommand';
import { MAIN_HELP } from './usage';
import { validateCommand } from './validateCommand';
import * as l10n from '@vscode/l10n';

// Commands that write files stamped with the Pairwise version receive it as a third argument.
const COMMANDS: Record<string, (args: string[], io: CliIo, version: string) => number | Promise<number>> = {
  validate: validateCommand,
  convert: convertCommand,
  stats: datasetStatsCommand,
  dedupe: dedupeCommand,
  split: splitCommand,
  filter: filterCommand,
  sample: sampleCommand,
  merge: mergeCommand,
  register: registerCommand,
  formats: formatsCommand,
  agreement: agreementCommand,
  export: exportCommand,
  leaderboard: leaderboardCommand,
  compare: compareCommand,
  generate: generateCommand,
  judge: judgeCommand,
  synth: synthCommand,
  'train-config': trainConfigCommand,
  preflight: preflightCommand,
};

export async function runCli(argv: string[], io: CliIo, version: string): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && COMMANDS[rest[0]]) return COMMANDS[rest[0]](['--help'], io, version);
    io.out(MAIN_HELP);
    return cmd === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (cmd === '-v' || cmd === '--version') {
    io.out(version + '\n');
    return EXIT_OK;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.err(l10n.t('pairwise: unknown command "{0}"\n\n{1}', cmd, MAIN_HELP));
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io, version);
  } catch (e) {
    // parseArgs reports unknown options and missing values as TypeErrors with an ERR_PARSE_ARGS code.
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(l10n.t('pairwise {0}: {1}\nRun "pairwise {2} --help" for usage.', cmd, (e as Error).message, cmd) + '\n');
      return EXIT_USAGE;
    }
    io.err(l10n.t('pairwise {0}: {1}', cmd, e instanceof Error ? e.message : String(e)) + '\n');
    return EXIT_USAGE;
  }
}
