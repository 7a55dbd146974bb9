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
import * as l10n from '@vscode/l10n';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import type { Message } from '../model';
import { pairIdOf } from '../labeling/hashing';
import type { GroupCommitLog } from './groupCommitLog';
import { startingProgress, type JobProgress } from './jobMeter';
import { JobRun, withRedactedErrors, type JobRunOptions, type LazyLog } from './jobRunner';
import { jsonlRecordStream, readJsonlRecords } from './jsonlRecords';
import { Limiter } from './limiter';
import { AbortedError } from '../base/cancellation';
import { DEFAULT_ASPECTS, buildJudgeMessages, combineVerdicts, parseVerdict, unswap, isVerdict, type CombinedVerdict, type JudgeRubric, type Verdict } from './judge';
import type { OrderScores } from './rubricJudge';
import { asCandidate, compactJudgeFailures, judgeKeyOf, pairIndexes, readKeptVotes, type CandidateView, type JudgeFailureLine, type JudgeTarget, type KeptVotes } from './judgePairs';

export { pairIndexes, type JudgeFailureLine, type JudgeTarget } from './judgePairs';

export interface JudgeJobOptions extends JobRunOptions<JobProgress> {
  candidatesPath: string;
  judge: JudgeTarget;
  rubric?: JudgeRubric;
  /** How a call is asked and read (default: one verdict per call, judge.ts); rubricJudgeJob.ts scores a rubric. */
  method?: JudgeMethod<unknown>;
  /** Which pairs of a prompt's responses to judge: every pair (default) or only the first two responses. */
  pairs?: 'all' | 'first-two';
  /** At most this many pairs per prompt (in order (0,1), (0,2), …, (1,2), …). */
  maxPairsPerPrompt?: number;
  outputPath?: string;
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
  /** Rubric judge only (rubricJudgeJob.ts): the rubric judged on, and each order's scores in a/b positions. */
  rubric?: { name: string; hash: string };
  scores?: [OrderScores, OrderScores];
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


/**
 * What one judge call asks and how its reply reads: what differs between the plain judge (a
 * verdict per call) and the rubric judge (scores per criterion per call). A vote `V` is in the
 * positions shown; `unswap` turns a vote given with b shown first into a/b positions (and back).
 */
export interface JudgeMethod<V> {
  /** What a rerun must match, besides endpoint and model, to skip a judged pair. */
  aspects: string[];
  guidance?: string;
  messages(prompt: Message[], first: string, second: string): Message[];
  /** The vote of a reply, or why there is none (a failed call, retried by the next run); `quoted`: the reply redacted and cut, to name in the reason. */
  parse(reply: string, quoted: string): { vote: V } | { reason: string };
  unswap(v: V): V;
  /** A vote kept in a failures line by an earlier run. */
  isVote(x: unknown): x is V;
  /** The judgement line's verdict and votes (and any fields of the method) from both votes in a/b positions. */
  line(votes: [V, V]): { verdict: CombinedVerdict; votes: [Verdict, Verdict] } & Record<string, unknown>;
}

/** The judge of judge.ts: a [[A]]/[[B]]/[[C]] verdict per call on the aspects. */
export function verdictMethod(rubric: JudgeRubric = {}): JudgeMethod<Verdict> {
  return {
    aspects: rubric.aspects && rubric.aspects.length ? rubric.aspects : DEFAULT_ASPECTS,
    guidance: rubric.guidance,
    messages: (prompt, first, second) => buildJudgeMessages(prompt, first, second, rubric),
    parse: (reply, quoted) => {
      const verdict = parseVerdict(reply);
      return verdict ? { vote: verdict } : { reason: l10n.t('no verdict in the judge\'s reply: {0}', quoted) };
    },
    unswap,
    isVote: isVerdict,
    line: (votes) => ({ verdict: combineVerdicts(votes[0], unswap(votes[1])), votes }),
  };
}

/** One judge call's result in the positions shown: a vote, or why there is none. */
interface Answer {
  vote?: unknown;
  reason?: string;
}

class JudgeJob {
  private readonly run: JobRun<JobProgress>;
  private readonly judgementsPath: string;
  private readonly failuresPath: string;
  private readonly ratePath: string;
  private readonly method: JudgeMethod<unknown>;
  private readonly judgeKey: string;
  private readonly mode: 'all' | 'first-two';
  private readonly maxPairs: number;
  /** Pairs judged by this judge (in the file, or started in this run). */
  private readonly judged = new Set<string>();
  private kept = new Map<string, KeptVotes<unknown>>();
  private limiter!: Limiter;
  private out!: GroupCommitLog;
  private failuresLog!: LazyLog;

