/**
 * What every generation job does around its own work, in one place: redaction of everything that
 * leaves the job (log lines, warnings, failure reasons, errors), the job's files (append logs opened
 * eagerly or on first use, the persisted rate window) and closing them all, the request/token/cost
 * meter and progress reports, and the two ways to stop (`signal` cancels at once, `stopSignal`
 * lets requests in flight finish and be saved). Bounded concurrency is `Limiter` (limiter.ts).
 */
import type { PriceTable } from './cost';
import type { EndpointPool } from './endpointPool';
import { GroupCommitLog } from './groupCommitLog';
import { JobMeter, type JobProgress } from './jobMeter';
import { AbortedError } from '../base/cancellation';
import { RateStateFile } from './rateStateFile';

/** The options every job takes for logging, progress, prices and stopping. */
export interface JobRunOptions<P extends JobProgress> {
  pool: EndpointPool;
  prices?: PriceTable;
  /** Cancels at once: requests in flight are abandoned (and asked again on resume). */
  signal?: AbortSignal;
  /**
   * Stops gently: no new request starts; those in flight finish and are saved (Ctrl-C in the CLI;
   * `signal` is the second Ctrl-C). The result says `cancelled` either way.
   */
  stopSignal?: AbortSignal;
  onProgress?: (p: P) => void;
  /** Redacted diagnostic lines. */
  log?: (line: string) => void;
}

interface Closable {
  close(): Promise<void>;
}

/** A JSONL log opened on first append; concurrent first appends share one open. */
export class LazyLog implements Closable {
  private opened: Promise<GroupCommitLog> | undefined;

  constructor(readonly path: string) {}

  async append(record: unknown): Promise<void> {
    this.opened ??= GroupCommitLog.open(this.path);
    await (await this.opened).append(record);
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

/**
 * Throws what `fn` throws, cancellations as AbortedError (an error raised while the job's signal
 * is aborted is a consequence of the cancel) and everything else as a redacted Error: no error
 * leaving a job can carry an API key.
 */
export async function withRedactedErrors<T>(pool: Pick<EndpointPool, 'redactor'>, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AbortedError) throw e;
    if (signal?.aborted) throw new AbortedError();
    throw new Error(pool.redactor.describe(e));
  }
}

/** One run of a job: its progress, warnings, files and stop signals. */
export class JobRun<P extends JobProgress> {
  readonly warnings: string[] = [];
  private meter: JobMeter;
  private readonly files: Closable[] = [];

  /**
   * @param progress the job's progress object, updated in place by the job
   * @param beforeReport brings job-specific figures up to date before each report
   */
  constructor(
    private readonly options: JobRunOptions<P>,
    readonly progress: P,
    private readonly beforeReport?: (p: P) => void,
  ) {
    this.meter = new JobMeter(options.pool, options.prices);
  }

  /**
   * Starts the job's clock and request counts now: called once its inputs are read, so that
   * elapsed time and requests per second measure the requests, not a long scan before them.
   */
  startClock(): void {
    this.meter = new JobMeter(this.options.pool, this.options.prices);
  }

  get pool(): EndpointPool {
    return this.options.pool;
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  get stopSignal(): AbortSignal | undefined {
    return this.options.stopSignal;
  }

  /** Either signal has fired: start nothing new. */
  stopped(): boolean {
    return (this.options.signal?.aborted ?? false) || (this.options.stopSignal?.aborted ?? false);
  }

  redact(s: string): string {
    return this.options.pool.redactor.redact(s);
  }

  log(line: string): void {
    this.options.log?.(this.redact(line));
  }

  /** A note for the result (redacted), also logged unless `log` is false. */
  warn(s: string, log = true): void {
    const r = this.redact(s);
    this.warnings.push(r);
    if (log) this.log(r);
  }

  /** Sends the progress, with the meter's figures brought up to date, to the listener. */
  report(): void {
    this.beforeReport?.(this.progress);
    const p = this.meter.update(this.progress);
    this.options.onProgress?.(p);
  }

  /** Tokens of an answered request. */
  addUsage(model: string, usage: { prompt_tokens: number; completion_tokens: number } | undefined): void {
    if (usage) this.meter.add(model, usage.prompt_tokens, usage.completion_tokens);
  }

  /** An append log opened now and closed by `closeFiles`. */
  async openLog(path: string): Promise<GroupCommitLog> {
    return this.keep(await GroupCommitLog.open(path));
  }

  /** An append log opened on its first line (failure reports, the journal) and closed by `closeFiles`. */
  lazyLog(path: string): LazyLog {
    return this.keep(new LazyLog(path));
  }

  /** The endpoints' persisted rate window (rateStateFile.ts), saved by `closeFiles`. */
  async openRateState(path: string): Promise<RateStateFile> {
    return this.keep(await RateStateFile.open(this.options.pool, path));
  }

  /** Any other resource to close with the job's files. */
  keep<T extends Closable>(file: T): T {
    this.files.push(file);
    return file;
  }

  /** Closes every file (all of them, even when one fails); returns the first error, if any. */
  async closeFiles(): Promise<{ error: unknown } | undefined> {
    const closed = await Promise.allSettled(this.files.map((f) => f.close()));
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    return failed ? { error: failed.reason } : undefined;
  }
}
