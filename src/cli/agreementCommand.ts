/** `pairwise agreement`: inter-annotator agreement and per-model win rates from label logs. */
import { parseArgs } from 'node:util';
import { agreement, agreementWithKnown, type AgreementReport } from '../core/labeling/agreement';
import { isRetraction } from '../core/labeling/decisionRecord';
import { loadLabelLogs, readLabelLog } from '../core/labeling/decisionLog';
import { detectInputKind, openLabelingInput } from '../core/labeling/labelingInput';
import { LabelStore } from '../core/labeling/labelStore';
import { winRatesFromStore, type ModelResult } from '../core/labeling/winRates';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { AGREEMENT_HELP } from './usage';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)}%`);
const kappa = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));

/** The pair ids of an input file (every pair, once it is fully read). */
async function pairIdsOf(file: string, inputB?: string): Promise<{ ids: Set<string>; known?: Map<string, string> }> {
  const det = await detectInputKind(file);
  if (det.kind === 'sft' && !inputB) throw new UsageError(`${file} is SFT data: name model B's file with --input-b`);
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

export async function agreementCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { input: { type: 'string' }, 'input-b': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(AGREEMENT_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('agreement needs one or more label logs');
  let store: LabelStore;
  let problems;
  let known: Map<string, string> | undefined;
  let outside = 0;
  if (values.input) {
    // Only decisions on pairs of this input count.
    const input = await pairIdsOf(values.input, values['input-b']);
    known = input.known;
    store = new LabelStore();
    problems = [];
    const seenOutside = new Set<string>();
    for (const log of positionals) {
      const r = await readLabelLog(log);
      problems.push(...r.problems);
      for (const rec of r.records) {
        if (isRetraction(rec) || input.ids.has(rec.pair)) store.add(rec);
        else seenOutside.add(rec.pair);
      }
    }
    outside = seenOutside.size;
  } else {
    ({ store, problems } = await loadLabelLogs(positionals));
  }
  const annotators = store.annotators();
  let decisions = 0;
  for (const a of annotators) decisions += store.currentFor(a).size;
  const report: AgreementReport | undefined = annotators.length >= 2 ? agreement(store) : undefined;
  const winRates: ModelResult[] = winRatesFromStore(store);
  const withDataset = known ? annotators.map((a) => ({ annotator: a, ...agreementWithKnown(store, a, known!) })) : undefined;
  if (values.json) {
    io.out(JSON.stringify({ logs: positionals, annotators, decisions, pairsNotInInput: values.input ? outside : undefined, agreement: report ?? null, winRates, withDataset, logProblems: problems }, null, 2) + '\n');
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(`${positionals.length} log(s), ${annotators.length} annotator(s) (${annotators.join(', ') || 'none'}), ${decisions} current decision(s)\n`);
  if (values.input && outside) out.push(`${outside} decided pair(s) are not in ${values.input} and were left out\n`);
  for (const p of problems) out.push(`${p.path}:${p.line}: ${p.kind === 'torn' ? 'warning' : 'error'} ${p.message}\n`);
  if (report) {
    out.push(`pairs labeled by all: ${report.pairs}\n`);
    out.push(`agreement:      ${pct(report.percent)}\n`);
    if (report.cohenKappa !== undefined) out.push(`Cohen's kappa:  ${kappa(report.cohenKappa)}\n`);
    out.push(`Fleiss' kappa:  ${kappa(report.fleissKappa)}\n`);
    if (report.pairwise.length > 1) {
      out.push('by pair of annotators:\n');
      for (const w of report.pairwise) out.push(`  ${w.annotators.join(' & ')}: ${w.pairs} pairs, ${pct(w.percent)}, Cohen's kappa ${kappa(w.cohenKappa)}\n`);
    }
  } else {
    out.push('agreement: needs decisions of two or more annotators\n');
  }
  if (withDataset) for (const w of withDataset) out.push(`${w.annotator} agrees with the dataset's label on ${w.agree} of ${w.pairs} pair(s) (${pct(w.percent)})\n`);
  if (winRates.length) {
    const width = Math.max(5, ...winRates.map((w) => w.model.length));
    out.push(`win rates:\n  ${'model'.padEnd(width)}  wins  losses  ties  both-bad  win-rate\n`);
    for (const w of winRates) {
      out.push(`  ${w.model.padEnd(width)}  ${String(w.wins).padStart(4)}  ${String(w.losses).padStart(6)}  ${String(w.ties).padStart(4)}  ${String(w.bothBad).padStart(8)}  ${(w.winRate === null ? 'n/a' : `${(100 * w.winRate).toFixed(1)}%`).padStart(8)}\n`);
    }
  }
  io.out(out.join(''));
  return EXIT_OK;
}
