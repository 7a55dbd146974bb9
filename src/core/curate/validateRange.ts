/**
 * The worker side of parallel validation (parallelValidate.ts): one byte range of a JSON Lines file
 * through the validation pipeline with the format the main thread detected. The file-level rules
 * (duplicates, contradictions) need the whole file, so instead of reporting them the worker keeps,
 * per record, the rules' keys, where the record is, and where in its problem list a finding would
 * go; the main thread applies the rules in file order.
 */
import { AbortedError } from '../base/cancellation';
import type { SourceRecord } from '../jsonl/sourceRecord';
import type { FormatModule, FormatOptions } from '../formats/formatModule';
import type { Detection } from '../validate/detect';
import { collectKeys, FILE_LEVEL_RULES, type FileLevelHandler, type KeyInput, type RuleStage } from '../validate/fileLevelRules';
import { ValidationRun, type ListLimit } from '../validate/validationRun';
import type { Problem, Severity } from '../base/problem';
import { Column, F64Column, leadingWhitespace, RangeReservation } from './columns';
import { scanRange, type ByteRange, type RangeScanHooks, type RangeScanTotals } from './fileRanges';

export interface ValidateRangeJob {
  job: 'validateRange';
  path: string;
  range: ByteRange;
  detection: Detection;
  formatOptions?: FormatOptions;
  maxProblems: number;
  /**
   * Shared by the jobs of one file (Int32, one per range, 0 at first): how many problems each range
   * has listed so far. A range lists, and places, only what the ranges before it leave room for:
   * on a file with a problem in every record, ranges past the first 20,000 problems place none.
   */
  listedBy?: SharedArrayBuffer;
  /** This job's range among them. */
  rangeIndex?: number;
}

export interface ValidateRangeResult extends RangeScanTotals {
  /** Listed problems in the order the pipeline adds them, positions counted from the range's start. */
  problems: Problem[];
  /** Per rule: count, and how many of the range's problems came before its first one. */
  counts: [string, number, number][];
  bySeverity: Record<Severity, number>;
  /** Per record with a JSON object value, in order: index, line, column and UTF-16 offset in the range. */
  keyIndex: Uint32Array;
  keyLine: Uint32Array;
  keyColumn: Uint32Array;
  keyOffset: Float64Array;
  /** Its line's bytes in the file (offset, length) and its trimmed bytes' offset and length. */
  keyByteOffset: Float64Array;
  keyByteLength: Uint32Array;
  keyTrimmedOffset: Float64Array;
  keyTrimmedLength: Uint32Array;
  /**
   * Per rule stage ('object' before the record's checks, 'valid' after them): the listed and counted
   * problems of the range before that point (where a finding of the stage goes), or -1 when the
   * record did not reach the stage. As steps (PlaceSteps; read with placeOf): only where they change.
   */
  objectPlaces: Float64Array;
  validPlaces: Float64Array;
  /**
   * Per rule (FILE_LEVEL_RULES order), per keyed record: its key (KeyColumn). Numbers travel as a
   * Float64Array (NaN: none), an empty one when no record of the range has a key.
   */
  keys: (unknown[] | Float64Array)[];
}

/**
 * Where a finding of one stage would go, for each keyed record of a range: (record, listed, seen)
 * triples, one where the pair changes. The pair stays the same from record to record until a
 * problem comes, so most ranges keep one triple for thousands of records. Four values a record in
 * columns, read only for findings, cost two threads up to 8% of their time (alpaca-short, 200 MB);
 * with the steps, two threads took 0.90-0.99x the time of before on the benchmark's files.
 */
class PlaceSteps {
  private readonly steps = new F64Column();
  // The pair of a range's first record unless a problem came before it: noted here, so that on a
  // file without problems note() never pushes. (Its push, taken only at a range's first record,
  // had no feedback when V8 optimized note, and each range's first record threw that code away.)
  private lastListed = 0;
  private lastSeen = 0;

  constructor() {
    this.steps.push(0);
    this.steps.push(0);
    this.steps.push(0);
  }

  /** Record `j`'s pair (records in order, each once). */
  note(j: number, listed: number, seen: number): void {
    if (listed === this.lastListed && seen === this.lastSeen) return;
    this.steps.push(j);
    this.steps.push(listed);
    this.steps.push(seen);
    this.lastListed = listed;
    this.lastSeen = seen;
  }

  done(): Float64Array {
    return this.steps.done();
  }
}

/** Record `j`'s [listed, seen] in `steps` (PlaceSteps.done()): the last step at or before `j`. */
export function placeOf(steps: Float64Array, j: number): [number, number] {
  let lo = 0;
  let hi = steps.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[3 * mid] <= j) lo = mid;
    else hi = mid - 1;
  }
  return [steps[3 * lo + 1], steps[3 * lo + 2]];
}

