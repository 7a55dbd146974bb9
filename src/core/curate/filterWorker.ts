/**
 * Entry point of the filter's worker thread (bundled as dist/filterWorker.js): a filter with a
 * regular expression, off the extension host's thread and under a time bound (filterFileOffThread).
 * Its own entry, apart from the range workers of curateWorker.ts, because it reads and writes
 * Parquet: hyparquet and hyparquet-writer are ES modules, which the range workers must not load
 * (they run with resourceLimits; jobQueue.ts says why the two do not mix).
 */
import { runFilterJob, type FilterJob } from './filter';
import { serveWorkerJob } from './workerMain';

serveWorkerJob<FilterJob>(async (job, progress) => {
  if (job.job !== 'filterFile') throw new Error(`unknown filter job ${String((job as { job?: unknown }).job)}`);
  return { result: await runFilterJob(job, progress) };
});
