/**
 * The pairs a judge job judges and the files it keeps: candidates lines read as distinct responses,
 * the pair order, the judge's key (what a rerun must match to skip a judged pair), and the failures
 * file with the votes an unfinished pair already received.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import type { Message } from '../model';
import { promptHash, responseHash } from '../labeling/hashing';
import { isVerdict, type Verdict } from './judge';
import { readJsonlRecords } from './jsonlRecords';

export interface JudgeTarget {
  endpoint: string;
  model: string;
  /** Default 0: a judge should be as deterministic as the server allows. */
  temperature?: number;
  /** Default 512. */
  max_tokens?: number;
}

export interface JudgeFailureLine<V = Verdict> {
  pair: string;
  id: string;
  judgeKey: string;
  reason: string;
  /**
   * The votes received, in a/b positions as in JudgementLine.votes (null: that order failed or was
   * not asked); `a` names the response hash they refer to. A rerun asks only the null ones.
   */
  votes?: [V | null, V | null];
  a?: string;
  /** True when the run was stopped before the missing order was asked: not a failure. */
  stopped?: boolean;
  ts: string;
}

export function judgeKeyOf(judge: JudgeTarget, aspects: string[], guidance: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([judge.endpoint, judge.model, judge.temperature ?? 0, judge.max_tokens ?? 512, aspects, guidance ?? '']))
    .digest('hex')
    .slice(0, 12);
}

export interface CandidateView {
  id: string;
  prompt: Message[];
  promptHash: string;
  /** Distinct responses; `index` is the position in the candidates line. */
  responses: { index: number; model: string; content: string; hash: string }[];
}

export function asCandidate(v: Record<string, unknown>): CandidateView | undefined {
  if (typeof v.id !== 'string' || !Array.isArray(v.prompt) || !Array.isArray(v.responses)) return undefined;
  const responses: CandidateView['responses'] = [];
  const seen = new Set<string>();
  for (const [index, r] of (v.responses as unknown[]).entries()) {
    if (!r || typeof r !== 'object' || typeof (r as { content?: unknown }).content !== 'string') return undefined;
    const model = (r as { model?: unknown }).model;
    const content = (r as { content: string }).content;
    const hash = responseHash(content);
    if (seen.has(hash)) continue;
    seen.add(hash);
    responses.push({ index, model: typeof model === 'string' ? model : `response ${index + 1}`, content, hash });
  }
  const prompt = v.prompt as Message[];
  if (!prompt.every((m) => m && typeof m === 'object' && typeof m.content === 'string' && typeof m.role === 'string')) return undefined;
  return { id: v.id, prompt, promptHash: promptHash(prompt), responses };
}

/** The index pairs to judge for a prompt with `count` responses. */
export function pairIndexes(count: number, mode: 'all' | 'first-two' = 'all', max = Infinity): [number, number][] {
  const out: [number, number][] = [];
  if (mode === 'first-two') return count >= 2 ? [[0, 1]] : [];
  for (let i = 0; i < count && out.length < max; i++) for (let j = i + 1; j < count && out.length < max; j++) out.push([i, j]);
  return out;
}

/**
 * Leaves in the failures file only pairs still not judged by the judge that failed on them, one
 * line (the latest) each. Rewritten atomically; removed when nothing is open.
 */
export async function compactJudgeFailures(judgementsPath: string, failuresPath: string): Promise<void> {
  const lines: Record<string, unknown>[] = [];
  const r = await readJsonlRecords(failuresPath, (v) => lines.push(v));
  // A file with a damaged line is left as it is: a rewrite would drop what no one can read now.
  if (r.lines === 0 || r.badLines.length > 0) return;
  const judged = new Set<string>();
  await readJsonlRecords(judgementsPath, (v) => {
    const key = (v.judge as { key?: unknown } | undefined)?.key;
    if (typeof v.pair === 'string' && typeof key === 'string') judged.add(`${key}|${v.pair}`);
  });
  const keyOf = (v: Record<string, unknown>): string | undefined => (typeof v.pair === 'string' && typeof v.judgeKey === 'string' ? `${v.judgeKey}|${v.pair}` : undefined);
  const latest = new Map<string, number>();
  lines.forEach((v, i) => {
    const k = keyOf(v);
    if (k) latest.set(k, i);
  });
  const open = lines.filter((v, i) => {
    const k = keyOf(v);
    return !k || (latest.get(k) === i && !judged.has(k));
  });
  if (open.length === lines.length) return;
  if (open.length === 0) await fsp.rm(failuresPath, { force: true });
  else await writeFileAtomic(failuresPath, open.map((v) => JSON.stringify(v) + '\n').join(''));
}

/** A pair's votes from an earlier run that could not finish it (`a`: the hash of the response they call A). */
export interface KeptVotes<V = Verdict> {
  a: string;
  votes: [V | null, V | null];
}

/** The votes earlier runs of this judge received for pairs they could not finish (the latest line of each pair). */
export async function readKeptVotes<V = Verdict>(failuresPath: string, judgeKey: string, isVote: (x: unknown) => x is V = isVerdict as unknown as (x: unknown) => x is V): Promise<Map<string, KeptVotes<V>>> {
  const kept = new Map<string, KeptVotes<V>>();
  await readJsonlRecords(failuresPath, (v) => {
    const f = v as unknown as JudgeFailureLine<V>;
    if (f.judgeKey !== judgeKey || typeof f.pair !== 'string') return;
    const ok = (x: unknown): x is V | null => x === null || isVote(x);
    if (Array.isArray(f.votes) && f.votes.length === 2 && ok(f.votes[0]) && ok(f.votes[1]) && typeof f.a === 'string') kept.set(f.pair, { a: f.a, votes: [f.votes[0], f.votes[1]] });
    else kept.delete(f.pair);
  });
  return kept;
}
