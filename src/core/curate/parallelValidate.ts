/**
 * `validateFile` on several threads for a large JSON Lines file: this thread detects the format as
 * the pipeline does (the same sample), then the file is cut into ranges of a few MB at line starts
 * that this thread and the workers validate with it, each taking the next when done
 * (validateRange.ts, jobQueue.ts). As ranges complete in order, this thread applies the file-level
 * rules over the keys they kept; at the end it puts every problem where the single-thread pass
 * lists it. The result is the same as validateFile's: problems, their order and positions, counts
 * (a differential test holds it to that).
 */
import { closeSync, statSync } from 'node:fs';
import { modeForFileName } from '../jsonl/sourceRecord';
import { getFormat } from '../formats/registry';
import { AbortedError } from '../base/cancellation';
import { fileByteFetcher, fileLimitProblem, findingProblem, FILE_LEVEL_RULES, reserveRuleIndexes, unknownFormatProblem, type ByteFetcher } from '../validate/fileLevelRules';
import type { EarlierRecord, StreamedRecord, StreamingIndex } from '../validate/fileLevelRules/fileLevelRule';
import { validateFile, type ValidateOptions, type ValidationResult } from '../validate/pipeline';
import type { RecordText } from '../validate/positions';
import type { Problem, Severity } from '../base/problem';
import { shrinkingRanges } from './fileRanges';
import { detectAsValidation } from './parallelStats';
import { placeOf, validateRange, type ValidateRangeJob, type ValidateRangeResult } from './validateRange';
import { validationWorkerCount } from './workerPool';
import { runRangeJobs } from './jobQueue';
import { openInputFileSync } from '../jsonl/openInput';

export interface ParallelValidateOptions extends ValidateOptions {
  /** Threads to use, this one included; by default validationWorkerCount (workerPool.ts). */
  workers?: number;
  /** The smallest range the threads take in turn; MIN_CHUNK_BYTES unless a test asks for many small ones. */
  chunkBytes?: number;
  /** As CurateRunOptions.rangesOnThisThread: false keeps every range on a worker (the extension host). */
  rangesOnThisThread?: boolean;
}

/** Where a part of the file starts: what its lines, UTF-16 offsets and record indexes count from. */
interface PartBase {
  line: number;
  units: number;
  index: number;
}

/** What the result needs of a range once the file-level rules went over it. */
type PartSummary = Pick<ValidateRangeResult, 'records' | 'counts' | 'bySeverity' | 'problems' | 'binary'>;

/** A file-level finding, placed in its range's problem list. */
interface Finding {
  /** Listed and counted problems of the range before it, and its stage (0 object, 1 valid) for ties. */
  listedAt: number;
  seenAt: number;
  stage: number;
  problem: Problem;
}