  constructor(private readonly options: JudgeJobOptions) {
    this.run = new JobRun(options, startingProgress());
    this.judgementsPath = options.outputPath ?? judgementsPathFor(options.candidatesPath);
    const base = this.judgementsPath.replace(/\.jsonl$/i, '');
    this.failuresPath = base + '.failures.jsonl';
    this.ratePath = base + '.rate.json';
    refuseUnsafeOutputs([options.candidatesPath], [this.judgementsPath, this.failuresPath, this.ratePath]);
    this.method = options.method ?? (verdictMethod(options.rubric) as JudgeMethod<unknown>);
    this.judgeKey = judgeKeyOf(options.judge, this.method.aspects, this.method.guidance);
    this.mode = options.pairs ?? 'all';
    this.maxPairs = options.maxPairsPerPrompt ?? Infinity;
  }

  async execute(): Promise<JudgeJobResult> {
    await this.prepare();
    this.run.report();
    await this.feedPairs();
    return this.finish();
  }

  /** The pairs of a candidates line to judge, with their pair ids. */
  private pairsOf(c: CandidateView): { i: number; j: number; pair: string }[] {
    return pairIndexes(c.responses.length, this.mode, this.maxPairs).map(([i, j]) => ({ i, j, pair: pairIdOf(c.promptHash, c.responses[i].hash, c.responses[j].hash) }));
  }

  /** Reads what earlier runs judged and kept, counts the pairs still to judge, opens the files. */
  private async prepare(): Promise<void> {
    const { pool, judge } = this.options;
    if (!pool.endpointNames().includes(judge.endpoint)) throw new Error(l10n.t('judge uses unknown endpoint "{0}"', judge.endpoint));
    const jr = await readJsonlRecords(this.judgementsPath, (v) => {
      const key = (v.judge as { key?: unknown } | undefined)?.key;
      if (typeof v.pair === 'string' && key === this.judgeKey) this.judged.add(v.pair);
    });
    if (jr.badLines.length) this.run.warn(l10n.t('{0}: {1} damaged line(s) ignored', this.judgementsPath, jr.badLines.length), false);
    this.kept = await readKeptVotes(this.failuresPath, this.judgeKey, this.method.isVote);
    this.run.progress.total = await this.countPairs();
    this.out = await this.run.openLog(this.judgementsPath);
    await this.run.openRateState(this.ratePath);
    this.failuresLog = this.run.lazyLog(this.failuresPath);
    this.limiter = new Limiter(this.options.maxInFlight ?? Math.max(2, pool.config(judge.endpoint).maxConcurrency));
  }

  /** First pass: the pairs still to judge, so progress has a total. */
  private async countPairs(): Promise<number> {
    let total = 0;
    const bad: number[] = [];
    for await (const item of jsonlRecordStream(this.options.candidatesPath)) {
      const c = item.ok ? asCandidate(item.value) : undefined;
      if (!c) {
        bad.push(item.line);
        continue;
      }
      for (const { pair } of this.pairsOf(c)) if (!this.judged.has(pair)) total++;
    }
    if (bad.length) this.run.warn(l10n.t('{0}: {1} line(s) are not candidates records (line {2}) and were not judged', this.options.candidatesPath, bad.length, bad.slice(0, 5).join(', ')), false);
    return total;
  }

  /**
   * Judges each pair not judged yet, at most `maxInFlight` at once. A read error of the candidates
   * file ends the loop; the pairs in flight finish and both logs are closed before it leaves the job.
   */
  private async feedPairs(): Promise<void> {
    try {
      outer: for await (const item of jsonlRecordStream(this.options.candidatesPath)) {
        const c = item.ok ? asCandidate(item.value) : undefined;
        if (!c) continue;
        for (const { i, j, pair } of this.pairsOf(c)) {
          if (this.run.stopped() || this.limiter.failed) break outer;
          if (this.judged.has(pair)) continue;
          this.judged.add(pair);
          await this.limiter.queue(this.judgePair(c, i, j, pair));
        }
      }
    } catch (e) {
      this.limiter.fail(e);
    }
  }

