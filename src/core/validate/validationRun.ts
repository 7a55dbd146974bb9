/**
 * One validation pass fed record by record by a reader: detect the format from a sample, then per
 * record fit, schema and rules, then the file-level rules. Apart from the reader that feeds it
 * (pipeline.ts for whole files and texts, validateRange.ts for ranges of a file in worker threads),
 * so a validation worker does not load the readers of other file types (Parquet and its
 * decompressors: a fifth of that worker's bundle, parsed at every start).
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { ReaderMode, RecordSink, SourceRecord } from '../jsonl/sourceRecord';
import { DETECTION_SAMPLE_RECORDS, DetectionSample, detectFormat, forcedDetection, type Detection } from './detect';
import { FileLevelRules, type ByteFetcher, type FileLevelHandler } from './fileLevelRules';
import type { Problem, Severity } from '../base/problem';
import { checkRecordGuarded, type RecordCheck } from './recordChecks';

export interface ValidateOptions {
  /** Forces the format instead of detecting it. */
  format?: FormatId;
  formatOptions?: FormatOptions;
  /** Overrides the reading mode chosen from the file name. */
  mode?: ReaderMode;
  /** Called after each chunk read: bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
  /** At most this many problems are listed (counts stay complete). Default 20000. */
  maxProblems?: number;
  /**
   * A listing limit under maxProblems that may fall as the run goes, asked before each record: a
   * range of a file validated in parallel lists no more than the ranges before it leave room for.
   * An object with a method rather than a function: one class for every range keeps the call's
   * target the same from range to range, as V8's optimized code expects.
   */
  listLimit?: ListLimit;
  /** Records the detection looks at. Default 200. */
  sampleSize?: number;
  /**
   * The input's size in bytes, when known: once the detection sample is read, the file-level
   * rules make room for the records of the whole input at the sample's density.
   */
  sizeBytes?: number;
  /** Sees every record once it is checked, file-level rules included (`valid`: fits the format without errors). For stats. */
  onRecord?: (rec: SourceRecord, valid: boolean, format: FormatModule | undefined) => void;
  /**
   * Applies the file-level rules instead of the streaming FileLevelRules, which report as they go
   * (the incremental validator collects the rules' keys for its editable indexes and reports from those).
   */
  fileLevel?: FileLevelHandler;
  /**
   * The format as decided by the caller (one part of a file validated in parallel): no sample is
   * taken and no unknown-format problem reported; `format` is ignored.
   */
  detection?: Detection;
}

export interface ValidationResult {
  format?: FormatId;
  detection: Detection;
  /** Record slots read (valid or not; blank lines do not count). */
  records: number;
  /** Problems in file order, at most `maxProblems`. */
  problems: Problem[];
  /** Problems per rule, complete even when the list was cut. */
  problemCounts: Record<string, number>;
  bySeverity: Record<Severity, number>;
  /** Problems not listed because of `maxProblems`. */
  omitted: number;
}

/** ValidateOptions.listLimit. */
export interface ListLimit {
  limit(): number;
}

/** One validation pass fed record by record (by a reader); `result()` when the input ends. */
export class ValidationRun implements RecordSink {
  readonly problems: Problem[] = [];
  readonly counts = new Map<string, number>();
  /** Per rule, how many problems came before its first one. */
  readonly firstSeen = new Map<string, number>();
  readonly bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  omitted = 0;
  records = 0;
  detection: Detection = { confidence: 0, evidence: '' };
  private format: FormatModule | undefined;
  private sample: { rec: SourceRecord; bytes: Uint8Array }[] | undefined = [];
  private readonly fileRules: FileLevelHandler;
  /** Where a file-level limit (too few examples) is shown: the first record. */
  private firstObject: SourceRecord | undefined;
  private readonly maxProblems: number;
  /** How many problems may be listed, as of the current record (maxProblems, or less: ValidateOptions.listLimit). */
  private room: number;
  private readonly sampleBound: DetectionSample;

  constructor(
    private readonly opts: ValidateOptions,
    fetch: ByteFetcher,
  ) {
    this.fileRules = opts.fileLevel ?? new FileLevelRules(fetch);
    this.maxProblems = opts.maxProblems ?? 20000;
    this.room = this.maxProblems;
    this.sampleBound = new DetectionSample(opts.sampleSize ?? DETECTION_SAMPLE_RECORDS);
    if (opts.detection) {
      this.sample = undefined;
      this.detection = opts.detection;
      this.format = opts.detection.format ? getFormat(opts.detection.format) : undefined;
    } else if (opts.format) this.decide();
  }