/** Findings of a rule in a part that cannot be listed: how many, and where the first was seen. */
interface UnlistedFindings {
  rule: number;
  n: number;
  at: number;
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

/** Validates a file like validateFile, on worker threads when it is a large JSON Lines file. */
export async function validateFileInParallel(path: string, opts: ParallelValidateOptions = {}): Promise<ValidationResult> {
  const mode = opts.mode ?? modeForFileName(path);
  const size = statSync(path).size;
  // What only one pass over the file in order can do: hand every record on, its own file-level
  // handler, a detection sample of another size.
  const threads = mode === 'jsonl' && !opts.fileLevel && !opts.onRecord && !opts.detection && opts.sampleSize === undefined ? validationWorkerCount(size, opts.workers) : 1;
  if (threads <= 1) return validateFile(path, opts);
  const ranges = await shrinkingRanges(path, threads, opts.chunkBytes ?? MIN_CHUNK_BYTES, MAX_CHUNK_BYTES);
  if (ranges.length <= 1) return validateFile(path, opts);
  const detection = await detectAsValidation(path, size, { format: opts.format, signal: opts.signal });
  const maxProblems = opts.maxProblems ?? 20000;
  const listedBy = new SharedArrayBuffer(4 * ranges.length);
  const jobs: ValidateRangeJob[] = ranges.map((range, rangeIndex) => ({ job: 'validateRange', path, range, detection, formatOptions: opts.formatOptions, maxProblems, listedBy, rangeIndex }));

  const fd = openInputFileSync(path);
  try {
    const fetch = fileByteFetcher(fd);
    // The file-level rules run here over each range as soon as it and those before it are done,
    // while the threads validate later ranges.
    const rules = new FileLevelFindings(fetch, maxProblems);
    const parts: PartSummary[] = [];
    await runRangeJobs<ValidateRangeJob, ValidateRangeResult>(jobs, {
      worker: 'validateWorker',
      threads,
      totalBytes: size,
      run: opts,
      local: (job, progress, isStopped) => validateRange(job, progress, isStopped),
      onResult: (i, part) => {
        // A whole-file scan stops at a binary start: so do we.
        if (i > 0 && parts[0].binary) return;
        if (i === 0) rules.reserve(Math.ceil((part.keyIndex.length * size) / Math.max(1, ranges[0].end - ranges[0].start)));
        rules.add(part);
        parts.push({ records: part.records, counts: part.counts, bySeverity: part.bySeverity, problems: part.problems, binary: part.binary });
      },
    });
    if (opts.signal?.aborted) throw new AbortedError();
    return assemble(parts, rules, detection, opts, maxProblems);
  } finally {
    closeSync(fd);
  }
}

/**
 * The smallest range the threads take in turn (shrinkingRanges): the thread that finishes last
 * waits at most about this much of another's work (some 20 ms on these machines). Ranges of this
 * size throughout cost about 10% more CPU time than a few large ones on two busy cores.
 */
const MIN_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The largest range: what a range keeps per record until the main thread has applied the file-level
 * rules (some 90 bytes) then stays bounded whatever the file's size. A 1.5 GB file's first ranges
 * were 388 and 291 MB: 12 MB of columns each, grown step by step, and two threads peaked at 207-230
 * MB against 182-198 MB with this bound (2% longer). Files up to 256 MB are cut as before.
 */
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/** The text and place of keyed record `j` of part `i`, read back from the file. */
function recordAt(p: ValidateRangeResult, b: PartBase, j: number, fetch: ByteFetcher, scratch: Buffer): RecordText & { index: number } {
  // Read into the scratch and decoded from it: a fresh buffer per record, copied once more, put
  // 120 MB through the external memory on a file of 265,000 duplicates (20,000 listed), which V8
  // collects only past a limit of its own.
  const bytes = fetch(p.keyByteOffset[j], p.keyByteLength[j], scratch);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  return { text, line: p.keyLine[j] + b.line, column: p.keyColumn[j], offset: p.keyOffset[j] + b.units, index: p.keyIndex[j] + b.index };
}

/**
 * The file-level rules over every keyed record in file order, fed one part at a time: per part, its
 * base and findings. Only findings that can still be listed become problems (their record read
 * back and decoded for its position): a file with 200,000 duplicates made 200,000 problems here, a
 * few hundred MB, to list 20,000 of them. The others are only counted, per rule.
 */
class FileLevelFindings {
  readonly bases: PartBase[] = [];
  readonly findings: Finding[][] = [];
  readonly unlisted: UnlistedFindings[][] = [];
  /** The file's first record with a JSON object value: where the file-wide problems go. */
  firstKeyed: (RecordText & { index: number }) | undefined;
  private readonly indexes: StreamingIndex<unknown>[];
  private readonly rec: StreamedRecord = { line: 0, index: 0, byteOffset: 0, byteLength: 0 };
  /** Where recordAt reads a record (a longer one gets a buffer of its own). */
  private readonly scratch = Buffer.allocUnsafeSlow(64 * 1024);
  private next: PartBase = { line: 0, units: 0, index: 0 };
  /** Problems listed before the next part (its own and findings of the parts before, capped). */
  private listedBefore = 0;

  constructor(
    private readonly fetch: ByteFetcher,
    private readonly maxProblems: number,
  ) {
    this.indexes = FILE_LEVEL_RULES.map((r) => r.streamingIndex(fetch));
  }

  /** Room in the rules' indexes for about `records` keyed records (the whole file's at the first range's density). */
  reserve(records: number): void {
    reserveRuleIndexes(this.indexes, records);
  }

