/**
 * The worker side of workerPool.ts's protocol, shared by the worker entry points: runs the job in
 * `workerData`, posts progress (at most once per 4 MB), then the result (its buffers transferred,
 * not copied) or the error; 'ready' first. Started as a queue worker (QueueWorkerData) it serves
 * jobQueue.ts instead: takes jobs from the shared counter, one at a time, until none is left, and
 * stays until it is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { takeJob, type QueueWorkerData } from './jobQueue';

export type WorkerRun<J> = (job: J, progress: (bytes: number) => void) => Promise<{ result: unknown; transfer?: ArrayBuffer[]; total?: number }>;

/** Progress at most once per 4 MB read. */
function throttled(post: (bytes: number) => void): (bytes: number) => void {
  let last = 0;
  return (bytes) => {
    if (bytes - last >= 4 * 1024 * 1024) {
      last = bytes;
      post(bytes);
    }
  };
}

function errorMessage(e: unknown): { type: 'error'; message: string; stack?: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  return { type: 'error', message: err.message, stack: err.stack };
}

/**
 * Detaches an empty buffer, as the first result's transfer would. V8 compiles typed-array code on
 * the promise that no buffer of the thread was ever detached (its array-buffer-detaching
 * protector); the first transfer broke it and threw away a worker's optimized code at once, nine
 * functions that it then compiled again on its own thread (alpaca-short, 200 MB, two threads: 5%
 * fewer CPU samples, 0.973x the time, 16 rounds). Broken up front, V8 compiles each once.
 */
export function detachOnce(b = new ArrayBuffer(0)): void {
  structuredClone(b, { transfer: [b] });
}

export function serveWorkerJob<J>(run: WorkerRun<J>): void {
  const port = parentPort;
  if (!port) return;
  detachOnce();
  // Loaded: from now on this thread may be terminated (startWorker in workerPool.ts says why not before).
  port.postMessage({ type: 'ready' });
  const queue = workerData as QueueWorkerData<J> | undefined;
  if (queue?.queueWorker) {
    const next = new Int32Array(queue.next);
    void (async () => {
      for (let id = takeJob(next, queue.jobs.length); id >= 0; id = takeJob(next, queue.jobs.length)) {
        const progress = throttled((bytes) => port.postMessage({ type: 'progress', id, bytes }));
        const { result, transfer } = await run(queue.jobs[id], progress);
        port.postMessage({ type: 'done', id, result }, transfer ?? []);
      }
    })().catch((e: unknown) => port.postMessage(errorMessage(e)));
    // Stays until terminated: the queue takes leaving early for a failure.
    setInterval(() => undefined, 1 << 30);
    return;
  }
  const job = workerData as J;
  const progress = throttled((bytes) => port.postMessage({ type: 'progress', bytes }));
  run(job, progress).then(
    ({ result, transfer, total }) => {
      if (total !== undefined) port.postMessage({ type: 'progress', bytes: total });
      port.postMessage({ type: 'done', result }, transfer ?? []);
    },
    (e: unknown) => port.postMessage(errorMessage(e)),
  );
}
