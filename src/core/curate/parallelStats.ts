/**
 * Statistics of a JSON Lines file on several threads: this thread and workers validate and measure
 * the records of one byte range each (statsRange.ts; this thread takes the first, and starts it
 * while the workers load: 1.7% faster on two cores than two workers and an idle thread, medians of
 * ten interleaved runs). This thread detects the format as the validation pipeline does, applies
 * the file-level duplicate rule across ranges, and adds every valid record's features in file
 * order to the same collector the single-thread pass fills, so every figure is the same. In token
 * mode estimate each range counts the tokens of the records the estimate may sample (its first 500
 * valid records, among which are the file's first 500, and those picked by byte offset), so the
 * collector never counts any. Each range is merged as soon as it and those before it are done: the
 * first while the workers finish theirs (once 875 against 877 ms, when the merge rebuilt a features
 * object per record and copied every record into a DuplicateIndex; now 4-5% faster, see
 * statsInParallel).
 *
 * Falls back (returns undefined) where a file-level rule needs more than hashes: any rule besides
 * exact duplicates that applies to the format (contradicting preferences in preference and KTO
 * data) and files of no known format.
 */
import { closeSync } from 'node:fs';
import type { FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { AbortedError } from '../base/cancellation';
import { DetectionSample, detectFormat, forcedDetection, type Detection } from '../validate/detect';
import { duplicateRecord, FILE_LEVEL_RULES, fileByteFetcher, sameBytes, type ByteFetcher } from '../validate/fileLevelRules';
import type { Severity } from '../base/problem';
import { DETECTION_READ_BYTES, type CurateRunOptions, type FormatChoice } from './datasetScan';
import { lineAlignedRanges, scanRange } from './fileRanges';
import { statsRange, type StatsRangeJob, type StatsRangeResult } from './statsRange';
import { runRangeJobs } from './jobQueue';
import { openInputFileSync } from '../jsonl/openInput';

/** What computeStats takes from validateFile. */
export interface ValidationSummary {
  format?: StatsRangeJob['format'];
  detection: Detection;
  records: number;
  problemCounts: Record<string, number>;
  bySeverity: Record<Severity, number>;
}

/** The valid records of a range and their first words, as the collector reads them. */
export type FeatureColumns = Pick<StatsRangeResult, 'validIndex' | 'script' | 'turns' | 'msgStart' | 'chosenChars' | 'rejectedChars' | 'type' | 'tokenSample' | 'msgKey' | 'msgChars' | 'msgTokens' | 'keys' | 'words'>;

/** The collector's side the replay drives (computeStats' StatsCollector). */
export interface FeatureSink {
  /** The valid records of one range, in file order; `indexBase`: the file index of its first record slot. */
  addColumns(p: FeatureColumns, indexBase: number): void;
  /** Room for `valid` records among `slots`, and per series key its messages, before the replay. */
  reserve(valid: number, slots: number, messages: ReadonlyMap<string, number>): void;
}

/** The format as validateFile decides it: the first 200 JSON objects, or fewer within 16 MB of records. */
export async function detectAsValidation(path: string, size: number, opts: FormatChoice & CurateRunOptions): Promise<Detection> {
  if (opts.format) return forcedDetection(opts.format);
  const values: Record<string, unknown>[] = [];
  const sample = new DetectionSample();
  let decided = false;
  await scanRange(
    path,
    { start: 0, end: size },
    {
      record: (rec, b) => {
        if (decided) return;
        if (rec.value) values.push(rec.value);
        decided = sample.add(rec.value !== undefined, b.length, rec.text.length);
      },
      stop: () => decided,
    },
    () => opts.signal?.aborted ?? false,
    DETECTION_READ_BYTES,
  );
  return detectFormat(values);
}

/** The fields of a range's records that the duplicate rule reads back (statsRange.ts). */
type SpanColumns = Pick<StatsRangeResult, 'objOffset' | 'objLead' | 'objLength'>;

/**
 * The common/duplicate-record rule over the ranges' columns, range by range in file order:
 * DuplicateIndex's answers, with the records' fields read where the ranges left them. A record's
 * trimmed bytes are read back from the file only when an earlier one shares its hash and length.
 * (DuplicateIndex copied seven fields of every record into chunks of its own: 12 MB of fresh memory
 * for 347,000 records, and 40% of the time.)
 */
class RangeDuplicates {
  count = 0;
  /** The file index of the first duplicate record, or -1. */
  firstIndex = -1;
  /** The hash of every record so far (its position: records with an object value, in file order). */
  private hashes = new Uint32Array(1024);
  private n = 0;
  /** Position + 1 of the first record of each hash (0: empty), at most half full. */
  private table = new Int32Array(4096);
  /** Later records of a hash whose bytes differ from every earlier one's, chained after its first (rare: the sampled hash collided). */
  private readonly next = new Map<number, number>();
  private readonly parts: SpanColumns[] = [];
  private readonly partStart: number[] = [];
  private readonly scratch = [Buffer.alloc(0), Buffer.alloc(0)];

  constructor(private readonly read: ByteFetcher) {}

  /** Room for `n` records in all, made at once (growing as they come copies and rehashes). */
  reserve(n: number): void {
    if (n > this.hashes.length) {
      const grown = new Uint32Array(n);
      grown.set(this.hashes.subarray(0, this.n));
      this.hashes = grown;
    }
    let size = this.table.length;
    while (2 * n > size) size *= 2;
    if (size > this.table.length) this.rehash(size);
  }

  /** The records of the next range; `indexBase`: the file index of its first record slot. */
  add(p: StatsRangeResult, indexBase: number): void {
    const count = p.objHash.length;
    // Exact growth: there are as many ranges as threads.
    this.reserve(this.n + count);
    this.partStart.push(this.n);
    this.parts.push({ objOffset: p.objOffset, objLead: p.objLead, objLength: p.objLength });
    const hashes = this.hashes;
    const table = this.table;
    const mask = table.length - 1;
    hashes.set(p.objHash, this.n);
    for (let j = 0; j < count; j++) {
      const pos = this.n++;
      const h = hashes[pos];
      let t = h & mask;
      let v = table[t];
      while (v !== 0 && hashes[v - 1] !== h) v = table[(t = (t + 1) & mask)];
      if (v === 0) table[t] = pos + 1;
      else if (this.repeats(pos, v - 1)) {
        if (this.count++ === 0) this.firstIndex = indexBase + p.objIndex[j];
      } else {
        const after = this.next.get(v - 1);
        if (after !== undefined) this.next.set(pos, after);
        this.next.set(v - 1, pos);
      }
    }
  }

  /** Whether the record at `pos` repeats the record at `first` or one chained after it. */
  private repeats(pos: number, first: number): boolean {
    const length = this.field(pos, 'objLength');
    let own: Uint8Array | undefined;
    for (let s: number | undefined = first; s !== undefined; s = this.next.get(s)) {
      if (this.field(s, 'objLength') !== length) continue;
      own ??= this.bytesAt(0, pos);
      if (sameBytes(this.bytesAt(1, s), own)) return true;
    }
    return false;
  }

  private field(pos: number, name: keyof SpanColumns): number {
    let q = this.parts.length - 1;
    while (this.partStart[q] > pos) q--;
    return this.parts[q][name][pos - this.partStart[q]];
  }

  /** The trimmed bytes of the record at `pos`, read into scratch buffer `k`. */
  private bytesAt(k: number, pos: number): Uint8Array {
    const length = this.field(pos, 'objLength');
    if (this.scratch[k].length < length) this.scratch[k] = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.scratch[k].length, 4096));
    return this.read(this.field(pos, 'objOffset') + this.field(pos, 'objLead'), length, this.scratch[k]);
  }

  private rehash(size: number): void {
    const old = this.table;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let u = 0; u < old.length; u++) {
      const v = old[u];
      if (v === 0) continue;
      let t = this.hashes[v - 1] & mask;
      while (table[t] !== 0) t = (t + 1) & mask;
      table[t] = v;
    }
    this.table = table;
  }
}

