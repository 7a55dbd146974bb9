/**
 * Many range jobs over a few threads: worker threads (and, when given, this thread too) each take
 * the next job as soon as they finish one, so a thread that starts late or runs slower on a shared
 * core simply does fewer jobs (with one range per thread, the last to finish sets the time). They
 * take it from a counter in shared memory, not by asking this thread, which may be busy with a job
 * of its own (a worker that waited for it to hand out the next one idled for most of a job). Results
 * are handed to `onResult` in job order while later jobs still run, so the caller can merge or
 * write as it goes. A failure anywhere, or a cancel, stops every thread and rejects once they are
 * gone (never a hang, never a worker still writing after the caller cleaned up).
 */
import { AbortedError } from '../base/cancellation';
import { startWorker, workerScript, WORKER_YOUNG_GENERATION_MB, type StartedWorker, type WorkerName } from './workerPool';
import type { ByteRange } from './fileRanges';
import * as l10n from '@vscode/l10n';

/** What a queue worker posts (workerMain.ts, serveWorkerJob). */
export type QueueWorkerMessage<R> =
  | { type: 'ready' }
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; result: R }
  | { type: 'error'; message: string; stack?: string };

/** The workerData that starts a worker in queue mode: every job, and the counter of jobs taken. */
export interface QueueWorkerData<J> {
  queueWorker: true;
  jobs: readonly J[];
  /** One Int32: the next job to take (Atomics.add). */
  next: SharedArrayBuffer;
}

/** Takes the next job's index from the shared counter; -1 when none is left. */
export function takeJob(next: Int32Array, count: number): number {
  const i = Atomics.add(next, 0, 1);
  return i < count ? i : -1;
}

