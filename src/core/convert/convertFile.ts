/**
 * Format-to-format conversion through the canonical model (toCanonical -> fromCanonical), streamed
 * record by record into an atomic output file. Whatever cannot be carried over (a field, a whole
 * record, a record with errors) is reported per record and field; unless lossy output is allowed,
 * any loss refuses the conversion and no output file is left behind.
 */
import * as path from 'node:path';
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { AtomicFileWriter } from '../jsonl/atomicWrite';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { readFileRecords } from '../jsonl/readRecords';
import { ParquetColumnTypes, writeParquetRecords } from '../jsonl/parquetWriter';
import { isParquetFileName, modeForFileName, type ReaderMode, type SourceRecord } from '../jsonl/sourceRecord';
import { detectFormat, forcedDetection, type Detection } from '../validate/detect';
import { checkRecordGuarded } from '../validate/recordChecks';
import * as l10n from '@vscode/l10n';

export interface ConvertOptions {
  to: FormatId;
  /** Output path; defaults to `<input without extension>.<to>.jsonl`. A `.json` name writes a JSON array. */
  out?: string;
  allowLossy?: boolean;
  /** Source format; detected from the records when absent. */
  from?: FormatId;
  fromOptions?: FormatOptions;
  toOptions?: FormatOptions;
  mode?: ReaderMode;
  signal?: AbortSignal;
  /** Losses listed in detail (counts stay complete). Default 1000. */
  maxListedLosses?: number;
}

export interface RecordLoss {
  /** 0-based record index and 1-based line where the record starts; absent for file-level losses. */
  record?: number;
  line?: number;
  /** Canonical field (`messages[2].toolCalls`), or `record` when the whole record is lost. */
  field: string;
  reason: string;
}

export interface ConvertResult {
  from?: FormatId;
  to: FormatId;
  detection: Detection;
  /** Set when the output file was written (committed). */
  out?: string;
  /** Output path that was intended, written or not. */
  target: string;
  records: number;
  written: number;
  /** Records dropped entirely (errors, or the target cannot hold them). */
  droppedRecords: number;
  /** Records that lost at least one field. */
  lossyRecords: number;
  losses: RecordLoss[];
  /** Losses per field, turn indices folded (`messages[].toolCalls`); `record` for whole records. */
  lossCounts: Record<string, number>;
  /** Why nothing was written, when it was not. */
  refused?: string;
}

export function defaultOutputPath(input: string, to: FormatId): string {
  const ext = path.extname(input);
  return path.join(path.dirname(input), `${path.basename(input, ext)}.${to}.jsonl`);
}

async function detectFromFile(input: string, mode: ReaderMode, signal?: AbortSignal): Promise<Detection> {
  const sample: Record<string, unknown>[] = [];
  for await (const item of readFileRecords(input, { mode, signal })) {
    if (item.kind === 'record' && item.value) sample.push(item.value);
    if (sample.length >= 200) break;
  }
  return detectFormat(sample);
}

/** Serializes output records as JSON Lines or as a pretty JSON array. */
class OutputEncoder {
  private first = true;
  constructor(private readonly asArray: boolean) {}
  head(): string {
    return this.asArray ? '[' : '';
  }
  record(r: Record<string, unknown>): string {
    if (!this.asArray) return JSON.stringify(r) + '\n';
    const body = JSON.stringify(r, null, 2).replace(/\n/g, '\n  ');
    const s = (this.first ? '\n  ' : ',\n  ') + body;
    this.first = false;
    return s;
  }
  tail(): string {
    return this.asArray ? (this.first ? ']\n' : '\n]\n') : '';
  }
}