/** The most records (and messages of one series) the collector and the duplicate rule make room for up front, from the first range's density (2M). */
const RESERVE_LIMIT = 1 << 21;

/**
 * Runs the validation and measuring part of computeStats on `workers` threads, feeding `sink` in
 * file order; undefined when this file needs the single-thread pass. One range per thread; this
 * thread merges each range (duplicates, then the collector) as soon as it and those before it are
 * done, so the first range's merge runs while the workers, which started later, finish theirs:
 * 1,383 against 1,449 ms on the benchmark's 200 MB on two threads (medians of 10), for some 15 MB
 * more at the peak (the merge's tables while the worker still holds its memory). Ranges of
 * shrinking size taken in turn, as validation's, measured slower here: 1,540-1,620 against
 * 1,396-1,453 ms.
 */
export async function statsInParallel(
  path: string,
  size: number,
  workers: number,
  sink: FeatureSink,
  opts: FormatChoice & CurateRunOptions & { exactTokens: boolean; model?: string; formatOptions?: FormatOptions },
): Promise<ValidationSummary | undefined> {
  const detection = await detectAsValidation(path, size, opts);
  const format: FormatModule | undefined = detection.format ? getFormat(detection.format) : undefined;
  if (!format || !detection.format || FILE_LEVEL_RULES.some((r) => r !== duplicateRecord && r.appliesTo(format))) return undefined;
  const ranges = await lineAlignedRanges(path, workers);
  const calibrated = new SharedArrayBuffer(4);
  const jobs: StatsRangeJob[] = ranges.map((range) => ({
    job: 'statsRange',
    path,
    range,
    format: detection.format as StatsRangeJob['format'],
    formatOptions: opts.formatOptions,
    exactTokens: opts.exactTokens,
    model: opts.model,
    calibrated,
  }));
  // Per rule: count, and where it first occurred (record index, stage) to order the rules as the
  // single thread meets them (reading, then the duplicate rule, then checks, record by record).
  const counts = new Map<string, { n: number; at: number; stage: number }>();
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let records = 0;
  let indexBase = 0;
  let binary = false;
  const fd = openInputFileSync(path);
  try {
    const duplicates = new RangeDuplicates(fileByteFetcher(fd));
    await runRangeJobs<StatsRangeJob, StatsRangeResult>(jobs, {
      worker: 'curateWorker',
      threads: workers,
      totalBytes: size,
      run: opts,
      local: (job, progress, isStopped) => statsRange(job, progress, isStopped),
      onResult: (i, p) => {
        if (i === 0) {
          // A whole-file scan stops at a binary start: so do we.
          binary = p.binary;
          // Room for the whole file at the first range's density (within RESERVE_LIMIT records: a
          // file of small records first and large ones later must not reserve for what it lacks).
          const scale = Math.min(size / Math.max(1, ranges[0].end - ranges[0].start), RESERVE_LIMIT / Math.max(1, p.slots));
          duplicates.reserve(Math.ceil(p.objHash.length * scale));
          const [valid, slots, messages] = replaySizes(p);
          for (const [key, n] of messages) messages.set(key, Math.min(RESERVE_LIMIT, Math.ceil(n * scale)));
          sink.reserve(Math.ceil(valid * scale), Math.ceil(slots * scale), messages);
        } else if (binary) return;
        records += p.records;
        for (const [rule, n, at, stage] of p.problemCounts) {
          const c = counts.get(rule);
          if (c) c.n += n;
          else counts.set(rule, { n, at: indexBase + at, stage });
        }
        bySeverity.error += p.bySeverity.error;
        bySeverity.warning += p.bySeverity.warning;
        bySeverity.info += p.bySeverity.info;
        duplicates.add(p, indexBase);
        sink.addColumns(p, indexBase);
        indexBase += p.slots;
      },
    });
    if (opts.signal?.aborted) throw new AbortedError();
    if (duplicates.count > 0) {
      counts.set('common/duplicate-record', { n: duplicates.count, at: duplicates.firstIndex, stage: 1 });
      bySeverity.warning += duplicates.count;
    }
  } finally {
    closeSync(fd);
  }
  const byRule = [...counts].sort((a, b) => a[1].at - b[1].at || a[1].stage - b[1].stage);
  return { format: detection.format, detection, records, problemCounts: Object.fromEntries(byRule.map(([rule, c]) => [rule, c.n])), bySeverity };
}

/** The valid records, record slots and messages per series key of a range. */
function replaySizes(p: StatsRangeResult): [number, number, Map<string, number>] {
  const messages = new Map<string, number>();
  const perKey = new Uint32Array(p.keys.length);
  for (let m = 0; m < p.msgKey.length; m++) perKey[p.msgKey[m]]++;
  for (let k = 0; k < p.keys.length; k++) messages.set(p.keys[k], perKey[k]);
  return [p.validIndex.length, p.slots, messages];
}