  add(p: ValidateRangeResult): void {
    const b = this.next;
    this.bases.push(b);
    this.next = { line: b.line + p.lines, units: b.units + p.units, index: b.index + p.slots };
    if (!this.firstKeyed && p.keyIndex.length > 0) this.firstKeyed = recordAt(p, b, 0, this.fetch, this.scratch);
    const found = new PartFindings(p, this.maxProblems - this.listedBefore, (j) => recordAt(p, b, j, this.fetch, this.scratch));
    // The rules some record of the part has a key for: on most files only the duplicate rule, whose
    // keys are numbers and whose index reads records back by span. That case has a loop of its
    // own: the loop over every rule, with a kind test per key and two kinds of index behind one
    // call, took the main thread 0.3 µs a record (alpaca-short, 200 MB, two threads: 7.8% of the
    // time, 8 rounds).
    const live = RULE_ORDER.filter((r) => p.keys[r].length > 0);
    const only = live.length === 1 ? p.keys[live[0]] : undefined;
    const index = live.length === 1 ? this.indexes[live[0]] : undefined;
    if (only instanceof Float64Array && index?.addSpan) this.addNumbers(p, b, live[0], only, index as SpanIndex, found);
    else this.addEach(p, b, live, found);
    this.findings.push(found.listed);
    this.unlisted.push([...found.unlisted.values()]);
    this.listedBefore = Math.min(this.maxProblems, this.listedBefore + p.problems.length + found.count);
  }

  /** Rule `r`'s numeric keys (NaN: none) into its index, record by record, a batch prefetched at a time. */
  private addNumbers(p: ValidateRangeResult, b: PartBase, r: number, keys: Float64Array, index: SpanIndex, found: PartFindings): void {
    // One record object, refilled: the index copies what it keeps of it.
    const rec = this.rec;
    const { keyLine, keyIndex, keyByteOffset, keyByteLength, keyTrimmedOffset, keyTrimmedLength } = p;
    for (let from = 0; from < keys.length; from += PREFETCH_BATCH) {
      const to = Math.min(keys.length, from + PREFETCH_BATCH);
      index.prefetch?.(keys, from, to);
      for (let j = from; j < to; j++) {
        const key = keys[j];
        if (Number.isNaN(key)) continue;
        rec.line = keyLine[j] + b.line;
        rec.index = keyIndex[j] + b.index;
        rec.byteOffset = keyByteOffset[j];
        rec.byteLength = keyByteLength[j];
        const earlier = index.addSpan(key, rec, keyTrimmedOffset[j], keyTrimmedLength[j]);
        if (earlier) found.note(r, j, key, earlier);
      }
    }
  }

  /** The keys of rules `live` (in RULE_ORDER) into their indexes, record by record. */
  private addEach(p: ValidateRangeResult, b: PartBase, live: readonly number[], found: PartFindings): void {
    const rec = this.rec;
    const keys = p.keys;
    for (let j = 0; j < p.keyIndex.length; j++) {
      for (const r of live) {
        const column = keys[r];
        const key = column instanceof Float64Array ? (Number.isNaN(column[j]) ? undefined : column[j]) : column[j];
        if (key === undefined) continue;
        rec.line = p.keyLine[j] + b.line;
        rec.index = p.keyIndex[j] + b.index;
        rec.byteOffset = p.keyByteOffset[j];
        rec.byteLength = p.keyByteLength[j];
        const index = this.indexes[r];
        const earlier = index.addSpan ? index.addSpan(key, rec, p.keyTrimmedOffset[j], p.keyTrimmedLength[j]) : index.add(key, rec, NO_BYTES);
        if (earlier) found.note(r, j, key, earlier);
      }
    }
  }
}

/** An index that reads records back by their span (StreamingIndex.addSpan), with numeric keys. */
type SpanIndex = Required<Pick<StreamingIndex<number>, 'addSpan'>> & Pick<StreamingIndex<number>, 'prefetch'>;

/**
 * Keys whose slots are read ahead at once (DuplicateIndex.prefetch): 64 KB of table lines at most,
 * which stay in the cache until their adds.
 */
const PREFETCH_BATCH = 1024;

/**
 * The findings of one part, in the order the single thread adds them: record by record, a
 * record's object-stage findings before its valid-stage ones (RULE_ORDER). Past the first `room`,
 * none can be listed, and those are only counted, per rule. (An object per finding, kept for a
 * sort, was promoted garbage: 4 MB per young collection on a file of 265,000 duplicates.)
 */
class PartFindings {
  readonly listed: Finding[] = [];
  readonly unlisted = new Map<number, UnlistedFindings>();
  /** Findings so far, listed or not. */
  count = 0;