/** Keeps keys and places instead of reporting (the main thread reports). */
class KeyRecorder implements FileLevelHandler {
  run!: ValidationRun;
  readonly index = new Column(Uint32Array);
  readonly line = new Column(Uint32Array);
  readonly column = new Column(Uint32Array);
  readonly offset = new F64Column();
  readonly byteOffset = new F64Column();
  readonly byteLength = new Column(Uint32Array);
  readonly trimmedOffset = new F64Column();
  readonly trimmedLength = new Column(Uint32Array);
  readonly objectPlaces = new PlaceSteps();
  readonly validPlaces = new PlaceSteps();
  /** The valid-stage pair of the record at hand: -1 until it passes its checks. */
  private validListed = -1;
  private validSeen = -1;
  readonly keys: KeyColumn[] = FILE_LEVEL_RULES.map(() => new KeyColumn());
  private readonly input: KeyInput = { bytes: new Uint8Array(0), value: {}, format: undefined, formatOptions: undefined };
  /** The keys of one stage of the record at hand (collectKeys fills the stage's rules' places). */
  private readonly stageKeys: unknown[] = FILE_LEVEL_RULES.map(() => undefined);
  private current: SourceRecord | undefined;
  private count = 0;
  /**
   * Reserves the columns for the whole range once its first MB is read: blocks, then a copy of
   * them into fresh memory, made two threads 1.08x as long on alpaca-short (200 MB, 8 rounds).
   */
  private readonly reservation: RangeReservation;

  constructor(range: ByteRange) {
    this.reservation = new RangeReservation(range, [this.index, this.line, this.column, this.offset, this.byteOffset, this.byteLength, this.trimmedOffset, this.trimmedLength, ...this.keys]);
  }

  beforeChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined): readonly Problem[] {
    this.finishRecord();
    this.current = rec;
    this.reservation.note(rec.byteOffset);
    this.index.push(rec.index);
    this.line.push(rec.line);
    this.column.push(rec.column);
    this.offset.push(rec.offset);
    this.byteOffset.push(rec.byteOffset);
    this.byteLength.push(rec.byteLength);
    this.trimmedOffset.push(rec.byteOffset + leadingWhitespace(rec.text));
    this.trimmedLength.push(bytes.length);
    this.objectPlaces.note(this.count, this.run.listed, this.run.seen);
    this.validListed = -1;
    this.validSeen = -1;
    this.count++;
    return this.collect('object', rec, bytes, format, options);
  }

  afterChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule, options: FormatOptions | undefined): readonly Problem[] {
    if (rec !== this.current) return [];
    this.validListed = this.run.listed;
    this.validSeen = this.run.seen;
    return this.collect('valid', rec, bytes, format, options);
  }

  /** Notes the valid-stage pair of the record at hand, once the next begins or the range ends. */
  finishRecord(): void {
    if (this.count > 0) this.validPlaces.note(this.count - 1, this.validListed, this.validSeen);
  }

  unknownFormat(): undefined {
    return undefined;
  }

  fileLimit(): undefined {
    return undefined;
  }

  private collect(stage: RuleStage, rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined): readonly Problem[] {
    const input = this.input;
    input.bytes = bytes;
    input.value = rec.value!;
    input.format = format;
    input.formatOptions = options;
    const keys = this.stageKeys;
    const failed = collectKeys(stage, input, rec, keys);
    for (let r = 0; r < FILE_LEVEL_RULES.length; r++) if (FILE_LEVEL_RULES[r].stage === stage) this.keys[r].set(this.count - 1, keys[r]);
    return failed;
  }
}

/**
 * One rule's keys over a range's keyed records, in record order: numbers in a Float64 column (NaN
 * where a record has none), until a key of another kind comes (a contradiction's digest), then in
 * a plain array. A JS array per rule, packed into a Float64Array at the end, grew by copying into
 * fresh memory and cost a pass more.
 */
export class KeyColumn {
  private numbers: F64Column | undefined = new F64Column();
  private values: unknown[] | undefined;
  /** Records whose slot is filled (with a key or NaN). */
  private count = 0;
  private any = false;

  get length(): number {
    return this.count;
  }

  reserve(n: number): void {
    this.numbers?.reserve(n);
  }

  /** Record `j`'s key (records in order, each at most once; those skipped have none). */
  set(j: number, key: unknown): void {
    if (key === undefined) return;
    if (typeof key !== 'number' && this.numbers) this.values = this.toArray(this.numbers);
    const numbers = this.numbers;
    if (numbers) {
      while (this.count < j) {
        numbers.push(NaN);
        this.count++;
      }
      numbers.push(key as number);
    } else (this.values as unknown[])[j] = key;
    this.count = j + 1;
    this.any = true;
  }

