/** `pairwise leaderboard`: per-model Bradley-Terry scores with bootstrap intervals from label logs. */
import { promises as fsp } from 'node:fs';
import { parseArgs } from 'node:util';
import { decisionUnits, leaderboard, loadLabelLogs, RANKING_EXPANSIONS, type RankingExpansion } from '../core/labeling';
import { EXIT_OK, UsageError, type CliIo } from './io';
import * as l10n from '@vscode/l10n';
import { shownPath } from '../core/base';

export const LEADERBOARD_HELP = l10n.t(`Usage: pairwise leaderboard LOG... [--bootstrap N] [--seed S] [--rankings E] [--json]

Per-model Bradley-Terry scores from the current decisions of every annotator in the label logs:
pair decisions, and rankings expanded to pairs. Scores are on an Elo-like scale (1000 on average;
400 points are 10:1 odds); ties count half a win each way; both-bad and skips are left out. The
95% interval comes from resampling the decisions (a ranking counts as one) N times.

Options:
  --bootstrap N   bootstrap rounds for the intervals (default 1000; 0: no intervals)
  --seed S        seed of the resampling (default 1): the same seed gives the same intervals
  --rankings E    pairs a ranking stands for: all (default), adjacent or best-vs-rest
  --json          print {entries: [{model, score, lower, upper, wins, losses, ties}], ...}
`);

function nonNegativeInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(l10n.t('{0} must be a whole number, not "{1}"', name, value));
  return Number(value);
}

export async function leaderboardCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { bootstrap: { type: 'string' }, seed: { type: 'string' }, rankings: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(LEADERBOARD_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError(l10n.t('leaderboard needs one or more label logs'));
  const rounds = nonNegativeInt(values.bootstrap, '--bootstrap', 1000);
  const seed = nonNegativeInt(values.seed, '--seed', 1);
  const expansion = values.rankings ?? 'all';
  if (!(RANKING_EXPANSIONS as readonly string[]).includes(expansion)) throw new UsageError(l10n.t('--rankings must be one of {0}', RANKING_EXPANSIONS.join(', ')));
  for (const l of positionals) await fsp.access(l); // a missing log is a typo, not an empty log
  const { store, problems } = await loadLabelLogs(positionals);
  const board = leaderboard(decisionUnits(store, expansion as RankingExpansion), { bootstrap: rounds, seed });
  if (values.json) {
    io.out(JSON.stringify({ logs: positionals, rankings: expansion, ...board, logProblems: problems }, null, 2) + '\n');
    return EXIT_OK;
  }
  const out: string[] = [];
  for (const p of problems) out.push(`${shownPath(p.path)}:${p.line}: ${p.kind === 'torn' ? 'warning' : 'error'} ${p.message}\n`);
  out.push(l10n.t('{0} decision(s), {1} comparison(s) between {2} model(s); Bradley-Terry, ties as half wins', board.decisions, board.comparisons, board.entries.length) + '\n');
  if (board.entries.length === 0) {
    out.push(l10n.t('no comparisons between two named models in these logs') + '\n');
    io.out(out.join(''));
    return EXIT_OK;
  }
  const width = Math.max(5, ...board.entries.map((e) => e.model.length));
  const interval = l10n.t('95% interval');
  out.push(`  #  ${l10n.t('model').padEnd(width)}  ${l10n.t('score').padStart(6)}  ${(rounds ? interval : '').padEnd(13)}  ${l10n.t('wins').padStart(5)}  ${l10n.t('losses').padStart(6)}  ${l10n.t('ties').padStart(5)}\n`);
  board.entries.forEach((e, i) => {
    const ci = e.lower !== undefined && e.upper !== undefined ? `${e.lower.toFixed(0)}–${e.upper.toFixed(0)}` : '';
    out.push(`${String(i + 1).padStart(3)}  ${e.model.padEnd(width)}  ${e.score.toFixed(0).padStart(6)}  ${ci.padEnd(Math.max(13, interval.length))}  ${String(e.wins).padStart(5)}  ${String(e.losses).padStart(6)}  ${String(e.ties).padStart(5)}\n`);
  });
  if (rounds) out.push(l10n.t('intervals: {0} bootstrap rounds, seed {1}', rounds, seed) + '\n');
  io.out(out.join(''));
  return EXIT_OK;
}