  constructor(
    private readonly p: ValidateRangeResult,
    private readonly room: number,
    /** The text and place of the part's keyed record `j`. */
    private readonly recordAt: (j: number) => RecordText & { index: number },
  ) {}

  /** Keyed record `j` conflicts with `earlier` under rule `r`. */
  note(r: number, j: number, key: unknown, earlier: EarlierRecord): void {
    const rule = FILE_LEVEL_RULES[r];
    const stage = rule.stage === 'valid' ? 1 : 0;
    const [listedAt, seenAt] = placeOf(stage ? this.p.validPlaces : this.p.objectPlaces, j);
    if (this.count++ < this.room) {
      this.listed.push({ listedAt, seenAt, stage, problem: findingProblem(rule, this.recordAt(j), earlier.line, key) });
      return;
    }
    const at = seenPlace(seenAt, stage);
    const u = this.unlisted.get(r);
    if (!u) this.unlisted.set(r, { rule: r, n: 1, at });
    else {
      u.n++;
      u.at = Math.min(u.at, at);
    }
  }
}

/**
 * FILE_LEVEL_RULES' indexes, object-stage rules first, each stage in the registry's order: the order
 * the single thread adds a record's findings in. (By their place among the part's own problems and
 * then by stage, a record's valid-stage finding went after the next record's object-stage one when
 * no problem came between them: a contradiction listed after the duplicate that followed it.)
 */
const RULE_ORDER: readonly number[] = [...FILE_LEVEL_RULES.keys()].sort((a, c) => stageRank(a) - stageRank(c) || a - c);

function stageRank(r: number): number {
  return FILE_LEVEL_RULES[r].stage === 'valid' ? 1 : 0;
}

/** Where a finding counts as first seen among its part's problems (between the counted ones). */
function seenPlace(seenAt: number, stage: number): number {
  return seenAt - 0.5 + 0.25 * stage;
}

/** Every problem in the order the single-thread pass adds them, capped, then sorted as it sorts them. */
function assemble(
  parts: readonly PartSummary[],
  { bases, findings, unlisted, firstKeyed }: FileLevelFindings,
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
  if (!format && firstKeyed) addOwn(unknownFormatProblem(firstKeyed, detection.evidence), [-1, 0]);

  let records = 0;
  parts.forEach((p, i) => {
    records += p.records;
    for (const [rule, n, first] of p.counts) count(rule, n, [i, first]);
    bySeverity.error += p.bySeverity.error;
    bySeverity.warning += p.bySeverity.warning;
    bySeverity.info += p.bySeverity.info;
    const own = p.problems;
    const found = findings[i];
    let f = 0;
    for (let k = 0; k <= own.length; k++) {
      for (; f < found.length && found[f].listedAt <= k; f++) addOwn(found[f].problem, [i, seenPlace(found[f].seenAt, found[f].stage)]);
      if (k === own.length) break;
      list(shifted(own[k], bases[i]));
    }
    // Findings past the list: counted, and where their rule was first seen.
    for (const u of unlisted[i]) {
      const rule = FILE_LEVEL_RULES[u.rule];
      count(rule.id, u.n, [i, u.at]);
      bySeverity[rule.severity] += u.n;
      omitted += u.n;
    }
    // The part's own problems past its list were counted by the part; they are omitted here too.
    omitted += p.bySeverity.error + p.bySeverity.warning + p.bySeverity.info - own.length;
  });

  if (firstKeyed) {
    const limit = fileLimitProblem(firstKeyed, detection.format, records, opts.formatOptions);
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