  /** Problems counted so far, listed or not. */
  get seen(): number {
    return this.bySeverity.error + this.bySeverity.warning + this.bySeverity.info;
  }

  /** Problems listed so far (at most maxProblems). */
  get listed(): number {
    return this.problems.length;
  }

  record(rec: SourceRecord, bytes: Uint8Array): void {
    this.records++;
    if (this.sample) {
      this.sample.push({ rec, bytes: Buffer.from(bytes) });
      if (this.sampleBound.add(rec.value !== undefined, bytes.length, rec.text.length)) this.decide();
      return;
    }
    this.handle(rec, bytes);
  }

  problem(p: Problem): void {
    const n = this.counts.get(p.rule);
    if (n === undefined) this.firstSeen.set(p.rule, this.seen);
    this.counts.set(p.rule, (n ?? 0) + 1);
    this.bySeverity[p.severity]++;
    if (this.problems.length < this.room) this.problems.push(p);
    else this.omitted++;
  }

  /** Past the listing limit a line that is not JSON is only counted (RecordSink.placesProblems). */
  placesProblems(): boolean {
    this.updateRoom();
    return this.problems.length < this.room;
  }

  private updateRoom(): void {
    const limit = this.opts.listLimit;
    if (limit) this.room = Math.min(this.maxProblems, limit.limit());
  }

  private addAll(ps: readonly Problem[]): void {
    for (const p of ps) this.problem(p);
  }

  private decide(): void {
    const sample = this.sample ?? [];
    this.sample = undefined;
    if (this.opts.format) {
      this.detection = forcedDetection(this.opts.format);
    } else {
      const values: Record<string, unknown>[] = [];
      for (const s of sample) if (s.rec.value) values.push(s.rec.value);
      this.detection = detectFormat(values);
    }
    this.format = this.detection.format ? getFormat(this.detection.format) : undefined;
    const first = sample.find((s) => s.rec.value);
    const last = sample[sample.length - 1]?.rec;
    if (this.opts.sizeBytes && first && last) {
      let objects = 0;
      for (const s of sample) if (s.rec.value) objects++;
      this.fileRules.reserve?.((objects * this.opts.sizeBytes) / Math.max(1, last.byteOffset + last.byteLength));
    }
    const unknown = !this.format && first ? this.fileRules.unknownFormat(first.rec, this.detection.evidence) : undefined;
    if (unknown) this.problem(unknown);
    for (const s of sample) this.handle(s.rec, s.bytes);
  }

  private handle(rec: SourceRecord, bytes: Uint8Array): void {
    this.updateRoom();
    if (rec.problems) this.addAll(rec.problems);
    const value = rec.value;
    if (value && !this.firstObject) this.firstObject = rec;
    if (!value) {
      this.opts.onRecord?.(rec, false, this.format);
      return;
    }
    // Past the listing limit problems are only counted: none is placed on its range.
    const place = this.problems.length < this.room;
    this.addAll(this.fileRules.beforeChecks(rec, bytes, this.format, this.opts.formatOptions, place));
    const format = this.format;
    if (!format) {
      this.opts.onRecord?.(rec, false, undefined);
      return;
    }
    const res: RecordCheck = checkRecordGuarded(value, rec, format, this.opts.formatOptions, place);
    if (res.problems.length > 0) this.addAll(res.problems);
    if (res.valid) this.addAll(this.fileRules.afterChecks(rec, bytes, format, this.opts.formatOptions, place));
    this.opts.onRecord?.(rec, res.valid, format);
  }

  /**
   * `inFileOrder` false: the listed problems stay in the order they were added, as a range of a
   * parallel pass hands them on (parallelValidate.ts caps the whole list in that order, as this
   * pass does, and sorts it after: sorted first, a record's rule warning went before its reader
   * error where the list was cut).
   */
  result(inFileOrder = true): ValidationResult {
    if (this.sample) this.decide();
    const limit = this.firstObject && this.fileRules.fileLimit(this.firstObject, this.format, this.records, this.opts.formatOptions);
    if (limit) this.problem(limit);
    // Sampling holds records back while file-level problems pass: restore file order.
    if (inFileOrder) this.problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return {
      format: this.detection.format,
      detection: this.detection,
      records: this.records,
      problems: this.problems,
      problemCounts: Object.fromEntries(this.counts),
      bySeverity: this.bySeverity,
      omitted: this.omitted,
    };
  }
}
