/** `pairwise compare`: the report of a blind comparison of two models (see src/core/labeling/comparison.ts). */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CandidatesJobStore } from '../core/generation';
import { armsOfCandidates, COMPARISON_OUTCOMES, compareModels, type ComparisonArms, type ComparisonOutcome, type ComparisonReport, type ComparisonTally, type MergeRule } from '../core/labeling';
import { EXIT_OK, UsageError, type CliIo } from './io';
import * as l10n from '@vscode/l10n';
import { shownPath } from '../core/base';

export const COMPARE_HELP = l10n.t(`Usage: pairwise compare CANDIDATES [--baseline M] [--candidate M] [--logs L1,L2] [--rule R] [--pairs] [--json]

Did the fine-tune help? The report of a blind comparison of two models on held-out prompts: the
candidates file holds one answer of each model per prompt (Compare Models in the editor, or
pairwise generate with two --model), and the label logs hold the annotators' decisions.

For model B (the candidate) against model A (the baseline): wins, ties and losses per annotator
and merged over annotators; the win rate with ties as half a win and its 95% Wilson score interval;
the exact two-sided sign test of wins against losses (ties left out). Both bad, skipped, not yet
labeled, no majority, identical answers and prompts one model did not answer are counted apart
and are not in the rate. Every count lists its prompts by line of the candidates file.

Options:
  --baseline M    model A's name in the candidates file (default: the first target of the job
                  that wrote the file, else the first answer of its first record)
  --candidate M   model B's name (default: the second target, else the second answer)
  --logs L1,L2    label logs (default: every CANDIDATES-without-.jsonl*.labels.jsonl beside it)
  --rule R        how annotators merge: majority (default: strict majority), unanimous,
                  annotator:NAME (that annotator, else the majority)
  --pairs         list every prompt behind every count: line, record id, pair id, prompt
  --json          print the whole report as JSON
`);

function parseRule(rule: string | undefined): MergeRule {
  if (rule === undefined || rule === 'majority') return { kind: 'majority' };
  if (rule === 'unanimous') return { kind: 'unanimous' };
  const m = /^annotator:(.+)$/.exec(rule);
  if (m) return { kind: 'annotator', name: m[1] };
  throw new UsageError(l10n.t('--rule must be majority, unanimous or annotator:NAME, not "{0}"', rule));
}

/** The arms of a candidates file: named, else the two targets of the job that wrote it, else its first record's answers. */
export async function resolveArms(candidates: string, baseline?: string, candidate?: string): Promise<ComparisonArms | undefined> {
  if (baseline !== undefined && candidate !== undefined) return { baseline, candidate };
  const spec = await new CandidatesJobStore(candidates).readSpec();
  const found = spec && spec.targets.length === 2 ? { baseline: spec.targets[0].model, candidate: spec.targets[1].model } : await armsOfCandidates(candidates);
  if (!found) return undefined;
  return { baseline: baseline ?? found.baseline, candidate: candidate ?? found.candidate };
}

export function outcomeTitle(o: ComparisonOutcome): string {
  switch (o) {
    case 'candidateWins':
      return l10n.t('B wins');
    case 'ties':
      return l10n.t('ties');
    case 'baselineWins':
      return l10n.t('A wins');
    case 'bothBad':
      return l10n.t('both bad');
    case 'skipped':
      return l10n.t('skipped');
    case 'unlabeled':
      return l10n.t('not labeled');
    default:
      return l10n.t('no majority');
  }
}

function pct(x: number | undefined): string {
  return x === undefined ? '–' : `${(100 * x).toFixed(1)}%`;
}

