/**
 * Label logs + the labeled input → a preference dataset for a trainer. Decisions are merged by a
 * rule, each decided pair becomes a canonical PreferenceRecord (or two UnpairedRecords for KTO),
 * and the target format module writes it. Ties, both-bad, skips and conflicts are left out and
 * counted. The file is written atomically.
 */
import type { FormatId, FormatModule, FormatOptions, FromCanonicalResult } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { AtomicFileWriter } from '../jsonl/atomicWrite';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import type { Message, PreferenceRecord, UnpairedRecord } from '../model';
import { loadLabelLogs, type LogProblem } from './decisionLog';
import type { LabelStore } from './labelStore';
import { mergeDecisions, type MergedDecision, type MergeRule, type MergeSummary } from './merge';
import type { PairResponse } from './pair';
import type { PairQueue } from './pairQueue';
import { withExpandedRankings, type ExpansionSummary, type RankingExpansion } from './rankingExpansion';
import { MultiTurnTally, type MultiTurnExport } from './turnsExport';
import { addRewriteNet, pairsOf, planRewriteExport, rewriteCanonical, type RewriteExportMode, type RewriteExportSummary } from './rewriteExport';
import * as l10n from '@vscode/l10n';

/** The targets a labeling session exports to. */
export const PREFERENCE_EXPORT_FORMATS = [
  'trl-preference',
  'trl-preference-implicit',
  'alpaca-preference',
  'sharegpt-preference',
  'openai-dpo',
  'axolotl-chatml-intel',
  'distilabel-dpo',
  'trl-unpaired',
] as const satisfies readonly FormatId[];

export type PreferenceExportFormat = (typeof PREFERENCE_EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** The input that was labeled (its pairs give the texts). */
  queue: PairQueue;
  /** Label logs, or an already loaded store. */
  logs: readonly string[] | LabelStore;
  /** Target format: an id of PREFERENCE_EXPORT_FORMATS (looked up in the format registry) or a module. */
  format: PreferenceExportFormat | FormatModule;
  formatOptions?: FormatOptions;
  output: string;
  /** The files behind `queue`: like the label logs, the output may not be one of them. */
  inputs?: readonly string[];
  /** `json` writes one JSON array (what LLaMA-Factory's demo files use); default `jsonl`. */
  container?: 'jsonl' | 'json';
  /** Merge rule across annotators (default: strict majority). */
  rule?: MergeRule;
  annotators?: readonly string[];
  /** Add a numeric `margin` (slightly 1, clearly 2; the mean when merged) to each record. */
  margin?: boolean;
  /**
   * Which pairs a ranking becomes (default `all`). The pairs must be in `queue`: open a candidates
   * input with the `all` pair strategy to export rankings expanded any way.
   */
  rankings?: RankingExpansion;
  /** Which pairs the annotators' rewrites become (default `original`: rewrite vs the answer it rewrote; see rewriteExport.ts). */
  rewrites?: RewriteExportMode;
}

export interface ExportSummary {
  format: FormatId;
  output: string;
  /** Records written (for trl-unpaired: two per pair). */
  written: number;
  /** Pairs exported. */
  pairs: number;
  excluded: { ties: number; bothBad: number; skipped: number; conflicts: number };
  /** Decided pairs not found in the input (a log of another file, or an edited input). */
  notInInput: number;
  /** Pairs the target format could not hold at all. */
  unrepresentable: number;
  /** KTO: responses that won as often as they lost across their pairs, so have no label (left out). */
  unpairedAmbiguous: number;
  /** What the target dropped, by field and reason, with counts. */
  lost: { field: string; reason: string; count: number }[];
  merge: MergeSummary;
  /** Rankings in the logs and the pair decisions they became (before merging). */
  rankings: ExpansionSummary;
  /** Pairs with earlier turns in their prompt and what the target did with that history (turnsExport.ts). */
  multiTurn: MultiTurnExport;
  /** Rewrites in the logs and the pairs they became (written after the decided pairs, counted apart from `pairs`). */
  rewrites: RewriteExportSummary;
  logProblems: LogProblem[];
}

function messagesOf(r: PairResponse): Message[] {
  return r.messages ?? [{ role: 'assistant', content: r.content }];
}