  /** The keys of `n` records, as FileLevelFindings reads them. */
  done(n: number): unknown[] | Float64Array {
    const numbers = this.numbers;
    if (!numbers) {
      const values = this.values as unknown[];
      values.length = n;
      return values;
    }
    if (!this.any) {
      numbers.done();
      // Empty: no record of the range has a key. Its own buffer, as each is transferred.
      return new Float64Array(0);
    }
    for (; this.count < n; this.count++) numbers.push(NaN);
    return numbers.done();
  }

  private toArray(numbers: F64Column): unknown[] {
    const done = numbers.done();
    this.numbers = undefined;
    const out: unknown[] = new Array(done.length);
    for (let i = 0; i < done.length; i++) if (!Number.isNaN(done[i])) out[i] = done[i];
    return out;
  }
}

export async function validateRange(job: ValidateRangeJob, progress?: (bytes: number) => void, isAborted: () => boolean = () => false): Promise<ValidateRangeResult> {
  const keys = new KeyRecorder(job.range);
  // Records' bytes are never read back here: the duplicate rule runs on the main thread.
  const listedBy = job.listedBy && job.rangeIndex !== undefined ? new Int32Array(job.listedBy) : undefined;
  const room = listedBy && new SharedRoom(listedBy, job.rangeIndex as number, job.maxProblems);
  const run: ValidationRun = new ValidationRun(
    { detection: job.detection, formatOptions: job.formatOptions, maxProblems: job.maxProblems, listLimit: room, fileLevel: keys },
    () => {
      throw new Error('no byte fetch in a range');
    },
  );
  keys.run = run;
  if (room) room.run = run;
  const totals = await scanRange(job.path, job.range, new RunHooks(run, progress), isAborted);
  if (isAborted()) throw new AbortedError();
  // In the order they were added: the main thread caps the file's list in that order (assemble).
  const r = run.result(false);
  if (listedBy) Atomics.store(listedBy, job.rangeIndex as number, r.problems.length);
  keys.finishRecord();
  const n = keys.index.length;
  return {
    ...totals,
    problems: r.problems,
    counts: [...run.counts].map(([rule, c]) => [rule, c, run.firstSeen.get(rule) ?? 0]),
    bySeverity: r.bySeverity,
    keyIndex: keys.index.done(),
    keyLine: keys.line.done(),
    keyColumn: keys.column.done(),
    keyOffset: keys.offset.done(),
    keyByteOffset: keys.byteOffset.done(),
    keyByteLength: keys.byteLength.done(),
    keyTrimmedOffset: keys.trimmedOffset.done(),
    keyTrimmedLength: keys.trimmedLength.done(),
    objectPlaces: keys.objectPlaces.done(),
    validPlaces: keys.validPlaces.done(),
    keys: keys.keys.map((k) => k.done(n)),
  };
}

/** Records between two looks at what the other ranges listed. */
const ROOM_EVERY = 32;

/**
 * The listing room of range `k`, asked before each record: maxProblems less what the ranges before
 * it have listed so far, which only grows. The main thread lists a range's problems after all of
 * those (and file-level findings among them), so it never takes more than this from the range.
 * Also tells the other ranges what this one has listed.
 */
class SharedRoom implements ListLimit {
  private calls = 0;
  private room: number;

  constructor(
    private readonly listedBy: Int32Array,
    private readonly k: number,
    private readonly maxProblems: number,
  ) {
    this.room = maxProblems;
  }

  /** The run of the range: what it has listed so far (set once the run exists, which takes this room). */
  run: { readonly listed: number } | undefined;

  limit(): number {
    if (this.calls++ % ROOM_EVERY !== 0) return this.room;
    Atomics.store(this.listedBy, this.k, this.run?.listed ?? 0);
    let before = 0;
    for (let j = 0; j < this.k && before < this.maxProblems; j++) before += Atomics.load(this.listedBy, j);
    this.room = Math.max(0, this.maxProblems - before);
    return this.room;
  }
}

/** A range's records and problems into its run (one class for every range: see RangeSink in fileRanges.ts). */
class RunHooks implements RangeScanHooks {
  constructor(
    private readonly run: ValidationRun,
    readonly progress: ((bytes: number) => void) | undefined,
  ) {}

  record(rec: SourceRecord, bytes: Uint8Array): void {
    this.run.record(rec, bytes);
  }

  problem(p: Problem): void {
    this.run.problem(p);
  }

  placesProblems(): boolean {
    return this.run.placesProblems();
  }
}

/** The buffers of a result, to transfer rather than copy. */
export function validateRangeTransfers(r: ValidateRangeResult): ArrayBuffer[] {
  const arrays = [r.keyIndex, r.keyLine, r.keyColumn, r.keyOffset, r.keyByteOffset, r.keyByteLength, r.keyTrimmedOffset, r.keyTrimmedLength, r.objectPlaces, r.validPlaces];
  for (const k of r.keys) if (k instanceof Float64Array) arrays.push(k);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
