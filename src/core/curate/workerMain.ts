/**
 * The worker side of workerPool.ts's protocol, shared by the worker entry points: runs the job in
 * `workerData`, posts progress (at most once per 4 MB), then the result (its buffers transferred,
 * not copied) or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';

export type WorkerRun<J> = (job: J, progress: (bytes: number) => void) => Promise<{ result: unknown; transfer?: ArrayBuffer[]; total?: number }>;

export function serveWorkerJob<J>(run: WorkerRun<J>): void {
  const port = parentPort;
  if (!port) return;
  const job = workerData as J;
  let last = 0;
  const progress = (bytes: number) => {
    if (bytes - last >= 4 * 1024 * 1024) {
      last = bytes;
      port.postMessage({ type: 'progress', bytes });
    }
  };
  run(job, progress).then(
    ({ result, transfer, total }) => {
      if (total !== undefined) port.postMessage({ type: 'progress', bytes: total });
      port.postMessage({ type: 'done', result }, transfer ?? []);
    },
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ type: 'error', message: err.message, stack: err.stack });
    },
  );
}