/** The canonical records of one merged decision; empty for ties and both-bad. */
export function canonicalRecords(
  pair: { prompt: Message[]; a: PairResponse; b: PairResponse; id: string; origin?: { recordId?: string } },
  m: MergedDecision,
  kind: 'preference' | 'unpaired',
  target?: FormatId,
): (PreferenceRecord | UnpairedRecord)[] {
  if (m.verdict !== 'a' && m.verdict !== 'b') return [];
  const [win, lose] = m.verdict === 'a' ? [pair.a, pair.b] : [pair.b, pair.a];
  const chosenModel = win.model ?? (m.verdict === 'a' ? m.models.a : m.models.b);
  const rejectedModel = lose.model ?? (m.verdict === 'a' ? m.models.b : m.models.a);
  if (kind === 'unpaired') {
    return [
      { type: 'unpaired', prompt: pair.prompt, completion: messagesOf(win), label: true },
      { type: 'unpaired', prompt: pair.prompt, completion: messagesOf(lose), label: false },
    ];
  }
  const rec: PreferenceRecord = { type: 'preference', prompt: pair.prompt, chosen: messagesOf(win), rejected: messagesOf(lose) };
  if (target === 'distilabel-dpo') {
    // distilabel keeps the model names and a prompt id beside the texts.
    const extra: Record<string, unknown> = { prompt_id: pair.id.split('.')[0] };
    if (chosenModel !== undefined) extra.chosen_model = chosenModel;
    if (rejectedModel !== undefined) extra.rejected_model = rejectedModel;
    rec.meta = { format: 'distilabel-dpo', extra };
  }
  return [rec];
}

