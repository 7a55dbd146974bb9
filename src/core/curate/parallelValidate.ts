/**
 * `validateFile` on several threads for a large JSON Lines file: this thread detects the format as
 * the pipeline does (the same sample), then validates the first byte range with it while workers
 * validate one range each (validateRange.ts), and this thread applies the file-level rules in file order over the keys the
 * workers kept, then puts every problem where the single-thread pass lists it. The result is the
 * same as validateFile's: problems, their order and positions, counts (a differential test holds
 * it to that).
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { modeForFileName } from '../jsonl/sourceRecord';
import { getFormat } from '../formats/registry';
import { AbortedError } from '../base/cancellation';
import { fileByteFetcher, fileLimitProblem, findingProblem, FILE_LEVEL_RULES, unknownFormatProblem, type ByteFetcher } from '../validate/fileLevelRules';
import type { StreamingIndex } from '../validate/fileLevelRules/fileLevelRule';
import { validateFile, type ValidateOptions, type ValidationResult } from '../validate/pipeline';
import type { RecordText } from '../validate/positions';
import type { Problem, Severity } from '../base/problem';
import { lineAlignedRanges } from './fileRanges';
import { detectAsValidation } from './parallelStats';
import { validateRange, type ValidateRangeJob, type ValidateRangeResult } from './validateRange';
import { runWorkers, validationWorkerCount } from './workerPool';

export interface ParallelValidateOptions extends ValidateOptions {
  /** Threads to use, this one included; by default validationWorkerCount (workerPool.ts). */
  workers?: number;
}

/** Where a part of the file starts: what its lines, UTF-16 offsets and record indexes count from. */
interface PartBase {
  line: number;
  units: number;
  index: number;
}

/** A file-level finding, placed in its range's problem list. */
interface Finding {
  /** Listed and counted problems of the range before it, and its stage (0 object, 1 valid) for ties. */
  listedAt: number;
  seenAt: number;
  stage: number;
  problem: Problem;
}

const NO_BYTES = new Uint8Array(0);

function shifted(p: Problem, b: PartBase): Problem {
  if (b.line === 0 && b.units === 0 && b.index === 0) return p;
  const q: Problem = { ...p, line: p.line + b.line, endLine: p.endLine + b.line };
  if (p.offset !== undefined) q.offset = p.offset + b.units;
  if (p.endOffset !== undefined) q.endOffset = p.endOffset + b.units;
  if (p.record !== undefined) q.record = p.record + b.index;
  return q;
}

function keyOf(keys: unknown[] | Float64Array, j: number): unknown {
  if (keys instanceof Float64Array) return Number.isNaN(keys[j]) ? undefined : keys[j];
  return keys[j];
}

/** Validates a file like validateFile, on worker threads when it is a large JSON Lines file. */
export async function validateFileInParallel(path: string, opts: ParallelValidateOptions = {}): Promise<ValidationResult> {
  const mode = opts.mode ?? modeForFileName(path);
  const size = statSync(path).size;
  // What only one pass over the file in order can do: hand every record on, its own file-level
  // handler, a detection sample of another size.
  const workers = mode === 'jsonl' && !opts.fileLevel && !opts.onRecord && !opts.detection && opts.sampleSize === undefined ? validationWorkerCount(size, opts.workers) : 1;
  if (workers <= 1) return validateFile(path, opts);
  const ranges = await lineAlignedRanges(path, workers, firstShare(size, workers));
  if (ranges.length <= 1) return validateFile(path, opts);
  const detection = await detectAsValidation(path, size, { format: opts.format, signal: opts.signal });
  const maxProblems = opts.maxProblems ?? 20000;
  const jobs: ValidateRangeJob[] = ranges.map((range) => ({ job: 'validateRange', path, range, detection, formatOptions: opts.formatOptions, maxProblems }));
  const all = await validateRanges(jobs, size, opts);
  // A whole-file scan stops at a binary start: so do we.
  const parts = all[0].binary ? all.slice(0, 1) : all;
  const bases: PartBase[] = [];
  let base: PartBase = { line: 0, units: 0, index: 0 };
  for (const p of parts) {
    bases.push(base);
    base = { line: base.line + p.lines, units: base.units + p.units, index: base.index + p.slots };
  }

  const fd = openSync(path, 'r');
  try {
    const fetch = fileByteFetcher(fd);
    const findings = fileLevelFindings(parts, bases, fetch);
    if (opts.signal?.aborted) throw new AbortedError();
    return assemble(parts, bases, findings, fetch, detection, opts, maxProblems);
  } finally {
    closeSync(fd);
  }
}

/**
 * Bytes this thread validates beyond an equal share, while each worker loads its bundle (~100-200 ms
 * on these machines at ~190 MB/s): without them the workers finish last and this thread waits.
 */
const HEAD_START_BYTES = 24 * 1024 * 1024;

/** The first range's share of the file: an equal one, plus the head start, at most three quarters. */
function firstShare(size: number, threads: number): number {
  return Math.min(0.75, 1 / threads + HEAD_START_BYTES / size);
}

/**
 * The first range on this thread, the others on workers at the same time; results in range order.
 * When either side fails or the caller cancels, the other stops too.
 */