export interface JobQueueOptions<J, R> {
  worker: WorkerName;
  /** Worker threads to start (at most one per job this thread does not take). */
  workers: number;
  /** Bytes each job covers, for progress. */
  jobBytes: (job: J) => number;
  totalBytes: number;
  onProgress?: (bytes: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * The workers' young generation, in MB (Worker resourceLimits), when the jobs are better with a
   * small one; V8's default otherwise. Only for workers that load no ES module: with limits set,
   * Node 20 aborted now and then while several workers loaded one at once (the curation workers,
   * when they still held the filter and its Parquet writer; a unit test now checks what each
   * worker's module graph loads).
   */
  youngGenerationMb?: number;
  /** Runs jobs on this thread too, between which worker messages are handled (it must await). */
  local?: (job: J, progress: (bytes: number) => void, isStopped: () => boolean) => Promise<R>;
  /**
   * Each result in job order, while later jobs run; the next waits until this one settles. The
   * queue keeps no result after it: what the caller needs of it, it keeps.
   */
  onResult: (index: number, result: R) => void | Promise<void>;
}

/** Runs every job; resolves once each result went through onResult. */
export function runJobQueue<J, R>(jobs: readonly J[], opts: JobQueueOptions<J, R>): Promise<void> {
  const script = workerScript(opts.worker);
  if (!script && !opts.local) return Promise.reject(new Error(l10n.t('The curation worker script is missing beside {0}.', __dirname)));
  if (opts.signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise<void>((resolve, reject) => {
    const results: (R | undefined)[] = jobs.map(() => undefined);
    const progress = new Map<number, number>();
    const workers: StartedWorker[] = [];
    const shared = new SharedArrayBuffer(4);
    const next = new Int32Array(shared);
    let delivered = 0;
    let doneBytes = 0;
    let settled = false;
    let delivering: Promise<void> = Promise.resolve();
    let localLoop: Promise<void> = Promise.resolve();

    const report = () => {
      if (!opts.onProgress) return;
      let inFlight = 0;
      for (const b of progress.values()) inFlight += b;
      opts.onProgress(doneBytes + inFlight, opts.totalBytes);
    };

    // Resolved once the run is over: ends this thread's wait for a consumer (mergeWhatIsDone) that
    // may never settle, so a cancel or failure rejects without it.
    let stopped: () => void = () => undefined;
    const over = new Promise<void>((resolve) => (stopped = resolve));
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      stopped();
      // No thread takes another job.
      Atomics.store(next, 0, jobs.length);
      opts.signal?.removeEventListener('abort', onAbort);
      const gone = Promise.allSettled([...workers.map((w) => w.stop()), localLoop]);
      if (err) void gone.then(() => reject(err));
      else resolve();
    };
    const onAbort = () => finish(new AbortedError());
    opts.signal?.addEventListener('abort', onAbort);

    const completed = (i: number, r: R) => {
      if (settled) return;
      results[i] = r;
      progress.delete(i);
      doneBytes += opts.jobBytes(jobs[i]);
      report();
      delivering = delivering.then(async () => {
        while (!settled && delivered < jobs.length && results[delivered] !== undefined) {
          const r = results[delivered] as R;
          results[delivered] = undefined;
          await opts.onResult(delivered++, r);
        }
        if (delivered === jobs.length) finish();
      });
      delivering.catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
    };

    const threads = Math.max(0, Math.min(opts.workers, jobs.length - (opts.local ? 1 : 0)));
    const workerData: QueueWorkerData<J> = { queueWorker: true, jobs, next: shared };
    for (let k = 0; k < (script ? threads : 0); k++) {
      const started = startWorker(script as string, workerData, opts.youngGenerationMb ? { maxYoungGenerationSizeMb: opts.youngGenerationMb } : undefined);
      workers.push(started);
      const w = started.worker;
      w.on('message', (m: QueueWorkerMessage<R>) => {
        if (settled || m.type === 'ready') return;
        if (m.type === 'progress') {
          progress.set(m.id, m.bytes);
          report();
        } else if (m.type === 'done') completed(m.id, m.result);
        else {
          const e = new Error(m.message);
          if (m.stack) e.stack = m.stack;
          finish(e);
        }
      });
      w.on('error', (e) => finish(e instanceof Error ? e : new Error(String(e))));
      // Workers stay until this thread terminates them: leaving earlier is a failure.
      w.on('exit', (code) => finish(new Error(l10n.t('A curation worker stopped (exit code {0}) before finishing its part of the file.', code))));
    }
    /**
     * Lets the workers' results in, and hands on every result that can go (this one's and the
     * workers', in order) before this thread takes another job: the workers keep taking jobs
     * meanwhile, and no merging piles up for the end. (Taking the next job at once left exact dedupe
     * of 200 MB on two threads merging for 150 ms after the worker had finished: 1,543 against 1,439
     * ms, medians of 10.)
     */
    const mergeWhatIsDone = async () => {
      let seen: Promise<void> | undefined;
      while (!settled && seen !== delivering) {
        seen = delivering;
        await Promise.race([delivering.catch(() => undefined), over]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const local = opts.local;
    if (local) {
      localLoop = (async () => {
        for (let i = takeJob(next, jobs.length); i >= 0; i = takeJob(next, jobs.length)) {
          const r = await local(
            jobs[i],
            (bytes) => {
              progress.set(i, bytes);
              report();
            },
            () => settled,
          );
          completed(i, r);
          await mergeWhatIsDone();
        }
      })().catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
    }
    if (jobs.length === 0) finish();
  });
}

/** What a file's byte-range jobs need besides the jobs: the queue's options that differ per command. */
export type RangeJobOptions<J, R> = Pick<JobQueueOptions<J, R>, 'worker' | 'totalBytes' | 'onResult'> & {
  /** Threads that scan ranges: this one, which runs `local`, and `threads - 1` workers. */
  threads: number;
  local: NonNullable<JobQueueOptions<J, R>['local']>;
  /** The command's own options: progress, cancel, and whether ranges may run on this thread. */
  run: RangeRunOptions;
};

/** The options of a command that its byte-range jobs follow (CurateRunOptions and ValidateOptions have them). */
export interface RangeRunOptions {
  onProgress?: (bytes: number, total: number) => void;
  signal?: AbortSignal;
  /** False: `threads` workers scan every range and this thread only merges (CurateRunOptions.rangesOnThisThread). */
  rangesOnThisThread?: boolean;
}

/**
 * The byte ranges of one file on this thread and `threads - 1` workers with a small young
 * generation (WORKER_YOUNG_GENERATION_MB), progress counted in bytes: how parallel validation,
 * statistics and dedupe run their ranges.
 */
export function runRangeJobs<J extends { range: ByteRange }, R>(jobs: readonly J[], opts: RangeJobOptions<J, R>): Promise<void> {
  const { threads, local, run, ...rest } = opts;
  const onThisThread = run.rangesOnThisThread ?? true;
  return runJobQueue<J, R>(jobs, {
    ...rest,
    onProgress: run.onProgress,
    signal: run.signal,
    workers: onThisThread ? threads - 1 : threads,
    local: onThisThread ? local : undefined,
    youngGenerationMb: WORKER_YOUNG_GENERATION_MB,
    jobBytes: (j) => j.range.end - j.range.start,
  });
}
