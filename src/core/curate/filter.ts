/**
 * Keeps the records that satisfy every given criterion over the canonical model (token range, a
 * role present, a regular expression on a field, with or without problems) and writes the kept and
 * the removed records to two files, each record as its source text. One pass, constant memory.
 * Records with no canonical form fail every content criterion (they cannot be judged).
 */
import { closeSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { removeTempFilesOf } from '../jsonl/atomicWrite';
import { recoverOutputSets } from '../jsonl/commitJournal';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { canonicalOf, type FormatId } from '../formats/formatModule';
import type { CanonicalRecord, Role } from '../model';
import type { SourceRecord } from '../jsonl/sourceRecord';
import { createTokenCounter, type TokenCounter } from '../tokens/tokenCounter';
import type { Detection } from '../validate/detect';
import { fileByteFetcher, FileLevelRules } from '../validate/fileLevelRules';
import { checkRecordGuarded } from '../validate/recordChecks';
import { detectFileFormat, formatModuleOf, scanRecords, type CurateRunOptions, type FormatChoice } from './datasetScan';
import { abortAll, commitRecordOutputs, RecordOutput, siblingPath } from './recordOutput';
import { newRegexClock, REGEX_TIME_LIMIT_MS, TimedRegex } from './regexTimeLimit';
import { runWorkers } from './workerPool';
import { fullText, messageBuckets, promptText, responseText, rolesOf, systemText } from './recordText';
import { openInputFileSync } from '../jsonl/openInput';

export type FilterField = 'prompt' | 'response' | 'system' | 'any';

export interface FilterCriteria {
  /** Tokens per record (all messages, as in stats), inclusive bounds. */
  minTokens?: number;
  maxTokens?: number;
  /** A message with this role must be present. */
  role?: Role;
  regex?: { field: FilterField; pattern: RegExp };
  /**
   * `has`: keep only records with problems (any severity); `none`: only records without. Problems
   * as validation reports them, the file-level rules included (a duplicate of an earlier record, a
   * preference contradicting an earlier one).
   */
  problems?: 'has' | 'none';
}

export interface FilterOptions extends CurateRunOptions, FormatChoice {
  criteria: FilterCriteria;
  /** Kept records; default `<input>.kept.<ext>`. */
  out?: string;
  /** Removed records; default `<input>.removed.<ext>`. */
  removedOut?: string;
  /** Model whose tokenizer counts (see tokens/tokenCounter). */
  model?: string;
  /** How long the regular expression may take on one record (filterFileOffThread; default REGEX_TIME_LIMIT_MS). */
  regexTimeLimitMs?: number;
  /** The clock the regular expression's tests tick (regexTimeLimit.ts): set in the worker of filterFileOffThread. */
  regexClock?: SharedArrayBuffer;
}

export interface FilterResult {
  format?: FormatId;
  detection: Detection;
  records: number;
  kept: number;
  removed: number;
  /** Removed records per first failed criterion. */
  removedBy: Record<string, number>;
  out: string;
  removedOut: string;
}

function fieldText(c: CanonicalRecord, field: FilterField): string {
  switch (field) {
    case 'prompt':
      return promptText(c);
    case 'response':
      return responseText(c);
    case 'system':
      return systemText(c);
    case 'any':
      return fullText(c);
  }
}

export function recordTokens(c: CanonicalRecord, counter: TokenCounter): number {
  let n = 0;
  for (const [, msgs] of messageBuckets(c)) for (const m of msgs) n += counter.count(m.content);
  return n;
}

/** A filter run as a worker job: the options without callbacks, the regular expression as source and flags. */
export interface FilterJob {
  job: 'filterFile';
  input: string;
  opts: Omit<FilterOptions, 'signal' | 'onProgress' | 'criteria'> & { criteria: Omit<FilterCriteria, 'regex'> & { regex?: { field: FilterField; source: string; flags: string } } };
}

/** Runs a FilterJob (worker side). */
export function runFilterJob(job: FilterJob, progress: (bytes: number) => void): Promise<FilterResult> {
  const { regex, ...rest } = job.opts.criteria;
  const criteria: FilterCriteria = { ...rest, ...(regex ? { regex: { field: regex.field, pattern: new RegExp(regex.source, regex.flags) } } : {}) };
  return filterFile(job.input, { ...job.opts, criteria, onProgress: (bytes) => progress(bytes) });
}

/**
 * filterFile for the extension host and the CLI: in a worker thread when a regular expression is
 * among the criteria (a backtracking pattern must not stall the host; a cancellation, or one
 * record's test running past the time bound, terminates the worker and its temporary files are
 * removed here), in this thread otherwise.
 */
export async function filterFileOffThread(input: string, opts: FilterOptions): Promise<FilterResult> {
  const { regex, ...rest } = opts.criteria;
  if (!regex) return filterFile(input, opts);
  const { signal, onProgress, criteria: _criteria, regexTimeLimitMs = REGEX_TIME_LIMIT_MS, ...plain } = opts;
  const out = opts.out ?? siblingPath(input, 'kept');
  const removedOut = opts.removedOut ?? siblingPath(input, 'removed');
  refuseUnsafeOutputs([input], [out, removedOut]);
  const regexClock = newRegexClock();
  const job: FilterJob = {
    job: 'filterFile',
    input,
    opts: { ...plain, out, removedOut, regexClock, criteria: { ...rest, regex: { field: regex.field, source: regex.pattern.source, flags: regex.pattern.flags } } },
  };
  const { size } = await fsp.stat(input);
  try {
    const [result] = await runWorkers<FilterResult>([job], { worker: 'filterWorker', signal, onProgress, totalBytes: size, regexTimeLimit: { clocks: [regexClock], limitMs: regexTimeLimitMs } });
    return result;
  } catch (e) {
    // A worker stopped between the renames of its set: complete the set before removing temps.
    await recoverOutputSets(path.dirname(path.resolve(out))).catch(() => undefined);
    await Promise.all([removeTempFilesOf(out), removeTempFilesOf(removedOut)]);
    throw e;
  }
}

export async function filterFile(input: string, opts: FilterOptions): Promise<FilterResult> {
  const crit = opts.criteria;
  const regex = crit.regex && { field: crit.regex.field, pattern: new TimedRegex(crit.regex.pattern, opts.regexClock) };
  const detection = await detectFileFormat(input, opts);
  const format = formatModuleOf(detection);
  const needsTokens = crit.minTokens !== undefined || crit.maxTokens !== undefined;
  const counter = needsTokens ? createTokenCounter({ model: opts.model }) : undefined;
  const needsCanonical = needsTokens || crit.role !== undefined || crit.regex !== undefined;
  const asArray = /\.json$/i.test(input);
  const outPath = opts.out ?? siblingPath(input, 'kept');
  const removedPath = opts.removedOut ?? siblingPath(input, 'removed');
  refuseUnsafeOutputs([input], [outPath, removedPath]);
  const result: FilterResult = { format: detection.format, detection, records: 0, kept: 0, removed: 0, removedBy: {}, out: outPath, removedOut: removedPath };

  // The file-level rules see every record in order, whatever the record's other problems.
  const fd = crit.problems ? openInputFileSync(input) : undefined;
  const fileRules = fd !== undefined ? new FileLevelRules(fileByteFetcher(fd)) : undefined;
  const hasProblems = (rec: SourceRecord, bytes: Uint8Array, rules: FileLevelRules): boolean => {
    const value = rec.value;
    let has = (rec.problems?.length ?? 0) > 0 || !value || !format;
    if (!value) return has;
    if (rules.beforeChecks(rec, bytes, format, opts.formatOptions, false).length > 0) has = true;
    if (!format) return has;
    const check = checkRecordGuarded(value, rec, format, opts.formatOptions, false);
    if (check.problems.length > 0) has = true;
    if (check.valid && rules.afterChecks(rec, bytes, format, opts.formatOptions, false).length > 0) has = true;
    return has;
  };

  /** The first criterion the record fails, or undefined when it passes them all. */
  const failed = (rec: SourceRecord, bytes: Uint8Array): string | undefined => {
    if (fileRules) {
      const has = hasProblems(rec, bytes, fileRules);
      if (crit.problems === 'has' && !has) return 'no-problems';
      if (crit.problems === 'none' && has) return 'has-problems';
    }
    if (!needsCanonical) return undefined;
    const c = canonicalOf(format, rec, opts.formatOptions);
    if (!c) return 'unreadable';
    if (counter) {
      const t = recordTokens(c, counter);
      if (crit.minTokens !== undefined && t < crit.minTokens) return 'min-tokens';
      if (crit.maxTokens !== undefined && t > crit.maxTokens) return 'max-tokens';
    }
    if (crit.role !== undefined && !rolesOf(c).has(crit.role)) return 'role';
    if (regex && !regex.pattern.test(fieldText(c, regex.field))) return 'regex';
    return undefined;
  };

  let kept: RecordOutput | undefined;
  let removed: RecordOutput | undefined;
  try {
    kept = await RecordOutput.open(outPath, asArray);
    removed = await RecordOutput.open(removedPath, asArray);
    const k = kept;
    const r = removed;
    await scanRecords(
      input,
      {
        record: (rec, bytes) => {
          result.records++;
          const why = failed(rec, bytes);
          if (why === undefined) {
            result.kept++;
            k.addBytes(bytes);
          } else {
            result.removed++;
            result.removedBy[why] = (result.removedBy[why] ?? 0) + 1;
            r.addBytes(bytes);
          }
        },
        afterChunk: async () => {
          if (k.needsFlush) await k.flush();
          if (r.needsFlush) await r.flush();
        },
      },
      opts,
    );
    await commitRecordOutputs([k, r]);
  } catch (e) {
    await abortAll([kept, removed]);
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return result;
}
