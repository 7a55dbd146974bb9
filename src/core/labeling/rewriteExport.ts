/**
 * Rewrites in exports. An annotator's rewrite of an answer is the best "chosen" there is for that
 * prompt, so every current rewrite becomes a preference pair: chosen = the rewrite, rejected = the
 * answer it rewrote (`original`). With `with-other`, it is also preferred over the pair's other
 * answer, but only where the rewriting annotator did not prefer that other answer: a rewrite of
 * the better answer (or of one of two tied or both-bad answers) is better than both, while a
 * rewrite of the answer they judged worse says nothing about the better one. Rewrites are answers,
 * not votes: each annotator's current rewrite gives its own pairs, and merge rules do not apply.
 *
 * The rewrites can also be written as SFT records (prompt + rewrite) in the SFT formats below.
 */
import type { FormatId, FormatModule } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { AtomicFileWriter } from '../jsonl/atomicWrite';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import type { Message, PreferenceRecord, SftRecord, UnpairedRecord } from '../model';
import { loadLabelLogs, type LogProblem } from './decisionLog';
import { preferredHash } from './decisionRecord';
import type { LabelStore } from './labelStore';
import type { LabelPair, PairResponse } from './pair';
import type { PairQueue } from './pairQueue';
import type { RewriteRecord } from './rewriteRecord';
import * as l10n from '@vscode/l10n';

/** Which preference pairs the rewrites become: none, rewrite vs original, or also rewrite vs the other answer. */
export const REWRITE_EXPORT_MODES = ['original', 'with-other', 'none'] as const;
export type RewriteExportMode = (typeof REWRITE_EXPORT_MODES)[number];

/**
 * SFT formats the rewrites can be written in: those whose records hold a prompt and its answer
 * (prompt-only formats would drop the rewrite itself).
 */
export const REWRITE_SFT_FORMATS = ['sharegpt', 'alpaca', 'openai-chat', 'trl-prompt-completion', 'query-response', 'swift-conversation'] as const satisfies readonly FormatId[];
export type RewriteSftFormat = (typeof REWRITE_SFT_FORMATS)[number];

/**
 * The SFT format to write the rewrites in beside a preference export: the same trainer's SFT
 * format (LLaMA-Factory's alpaca/sharegpt, OpenAI chat, TRL prompt-completion; Axolotl and
 * distilabel users get OpenAI-style `messages`, which Axolotl's chat_template type reads).
 */
export function defaultRewriteSftFormat(preference: FormatId): RewriteSftFormat {
  switch (preference) {
    case 'alpaca-preference':
      return 'alpaca';
    case 'sharegpt-preference':
      return 'sharegpt';
    case 'trl-preference':
    case 'trl-preference-implicit':
    case 'trl-unpaired':
      return 'trl-prompt-completion';
    default:
      return 'openai-chat';
  }
}

/** One preference pair a rewrite stands for. */
export interface PlannedRewrite {
  rewrite: RewriteRecord;
  /** What the rewrite is preferred over: the answer it rewrote, or the pair's other answer. */
  against: 'original' | 'other';
}

export interface RewriteExportSummary {
  mode: RewriteExportMode;
  /** Current rewrites in the logs (one per annotator and pair). */
  rewrites: number;
  /** Pairs written: rewrite vs original, and rewrite vs the other answer. */
  vsOriginal: number;
  vsOther: number;
  /** `with-other`: rewrites whose annotator preferred the other answer, skipped or did not decide (no pair against the other answer). */
  otherNotImplied: number;
  /** Rewrites of a pair not in the input (a log of another file, or an edited input). */
  notInInput: number;
  /** Rewrites of an answer of several messages or with tool calls (a rewrite replaces one plain answer). */
  unsupported: number;
}

export interface RewritePlan {
  byPair: Map<string, PlannedRewrite[]>;
  summary: RewriteExportSummary;
}

function* currentRewrites(store: LabelStore, annotators?: readonly string[]): Iterable<RewriteRecord> {
  const only = annotators && annotators.length ? new Set(annotators) : undefined;
  for (const r of store.currentRewrites()) if (!only || only.has(r.annotator)) yield r;
}

