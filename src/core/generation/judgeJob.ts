/**
 * Runs an AI judge over a candidates file: each pair of responses of a prompt is judged twice,
 * once in each order, and the combined verdict is appended (append + fdatasync) to
 *   <candidates minus .jsonl>.judgements.jsonl           one line per judged pair
 *   <candidates minus .jsonl>.judgements.failures.jsonl  pairs that failed (call failure or a reply
 *                                                        with no verdict), with a redacted reason and
 *                                                        the vote of the order that did succeed, if
 *                                                        one did: a rerun asks only the missing order.
 *                                                        Lines of pairs judged since are removed at
 *                                                        the end of a run.
 *   <… minus .jsonl>.judgements.rate.json                the endpoint's rate window (rateStateFile.ts)
 * A pair is named with the labeling queue's own pair id (pairIdOf(promptHash, response hashes), see
 * ../labeling/hashing.ts), so the labeling panel can show a judgement as a pre-label for the very
 * pair it displays, and a rerun skips pairs already judged by the same judge (same endpoint,
 * model, parameters, aspects) and retries the ones that failed. Responses with identical text are
 * collapsed first, as the labeling queue does (comparing a text with itself teaches nothing).
 * `a` is the response that comes first in the candidates line; votes and verdict use a/b.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import type { Message } from '../model';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { GroupCommitLog } from './groupCommitLog';
import type { PriceTable } from './cost';
import { JobMeter, startingProgress } from './jobMeter';
import type { EndpointPool } from './endpointPool';
import type { JobProgress } from './candidatesJob';
import { jsonlRecordStream, readJsonlRecords } from './jsonlRecords';
import { AbortedError } from './rateScheduler';
import { RateStateFile } from './rateStateFile';
import { pairIdOf, promptHash, responseHash } from '../labeling/hashing';
import { DEFAULT_ASPECTS, buildJudgeMessages, combineVerdicts, parseVerdict, unswap, type CombinedVerdict, type JudgeRubric, type Verdict } from './judge';
import * as l10n from '@vscode/l10n';

export interface JudgeTarget {
  endpoint: string;
  model: string;
  /** Default 0: a judge should be as deterministic as the server allows. */
  temperature?: number;
  /** Default 512. */
  max_tokens?: number;
}

export interface JudgeJobOptions {
  pool: EndpointPool;
  candidatesPath: string;
  judge: JudgeTarget;
  rubric?: JudgeRubric;
  /** Which pairs of a prompt's responses to judge: every pair (default) or only the first two responses. */
  pairs?: 'all' | 'first-two';
  /** At most this many pairs per prompt (in order (0,1), (0,2), …, (1,2), …). */
  maxPairsPerPrompt?: number;
  outputPath?: string;
  prices?: PriceTable;
  /** Cancels at once (requests in flight are abandoned). */
  signal?: AbortSignal;
  /** Stops gently: no new request; those in flight finish and their votes are kept (see CandidatesJobOptions). */
  stopSignal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  log?: (line: string) => void;
  maxInFlight?: number;
}

export interface PairSide {
  index: number;
  model: string;
  hash: string;
}

export interface JudgementLine {
  pair: string;
  id: string;
  a: PairSide;
  b: PairSide;
  verdict: CombinedVerdict;
  /** [verdict with a shown first, verdict with b shown first — expressed in a/b positions]. */
  votes: [Verdict, Verdict];
  judge: { endpoint: string; model: string; key: string };
  aspects: string[];
  ts: string;
}

export interface JudgeFailureLine {
  pair: string;
  id: string;
  judgeKey: string;
  reason: string;
  /**
   * The votes received, in a/b positions as in JudgementLine.votes (null: that order failed or was
   * not asked); `a` names the response hash they refer to. A rerun asks only the null ones.
   */
  votes?: [Verdict | null, Verdict | null];
  a?: string;
  /** True when the run was stopped before the missing order was asked: not a failure. */
  stopped?: boolean;
  ts: string;
}

export interface JudgeJobResult {
  cancelled: boolean;
  progress: JobProgress;
  warnings: string[];
  judgementsPath: string;
  failuresPath: string;
}

export function judgementsPathFor(candidatesPath: string): string {
  return `${candidatesPath.replace(/\.jsonl$/i, '')}.judgements.jsonl`;
}

function judgeKeyOf(judge: JudgeTarget, aspects: string[], guidance: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([judge.endpoint, judge.model, judge.temperature ?? 0, judge.max_tokens ?? 512, aspects, guidance ?? '']))
    .digest('hex')
    .slice(0, 12);
}

interface CandidateView {
  id: string;
  prompt: Message[];
  promptHash: string;
  /** Distinct responses; `index` is the position in the candidates line. */
  responses: { index: number; model: string; content: string; hash: string }[];
}