  /** Both orders of a pair (reusing a vote an earlier run received), then a judgement or a failure line. */
  private async judgePair(c: CandidateView, i: number, j: number, pair: string): Promise<void> {
    const ra = c.responses[i];
    const rb = c.responses[j];
    // A vote an earlier run received is kept: only the order that failed is asked again.
    const earlier = this.kept.get(pair);
    const reuse = earlier && earlier.a === ra.hash ? earlier.votes : [null, null];
    const { unswap: swap } = this.method;
    const settled = await Promise.allSettled<Answer>([
      reuse[0] !== null ? Promise.resolve({ vote: reuse[0] }) : this.ask(c.prompt, ra.content, rb.content),
      // The swapped order's vote is kept in a/b positions; ask() answers in the positions shown.
      reuse[1] !== null ? Promise.resolve({ vote: swap(reuse[1]) }) : this.ask(c.prompt, rb.content, ra.content),
    ]);
    for (const r of settled) if (r.status === 'rejected' && !(r.reason instanceof AbortedError)) throw r.reason;
    const [o, s] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    const votes: [unknown, unknown] = [o?.vote ?? null, s?.vote !== undefined ? swap(s.vote) : null];
    if (o?.vote !== undefined && s?.vote !== undefined) {
      await this.writeJudgement(c, i, j, pair, [o.vote, s.vote]);
    } else {
      const reasons = [o?.reason, s?.reason].filter((x): x is string => !!x);
      // Cancelled before an order was answered: nothing failed, but a vote received is kept for the rerun.
      if (reasons.length === 0) {
        if (votes[0] !== null || votes[1] !== null) await this.recordFailure(pair, c.id, l10n.t('stopped before both orders were answered'), ra.hash, votes, true);
        return;
      }
      await this.recordFailure(pair, c.id, reasons.join('; '), ra.hash, votes, false);
    }
    this.run.report();
  }

  /** One judge call; the verdict in the positions shown, or a failure reason. */
  private async ask(prompt: Message[], first: string, second: string): Promise<Answer> {
    const { judge, pool } = this.options;
    const outcome = await pool.chat(
      judge.endpoint,
      { model: judge.model, messages: this.method.messages(prompt, first, second), temperature: judge.temperature ?? 0, max_tokens: judge.max_tokens ?? 512 },
      this.run.signal,
      this.run.stopSignal,
    );
    if (!outcome.ok) return { reason: outcome.reason };
    this.run.addUsage(judge.model, outcome.usage);
    const reply = outcome.choices[0].content;
    // Redacted before it is cut: a key cut in half no longer matches the redactor.
    const parsed = this.method.parse(reply, JSON.stringify(this.run.redact(reply).slice(0, 200)));
    return 'vote' in parsed ? { vote: parsed.vote } : { reason: parsed.reason };
  }

  /** `shown`: the votes in the positions shown (a first, then b first). */
  private async writeJudgement(c: CandidateView, i: number, j: number, pair: string, shown: [unknown, unknown]): Promise<void> {
    const { judge } = this.options;
    const ra = c.responses[i];
    const rb = c.responses[j];
    const line: JudgementLine = {
      pair,
      id: c.id,
      a: { index: ra.index, model: ra.model, hash: ra.hash },
      b: { index: rb.index, model: rb.model, hash: rb.hash },
      ...this.method.line([shown[0], this.method.unswap(shown[1])]),
      judge: { endpoint: judge.endpoint, model: judge.model, key: this.judgeKey },
      aspects: this.method.aspects,
      ts: new Date().toISOString(),
    };
    await this.out.append(line);
    this.run.progress.done++;
  }

  private async recordFailure(pair: string, id: string, reason: string, a: string, votes: [unknown, unknown], stoppedEarly: boolean): Promise<void> {
    const line: JudgeFailureLine<unknown> = {
      pair,
      id,
      judgeKey: this.judgeKey,
      reason: this.run.redact(reason),
      ...(votes[0] !== null || votes[1] !== null ? { votes, a } : {}),
      ...(stoppedEarly ? { stopped: true } : {}),
      ts: new Date().toISOString(),
    };
    await this.failuresLog.append(line);
    if (stoppedEarly) return;
    this.run.progress.failures++;
    this.run.log(`judge ${pair}: ${line.reason}`);
  }

  private async finish(): Promise<JudgeJobResult> {
    const { run, limiter } = this;
    await limiter.whenIdle();
    const closing = await run.closeFiles();
    if (closing) limiter.fail(closing.error);
    if (limiter.failed) throw limiter.error;
    await compactJudgeFailures(this.judgementsPath, this.failuresPath);
    run.report();
    return { cancelled: run.stopped(), progress: { ...run.progress }, warnings: run.warnings, judgementsPath: this.judgementsPath, failuresPath: this.failuresPath };
  }
}

export async function runJudgeJob(options: JudgeJobOptions): Promise<JudgeJobResult> {
  // Built outside the redaction wrapper: an output over the input is refused with its own error class.
  const job = new JudgeJob(options);
  return withRedactedErrors(options.pool, options.signal, () => job.execute());
}