/** The preference pairs the current rewrites of `store` stand for, by pair id. */
export function planRewriteExport(store: LabelStore, mode: RewriteExportMode, annotators?: readonly string[]): RewritePlan {
  const summary: RewriteExportSummary = { mode, rewrites: 0, vsOriginal: 0, vsOther: 0, otherNotImplied: 0, notInInput: 0, unsupported: 0 };
  const byPair = new Map<string, PlannedRewrite[]>();
  if (mode === 'none') return { byPair, summary };
  const add = (p: PlannedRewrite) => {
    const list = byPair.get(p.rewrite.pair);
    if (list) list.push(p);
    else byPair.set(p.rewrite.pair, [p]);
  };
  for (const r of currentRewrites(store, annotators)) {
    summary.rewrites++;
    add({ rewrite: r, against: 'original' });
    if (mode !== 'with-other') continue;
    const d = store.current(r.pair, r.annotator);
    const preferred = d && preferredHash(d);
    // Implied only when the annotator did not prefer the other answer: base preferred, tie or both bad.
    const implied = !!d && d.choice !== 'skip' && (preferred === undefined || preferred === r.base);
    if (implied) add({ rewrite: r, against: 'other' });
    else summary.otherNotImplied++;
  }
  return { byPair, summary };
}

/** A response a rewrite can replace: one plain assistant message. */
export function isRewritable(r: PairResponse): boolean {
  return !r.messages || (r.messages.length === 1 && r.messages[0].role === 'assistant' && !r.messages[0].toolCalls);
}

function messagesOf(r: PairResponse): Message[] {
  return r.messages ?? [{ role: 'assistant', content: r.content }];
}

/** A canonical record of one planned rewrite pair, with the response hash each KTO row labels. */
export interface RewriteCanonical {
  record: PreferenceRecord | UnpairedRecord;
  /** KTO: the hash of the completion (the rewrite, or the answer it is preferred over). */
  hash: string;
}

/**
 * The canonical records of one planned rewrite pair (one preference record, or two unpaired ones);
 * empty when the rewrite does not belong to this pair or its base is not a plain answer.
 */
export function rewriteCanonical(pair: Pick<LabelPair, 'id' | 'prompt' | 'a' | 'b'>, p: PlannedRewrite, kind: 'preference' | 'unpaired', target?: FormatId): RewriteCanonical[] {
  const r = p.rewrite;
  const base = r.base === pair.a.hash ? pair.a : r.base === pair.b.hash ? pair.b : undefined;
  if (!base || !isRewritable(base)) return [];
  const other = base === pair.a ? pair.b : pair.a;
  const lose = p.against === 'original' ? base : other;
  const chosen: Message[] = [{ role: 'assistant', content: r.text }];
  if (kind === 'unpaired') {
    return [
      { record: { type: 'unpaired', prompt: pair.prompt, completion: chosen, label: true }, hash: r.hash },
      { record: { type: 'unpaired', prompt: pair.prompt, completion: messagesOf(lose), label: false }, hash: lose.hash },
    ];
  }
  const rec: PreferenceRecord = { type: 'preference', prompt: pair.prompt, chosen, rejected: messagesOf(lose) };
  if (target === 'distilabel-dpo') {
    // distilabel names the model of each side: the rewrite is the annotator's.
    const extra: Record<string, unknown> = { prompt_id: pair.id.split('.')[0], chosen_model: `rewrite:${r.annotator}` };
    if (lose.model !== undefined) extra.rejected_model = lose.model;
    rec.meta = { format: 'distilabel-dpo', extra };
  }
  return [{ record: rec, hash: r.hash }];
}

/** KTO: a rewrite counts as a win of the rewrite and a loss of what it is preferred over (adds to `net`). */
export function addRewriteNet(net: Map<string, number>, plan: RewritePlan): void {
  for (const list of plan.byPair.values()) {
    for (const p of list) {
      const ph = p.rewrite.pair.split('.')[0];
      const parts = p.rewrite.pair.split('.');
      const lose = p.against === 'original' ? p.rewrite.base : parts[1] === p.rewrite.base ? parts[2] : parts[1];
      net.set(`${ph}.${p.rewrite.hash}`, (net.get(`${ph}.${p.rewrite.hash}`) ?? 0) + 1);
      net.set(`${ph}.${lose}`, (net.get(`${ph}.${lose}`) ?? 0) - 1);
    }
  }
}

