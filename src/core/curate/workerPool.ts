/**
 * Runs one curation job per byte range of a file in worker threads (curateWorker.ts) and collects
 * their results in range order. Cancellation terminates every worker; a worker that fails or exits
 * without a result fails the whole run with its error (never a hang); progress is the sum of the
 * bytes every worker has read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AbortedError } from '../base/cancellation';
import type { CurateRunOptions } from './datasetScan';
import { RegexTimeLimitError, watchRegexClocks } from './regexTimeLimit';
import * as l10n from '@vscode/l10n';

/** Inputs smaller than this are scanned by one thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
const MAX_WORKERS = 4;

/** Messages a worker posts ('ready' first, once its script is loaded). */
export type WorkerMessage<R> = { type: 'ready' } | { type: 'progress'; bytes: number } | { type: 'done'; result: R } | { type: 'error'; message: string; stack?: string };

/** A worker thread, and how to stop it safely. */
export interface StartedWorker {
  worker: Worker;
  /** Terminates the worker once it has loaded its script; resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * What this process does each time a worker thread has set up its V8 heap (as it comes online, and
 * again when it says 'ready'): the CLI sets its V8 flags again there (gcTuning.ts). V8 keeps its
 * flags per process, and the set-up of every new isolate's heap raises --semi-space-growth-factor
 * to at least 2 (Heap::ConfigureHeap), which undid the CLI's 1 for this thread as soon as a worker
 * started.
 */
let afterWorkerHeapSetUp: (() => void) | undefined;

export function onWorkerHeapSetUp(fn: (() => void) | undefined): void {
  afterWorkerHeapSetUp = fn;
}

/** Workers started and not yet exited. */
const running = new Set<Promise<void>>();

/**
 * Resolves once every worker started so far has exited. A run resolves as soon as it has its
 * results; a worker it no longer needs may still be loading its script, and exits after.
 */
export async function workersExited(): Promise<void> {
  await Promise.all([...running]);
}

/**
 * Starts a worker (workerMain.ts's protocol) that is terminated only after it said 'ready': a run
 * may end before a late worker has loaded its script, and a thread terminated inside require() of
 * an ES module leaves it half-instantiated, a state Node 20's require(esm) does not handle (a
 * FIXME in its module_job.js; the tests run workers from out/, where hyparquet-writer is such a
 * require, and the process abort it ends in was seen while chasing another cause).
 */
export function startWorker(script: string, workerData: unknown, resourceLimits?: ResourceLimits): StartedWorker {
  const worker = new Worker(script, resourceLimits ? { workerData, resourceLimits } : { workerData });
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  running.add(exited);
  void exited.then(() => running.delete(exited));
  worker.once('online', () => afterWorkerHeapSetUp?.());
  worker.on('message', (m: { type?: string }) => {
    if (m?.type !== 'ready') return;
    ready = true;
    afterWorkerHeapSetUp?.();
    if (stopping) void worker.terminate();
  });
  return {
    worker,
    stop: () => {
      stopping = true;
      if (ready) void worker.terminate();
      return exited;
    },
  };
}

/**
 * The worker entry points: curation's ranges (formats, tokenizer), the filter (with the Parquet
 * reader and writer), validation (formats only) and the light regex search.
 */
export type WorkerName = 'curateWorker' | 'filterWorker' | 'validateWorker' | 'searchWorker';

/** The core folder of each entry point's source (the search thread belongs to the Dataset View's index). */
const WORKER_FOLDERS: Readonly<Record<WorkerName, string>> = { curateWorker: 'curate', filterWorker: 'curate', validateWorker: 'curate', searchWorker: 'datasetIndex' };

/**
 * A worker script: dist/<name>.js next to the extension and CLI bundles, or
 * out/src/core/<folder>/<name>.js for tests and benchmarks. Undefined when it is missing.
 * PAIRWISE_WORKER_DIR names another folder of bundles first: the benchmarks, which run from out/,
 * point it at dist/ to measure the workers the CLI and the extension start.
 */
export function workerScript(name: WorkerName = 'curateWorker'): string | undefined {
  const dirs = [__dirname, path.join(__dirname, '..', WORKER_FOLDERS[name])];
  if (process.env.PAIRWISE_WORKER_DIR) dirs.unshift(process.env.PAIRWISE_WORKER_DIR);
  for (const dir of dirs) {
    const p = path.join(dir, `${name}.js`);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/**
 * PAIRWISE_WORKERS=N: the threads every curation command and validation uses, whatever the file's
 * size (this one and N - 1 workers, or N workers when the ranges stay off this thread).
 */
function workersFromEnvironment(): number | undefined {
  const n = Number(process.env.PAIRWISE_WORKERS);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * How many threads scan a file of `size` bytes (this one among them unless the caller keeps ranges
 * off it, CurateRunOptions.rangesOnThisThread): `requested` when given (≥ 1), else
 * PAIRWISE_WORKERS, else 1 below `minBytes` (PARALLEL_MIN_BYTES unless the command measured its
 * own) and min(available parallelism, 4) above; 1 when the worker script is missing.
 */
export function workerCount(size: number, requested?: number, worker: WorkerName = 'curateWorker', minBytes = PARALLEL_MIN_BYTES): number {
  if (!workerScript(worker)) return 1;
  const asked = requested ?? workersFromEnvironment();
  if (asked !== undefined) return Math.max(1, Math.floor(asked));
  if (size < minBytes) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), MAX_WORKERS));
}

/** Validation splits a file only from this size up (see validationWorkerCount). */
export const PARALLEL_VALIDATE_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Threads for validating a file, the calling thread included (it takes ranges like the workers):
 * as workerCount when asked (`requested`, PAIRWISE_WORKERS), else one below
 * PARALLEL_VALIDATE_MIN_BYTES, where a worker's start-up and warm-up are a large part of the time,
 * and one per core (up to 4) above. On 2 cores two threads took 0.91-1.00x the time of one at 200
 * MB, with 1.44-1.54x the CPU time and 42-80 MB more memory (interleaved, 2026-12-07; BENCHMARKS.md,
 * validate); since threads take ranges in turn, a worker starved by the rest of the machine only
 * does fewer of them.
 */
export function validationWorkerCount(size: number, requested?: number): number {
  return workerCount(size, requested, 'validateWorker', PARALLEL_VALIDATE_MIN_BYTES);
}

/** Exact dedupe splits a file only from this size up where this thread takes ranges too (see dedupeWorkerCount). */
export const PARALLEL_DEDUPE_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Threads for exact dedupe: as workerCount, except that where this thread takes ranges too (the
 * `pairwise` process; `rangesOnThisThread`, true unless false) a file below
 * PARALLEL_DEDUPE_MIN_BYTES stays on one thread. A worker needs some 150 ms on 2 cores to start
 * and to warm up, while this thread, already warm, does the ranges: two threads took 1.65x as long
 * as one on 10 MB, 1.2x on 30 MB, 1.04x on 50 MB, and 0.97x on 64 MB (BENCHMARKS.md, curate). The
 * extension host keeps every range on workers whatever the size (its own thread must stay free).
 */
export function dedupeWorkerCount(size: number, requested?: number, rangesOnThisThread = true): number {
  return workerCount(size, requested, 'curateWorker', rangesOnThisThread ? PARALLEL_DEDUPE_MIN_BYTES : PARALLEL_MIN_BYTES);
}

export interface WorkerRunOptions extends CurateRunOptions {
  totalBytes: number;
  worker?: WorkerName;
  /**
   * The regex clocks the jobs carry (regexTimeLimit.ts): when one test of a user's regular
   * expression runs longer than `limitMs`, every worker is terminated and the run fails with
   * RegexTimeLimitError.
   */
  regexTimeLimit?: { clocks: readonly SharedArrayBuffer[]; limitMs: number };
  /** The workers' young generation in MB (JobQueueOptions.youngGenerationMb), V8's default otherwise. */
  youngGenerationMb?: number;
}

/**
 * The young generation of workers that stream a byte range. Almost everything a record allocates
 * (its line, its parsed value) is dead by the next record, so a small one costs no time, and V8's
 * default grows to 32 MB in each thread: 4 MB took 10-25 MB off the peak of two validation threads
 * on 200 MB files at the same speed, and 15-45 MB off statistics' (BENCHMARKS.md). Only for
 * workers that load no ES module (jobQueue.ts says why).
 */
export const WORKER_YOUNG_GENERATION_MB = 4;

/** Runs one worker per job (its `workerData`), resolving with their results in job order. */
export function runWorkers<R>(jobs: readonly unknown[], opts: WorkerRunOptions): Promise<R[]> {
  const script = workerScript(opts.worker);
  if (!script) return Promise.reject(new Error(l10n.t('The curation worker script is missing beside {0}.', __dirname)));
  if (opts.signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise<R[]>((resolve, reject) => {
    const results: (R | undefined)[] = jobs.map(() => undefined);
    const read = jobs.map(() => 0);
    let pending = jobs.length;
    let settled = false;
    const workers: StartedWorker[] = [];
    let stopWatching = (): void => undefined;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      stopWatching();
      opts.signal?.removeEventListener('abort', onAbort);
      const gone = Promise.allSettled(workers.map((w) => w.stop()));
      if (!err) {
        resolve(results as R[]);
        return;
      }
      // On a failure or a cancel, settle once the workers are gone: a worker still running could
      // create an output's temporary file after the caller has cleaned them up.
      void gone.then(() => reject(err));
    };
    const onAbort = () => finish(new AbortedError());
    opts.signal?.addEventListener('abort', onAbort);
    const bound = opts.regexTimeLimit;
    if (bound) stopWatching = watchRegexClocks(bound.clocks, bound.limitMs, () => finish(new RegexTimeLimitError(bound.limitMs)));
    jobs.forEach((job, i) => {
      const started = startWorker(script, job, opts.youngGenerationMb ? { maxYoungGenerationSizeMb: opts.youngGenerationMb } : undefined);
      workers.push(started);
      const w = started.worker;
      w.on('message', (m: WorkerMessage<R>) => {
        if (settled || m.type === 'ready') return;
        if (m.type === 'progress') {
          read[i] = m.bytes;
          if (opts.onProgress) opts.onProgress(read.reduce((a, b) => a + b, 0), opts.totalBytes);
        } else if (m.type === 'done') {
          results[i] = m.result;
          if (--pending === 0) finish();
        } else {
          const e = new Error(m.message);
          if (m.stack) e.stack = m.stack;
          finish(e);
        }
      });
      w.on('error', (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (results[i] === undefined) finish(new Error(l10n.t('A curation worker stopped (exit code {0}) before finishing its part of the file.', code)));
      });
    });
  });
}
