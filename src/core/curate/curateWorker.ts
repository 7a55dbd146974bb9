/**
 * Entry point of the worker threads (bundled as dist/curateWorker.js; out/ runs it as transpiled):
 * runs the job in `workerData` (curation on one byte range, a Dataset View regex search, or a
 * filter with a regular expression) and posts progress, then the result or the error (see
 * workerPool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dedupeRange, dedupeRangeTransfers, type DedupeRangeJob } from './dedupeRange';
import { statsRange, statsRangeTransfers, type StatsRangeJob } from './statsRange';
import { regexSearch, type RegexSearchJob } from '../datasetIndex/regexSearch';
import { runFilterJob, type FilterJob } from './filter';

type Job = DedupeRangeJob | StatsRangeJob | RegexSearchJob | FilterJob;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const job = workerData as Job;
  let last = 0;
  const progress = (bytes: number) => {
    // At most one message per 4 MB read.
    if (bytes - last >= 4 * 1024 * 1024) {
      last = bytes;
      port.postMessage({ type: 'progress', bytes });
    }
  };
  try {
    if (job.job === 'dedupeRange') {
      const result = await dedupeRange(job, progress);
      port.postMessage({ type: 'progress', bytes: job.range.end - job.range.start });
      port.postMessage({ type: 'done', result }, dedupeRangeTransfers(result));
    } else if (job.job === 'statsRange') {
      const result = await statsRange(job, progress);
      port.postMessage({ type: 'progress', bytes: job.range.end - job.range.start });
      port.postMessage({ type: 'done', result }, statsRangeTransfers(result));
    } else if (job.job === 'regexSearch') {
      const result = await regexSearch(job, progress);
      port.postMessage({ type: 'done', result }, [result.matches.buffer as ArrayBuffer]);
    } else if (job.job === 'filterFile') {
      const result = await runFilterJob(job, progress);
      port.postMessage({ type: 'done', result });
    } else {
      throw new Error(`unknown curation job ${String((job as { job?: unknown }).job)}`);
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ type: 'error', message: err.message, stack: err.stack });
  }
}

void main();
