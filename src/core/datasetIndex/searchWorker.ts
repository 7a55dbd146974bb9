/**
 * Entry point of the Dataset View's regular-expression search threads (bundled as
 * dist/searchWorker.js; see workerScript in curate/workerPool.ts). Its own small bundle, apart from the
 * curation worker's formats and tokenizer, so that each search starts in milliseconds.
 */
import { regexSearch, type RegexSearchJob } from './regexSearch';
import { serveWorkerJob } from '../curate/workerMain';

serveWorkerJob<RegexSearchJob>(async (job, progress) => {
  const result = await regexSearch(job, progress);
  return { result, transfer: [result.matches.buffer as ArrayBuffer] };
});
