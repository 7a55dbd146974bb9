/**
 * Statistics of a JSON Lines file on several threads: this thread and workers validate and measure
 * the records of one byte range each (statsRange.ts; this thread takes the first, and starts it
 * while the workers load: 1.7% faster on two cores than two workers and an idle thread, medians of
 * ten interleaved runs). This thread detects the format as the validation pipeline does, applies
 * the file-level duplicate rule across ranges, and replays every valid record's features in file
 * order into the same collector the single-thread pass fills, so every figure is the same. In token
 * mode estimate each range counts the tokens of the records the estimate may sample (its first 500
 * valid records, among which are the file's first 500, and those picked by byte offset), so the
 * collector never counts any. (Merging the first range while the worker finishes the second
 * measured the same: 875 against 877 ms.)
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
import { DuplicateIndex, duplicateRecord, FILE_LEVEL_RULES, fileByteFetcher, type ByteFetcher } from '../validate/fileLevelRules';
import type { Severity } from '../base/problem';
import type { RecordFeatures } from './recordFeatures';
import { DETECTION_READ_BYTES, type CurateRunOptions, type FormatChoice } from './datasetScan';
import { lineAlignedRanges, scanRange } from './fileRanges';
import { statsRange, type StatsRangeJob, type StatsRangeResult } from './statsRange';
import { SCRIPT_NAMES } from './scriptGuess';
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

/** The collector's side the replay drives (computeStats' StatsCollector). */
export interface FeatureSink {
  addFeatures(index: number, f: RecordFeatures, count: (k: number) => number, picked: boolean): void;
  addWord(w: string | undefined, times?: number): void;
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

/**
 * Counts records the common/duplicate-record rule flags, with the rule's own index in file order
 * (a record's bytes are read back from the file only when an earlier one shares its hash and length).
 */
function countDuplicates(parts: readonly StatsRangeResult[], read: ByteFetcher): { count: number; firstIndex: number } {
  const index = new DuplicateIndex(read);
  let records = 0;
  for (const p of parts) records += p.objHash.length;
  index.reserve(records);
  let dups = 0;
  let firstIndex = -1;
  let indexBase = 0;
  // One record object, refilled: the index copies its fields (an object per record was a third of this loop).
  const rec = { line: 0, index: 0, byteOffset: 0, byteLength: 0 };
  for (const p of parts) {
    for (let j = 0; j < p.objHash.length; j++) {
      const at = indexBase + p.objIndex[j];
      rec.line = p.objLine[j];
      rec.index = at;
      rec.byteOffset = p.objOffset[j];
      // The span from the line's start covers the leading whitespace the index trims off again.
      rec.byteLength = p.objLead[j] + p.objLength[j];
      if (index.addSpan(p.objHash[j], rec, p.objOffset[j] + p.objLead[j], p.objLength[j]) && dups++ === 0) firstIndex = at;
    }
    indexBase += p.slots;
  }
  return { count: dups, firstIndex };
}

/** The valid records, record slots and messages per series key the replay adds. */
function replaySizes(parts: readonly StatsRangeResult[]): [number, number, Map<string, number>] {
  let valid = 0;
  let slots = 0;
  const messages = new Map<string, number>();
  for (const p of parts) {
    valid += p.validIndex.length;
    slots += p.slots;
    const perKey = new Uint32Array(p.keys.length);
    for (let m = 0; m < p.msgKey.length; m++) perKey[p.msgKey[m]]++;
    for (let k = 0; k < p.keys.length; k++) messages.set(p.keys[k], (messages.get(p.keys[k]) ?? 0) + perKey[k]);
  }
  return [valid, slots, messages];
}

/**
 * Runs the validation and measuring part of computeStats on `workers` threads, feeding `sink` in
 * file order; undefined when this file needs the single-thread pass.
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
  const all: StatsRangeResult[] = [];
  await runRangeJobs<StatsRangeJob, StatsRangeResult>(jobs, {
    worker: 'curateWorker',
    threads: workers,
    totalBytes: size,
    run: opts,
    local: (job, progress, isStopped) => statsRange(job, progress, isStopped),
    onResult: (_, r) => {
      all.push(r);
    },
  });
  if (opts.signal?.aborted) throw new AbortedError();
  // A whole-file scan stops at a binary start: so do we.
  const parts = all[0].binary ? all.slice(0, 1) : all;

  // Per rule: count, and where it first occurred (record index, stage) to order the rules as the
  // single thread meets them (reading, then the duplicate rule, then checks, record by record).
  const counts = new Map<string, { n: number; at: number; stage: number }>();
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let records = 0;
  let base = 0;
  for (const p of parts) {
    records += p.records;
    for (const [rule, n, at, stage] of p.problemCounts) {
      const c = counts.get(rule);
      if (c) c.n += n;
      else counts.set(rule, { n, at: base + at, stage });
    }
    base += p.slots;
    bySeverity.error += p.bySeverity.error;
    bySeverity.warning += p.bySeverity.warning;
    bySeverity.info += p.bySeverity.info;
  }
  const fd = openInputFileSync(path);
  try {
    const dups = countDuplicates(parts, fileByteFetcher(fd));
    if (dups.count > 0) {
      counts.set('common/duplicate-record', { n: dups.count, at: dups.firstIndex, stage: 1 });
      bySeverity.warning += dups.count;
    }
    if (opts.signal?.aborted) throw new AbortedError();

    sink.reserve(...replaySizes(parts));
    let indexBase = 0;
    const types: RecordFeatures['type'][] = ['sft', 'preference', 'unpaired', 'unpaired'];
    // One features object, refilled per record (the collector keeps nothing of it).
    const f: RecordFeatures = { script: 'none', turns: 0, keys: [], chars: [], contents: [], chosenChars: -1, rejectedChars: -1, type: 'sft', word: undefined };
    let part = parts[0];
    let ms = 0;
    // The workers counted every record the collector counts exactly (StatsRangeResult.msgTokens).
    const count = (k: number): number => part.msgTokens[ms + k];
    for (const p of parts) {
      part = p;
      const n = p.validIndex.length;
      for (let j = 0; j < n; j++) {
        ms = p.msgStart[j];
        const me = j + 1 < n ? p.msgStart[j + 1] : p.msgKey.length;
        f.script = SCRIPT_NAMES[p.script[j]];
        f.turns = p.turns[j];
        f.chosenChars = p.chosenChars[j];
        f.rejectedChars = p.rejectedChars[j];
        f.type = types[p.type[j]];
        f.label = p.type[j] >= 2 ? p.type[j] === 2 : undefined;
        // Overwritten in place; the length is set only when the message count changes (slow path).
        if (f.keys.length !== me - ms) f.keys.length = f.chars.length = me - ms;
        for (let m = ms; m < me; m++) {
          f.keys[m - ms] = p.keys[p.msgKey[m]];
          f.chars[m - ms] = p.msgChars[m];
        }
        sink.addFeatures(indexBase + p.validIndex[j], f, count, p.tokenSample[j] === 1);
      }
      indexBase += p.slots;
    }
    for (const p of parts) for (const [w, n] of p.words) sink.addWord(w, n);
  } finally {
    closeSync(fd);
  }
  const byRule = [...counts].sort((a, b) => a[1].at - b[1].at || a[1].stage - b[1].stage);
  return { format: detection.format, detection, records, problemCounts: Object.fromEntries(byRule.map(([rule, c]) => [rule, c.n])), bySeverity };
}