function pValue(p: number | undefined): string {
  if (p === undefined) return '–';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function ruleText(r: MergeRule): string {
  return r.kind === 'annotator' ? l10n.t('annotator {0}', r.name) : r.kind === 'unanimous' ? l10n.t('unanimous') : l10n.t('majority');
}

/** The report as text: a table per annotator and merged, then the prompts behind the merged counts. */
export function formatComparison(r: ComparisonReport, listPairs: boolean): string {
  const out: string[] = [];
  const file = path.basename(r.candidatesFile);
  out.push(l10n.t('{0}: B = {1} against A = {2}', file, r.arms.candidate, r.arms.baseline) + '\n');
  out.push(
    l10n.t('{0} prompt(s): {1} pair(s) to label, {2} with identical answers, {3} without both answers; {4} label log(s)', r.prompts, r.pairs, r.identical.length, r.missing.length, r.logs.length) +
      '\n',
  );
  for (const b of r.badLines.slice(0, 10)) out.push(`${shownPath(file)}:${b.line}: ${l10n.t('skipped')}: ${b.message}\n`);
  for (const p of r.logProblems) out.push(`${shownPath(p.path)}:${p.line}: ${p.kind === 'torn' ? 'warning' : 'error'} ${p.message}\n`);
  out.push(l10n.t('Win rate of B: (B wins + ties / 2) / (B wins + ties + A wins); 95% Wilson score interval; exact two-sided sign test of B wins against A wins.') + '\n\n');
  const rows: { who: string; t: ComparisonTally }[] = [...r.annotators.map((a) => ({ who: a.annotator, t: a.tally })), { who: l10n.t('merged ({0})', ruleText(r.rule)), t: r.merged }];
  const headers = [l10n.t('annotator'), ...COMPARISON_OUTCOMES.slice(0, 3).map(outcomeTitle), l10n.t('win rate'), l10n.t('95% interval'), l10n.t('sign test p'), ...COMPARISON_OUTCOMES.slice(3).map(outcomeTitle)];
  const cells = rows.map(({ who, t }) => [
    who,
    ...COMPARISON_OUTCOMES.slice(0, 3).map((o) => String(t.counts[o])),
    pct(t.winRate),
    t.interval ? `${pct(t.interval.lower)}–${pct(t.interval.upper)}` : '–',
    pValue(t.signTestP),
    ...COMPARISON_OUTCOMES.slice(3).map((o) => String(t.counts[o])),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const fmt = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd() + '\n';
  out.push(fmt(headers), ...cells.map(fmt));
  const lines = (ps: { line: number }[]) => ps.map((p) => p.line).join(', ');
  out.push('\n' + l10n.t('Prompts behind the merged counts (lines of {0}):', file) + '\n');
  for (const o of COMPARISON_OUTCOMES) if (r.merged.counts[o]) out.push(`  ${outcomeTitle(o)}: ${lines(r.merged.pairs[o])}\n`);
  if (r.identical.length) out.push(`  ${l10n.t('identical answers')}: ${lines(r.identical)}\n`);
  if (r.missing.length) out.push(`  ${l10n.t('without both answers')}: ${lines(r.missing)}\n`);
  if (listPairs) {
    for (const { who, t } of rows) {
      out.push(`\n${who}\n`);
      for (const o of COMPARISON_OUTCOMES) for (const p of t.pairs[o]) out.push(`  ${outcomeTitle(o)}\t${l10n.t('line {0}', p.line)}\t${p.id}\t${p.pair ?? ''}\t${p.prompt}\n`);
    }
  }
  return out.join('');
}

export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      baseline: { type: 'string' },
      candidate: { type: 'string' },
      logs: { type: 'string' },
      rule: { type: 'string' },
      pairs: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(COMPARE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(l10n.t('compare needs one candidates file'));
  const candidates = positionals[0];
  const rule = parseRule(values.rule);
  await fsp.access(candidates);
  const logs = values.logs?.split(',').filter((l) => l !== '');
  for (const l of logs ?? []) await fsp.access(l); // a missing log is a typo, not an empty log
  const arms = await resolveArms(candidates, values.baseline, values.candidate);
  if (!arms) throw new UsageError(l10n.t('{0} has no record with two answers: name the models with --baseline and --candidate', path.basename(candidates)));
  const report = await compareModels(candidates, arms, { logs, rule });
  io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : formatComparison(report, !!values.pairs));
  return EXIT_OK;
}
