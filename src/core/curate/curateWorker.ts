/**
 * Entry point of the curation worker threads (bundled as dist/curateWorker.js; out/ runs it as
 * transpiled): statistics or dedupe on one byte range, or a filter with a regular expression
 * (workerMain.ts speaks the protocol of workerPool.ts). Validation has its own, smaller worker
 * (validateWorker.ts).
 */
import { dedupeRange, dedupeRangeTransfers, type DedupeRangeJob } from './dedupeRange';
import { runFilterJob, type FilterJob } from './filter';
import { statsRange, statsRangeTransfers, type StatsRangeJob } from './statsRange';
import { serveWorkerJob } from './workerMain';

type Job = DedupeRangeJob | StatsRangeJob | FilterJob;

serveWorkerJob<Job>(async (job, progress) => {
  if (job.job === 'dedupeRange') {
    const result = await dedupeRange(job, progress);
    return { result, transfer: dedupeRangeTransfers(result), total: job.range.end - job.range.start };
  }
  if (job.job === 'statsRange') {
    const result = await statsRange(job, progress);
    return { result, transfer: statsRangeTransfers(result), total: job.range.end - job.range.start };
  }
  if (job.job === 'filterFile') return { result: await runFilterJob(job, progress) };
  throw new Error(`unknown curation job ${String((job as { job?: unknown }).job)}`);
});
