/** `pairwise agreement`: inter-annotator agreement and per-model win rates from label logs. */
import { parseArgs } from 'node:util';
import { agreement, agreementWithKnown, readRubric, rubricAgreementOfFiles, type RubricAgreementRead, type AgreementReport, isPairDecision, loadLabelLogs, readLabelLog, detectInputKind, withExpandedRankings, openLabelingInput, LabelStore, winRatesFromStore, type ModelResult } from '../core/labeling';
import type { PositionBias } from '../core/labeling';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { AGREEMENT_HELP } from './usage';
import * as l10n from '@vscode/l10n';
import { shownPath } from '../core/base';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)}%`);
const kappa = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));

/** The pair ids of an input file (every pair, once it is fully read). */
async function pairIdsOf(file: string, inputB?: string): Promise<{ ids: Set<string>; known?: Map<string, string> }> {
  const det = await detectInputKind(file);
  if (det.kind === 'sft' && !inputB) throw new UsageError(l10n.t('{0} is SFT data: name model B\'s file with --input-b', file));
  const opened = await openLabelingInput({ kind: det.kind, path: file, format: det.format, pathB: inputB });
  try {
    const n = await opened.queue.whenComplete();
    const ids = new Set<string>();
    for (let i = 0; i < n; i++) {
      const p = await opened.queue.get(i);
      if (p) ids.add(p.id);
    }
    return { ids, known: opened.known };
  } finally {
    await opened.queue.close();
  }
}

/** The rubric judge against the annotators' scores, and its position bias, as text lines. */
function rubricJudgeLines({ report: r, problems }: RubricAgreementRead): string[] {
  const out: string[] = [];
  for (const p of problems) out.push(`warning: ${p}\n`);
  out.push(l10n.t('rubric judge: {0} pair(s) judged in both orders, {1} scored by annotators, {2} by both', r.judgedPairs, r.humanPairs, r.sharedPairs) + '\n');
  if (!r.criteria.length) return out;
  const width = Math.max(9, ...r.criteria.map((c) => c.criterion.length));
  out.push(l10n.t('  {0}  compared  agree  agreement  kappa  flips  favours (first-position bonus)', 'criterion'.padEnd(width)) + '\n');
  const favours = (b: PositionBias) => `${b.favours === 'first' ? l10n.t('first') : b.favours === 'second' ? l10n.t('second') : l10n.t('neither')} (${b.firstBonus === null ? 'n/a' : (b.firstBonus >= 0 ? '+' : '') + b.firstBonus.toFixed(2)})`;
  const flips = (b: PositionBias) => `${b.flips}/${b.pairs}`;
  r.criteria.forEach((c, i) => {
    const b = r.bias[i];
    out.push(`  ${c.criterion.padEnd(width)}  ${String(c.compared).padStart(8)}  ${String(c.agree).padStart(5)}  ${pct(c.percent).padStart(9)}  ${kappa(c.kappa).padStart(5)}  ${flips(b).padStart(5)}  ${favours(b)}\n`);
  });
  const all = r.overallBias;
  out.push(`  ${l10n.t('(total)').padEnd(width)}  ${''.padStart(8)}  ${''.padStart(5)}  ${''.padStart(9)}  ${''.padStart(5)}  ${flips(all).padStart(5)}  ${favours(all)}\n`);
  return out;
}

export async function agreementCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { input: { type: 'string' }, 'input-b': { type: 'string' }, judgements: { type: 'string' }, rubric: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(AGREEMENT_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError(l10n.t('agreement needs one or more label logs'));
  if (values.rubric && !values.judgements) throw new UsageError(l10n.t('--rubric needs --judgements'));
  let rubricJudge: RubricAgreementRead | undefined;
  if (values.judgements) {
    const rubric = values.rubric ? await readRubric(values.rubric).catch((e: Error) => Promise.reject(new UsageError(e.message))) : undefined;
    rubricJudge = await rubricAgreementOfFiles(values.judgements, positionals, rubric);
  }
  let store: LabelStore;
  let problems;
  let known: Map<string, string> | undefined;
  let inputIds: Set<string> | undefined;
  let outside = 0;
  if (values.input) {
    // Only decisions on pairs of this input count.
    const input = await pairIdsOf(values.input, values['input-b']);
    known = input.known;
    inputIds = input.ids;
    store = new LabelStore();
    problems = [];
    const seenOutside = new Set<string>();
    for (const log of positionals) {
      const r = await readLabelLog(log);
      problems.push(...r.problems);
      for (const rec of r.records) {
        if (!isPairDecision(rec) || input.ids.has(rec.pair)) store.add(rec);
        else seenOutside.add(rec.pair);
      }
    }
    outside = seenOutside.size;
  } else {
    ({ store, problems } = await loadLabelLogs(positionals));
  }
  const annotators = store.annotators();
  let decisions = 0;
  for (const a of annotators) decisions += store.currentFor(a).size + store.currentRankingsFor(a).size;
  // Rankings count as the pairs they order (all of them), so two rankers of a prompt agree or not pair by pair.
  let pairs = withExpandedRankings(store, 'all').store;
  if (inputIds) {
    const only = new LabelStore();
    for (const pair of pairs.pairs()) if (inputIds.has(pair)) for (const d of pairs.decisionsFor(pair).values()) only.add(d);
    pairs = only;
  }
  const report: AgreementReport | undefined = annotators.length >= 2 ? agreement(pairs, annotators) : undefined;
  const winRates: ModelResult[] = winRatesFromStore(pairs);
  const withDataset = known ? annotators.map((a) => ({ annotator: a, ...agreementWithKnown(store, a, known!) })) : undefined;
  if (values.json) {
    io.out(JSON.stringify({ logs: positionals, annotators, decisions, pairsNotInInput: values.input ? outside : undefined, agreement: report ?? null, winRates, withDataset, rubricJudge: rubricJudge?.report, logProblems: problems }, null, 2) + '\n');
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(l10n.t('{0} log(s), {1} annotator(s) ({2}), {3} current decision(s)', positionals.length, annotators.length, annotators.join(', ') || l10n.t('none'), decisions) + '\n');
  if (values.input && outside) out.push(l10n.t('{0} decided pair(s) are not in {1} and were left out', outside, values.input) + '\n');
  for (const p of problems) out.push(`${shownPath(p.path)}:${p.line}: ${p.kind === 'torn' ? 'warning' : 'error'} ${p.message}\n`);
  if (report) {
    out.push(l10n.t('pairs labeled by all: {0}', report.pairs) + '\n');
    out.push(l10n.t('agreement:      {0}', pct(report.percent)) + '\n');
    if (report.cohenKappa !== undefined) out.push(l10n.t('Cohen\'s kappa:  {0}', kappa(report.cohenKappa)) + '\n');
    out.push(l10n.t('Fleiss\' kappa:  {0}', kappa(report.fleissKappa)) + '\n');
    if (report.pairwise.length > 1) {
      out.push(l10n.t('by pair of annotators:') + '\n');
      for (const w of report.pairwise) out.push(l10n.t('  {0}: {1} pairs, {2}, Cohen\'s kappa {3}', w.annotators.join(' & '), w.pairs, pct(w.percent), kappa(w.cohenKappa)) + '\n');
    }
  } else {
    out.push(l10n.t('agreement: needs decisions of two or more annotators') + '\n');
  }
  if (withDataset) for (const w of withDataset) out.push(l10n.t('{0} agrees with the dataset\'s label on {1} of {2} pair(s) ({3})', w.annotator, w.agree, w.pairs, pct(w.percent)) + '\n');
  if (winRates.length) {
    const width = Math.max(5, ...winRates.map((w) => w.model.length));
    out.push(l10n.t('win rates:\n  {0}  wins  losses  ties  both-bad  win-rate', 'model'.padEnd(width)) + '\n');
    for (const w of winRates) {
      out.push(`  ${w.model.padEnd(width)}  ${String(w.wins).padStart(4)}  ${String(w.losses).padStart(6)}  ${String(w.ties).padStart(4)}  ${String(w.bothBad).padStart(8)}  ${(w.winRate === null ? 'n/a' : `${(100 * w.winRate).toFixed(1)}%`).padStart(8)}\n`);
    }
  }
  if (rubricJudge) out.push(...rubricJudgeLines(rubricJudge));
  io.out(out.join(''));
  return EXIT_OK;
}
