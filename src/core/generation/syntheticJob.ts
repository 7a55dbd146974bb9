/**
 * Generates new records for a dataset, in the dataset's own format: each request shows the model
 * the topic and k seed records and asks for ONE new record as a JSON object (syntheticPrompt.ts).
 * A reply is kept only when
 *   - it parses as one JSON object and the formats engine finds no error in it for the dataset's
 *     format (validateRecordText: fit, schema, rules) and it maps to the canonical model; otherwise
 *     the request is repeated up to `maxAttempts` times, then the record is counted as rejected
 *     with every attempt's reason in the rejected report;
 *   - it is neither an exact duplicate (normalised text hash, as `dedupe`) nor a near duplicate
 *     (MinHash LSH, as `dedupe --near`) of a record already in the dataset or generated earlier
 *     in the job; a duplicate is dropped, counted and listed in the rejected report.
 * Kept records are appended to the dataset and fsynced (datasetAppender.ts; a `.json` array is
 * rewritten atomically). The job never overshoots: it keeps at most `count - accepted` record
 * requests in flight.
 *
 * Its files beside the dataset are described in syntheticFiles.ts.
 * Resume: run the same job again (same dataset, topic, model and parameters); it continues to
 * `count` accepted records. Request seeds continue past every seed an earlier run reserved, even
 * one killed with requests in flight, so a deterministic server is not asked the same question
 * twice (a kill leaves a gap of unused seeds instead).
 * Early stop: after `maxUnproductive` record requests IN A ROW gave no record (an accepted record
 * starts the count again).
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { FormatId, FormatModule } from '../formats/formatModule';
import type { CanonicalRecord } from '../model';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { startingProgress } from './jobMeter';
import { JobRun, withRedactedErrors, type LazyLog } from './jobRunner';
import { openDatasetAppender, type DatasetAppender } from './datasetAppender';
import type { GroupCommitLog } from './groupCommitLog';
import { Limiter } from './limiter';
import { AbortedError } from '../base/cancellation';
import { buildSyntheticMessages } from './syntheticPrompt';
import { openSyntheticDataset, pickSeeds, SyntheticDataset, type CheckedReply } from './syntheticDataset';
import { settingsOf, type Settings, type SyntheticJobOptions, type SyntheticJobResult, type SyntheticProgress } from './syntheticOptions';
import { readEarlierRuns, syntheticJobId, syntheticJobPaths, type RejectedLine, type SyntheticJobPaths, type SyntheticProgressLine } from './syntheticFiles';

export type { SyntheticJobOptions, SyntheticJobResult, SyntheticProgress } from './syntheticOptions';
export { syntheticJobId, syntheticJobPaths, type RejectedLine, type SyntheticJobPaths, type SyntheticProgressLine } from './syntheticFiles';

const REPLY_KEPT = 2000;

function clip(s: string): string {
  return s.length > REPLY_KEPT ? `${s.slice(0, REPLY_KEPT)}…` : s;
}

class SyntheticJob {
  private readonly run: JobRun<SyntheticProgress>;
  private readonly s: Settings;
  private readonly paths: SyntheticJobPaths;
  private formatId!: FormatId;
  private format!: FormatModule;
  private layout!: 'jsonl' | 'json-array';
  private jobId = '';
  private dataset!: SyntheticDataset;
  private seedPool: Record<string, unknown>[] = [];
  private readonly limiter: Limiter;
  private progressLog!: GroupCommitLog;
  private rejectedLog!: LazyLog;
  /**
   * The promise, not the appender: records accepted in the same tick must share one appender
   * (two would leak a file handle, and two rewrites of a .json array would drop records).
   */
  private appender: Promise<DatasetAppender> | undefined;
  /** Record requests in a row (in the order they ended) that gave no record. */
  private unproductive = 0;
  /** The next request index (request r is sent seed + r). */
  private requestCounter = 0;
  /** Request indexes below this are reserved in the progress file. */
  private reserved = 0;
  private reserving: Promise<void> | undefined;
  private readonly reserveBlock: number;

  constructor(private readonly options: SyntheticJobOptions) {
    this.s = settingsOf(options);
    this.paths = syntheticJobPaths(options.datasetPath);
    this.run = new JobRun(options, { ...startingProgress(this.s.count), requested: this.s.count, acceptedBefore: 0, accepted: 0, rejected: 0, duplicatesExact: 0, duplicatesNear: 0 }, (p) => {
      p.done = p.acceptedBefore + p.accepted;
      p.promptsWritten = p.accepted;
    });
    const maxInFlight = Math.max(1, options.pool.config(options.endpoint).maxConcurrency);
    this.limiter = new Limiter(maxInFlight, { ignore: (e) => e instanceof AbortedError, settled: () => this.run.report() });
    this.reserveBlock = Math.max(16, 2 * maxInFlight * this.s.maxAttempts);
  }

  async execute(): Promise<SyntheticJobResult> {
    await this.openDataset();
    await this.readDataset();
    await this.resume();
    await this.openFiles();
    this.run.startClock();
    this.run.report();
    try {
      await this.feedRecords();
    } catch (e) {
      this.limiter.fail(e);
    }
    return this.finish();
  }

  /** The dataset's format and layout; refuses a JSON array too big to rewrite and links under the job's files. */
  private async openDataset(): Promise<void> {
    const { datasetPath, format, maxArrayRewriteBytes, signal } = this.options;
    const opened = await openSyntheticDataset(datasetPath, format, maxArrayRewriteBytes ?? 64 * 1024 * 1024, signal);
    ({ formatId: this.formatId, format: this.format, layout: this.layout } = opened);
    const paths = this.paths;
    // A link planted under one of the job's files is refused before anything is read or requested.
    refuseUnsafeOutputs([], [paths.dataset, paths.progress, paths.rejected, paths.rate]);
    const { temperature, maxTokens, seed, seedCount } = this.s;
    this.jobId = syntheticJobId({ ...this.options, format: this.formatId, temperature, maxTokens, seed, seedCount });
  }

  /** One pass over the dataset: duplicate indexes and the seed records. */
  private async readDataset(): Promise<void> {
    const { datasetPath, seeds, signal, formatOptions } = this.options;
    this.dataset = new SyntheticDataset(this.format, this.formatId, formatOptions, this.s.threshold);
    await this.dataset.scan(datasetPath, { collectSeeds: !seeds, seed: this.s.seed, signal });
    if (this.layout === 'json-array' && this.dataset.fileProblems > 0) {
      throw new Error(l10n.t('{0} is not a well-formed JSON array ({1} problem(s) reading it); fix it first (Pairwise: Validate) — nothing was written', path.basename(datasetPath), this.dataset.fileProblems));
    }
    this.seedPool = seeds ?? this.dataset.reservoir.filter((r) => r !== undefined);
    for (const [i, s] of (seeds ?? []).entries()) {
      if (!s || typeof s !== 'object' || Array.isArray(s) || !this.dataset.isValid(s)) throw new Error(l10n.t('seed record {0} is not a valid {1} record', i + 1, this.formatId));
    }
    if (this.seedPool.length === 0 && this.s.seedCount > 0) this.run.warn(l10n.t('{0} has no valid {1} record to show as a seed; the format\'s example record is shown instead', path.basename(datasetPath), this.formatId));
  }

  /** What earlier runs of this job accepted, and where request seeds continue. */
  private async resume(): Promise<void> {
    const earlier = await readEarlierRuns(this.paths.progress, this.jobId, this.dataset.hashes);
    if (earlier.badLines) this.run.warn(l10n.t('{0}: {1} damaged line(s) ignored', this.paths.progress, earlier.badLines));
    this.run.progress.acceptedBefore = this.options.restart ? 0 : earlier.acceptedBefore;
    this.requestCounter = earlier.nextRequest;
    this.reserved = earlier.nextRequest;
  }

  private async openFiles(): Promise<void> {
    this.progressLog = await this.run.openLog(this.paths.progress);
    if (this.options.restart) await this.note({ kind: 'restart' });
    this.rejectedLog = this.run.lazyLog(this.paths.rejected);
    this.run.keep({ close: async () => (await this.appender?.catch(() => undefined))?.close() });
    await this.run.openRateState(this.paths.rate);
  }

  private note(line: Omit<SyntheticProgressLine, 'job' | 'ts'>): Promise<void> {
    return this.progressLog.append({ job: this.jobId, ...line, ts: new Date().toISOString() });
  }

  private report(line: Omit<RejectedLine, 'job' | 'ts'>): Promise<void> {
    return this.rejectedLog.append({ job: this.jobId, ...line, ts: new Date().toISOString() });
  }

  private seedsFor(r: number): Record<string, unknown>[] {
    return pickSeeds(this.seedPool, this.s.seedCount, this.s.seed * 7919 + r, this.format.example);
  }

  /**
   * The next request index. Request seeds are reserved in blocks: the line naming the block's end
   * is durable before a seed inside it is sent, so a run killed with requests in flight never has
   * its seeds reused.
   */
  private async nextRequestIndex(): Promise<number> {
    const r = this.requestCounter++;
    while (r >= this.reserved) {
      this.reserving ??= (async () => {
        const upTo = Math.max(this.reserved, r + 1) + this.reserveBlock;
        await this.note({ kind: 'reserved', requests: upTo });
        this.reserved = upTo;
      })().finally(() => {
        this.reserving = undefined;
      });
      await this.reserving;
    }
    return r;
  }

  /**
   * Starts record requests while records are missing, at most the endpoint's concurrency at once
   * (never more than the records still missing: the job does not overshoot), until enough are
   * accepted, the run is stopped, or too many requests in a row gave no record.
   */
  private async feedRecords(): Promise<void> {
    const { limiter, run } = this;
    for (;;) {
      if (run.stopped() || limiter.failed) break;
      const missing = this.s.count - run.progress.acceptedBefore - run.progress.accepted - limiter.size;
      const blocked = missing <= 0 || limiter.size >= limiter.max || this.unproductive >= this.s.maxUnproductive;
      if (blocked) {
        if (limiter.size === 0) break;
        await limiter.whenAny();
        continue;
      }
      limiter.start(this.oneRecord());
    }
    await limiter.whenIdle();
  }

  /** One record: up to maxAttempts requests while replies are invalid; then one outcome. */
  private async oneRecord(): Promise<void> {
    const { pool, endpoint, model } = this.options;
    const attempts: { reason: string; reply: string }[] = [];
    let used = 0;
    for (let a = 0; a < this.s.maxAttempts; a++) {
      // Stopped between attempts: the record is left unfinished (nothing recorded, nothing more paid).
      if (this.run.stopped()) throw new AbortedError();
      const r = await this.nextRequestIndex();
      used++;
      const outcome = await pool.chat(
        endpoint,
        { model, messages: buildSyntheticMessages(this.format, this.s.topic, this.seedsFor(r)), temperature: this.s.temperature, max_tokens: this.s.maxTokens, seed: this.s.seed + r },
        this.run.signal,
        this.run.stopSignal,
      );
      if (!outcome.ok) {
        this.run.progress.failures++;
        this.unproductive++;
        this.run.log(l10n.t('record request failed: {0}', outcome.reason));
        await this.note({ kind: 'failed', requests: used });
        return;
      }
      this.run.addUsage(model, outcome.usage);
      const reply = outcome.choices[0]?.content ?? '';
      const checked = this.checkReply(reply);
      if ('reason' in checked) {
        attempts.push({ reason: checked.reason, reply: clip(this.run.redact(reply)) });
        continue;
      }
      await this.keepUnlessDuplicate(checked.value, checked.canonical, used);
      return;
    }
    await this.rejectInvalid(attempts, used);
  }

  /** A reply that parses as one JSON object the format engine finds no error in and that maps to the canonical model. */
  private checkReply(reply: string): CheckedReply {
    const checked = this.dataset.checkReply(reply);
    return 'reason' in checked ? { reason: this.run.redact(checked.reason) } : checked;
  }

  private async keepUnlessDuplicate(value: Record<string, unknown>, canonical: CanonicalRecord, used: number): Promise<void> {
    const p = this.run.progress;
    const d = this.dataset.admit(canonical);
    if (d.kind === 'exact') {
      p.duplicatesExact++;
      this.unproductive++;
      await this.report({ kind: 'duplicate-exact', reason: l10n.t('exact duplicate of a record in the dataset or generated earlier'), record: value, similarity: 1 });
      await this.note({ kind: 'duplicate-exact', requests: used });
      return;
    }
    if (d.kind === 'near') {
      p.duplicatesNear++;
      this.unproductive++;
      await this.report({ kind: 'duplicate-near', reason: l10n.t('near duplicate (estimated similarity {0}) of a record in the dataset or generated earlier', d.similarity.toFixed(2)), record: value, similarity: d.similarity });
      await this.note({ kind: 'duplicate-near', requests: used });
      return;
    }
    // The progress line first: a resumed run counts it only if the record reached the dataset.
    await this.note({ kind: 'accepted', hash: d.hash, requests: used });
    this.appender ??= openDatasetAppender(this.options.datasetPath, this.layout);
    await (await this.appender).append(value);
    p.accepted++;
    this.unproductive = 0;
    this.run.report();
  }

  private async rejectInvalid(attempts: { reason: string; reply: string }[], used: number): Promise<void> {
    this.run.progress.rejected++;
    this.unproductive++;
    const last = attempts[attempts.length - 1]?.reason ?? '';
    this.run.log(l10n.t('record rejected after {0} invalid repl(ies): {1}', attempts.length, last));
    await this.report({ kind: 'invalid', reason: last, attempts });
    await this.note({ kind: 'rejected', requests: used });
  }

  private async finish(): Promise<SyntheticJobResult> {
    const { run, limiter } = this;
    const p = run.progress;
    let stoppedEarly: string | undefined;
    if (!run.stopped() && !limiter.failed && p.acceptedBefore + p.accepted < this.s.count && this.unproductive >= this.s.maxUnproductive) {
      stoppedEarly = l10n.t('stopped after {0} record requests in a row gave no new record (invalid, duplicate or failed); see {1}', this.unproductive, path.basename(this.paths.rejected));
      run.warn(stoppedEarly);
    }
    // Where request seeds continue on resume (requests cut short by a cancel are counted too).
    await this.note({ kind: 'issued', requests: this.requestCounter }).catch(() => undefined);
    const closing = await run.closeFiles();
    if (closing) throw closing.error;
    if (limiter.failed) throw limiter.error;
    run.report();
    return { cancelled: run.stopped(), stoppedEarly, progress: { ...p }, format: this.formatId, layout: this.layout, jobId: this.jobId, paths: this.paths, warnings: run.warnings };
  }
}

export async function runSyntheticJob(options: SyntheticJobOptions): Promise<SyntheticJobResult> {
  // A cancel while the dataset is read (the reader has its own error class) is a cancel too.
  return withRedactedErrors(options.pool, options.signal, () => new SyntheticJob(options).execute());
}
