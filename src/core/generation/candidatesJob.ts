/**
 * Generates candidate responses: for every prompt, `responsesPerTarget` responses from each target
 * (endpoint + model + sampling parameters). Resumable, cancellable, throttled through the pool.
 *
 * On-disk layout (all plain JSONL beside the output, every line appended + fdatasync'd):
 *   <out>                    the candidates file: ONE line per prompt id, `{"id","prompt","responses"}`,
 *                            appended when every response of that prompt has arrived. Readers (the
 *                            labeling panel, the formats engine, trainers' converters) see complete
 *                            records only and never have to merge lines by id.
 *   <out>.progress.jsonl     the journal: one line per finished request unit (prompt × target ×
 *                            request index) of a prompt still waiting for other units, written the
 *                            moment it arrives, so a crash or a cancel loses nothing already
 *                            received; resume rebuilds unfinished prompts from it. The unit that
 *                            completes a prompt goes straight into its candidates line. Deleted when
 *                            a run leaves no unfinished prompt behind.
 * Appends are group-committed (groupCommitLog.ts): a result counts as done only once it is fsync'd.
 *   <out>.failures.jsonl     one line per unit that failed for good (candidatesFailures.ts).
 *   <out>.rate.json          the endpoints' rate windows (rateStateFile.ts), so a rerun keeps to
 *                            `requestsPerMinute` across runs; only for endpoints with limits.
 *   <out>.job.json           the targets this output was made with; resuming with other targets is
 *                            refused (the resume keys would no longer describe what is in the file).
 * Responses of a prompt are ordered by target, then by sample, whatever order they arrived in.
 * Units, keys and the spec are in candidatesPlan.ts; the shared job machinery in jobRunner.ts.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { ChatOutcome } from './endpointPool';
import type { GroupCommitLog } from './groupCommitLog';
import { startingProgress, type JobProgress } from './jobMeter';
import { JobRun, withRedactedErrors, type LazyLog } from './jobRunner';
import { Limiter } from './limiter';
import { CandidatesJobStore } from './candidatesJobStore';
import { AbortedError } from '../base/cancellation';
import { compactFailures, readOpenFailures, type FailureLine } from './candidatesFailures';
import { readJournal, responsesOf, type Answer, type Journal, type JournalLine } from './candidatesJournal';
import { MAX_CANDIDATES_LINE_CHARS, type CandidatesJobOptions, type CandidatesJobResult } from './candidatesOptions';
import { asAsync, candidatesJobPaths, checkSpec, checkTargets, isPromptRecord, readDoneIds, turnFieldsOf, unitRequest, unitsFor } from './candidatesPlan';
import type { CandidateResponseLine, CandidateTarget, CandidatesJobPaths, CandidatesLine, JobSpec, PromptRecord, Unit } from './candidatesPlan';

export * from './candidatesPlan';
export type { CandidatesJobOptions, CandidatesJobResult, UnitChat } from './candidatesOptions';
export { readOpenFailures, type FailureLine } from './candidatesFailures';

/** A prompt being requested: the units received so far and how many are still out. */
interface PromptInFlight {
  prompt: PromptRecord;
  have: Map<string, CandidateResponseLine[]>;
  todo: Unit[];
  pending: number;
  failed: boolean;
}

class CandidatesJob {
  private readonly run: JobRun<JobProgress>;
  private readonly paths: CandidatesJobPaths;
  private readonly responsesPerTarget: number;
  private readonly limiter: Limiter;
  private units: Unit[] = [];
  private doneIds = new Set<string>();
  /** Units already received for prompts not yet written to the candidates file. */
  private journal: Journal = new Map();
  private readonly seen = new Set<string>();
  /** The prompts when they came as an array: the total is known up front. */
  private readonly known: PromptRecord[] | undefined;
  private total = 0;
  private candidatesLog!: GroupCommitLog;
  private journalLog!: LazyLog;
  private failuresLog!: LazyLog;

  constructor(private readonly options: CandidatesJobOptions) {
    this.run = new JobRun(options, startingProgress());
    this.paths = candidatesJobPaths(options.outputPath);
    this.responsesPerTarget = options.responsesPerTarget ?? 1;
    this.limiter = new Limiter(options.maxInFlight ?? Math.max(4, options.pool.totalConcurrency() * 2));
    this.known = Array.isArray(options.prompts) ? (options.prompts as PromptRecord[]) : undefined;
  }

  async execute(): Promise<CandidatesJobResult> {
    await this.prepare();
    this.countKnownTotal();
    this.run.report();
    await this.feedPrompts();
    return this.finish();
  }

  /** Checks the targets and spec, reads what earlier runs did, opens the files. */
  private async prepare(): Promise<void> {
    const { pool, targets } = this.options;
    checkTargets(pool, targets, this.responsesPerTarget);
    const spec: JobSpec = { version: 1, responsesPerTarget: this.responsesPerTarget, targets };
    await checkSpec(this.paths.spec, spec);
    this.units = unitsFor(targets, this.responsesPerTarget);
    this.doneIds = await readDoneIds(this.paths.candidates, this.run.warnings);
    await this.readJournal();
    this.candidatesLog = await this.run.openLog(this.paths.candidates);
    await this.run.openRateState(this.paths.rate);
    this.journalLog = this.run.lazyLog(this.paths.journal);
    this.failuresLog = this.run.lazyLog(this.paths.failures);
  }