async function validateRanges(jobs: readonly ValidateRangeJob[], size: number, opts: ParallelValidateOptions): Promise<ValidateRangeResult[]> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort);
  let own = 0;
  let theirs = 0;
  const report = () => opts.onProgress?.(own + theirs, size);
  try {
    const others = runWorkers<ValidateRangeResult>(jobs.slice(1), {
      worker: 'validateWorker',
      signal: stop.signal,
      totalBytes: size,
      onProgress: (bytes) => {
        theirs = bytes;
        report();
      },
    });
    others.catch(() => stop.abort());
    let first: ValidateRangeResult;
    try {
      first = await validateRange(jobs[0], (bytes) => {
        own = bytes;
        report();
      }, () => stop.signal.aborted);
    } catch (e) {
      const stoppedByOthers = stop.signal.aborted;
      stop.abort();
      // When a worker's failure (or a cancel) stopped this range, that is the error to report.
      if (stoppedByOthers) await others;
      else await others.catch(() => undefined);
      throw e;
    }
    return [first, ...(await others)];
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The text and place of keyed record `j` of part `i`, read back from the file. */
function recordAt(p: ValidateRangeResult, b: PartBase, j: number, fetch: ByteFetcher): RecordText & { index: number } {
  const text = Buffer.from(fetch(p.keyByteOffset[j], p.keyByteLength[j])).toString('utf8');
  return { text, line: p.keyLine[j] + b.line, column: p.keyColumn[j], offset: p.keyOffset[j] + b.units, index: p.keyIndex[j] + b.index };
}

/** The file-level rules over every keyed record in file order: per part, its findings. */
function fileLevelFindings(parts: readonly ValidateRangeResult[], bases: readonly PartBase[], fetch: ByteFetcher): Finding[][] {
  const indexes: StreamingIndex<unknown>[] = FILE_LEVEL_RULES.map((r) => r.streamingIndex(fetch));
  return parts.map((p, i) => {
    const b = bases[i];
    const out: Finding[] = [];
    for (let j = 0; j < p.keyIndex.length; j++) {
      for (let r = 0; r < FILE_LEVEL_RULES.length; r++) {
        const key = keyOf(p.keys[r], j);
        if (key === undefined) continue;
        const rule = FILE_LEVEL_RULES[r];
        const rec = { line: p.keyLine[j] + b.line, index: p.keyIndex[j] + b.index, byteOffset: p.keyByteOffset[j], byteLength: p.keyByteLength[j] };
        const index = indexes[r];
        const earlier = index.addSpan ? index.addSpan(key, rec, p.keyTrimmedOffset[j], p.keyTrimmedLength[j]) : index.add(key, rec, NO_BYTES);
        if (!earlier) continue;
        const valid = rule.stage === 'valid';
        out.push({
          listedAt: valid ? p.validListed[j] : p.objectListed[j],
          seenAt: valid ? p.validSeen[j] : p.objectSeen[j],
          stage: valid ? 1 : 0,
          problem: findingProblem(rule, recordAt(p, b, j, fetch), earlier.line, key),
        });
      }
    }
    return out;
  });
}

/** Every problem in the order the single-thread pass adds them, capped, then sorted as it sorts them. */
function assemble(
  parts: readonly ValidateRangeResult[],
  bases: readonly PartBase[],
  findings: readonly Finding[][],
  fetch: ByteFetcher,
  detection: ValidationResult['detection'],
  opts: ParallelValidateOptions,
  maxProblems: number,
): ValidationResult {
  const listed: Problem[] = [];
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let omitted = 0;
  /** Per rule: count and where it first occurred ([part, problems of the part before it]). */
  const counts = new Map<string, { n: number; at: [number, number] }>();
  const count = (rule: string, n: number, at: [number, number]) => {
    const c = counts.get(rule);
    if (!c) counts.set(rule, { n, at });
    else {
      c.n += n;
      if (at[0] < c.at[0] || (at[0] === c.at[0] && at[1] < c.at[1])) c.at = at;
    }
  };
  const list = (p: Problem) => {
    if (listed.length < maxProblems) listed.push(p);
    else omitted++;
  };
  const addOwn = (p: Problem, at: [number, number]) => {
    count(p.rule, 1, at);
    bySeverity[p.severity]++;
    list(p);
  };

  const format = detection.format ? getFormat(detection.format) : undefined;
  const firstKeyed = parts.findIndex((p) => p.keyIndex.length > 0);
  if (!format && firstKeyed >= 0) addOwn(unknownFormatProblem(recordAt(parts[firstKeyed], bases[firstKeyed], 0, fetch), detection.evidence), [-1, 0]);

  let records = 0;
  parts.forEach((p, i) => {
    records += p.records;
    for (const [rule, n, first] of p.counts) count(rule, n, [i, first]);
    bySeverity.error += p.bySeverity.error;
    bySeverity.warning += p.bySeverity.warning;
    bySeverity.info += p.bySeverity.info;
    const own = p.problems;
    const found = [...findings[i]].sort((a, b) => a.listedAt - b.listedAt || a.stage - b.stage);
    let f = 0;
    for (let k = 0; k <= own.length; k++) {
      for (; f < found.length && found[f].listedAt <= k; f++) addOwn(found[f].problem, [i, found[f].seenAt - 0.5 + 0.25 * found[f].stage]);
      if (k === own.length) break;
      list(shifted(own[k], bases[i]));
    }
    // The part's own problems past its list were counted by the part; they are omitted here too.
    omitted += p.bySeverity.error + p.bySeverity.warning + p.bySeverity.info - own.length;
  });

  if (firstKeyed >= 0) {
    const limit = fileLimitProblem(recordAt(parts[firstKeyed], bases[firstKeyed], 0, fetch), detection.format, records, opts.formatOptions);
    if (limit) addOwn(limit, [parts.length, 0]);
  }
  listed.sort((a, b) => a.line - b.line || a.column - b.column);
  const byRule = [...counts].sort((a, b) => a[1].at[0] - b[1].at[0] || a[1].at[1] - b[1].at[1]);
  return {
    format: detection.format,
    detection,
    records,
    problems: listed,
    problemCounts: Object.fromEntries(byRule.map(([rule, c]) => [rule, c.n])),
    bySeverity,
    omitted,
  };
}