export async function convertFile(input: string, opts: ConvertOptions): Promise<ConvertResult> {
  const mode = opts.mode ?? modeForFileName(input);
  const target = opts.out ?? defaultOutputPath(input, opts.to);
  refuseUnsafeOutputs([input], [target]);
  const to = getFormat(opts.to);
  const detection = opts.from ? forcedDetection(opts.from) : await detectFromFile(input, mode, opts.signal);
  const result: ConvertResult = { from: detection.format, to: opts.to, detection, target, records: 0, written: 0, droppedRecords: 0, lossyRecords: 0, losses: [], lossCounts: {} };
  const lose = loser(result, opts.maxListedLosses ?? 1000);
  if (!detection.format) {
    result.refused = l10n.t('the source format could not be detected ({0}); name it with "from"', detection.evidence);
    return result;
  }
  const from: FormatModule = getFormat(detection.format);

  const records = (into: ConvertResult, loseInto = lose) => convertedRecords(input, mode, from, to, opts, loseInto, into);
  if (isParquetFileName(target)) return writeParquet(target, records, opts, result);

  const writer = await AtomicFileWriter.create(target);
  let writing = true;
  let pending: string[] = [];
  let pendingChars = 0;
  const encoder = new OutputEncoder(/\.json$/i.test(target));
  const stopWriting = async () => {
    if (!writing) return;
    writing = false;
    pending = [];
    await writer.abort();
  };
  const flush = async () => {
    if (!writing || pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingChars = 0;
    await writer.write(chunk);
  };
  const emit = (s: string) => {
    if (!writing) return;
    pending.push(s);
    pendingChars += s.length;
  };

  try {
    emit(encoder.head());
    for await (const r of records(result)) {
      if (r) emit(encoder.record(r));
      if (!opts.allowLossy && hasLosses(result)) await stopWriting();
      if (pendingChars > 1 << 20) await flush();
    }
    if (!opts.allowLossy && hasLosses(result)) await stopWriting();
    if (writing) {
      emit(encoder.tail());
      await flush();
      await writer.commit();
      result.out = target;
    } else {
      refuse(result);
    }
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return result;
}

/** Records a loss: counted per field whatever the turn (`messages[3].toolCalls` counts as `messages[].toolCalls`). */
function loser(result: ConvertResult, maxListed: number): (l: RecordLoss) => void {
  return (l) => {
    const key = l.field.replace(/\[\d+\]/g, '[]');
    result.lossCounts[key] = (result.lossCounts[key] ?? 0) + 1;
    if (result.losses.length < maxListed) result.losses.push(l);
  };
}

function hasLosses(result: ConvertResult): boolean {
  return Object.keys(result.lossCounts).length > 0;
}

function refuse(result: ConvertResult): void {
  const n = Object.values(result.lossCounts).reduce((a, b) => a + b, 0);
  const records = result.droppedRecords + result.lossyRecords;
  result.refused = n === 1
    ? l10n.t('1 loss in {0} record(s) (see the list); nothing was written. Allow lossy conversion to write anyway', records)
    : l10n.t('{0} losses in {1} record(s) (see the list); nothing was written. Allow lossy conversion to write anyway', n, records);
}

/**
 * Each input record converted: the output record, or undefined when it was dropped (the loss is
 * recorded through `lose` and counted in `result`).
 */
async function* convertedRecords(
  input: string,
  mode: ReaderMode,
  from: FormatModule,
  to: FormatModule,
  opts: ConvertOptions,
  lose: (l: RecordLoss) => void,
  result: ConvertResult,
): AsyncGenerator<Record<string, unknown> | undefined> {
  for await (const item of readFileRecords(input, { mode, signal: opts.signal })) {
    if (item.kind === 'problem') {
      lose({ line: item.problem.line, field: 'file', reason: item.problem.message });
      continue;
    }
    result.records++;
    let out: Record<string, unknown> | undefined;
    convertOne(item, from, to, opts, (r) => (out = r), lose, result);
    yield out;
  }
}

/**
 * Parquet output: a first pass learns the columns (and the losses, so a refused conversion writes
 * nothing), a second converts again and streams the rows into the atomic temp file.
 */
async function writeParquet(
  target: string,
  records: (into: ConvertResult, lose: (l: RecordLoss) => void) => AsyncGenerator<Record<string, unknown> | undefined>,
  opts: ConvertOptions,
  result: ConvertResult,
): Promise<ConvertResult> {
  const types = new ParquetColumnTypes();
  for await (const r of records(result, loser(result, opts.maxListedLosses ?? 1000))) if (r) types.add(r);
  if (!opts.allowLossy && hasLosses(result)) {
    refuse(result);
    return result;
  }
  // The second pass reports into a copy: the counts of the first stand.
  const again: ConvertResult = { ...result, records: 0, written: 0, droppedRecords: 0, lossyRecords: 0, losses: [], lossCounts: {} };
  const rerun = async function* () {
    for await (const r of records(again, loser(again, 0))) if (r) yield r;
  };
  const writer = await AtomicFileWriter.create(target);
  try {
    await writeParquetRecords(rerun(), types.columns(), writer);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  result.out = target;
  return result;
}

function convertOne(
  rec: SourceRecord,
  from: FormatModule,
  to: FormatModule,
  opts: ConvertOptions,
  emitRecord: (r: Record<string, unknown>) => void,
  lose: (l: RecordLoss) => void,
  result: ConvertResult,
): void {
  const where = { record: rec.index, line: rec.line };
  const drop = (reason: string) => {
    result.droppedRecords++;
    lose({ ...where, field: 'record', reason });
  };
  if (!rec.value) {
    drop(rec.problems?.[0]?.message ?? l10n.t('not a JSON object'));
    return;
  }
  const value = rec.value;
  const check = checkRecordGuarded(value, rec, from, opts.fromOptions, false);
  const firstError = check.problems.find((p) => p.severity === 'error');
  if (firstError) {
    drop(l10n.t('the record has errors ({0}: {1})', firstError.rule, firstError.message));
    return;
  }
  let out: ReturnType<FormatModule['fromCanonical']>;
  try {
    out = to.fromCanonical(from.toCanonical(value, opts.fromOptions), opts.toOptions);
  } catch (e) {
    drop(l10n.t('conversion failed: {0}', e instanceof Error ? e.message : String(e)));
    return;
  }
  if (!out.record) {
    drop(out.lost.map((l) => `${l.field}: ${l.reason}`).join('; ') || l10n.t('{0} cannot hold this record', to.id));
    return;
  }
  if (out.lost.length > 0) {
    result.lossyRecords++;
    for (const l of out.lost) lose({ ...where, field: l.field, reason: l.reason });
  }
  emitRecord(out.record);
  result.written++;
}