  private async readJournal(): Promise<void> {
    const jr = await readJournal(this.paths.journal, this.doneIds);
    this.journal = jr.journal;
    if (jr.badLines.length) this.run.warn(l10n.t('{0}: {1} damaged line(s) ignored (line {2}); their units will be requested again', this.paths.journal, jr.badLines.length, jr.badLines.slice(0, 5).join(', ')));
  }

  private countKnownTotal(): void {
    if (!this.known) return;
    const ids = new Set<string>();
    let total = 0;
    for (const p of this.known) {
      if (!p || typeof p.id !== 'string' || ids.has(p.id) || this.doneIds.has(p.id)) continue;
      ids.add(p.id);
      const have = this.journal.get(p.id);
      total += this.units.filter((u) => !have?.has(u.key)).length;
    }
    this.total = total;
    this.run.progress.total = total;
  }

  private halted(): boolean {
    return this.run.stopped() || this.limiter.failed;
  }

  /**
   * Requests the units of each prompt, at most `maxInFlight` at once. A read error of the prompts
   * or a failed write ends the loop; the units in flight finish and every log is closed (finish)
   * before the error leaves the job.
   */
  private async feedPrompts(): Promise<void> {
    try {
      for await (const p of asAsync(this.options.prompts)) {
        if (this.halted()) break;
        const state = await this.admit(p);
        for (const u of state?.todo ?? []) {
          if (this.halted()) break;
          await this.limiter.queue(this.runUnit(state!, u));
        }
      }
    } catch (e) {
      this.limiter.fail(e);
    }
  }

  /** A prompt with units to request; undefined for a skipped prompt or one the journal completes (written here). */
  private async admit(p: PromptRecord): Promise<PromptInFlight | undefined> {
    if (!isPromptRecord(p)) {
      const id = (p as { id?: unknown } | undefined)?.id;
      this.run.warn(l10n.t('skipped an input record without a string id and a non-empty message list{0}', typeof id === 'string' ? l10n.t(' (id {0})', id) : ''));
      return undefined;
    }
    if (this.seen.has(p.id)) {
      this.run.warn(l10n.t('skipped a second prompt with id {0}: ids must be unique', p.id));
      return undefined;
    }
    this.seen.add(p.id);
    if (this.doneIds.has(p.id)) {
      this.run.progress.promptsSkipped++;
      return undefined;
    }
    const have = this.journal.get(p.id) ?? new Map<string, CandidateResponseLine[]>();
    this.journal.set(p.id, have);
    const todo = this.units.filter((u) => !have.has(u.key));
    this.total += this.known ? 0 : todo.length;
    if (todo.length === 0) {
      await this.writeComplete(p, have);
      this.run.report();
      return undefined;
    }
    return { prompt: p, have, todo, pending: todo.length, failed: false };
  }

  private async runUnit(s: PromptInFlight, u: Unit): Promise<void> {
    const outcome = await this.ask(s.prompt, u);
    if (!outcome) return; // cancelled: asked again on resume
    if (outcome.ok) {
      if (await this.received(s, u, outcome)) return;
    } else {
      await this.recordFailure(s, u, outcome);
    }
    s.pending--;
    if (s.pending === 0) {
      if (!s.failed) await this.writeComplete(s.prompt, s.have);
      else this.journal.delete(s.prompt.id); // stays in the journal file and the failures file for retryFailures
    }
    this.run.report();
  }

  /** The unit's outcome; undefined when the request was cancelled. */
  private async ask(p: PromptRecord, u: Unit): Promise<ChatOutcome | undefined> {
    const { chat, pool } = this.options;
    try {
      const request = unitRequest(p.prompt, u);
      return chat ? await chat(u.target.endpoint, request, { id: p.id, key: u.key }, this.run.signal) : await pool.chat(u.target.endpoint, request, this.run.signal, this.run.stopSignal);
    } catch (e) {
      if (e instanceof AbortedError) return undefined;
      throw e;
    }
  }

  /** Keeps an answered unit (journal line, or the prompt's candidates line when it is the last); true when it completed the prompt. */
  private async received(s: PromptInFlight, u: Unit, outcome: Answer): Promise<boolean> {
    this.run.addUsage(u.target.model, outcome.usage);
    const responses = responsesOf(u, outcome);
    s.have.set(u.key, responses);
    if (s.pending === 1 && !s.failed) {
      // The prompt's last unit: its complete candidates line is the durable record, no journal line needed.
      s.pending = 0;
      this.run.progress.done++;
      await this.writeComplete(s.prompt, s.have, u.key);
      this.run.report();
      return true;
    }
    const line: JournalLine = { id: s.prompt.id, unit: u.key, responses, ts: new Date().toISOString() };
    await this.journalLog.append(line);
    this.run.progress.done++;
    return false;
  }

