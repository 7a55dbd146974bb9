/**
 * Entry point of the curation range workers (bundled as dist/curateWorker.js; out/ runs it as
 * transpiled): statistics or exact dedupe on one byte range (workerMain.ts speaks the protocol of
 * workerPool.ts). Validation has its own, smaller worker (validateWorker.ts), and the filter its
 * own (filterWorker.ts), which reads and writes Parquet: this one loads no ES module, so it can run
 * with a small young generation (WORKER_YOUNG_GENERATION_MB).
 */
import { dedupeRange, dedupeRangeTransfers, type DedupeRangeJob } from './dedupeRange';
import { statsRange, statsRangeTransfers, type StatsRangeJob } from './statsRange';
import { serveWorkerJob } from './workerMain';

type Job = DedupeRangeJob | StatsRangeJob;

serveWorkerJob<Job>(async (job, progress) => {
  if (job.job === 'dedupeRange') {
    const result = await dedupeRange(job, progress);
    return { result, transfer: dedupeRangeTransfers(result), total: job.range.end - job.range.start };
  }
  if (job.job === 'statsRange') {
    const result = await statsRange(job, progress);
    return { result, transfer: statsRangeTransfers(result), total: job.range.end - job.range.start };
  }
  throw new Error(`unknown curation job ${String((job as { job?: unknown }).job)}`);
});
