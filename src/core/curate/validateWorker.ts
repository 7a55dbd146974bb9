/**
 * Entry point of the validation worker threads (bundled as dist/validateWorker.js): byte ranges of
 * a file, taken in turn, through the validation pipeline (validateRange.ts, jobQueue.ts). Its own bundle, without the
 * tokenizers and Parquet writer of curateWorker.js (about a seventh of its size), because a
 * validation worker's start-up is paid on every large file, and on two cores it is a large part of
 * what a second thread gains (BENCHMARKS.md, validate).
 */
import { validateRange, validateRangeTransfers, type ValidateRangeJob } from './validateRange';
import { serveWorkerJob } from './workerMain';

serveWorkerJob<ValidateRangeJob>(async (job, progress) => {
  if (job.job !== 'validateRange') throw new Error(`unknown validation job ${String((job as { job?: unknown }).job)}`);
  const result = await validateRange(job, progress);
  return { result, transfer: validateRangeTransfers(result), total: job.range.end - job.range.start };
});