  private async recordFailure(s: PromptInFlight, u: Unit, outcome: Exclude<ChatOutcome, Answer>): Promise<void> {
    const line: FailureLine = {
      id: s.prompt.id,
      unit: u.key,
      endpoint: u.target.endpoint,
      model: u.target.model,
      kind: outcome.kind,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      reason: this.run.redact(outcome.reason),
      attempts: outcome.attempts,
      ts: new Date().toISOString(),
      prompt: s.prompt.prompt,
      ...turnFieldsOf(s.prompt),
    };
    await this.failuresLog.append(line);
    s.failed = true;
    this.run.progress.failures++;
    this.run.log(`prompt ${s.prompt.id} ${u.target.endpoint}/${u.target.model}#${u.requestIndex}: ${line.reason}`);
  }

  /** Appends a prompt's candidates line, its responses ordered by target then sample. */
  private async writeComplete(p: PromptRecord, have: Map<string, CandidateResponseLine[]>, unjournaled?: string): Promise<void> {
    const responses: CandidateResponseLine[] = [];
    for (const u of this.units) responses.push(...(have.get(u.key) ?? []));
    const max = this.options.maxLineChars ?? MAX_CANDIDATES_LINE_CHARS;
    if (charsIn([p.prompt, responses], max) > max) {
      // Too large to write or to read back. The prompt fails as a whole (a unit key no answer has,
      // so the failure stays open), every answer kept in the journal so none is paid for again,
      // and the job goes on.
      if (unjournaled !== undefined) await this.journalLog.append({ id: p.id, unit: unjournaled, responses: have.get(unjournaled) ?? [], ts: new Date().toISOString() } satisfies JournalLine);
      const reason = l10n.t('the answers to this prompt come to more than {0} characters together, more than one candidates line holds; ask for fewer or shorter answers (max_tokens)', max);
      const first = this.units[0].target;
      await this.failuresLog.append({ id: p.id, unit: WHOLE_LINE_UNIT, endpoint: first.endpoint, model: first.model, kind: 'malformed', reason, attempts: 0, ts: new Date().toISOString(), prompt: p.prompt, ...turnFieldsOf(p) } satisfies FailureLine);
      this.run.progress.failures++;
      this.run.warn(l10n.t('prompt {0}: {1}', p.id, reason));
      this.journal.delete(p.id);
      return;
    }
    const line: CandidatesLine = { id: p.id, prompt: p.prompt, responses, ...turnFieldsOf(p) };
    await this.candidatesLog.append(line);
    this.journal.delete(p.id);
    this.run.progress.promptsWritten++;
  }

  /** Waits for the units in flight, closes every file, tidies the failures and journal files. */
  private async finish(): Promise<CandidatesJobResult> {
    const { run, limiter } = this;
    if (!this.known && !run.stopped() && !limiter.failed) run.progress.total = this.total;
    await limiter.whenIdle();
    const closing = await run.closeFiles();
    if (closing) limiter.fail(closing.error);
    if (limiter.failed) throw limiter.error;
    await compactFailures(this.paths);
    const cancelled = run.stopped();
    // Drop the journal once nothing in it is still needed: no unfinished prompt of this or an earlier run.
    if (!cancelled && run.progress.failures === 0 && this.journal.size === 0) {
      await fsp.rm(this.paths.journal, { force: true });
    }
    run.report();
    return { cancelled, progress: { ...run.progress }, warnings: run.warnings, paths: this.paths };
  }
}

export async function runCandidatesJob(options: CandidatesJobOptions): Promise<CandidatesJobResult> {
  return withRedactedErrors(options.pool, options.signal, () => new CandidatesJob(options).execute());
}

export interface RetryFailuresOptions extends Omit<CandidatesJobOptions, 'prompts' | 'targets' | 'responsesPerTarget'> {
  /** Targets as stored in <out>.job.json are used unless given. */
  targets?: CandidateTarget[];
}

/**
 * Re-runs only the prompts that have a recorded failure and are not yet in the candidates file.
 * Units of those prompts that did succeed (in the journal) are not requested again.
 */
export async function retryFailures(options: RetryFailuresOptions): Promise<CandidatesJobResult> {
  const paths = candidatesJobPaths(options.outputPath);
  const spec = await new CandidatesJobStore(options.outputPath).readSpec();
  if (!spec) throw new Error(l10n.t('no readable {0}: was {1} made by a candidates job?', paths.spec, options.outputPath));
  const open = await readOpenFailures(options.outputPath);
  const result = await runCandidatesJob({ ...options, prompts: open.prompts, targets: options.targets ?? spec.targets, responsesPerTarget: spec.responsesPerTarget });
  return { ...result, warnings: [...open.warnings, ...result.warnings] };
}

/** The unit of a failure that is the prompt's whole candidates line (too large): no answer has this key. */
const WHOLE_LINE_UNIT = 'candidates-line';

/** Characters in the strings of `value` (keys included), counted until they pass `limit`. */
function charsIn(value: unknown, limit: number): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (n > limit) return;
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        n += k.length;
        walk(x);
      }
    }
  };
  walk(value);
  return n;
}