export async function exportPreferences(options: ExportOptions): Promise<ExportSummary> {
  const { queue } = options;
  refuseUnsafeOutputs([...(options.inputs ?? []), ...(Array.isArray(options.logs) ? (options.logs as string[]) : [])], [options.output]);
  const format = typeof options.format === 'string' ? getFormat(options.format) : options.format;
  const loaded = Array.isArray(options.logs) ? await loadLabelLogs(options.logs as string[]) : { store: options.logs as LabelStore, problems: [] };
  const expanded = withExpandedRankings(loaded.store, options.rankings ?? 'all');
  const { merged, summary: merge } = mergeDecisions(expanded.store, options.rule ?? { kind: 'majority' }, options.annotators);
  const rewrites = planRewriteExport(loaded.store, options.rewrites ?? 'original', options.annotators);
  const kind = format.kind === 'unpaired' ? 'unpaired' : 'preference';
  if (format.kind !== 'preference' && format.kind !== 'unpaired') throw new Error(l10n.t('{0} is not a preference format', format.id));
  const summary: ExportSummary = {
    format: format.id,
    output: options.output,
    written: 0,
    pairs: 0,
    excluded: { ties: merge.byVerdict.tie, bothBad: merge.byVerdict.both_bad, skipped: merge.skipped, conflicts: merge.conflicts },
    notInInput: 0,
    unrepresentable: 0,
    unpairedAmbiguous: 0,
    lost: [],
    merge,
    rankings: expanded.summary,
    multiTurn: { pairs: 0, kept: 0, changed: 0, dropped: 0 },
    rewrites: rewrites.summary,
    logProblems: loaded.problems,
  };
  const multiTurn = new MultiTurnTally(format.id);
  const wanted = new Set<string>();
  for (const m of merged.values()) if (m.verdict === 'a' || m.verdict === 'b') wanted.add(m.pair);
  // KTO wants one label per (prompt, response): a response in several pairs gets the sign of its net wins.
  const net = new Map<string, number>();
  if (kind === 'unpaired') {
    for (const m of merged.values()) {
      if (m.verdict !== 'a' && m.verdict !== 'b') continue;
      const ph = m.pair.split('.')[0];
      const [w, l] = m.verdict === 'a' ? [m.a, m.b] : [m.b, m.a];
      net.set(`${ph}.${w}`, (net.get(`${ph}.${w}`) ?? 0) + 1);
      net.set(`${ph}.${l}`, (net.get(`${ph}.${l}`) ?? 0) - 1);
    }
    addRewriteNet(net, rewrites);
  }
  const unpairedDone = new Set<string>();
  const lostCounts = new Map<string, { field: string; reason: string; count: number }>();
  const json = options.container === 'json';
  const w = await AtomicFileWriter.create(options.output);
  try {
    if (json) await w.write('[');
    const emitted = new Set<string>();
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length) await w.write(batch.join(''));
      batch = [];
    };
    /** Writes one canonical record; `ktoKey` names the (prompt, response) a KTO row labels. False when nothing of it was written or stands for it. */
    const put = async (rec: PreferenceRecord | UnpairedRecord, ktoKey: string, margin: number | undefined, results: FromCanonicalResult[]): Promise<boolean> => {
      if (rec.type === 'unpaired') {
        // One row per (prompt, response), labeled by the sign of its net wins.
        if (unpairedDone.has(ktoKey)) return true;
        unpairedDone.add(ktoKey);
        const score = net.get(ktoKey) ?? 0;
        if (score === 0) {
          summary.unpairedAmbiguous++;
          return false;
        }
        rec = { ...rec, label: score > 0 };
      }
      const res = format.fromCanonical(rec, options.formatOptions);
      results.push(res);
      for (const l of res.lost) {
        const key = `${l.field}\u0000${l.reason}`;
        const c = lostCounts.get(key);
        if (c) c.count++;
        else lostCounts.set(key, { ...l, count: 1 });
      }
      if (!res.record) return false;
      const out = res.record;
      if (options.margin && kind === 'preference') out.margin = margin ?? 1;
      const text = JSON.stringify(out);
      batch.push(json ? (summary.written ? ',\n' : '\n') + text : text + '\n');
      summary.written++;
      if (batch.length >= 256) await flush();
      return true;
    };
    for (let i = await queue.findNext(0, 1, { include: wanted }); i >= 0; i = await queue.findNext(i + 1, 1, { include: wanted })) {
      const pair = (await queue.get(i))!;
      if (emitted.has(pair.id)) continue; // the same pair again in the input
      emitted.add(pair.id);
      let any = false;
      const results: FromCanonicalResult[] = [];
      const m = merged.get(pair.id)!;
      for (const rec of canonicalRecords(pair, m, kind, format.id)) {
        const isA = rec.type === 'unpaired' && (m.verdict === 'a') === rec.label;
        if (await put(rec, `${pair.promptHash}.${isA ? pair.a.hash : pair.b.hash}`, m.margin, results)) any = true;
      }
      if (any) summary.pairs++;
      else summary.unrepresentable++;
      multiTurn.add(pair.prompt, results);
      if (batch.length >= 256) await flush();
    }
    // The rewrites' pairs, after the decided pairs.
    let rewritten = 0;
    for await (const pair of pairsOf(queue, new Set(rewrites.byPair.keys()))) {
      for (const p of rewrites.byPair.get(pair.id)!) {
        rewritten++;
        const recs = rewriteCanonical(pair, p, kind, format.id);
        if (recs.length === 0) rewrites.summary.unsupported++;
        let any = false;
        const results: FromCanonicalResult[] = [];
        for (const { record, hash } of recs) if (await put(record, `${pair.promptHash}.${hash}`, undefined, results)) any = true;
        if (any) rewrites.summary[p.against === 'original' ? 'vsOriginal' : 'vsOther']++;
        multiTurn.add(pair.prompt, results);
      }
    }
    rewrites.summary.notInInput = [...rewrites.byPair.values()].reduce((n, l) => n + l.length, 0) - rewritten;
    await flush();
    if (json) await w.write(summary.written ? '\n]\n' : ']\n');
    await w.commit();
    summary.notInInput = wanted.size - emitted.size;
  } catch (e) {
    await w.abort();
    throw e;
  }
  summary.lost = [...lostCounts.values()];
  summary.multiTurn = multiTurn.result;
  return summary;
}

/**
 * The `dataset_info.json` entry LLaMA-Factory needs to load an exported preference file
 * (`ranking: true`, with the columns of the format); undefined for formats it does not read.
 */
export function datasetInfoEntry(format: FormatId, fileName: string): Record<string, unknown> | undefined {
  if (format === 'sharegpt-preference') {
    return {
      file_name: fileName,
      ranking: true,
      formatting: 'sharegpt',
      columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', system: 'system' },
    };
  }
  if (format === 'alpaca-preference') {
    return {
      file_name: fileName,
      ranking: true,
      formatting: 'alpaca',
      columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', system: 'system', history: 'history' },
    };
  }
  return undefined;
}