/** The pairs of the input, by id, among `ids` (each once, in input order). */
export async function* pairsOf(queue: PairQueue, ids: ReadonlySet<string>): AsyncIterable<LabelPair> {
  const seen = new Set<string>();
  for (let i = await queue.findNext(0, 1, { include: ids }); i >= 0; i = await queue.findNext(i + 1, 1, { include: ids })) {
    const pair = await queue.get(i);
    if (!pair || seen.has(pair.id)) continue;
    seen.add(pair.id);
    yield pair;
  }
}

/** The prompt and the rewrite as a canonical SFT record; a leading system turn goes to `system`, where every SFT format keeps it. */
export function sftRecordOf(prompt: readonly Message[], text: string): SftRecord {
  const first = prompt[0];
  const rec: SftRecord = { type: 'sft', messages: [...(first?.role === 'system' ? prompt.slice(1) : prompt), { role: 'assistant', content: text }] };
  if (first?.role === 'system') rec.system = first.content;
  return rec;
}

export interface RewritesSftOptions {
  queue: PairQueue;
  logs: readonly string[] | LabelStore;
  format: RewriteSftFormat | FormatModule;
  output: string;
  /** The files behind `queue` and any other file the export writes: the output may be none of them. */
  inputs?: readonly string[];
  container?: 'jsonl' | 'json';
  annotators?: readonly string[];
}

export interface RewritesSftSummary {
  format: FormatId;
  output: string;
  /** SFT records written (one per distinct prompt and rewrite text). */
  written: number;
  rewrites: number;
  /** The same text rewritten for the same prompt by several annotators: written once. */
  duplicates: number;
  notInInput: number;
  unsupported: number;
  lost: { field: string; reason: string; count: number }[];
  logProblems: LogProblem[];
}

/** Each current rewrite as an SFT record (the prompt, then the rewrite as the assistant's answer), written atomically. */
export async function exportRewritesSft(options: RewritesSftOptions): Promise<RewritesSftSummary> {
  refuseUnsafeOutputs([...(options.inputs ?? []), ...(Array.isArray(options.logs) ? (options.logs as string[]) : [])], [options.output]);
  const format = typeof options.format === 'string' ? getFormat(options.format) : options.format;
  if (format.kind !== 'sft') throw new Error(l10n.t('{0} is not an SFT format', format.id));
  const loaded = Array.isArray(options.logs) ? await loadLabelLogs(options.logs as string[]) : { store: options.logs as LabelStore, problems: [] };
  const plan = planRewriteExport(loaded.store, 'original', options.annotators);
  const summary: RewritesSftSummary = { format: format.id, output: options.output, written: 0, rewrites: plan.summary.rewrites, duplicates: 0, notInInput: 0, unsupported: 0, lost: [], logProblems: loaded.problems };
  const lost = new Map<string, { field: string; reason: string; count: number }>();
  const json = options.container === 'json';
  const done = new Set<string>();
  let found = 0;
  const w = await AtomicFileWriter.create(options.output);
  try {
    if (json) await w.write('[');
    for await (const pair of pairsOf(options.queue, new Set(plan.byPair.keys()))) {
      for (const { rewrite } of plan.byPair.get(pair.id)!) {
        found++;
        const base = rewrite.base === pair.a.hash ? pair.a : pair.b;
        if (!isRewritable(base)) {
          summary.unsupported++;
          continue;
        }
        const key = `${pair.promptHash}.${rewrite.hash}`;
        if (done.has(key)) {
          summary.duplicates++;
          continue;
        }
        done.add(key);
        const rec = sftRecordOf(pair.prompt, rewrite.text);
        const res = format.fromCanonical(rec);
        for (const l of res.lost) {
          const k = `${l.field}\u0000${l.reason}`;
          const c = lost.get(k);
          if (c) c.count++;
          else lost.set(k, { ...l, count: 1 });
        }
        if (!res.record) continue;
        const text = JSON.stringify(res.record);
        await w.write(json ? (summary.written ? ',\n' : '\n') + text : text + '\n');
        summary.written++;
      }
    }
    if (json) await w.write(summary.written ? '\n]\n' : ']\n');
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
  summary.notInInput = plan.summary.rewrites - found;
  summary.lost = [...lost.values()];
  return summary;
}
