/**
 * Regular-expression search of the Dataset View, run in a worker thread. JavaScript regular
 * expressions backtrack: a pattern such as `(\w+\s?)+$` can take minutes on one long record, and on
 * the extension host that would freeze every extension. In a worker the host stays responsive, a
 * new query or a cancellation terminates the search at once, and so does a test of one record
 * running past the time bound (regexTimeLimit.ts).
 *
 * The worker searches either texts the host sends (an index over document text) or a file it scans
 * itself (the large-file index), each record's text being searchText of its value.
 */
import { AbortedError } from '../base/cancellation';
import { scanFile } from '../jsonl/readRecords';
import { newRegexClock, REGEX_TIME_LIMIT_MS, TimedRegex } from '../curate/regexTimeLimit';
import { runWorkers } from '../curate/workerPool';
import type { QueryOptions } from './datasetIndex';
import { searchText } from './recordFacts';

export interface RegexSearchJob {
  job: 'regexSearch';
  source: string;
  flags: string;
  /** The texts to search, or the file whose records to search. */
  texts?: string[];
  path?: string;
  /** The shared clock each test ticks (regexTimeLimit.ts). */
  clock?: SharedArrayBuffer;
}

export interface RegexSearchResult {
  /** Matching positions in `texts`, or matching record indexes of the file. */
  matches: Uint32Array;
}

/** The search itself (worker side). */
export async function regexSearch(job: RegexSearchJob, progress?: (done: number) => void, signal?: AbortSignal): Promise<RegexSearchResult> {
  const re = new TimedRegex(new RegExp(job.source, job.flags), job.clock);
  const matches: number[] = [];
  if (job.texts) {
    let chars = 0;
    for (let i = 0; i < job.texts.length; i++) {
      if (signal?.aborted) throw new AbortedError();
      if (re.test(job.texts[i])) matches.push(i);
      chars += job.texts[i].length;
      progress?.(chars);
    }
  } else if (job.path) {
    await scanFile(
      job.path,
      {
        record: (rec) => {
          if (re.test(rec.value ? searchText(rec.value) : rec.text)) matches.push(rec.index);
        },
        problem: () => undefined,
      },
      { signal, onProgress: (bytes) => progress?.(bytes) },
    );
  }
  return { matches: Uint32Array.from(matches) };
}

/**
 * Runs the search in a worker, never in this thread (nothing could stop a runaway pattern there);
 * past the time bound it fails with RegexTimeLimitError. `total`: the characters of the texts or the bytes of the file, for progress.
 */
export async function searchInWorker(job: Omit<RegexSearchJob, 'job' | 'clock'>, total: number, opts: QueryOptions): Promise<number[]> {
  const clock = newRegexClock();
  const full: RegexSearchJob = { job: 'regexSearch', ...job, clock };
  const [result] = await runWorkers<RegexSearchResult>([full], {
    signal: opts.signal,
    onProgress: opts.onProgress,
    totalBytes: total,
    worker: 'searchWorker',
    regexTimeLimit: { clocks: [clock], limitMs: opts.regexTimeLimitMs ?? REGEX_TIME_LIMIT_MS },
  });
  return [...result.matches];
}
