/** `pairwise export`: a labeled input and its label logs → a preference dataset in a trainer's format. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureOutputDir } from '../core/jsonl';
import { updateDatasetInfo } from '../core/datasetInfo';
import { exportPreferences, loadLabelLogs, PREFERENCE_EXPORT_FORMATS, RANKING_EXPANSIONS, REWRITE_EXPORT_MODES, type PreferenceExportFormat, type RankingExpansion, type RewriteExportMode, detectInputKind, openLabelingInput } from '../core/labeling';
import { parseRewritesSftFormat, rewritesSftLines, writeRewritesSft } from './rewritesExport';
import type { MergeRule } from '../core/labeling';
import { multiTurnText } from '../core/labeling';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { EXPORT_HELP } from './usage';
import * as l10n from '@vscode/l10n';
import { shownPath } from '../core/base';

function parseRule(rule: string | undefined): MergeRule {
  if (rule === undefined || rule === 'majority') return { kind: 'majority' };
  if (rule === 'unanimous') return { kind: 'unanimous' };
  const m = /^annotator:(.+)$/.exec(rule);
  if (m) return { kind: 'annotator', name: m[1] };
  throw new UsageError(l10n.t('--rule must be majority, unanimous or annotator:NAME, not "{0}"', rule));
}

function hasRankings(store: { currentRankings(): Iterable<unknown> }): boolean {
  for (const _ of store.currentRankings()) return true;
  return false;
}

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      logs: { type: 'string', multiple: true },
      to: { type: 'string' },
      out: { type: 'string', short: 'o' },
      rule: { type: 'string' },
      variant: { type: 'string' },
      'input-b': { type: 'string' },
      'pair-strategy': { type: 'string' },
      rankings: { type: 'string' },
      rewrites: { type: 'string' },
      'rewrites-sft': { type: 'string' },
      'rewrites-sft-to': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(EXPORT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('export needs exactly one INPUT (the file that was labeled)'));
  const input = positionals[0];
  const logs = (values.logs ?? []).flatMap((l) => l.split(',')).filter((l) => l !== '');
  if (logs.length === 0) throw new UsageError(l10n.t('--logs is required (comma-separated label logs)'));
  const to = values.to;
  if (!to || !(PREFERENCE_EXPORT_FORMATS as readonly string[]).includes(to)) throw new UsageError(l10n.t('--to must be one of {0}', PREFERENCE_EXPORT_FORMATS.join(', ')));
  if (!values.out) throw new UsageError(l10n.t('-o OUT is required'));
  const strategy = values['pair-strategy'];
  if (strategy !== undefined && strategy !== 'all' && strategy !== 'adjacent') throw new UsageError(l10n.t('--pair-strategy must be all or adjacent'));
  const rankings = values.rankings;
  if (rankings !== undefined && !(RANKING_EXPANSIONS as readonly string[]).includes(rankings)) throw new UsageError(l10n.t('--rankings must be one of {0}', RANKING_EXPANSIONS.join(', ')));
  const rewrites = values.rewrites;
  if (rewrites !== undefined && !(REWRITE_EXPORT_MODES as readonly string[]).includes(rewrites)) throw new UsageError(l10n.t('--rewrites must be one of {0}', REWRITE_EXPORT_MODES.join(', ')));
  const sftFormat = parseRewritesSftFormat(values['rewrites-sft-to'], to as PreferenceExportFormat);
  const sftOut = values['rewrites-sft'];
  if (values['rewrites-sft-to'] !== undefined && !sftOut) throw new UsageError(l10n.t('--rewrites-sft-to needs --rewrites-sft FILE'));
  const rule = parseRule(values.rule);
  for (const l of logs) await fsp.access(l); // a missing log is a typo, not an empty log
  const det = await detectInputKind(input);
  if (det.kind === 'sft' && !values['input-b']) throw new UsageError(l10n.t('{0} is SFT data: name model B\'s file with --input-b', input));
  // Ranked candidates expand to any pair of the prompt: the input must offer every pair.
  const ranked = det.kind === 'candidates' && hasRankings((await loadLabelLogs(logs)).store);
  if (ranked && strategy === 'adjacent') throw new UsageError(l10n.t('the logs hold rankings, which need --pair-strategy all'));
  const opened = await openLabelingInput({ kind: det.kind, path: input, format: det.format, pathB: values['input-b'], strategy: strategy as 'all' | 'adjacent' | undefined });
  const output = values.out;
  await ensureOutputDir(path.dirname(path.resolve(output)));
  let summary;
  let sft;
  try {
    await opened.queue.whenComplete();
    summary = await exportPreferences({
      queue: opened.queue,
      logs,
      format: to as PreferenceExportFormat,
      formatOptions: values.variant ? { variant: values.variant } : undefined,
      output,
      inputs: [input, ...(values['input-b'] ? [values['input-b']] : [])],
      rule,
      rankings: rankings as RankingExpansion | undefined,
      rewrites: rewrites as RewriteExportMode | undefined,
      container: output.toLowerCase().endsWith('.json') ? 'json' : 'jsonl',
    });
    if (sftOut) sft = await writeRewritesSft({ queue: opened.queue, logs, format: sftFormat, output: sftOut, inputs: [input, ...(values['input-b'] ? [values['input-b']] : []), output] });
  } finally {
    await opened.queue.close();
  }
  const info = await updateDatasetInfo(summary.format, output);
  if (values.json) {
    io.out(JSON.stringify({ ...summary, datasetInfo: info ?? null, rewritesSft: sft ?? null }, null, 2) + '\n');
    return EXIT_OK;
  }
  const ex = summary.excluded;
  const out: string[] = [];
  out.push(l10n.t('{0}: {1} record(s) ({2}) from {3} pair(s)', output, summary.written, summary.format, summary.pairs) + '\n');
  out.push(l10n.t('  left out: {0} tie(s), {1} both bad, {2} skipped, {3} conflict(s)', ex.ties, ex.bothBad, ex.skipped, ex.conflicts) + '\n');
  if (summary.rankings.rankings) out.push(l10n.t('  {0} ranking(s) expanded ({1}) to {2} pair decision(s)', summary.rankings.rankings, summary.rankings.strategy, summary.rankings.pairs) + '\n');
  if (summary.notInInput) out.push(l10n.t('  {0} decided pair(s) not in {1}', summary.notInInput, input) + '\n');
  if (summary.unrepresentable) out.push(l10n.t('  {0} pair(s) the format cannot hold', summary.unrepresentable) + '\n');
  if (summary.unpairedAmbiguous) out.push(l10n.t('  {0} response(s) won as often as they lost: no KTO label', summary.unpairedAmbiguous) + '\n');
  out.push(...rewritesSftLines(summary.rewrites, sft));
  for (const l of summary.lost) out.push(l10n.t('  lost {0}: {1} ({2})', l.field, l.reason, l.count) + '\n');
  const turns = multiTurnText(summary.multiTurn, summary.format);
  if (turns) out.push(`  ${turns}\n`);
  for (const p of summary.logProblems) out.push(`  ${shownPath(p.path)}:${p.line}: ${p.message}\n`);
  if (info) out.push(l10n.t('  {0}: entry "{1}" {2}', info.file, info.name, info.action) + '\n');
  io.out(out.join(''));
  return EXIT_OK;
}