function asCandidate(v: Record<string, unknown>): CandidateView | undefined {
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
async function compactJudgeFailures(judgementsPath: string, failuresPath: string): Promise<void> {
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

export async function runJudgeJob(options: JudgeJobOptions): Promise<JudgeJobResult> {
  const { pool, judge, signal, stopSignal } = options;
  const stopped = (): boolean => (signal?.aborted ?? false) || (stopSignal?.aborted ?? false);
  const redact = (s: string): string => pool.redactor.redact(s);
  const log = (s: string): void => options.log?.(redact(s));
  const warnings: string[] = [];
  const judgementsPath = options.outputPath ?? judgementsPathFor(options.candidatesPath);
  const failuresPath = judgementsPath.replace(/\.jsonl$/i, '') + '.failures.jsonl';
  const ratePath = judgementsPath.replace(/\.jsonl$/i, '') + '.rate.json';
  refuseUnsafeOutputs([options.candidatesPath], [judgementsPath, failuresPath, ratePath]);
  const aspects = options.rubric?.aspects && options.rubric.aspects.length ? options.rubric.aspects : DEFAULT_ASPECTS;
  const judgeKey = judgeKeyOf(judge, aspects, options.rubric?.guidance);
  const mode = options.pairs ?? 'all';
  const maxPairs = options.maxPairsPerPrompt ?? Infinity;
  try {
    return await run();
  } catch (e) {
    if (e instanceof AbortedError) throw e;
    throw new Error(pool.redactor.describe(e));
  }

  async function run(): Promise<JudgeJobResult> {
    if (!pool.endpointNames().includes(judge.endpoint)) throw new Error(l10n.t('judge uses unknown endpoint "{0}"', judge.endpoint));
    const judged = new Set<string>();
    const jr = await readJsonlRecords(judgementsPath, (v) => {
      const key = (v.judge as { key?: unknown } | undefined)?.key;
      if (typeof v.pair === 'string' && key === judgeKey) judged.add(v.pair);
    });
    if (jr.badLines.length) warnings.push(redact(l10n.t('{0}: {1} damaged line(s) ignored', judgementsPath, jr.badLines.length)));
    // Votes an earlier run received for pairs it could not finish (the latest line of each pair).
    const kept = new Map<string, { a: string; votes: [Verdict | null, Verdict | null] }>();
    await readJsonlRecords(failuresPath, (v) => {
      const f = v as unknown as JudgeFailureLine;
      if (f.judgeKey !== judgeKey || typeof f.pair !== 'string') return;
      const ok = (x: unknown): x is Verdict | null => x === null || x === 'A' || x === 'B' || x === 'tie';
      if (Array.isArray(f.votes) && f.votes.length === 2 && ok(f.votes[0]) && ok(f.votes[1]) && typeof f.a === 'string') kept.set(f.pair, { a: f.a, votes: [f.votes[0], f.votes[1]] });
      else kept.delete(f.pair);
    });

    // First pass: count the pairs still to judge, so progress has a total.
    let total = 0;
    const bad: number[] = [];
    for await (const item of jsonlRecordStream(options.candidatesPath)) {
      const c = item.ok ? asCandidate(item.value) : undefined;
      if (!c) {
        bad.push(item.line);
        continue;
      }
      for (const [i, j] of pairIndexes(c.responses.length, mode, maxPairs)) {
        if (!judged.has(pairIdOf(c.promptHash, c.responses[i].hash, c.responses[j].hash))) total++;
      }
    }
    if (bad.length) warnings.push(redact(l10n.t('{0}: {1} line(s) are not candidates records (line {2}) and were not judged', options.candidatesPath, bad.length, bad.slice(0, 5).join(', '))));

    const out = await GroupCommitLog.open(judgementsPath);
    const rate = await RateStateFile.open(pool, ratePath);
    let failuresLog: Promise<GroupCommitLog> | undefined; // shared promise: opened once by concurrent pairs
    const meter = new JobMeter(pool, options.prices);
    const progress = startingProgress(total);
    const emit = (): void => {
      options.onProgress?.(meter.update(progress));
    };
    emit();

    const recordFailure = async (pair: string, id: string, reason: string, a: string, votes: [Verdict | null, Verdict | null], stoppedEarly: boolean): Promise<void> => {
      failuresLog ??= GroupCommitLog.open(failuresPath);
      const line: JudgeFailureLine = {
        pair,
        id,
        judgeKey,
        reason: redact(reason),
        ...(votes[0] || votes[1] ? { votes, a } : {}),
        ...(stoppedEarly ? { stopped: true } : {}),
        ts: new Date().toISOString(),
      };
      await (await failuresLog).append(line);
      if (stoppedEarly) return;
      progress.failures++;
      log(`judge ${pair}: ${line.reason}`);
    };

    /** One judge call; the verdict in the positions shown, or a failure reason. */
    const ask = async (prompt: Message[], first: string, second: string): Promise<{ verdict?: Verdict; reason?: string }> => {
      const outcome = await pool.chat(
        judge.endpoint,
        { model: judge.model, messages: buildJudgeMessages(prompt, first, second, options.rubric), temperature: judge.temperature ?? 0, max_tokens: judge.max_tokens ?? 512 },
        signal,
        stopSignal,
      );
      if (!outcome.ok) return { reason: outcome.reason };
      if (outcome.usage) meter.add(judge.model, outcome.usage.prompt_tokens, outcome.usage.completion_tokens);
      const reply = outcome.choices[0].content;
      const verdict = parseVerdict(reply);
      // Redacted before it is cut: a key cut in half no longer matches the redactor.
      if (!verdict) return { reason: l10n.t('no verdict in the judge\'s reply: {0}', JSON.stringify(redact(reply).slice(0, 200))) };
      return { verdict };
    };

    const judgePair = async (c: CandidateView, i: number, j: number, pair: string): Promise<void> => {
      const ra = c.responses[i];
      const rb = c.responses[j];
      // A vote an earlier run received is kept: only the order that failed is asked again.
      const earlier = kept.get(pair);
      const reuse = earlier && earlier.a === ra.hash ? earlier.votes : [null, null];
      type Answer = { verdict?: Verdict; reason?: string };
      const settled = await Promise.allSettled<Answer>([
        reuse[0] ? Promise.resolve({ verdict: reuse[0] }) : ask(c.prompt, ra.content, rb.content),
        // The swapped order's vote is kept in a/b positions; ask() answers in the positions shown.
        reuse[1] ? Promise.resolve({ verdict: unswap(reuse[1]) }) : ask(c.prompt, rb.content, ra.content),
      ]);
      for (const r of settled) if (r.status === 'rejected' && !(r.reason instanceof AbortedError)) throw r.reason;
      const [o, s] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
      const votes: [Verdict | null, Verdict | null] = [o?.verdict ?? null, s?.verdict ? unswap(s.verdict) : null];
      if (!o?.verdict || !s?.verdict) {
        const reasons = [o?.reason, s?.reason].filter((x): x is string => !!x);
        // Cancelled before an order was answered: nothing failed, but a vote received is kept for the rerun.
        if (reasons.length === 0) {
          if (votes[0] || votes[1]) await recordFailure(pair, c.id, l10n.t('stopped before both orders were answered'), ra.hash, votes, true);
          return;
        }
        await recordFailure(pair, c.id, reasons.join('; '), ra.hash, votes, false);
      } else {
        const line: JudgementLine = {
          pair,
          id: c.id,
          a: { index: ra.index, model: ra.model, hash: ra.hash },
          b: { index: rb.index, model: rb.model, hash: rb.hash },
          verdict: combineVerdicts(o.verdict, s.verdict),
          votes: [o.verdict, unswap(s.verdict)],
          judge: { endpoint: judge.endpoint, model: judge.model, key: judgeKey },
          aspects,
          ts: new Date().toISOString(),
        };
        await out.append(line);
        progress.done++;
      }
      emit();
    };

    const inFlight = new Set<Promise<void>>();
    const maxInFlight = options.maxInFlight ?? Math.max(2, pool.config(judge.endpoint).maxConcurrency);
    let ioError: unknown;
    // A read error of the candidates file ends the loop; the pairs in flight finish and both logs
    // are closed before the error leaves the job.
    try {
      outer: for await (const item of jsonlRecordStream(options.candidatesPath)) {
        const c = item.ok ? asCandidate(item.value) : undefined;
        if (!c) continue;
        for (const [i, j] of pairIndexes(c.responses.length, mode, maxPairs)) {
          if (stopped() || ioError) break outer;
          const pair = pairIdOf(c.promptHash, c.responses[i].hash, c.responses[j].hash);
          if (judged.has(pair)) continue;
          judged.add(pair);
          const tracked: Promise<void> = judgePair(c, i, j, pair)
            .catch((e: unknown) => {
              ioError ??= e;
            })
            .finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
          while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        }
      }
    } catch (e) {
      ioError ??= e;
    }
    await Promise.all(inFlight);
    const closed = await Promise.allSettled([out.close(), failuresLog?.then((l) => l.close()), rate.close()]);
    for (const c of closed) if (c.status === 'rejected') ioError ??= c.reason;
    if (ioError) throw ioError;
    await compactJudgeFailures(judgementsPath, failuresPath);
    emit();
    return { cancelled: stopped(), progress: { ...progress }, warnings, judgementsPath, failuresPath };
  }
}
