/**
 * The file-level rules fed record by record in file order, reporting as they go: what the
 * validation pipeline and the "has problems" filter use, so that both see the same problems.
 */
import type { FormatModule, FormatOptions } from '../../formats/formatModule';
import type { SourceRecord } from '../../jsonl/sourceRecord';
import type { Problem } from '../../base/problem';
import { checkFailedProblem } from '../recordChecks';
import { fillKeyInput, type ByteFetcher, type KeyInput, type RuleStage, type StreamingIndex } from './fileLevelRule';
import { FILE_LEVEL_RULES, findingProblem } from './registry';
import { fileLimitProblem } from './fileLimit';
import { unknownFormatProblem } from './unknownFormat';

/** What the pipeline tells the file-level rules, record by record in file order. */
export interface FileLevelHandler {
  /**
   * A record whose text is a JSON object, before its checks: the problems to report now. `place`
   * false: they will only be counted (past the listing limit), so none needs its exact range.
   */
  beforeChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined, place?: boolean): readonly Problem[];
  /** A record that passed its checks, right after them (`place` as for beforeChecks). */
  afterChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule, options: FormatOptions | undefined, place?: boolean): readonly Problem[];
  /** No known format fits the file: the problem on its first JSON-object record, when reported now. */
  unknownFormat(first: SourceRecord, evidence: string): Problem | undefined;
  /** At the end: a limit of the whole file its `records` break, on its first JSON-object record, when reported now. */
  fileLimit(first: SourceRecord, format: FormatModule | undefined, records: number, options: FormatOptions | undefined): Problem | undefined;
  /** Room in the rules' indexes for about this many keyed records in all (a hint; see reserveRuleIndexes). */
  reserve?(records: number): void;
}

/** The most keyed records the rules' indexes make room for up front (2M: 16 MB of the duplicate index's table). */
const RESERVE_LIMIT = 1 << 21;

/**
 * Makes room in the rules' indexes for about `records` keyed records, up to RESERVE_LIMIT: the
 * duplicate index's table, rehashed step by step as it fills, costs as much again, and its
 * discarded tables wait for a full collection.
 */
export function reserveRuleIndexes(indexes: readonly StreamingIndex<unknown>[], records: number): void {
  const n = Math.min(RESERVE_LIMIT, Math.ceil(records));
  for (const index of indexes) index.reserve?.(n);
}

const NO_PROBLEMS: readonly Problem[] = [];

export class FileLevelRules implements FileLevelHandler {
  private readonly indexes: StreamingIndex<unknown>[];
  /** Refilled for each record: the key functions keep nothing of it. */
  private readonly input: KeyInput = { bytes: new Uint8Array(0), value: {}, format: undefined, formatOptions: undefined };

  /** `fetch` reads back the bytes of an earlier record. */
  constructor(fetch: ByteFetcher) {
    this.indexes = FILE_LEVEL_RULES.map((r) => r.streamingIndex(fetch));
  }

  beforeChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined, place = true): readonly Problem[] {
    return this.apply('object', rec, bytes, format, options, place);
  }

  afterChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule, options: FormatOptions | undefined, place = true): readonly Problem[] {
    return this.apply('valid', rec, bytes, format, options, place);
  }

  unknownFormat(first: SourceRecord, evidence: string): Problem {
    return unknownFormatProblem(first, evidence);
  }

  fileLimit(first: SourceRecord, format: FormatModule | undefined, records: number, options: FormatOptions | undefined): Problem | undefined {
    return fileLimitProblem(first, format?.id, records, options);
  }

  reserve(records: number): void {
    reserveRuleIndexes(this.indexes, records);
  }

  private apply(stage: RuleStage, rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined, place: boolean): readonly Problem[] {
    const input = this.input;
    if (!fillKeyInput(input, rec.value, bytes, format, options)) return NO_PROBLEMS;
    let out: Problem[] | undefined;
    for (let r = 0; r < FILE_LEVEL_RULES.length; r++) {
      const rule = FILE_LEVEL_RULES[r];
      if (rule.stage !== stage) continue;
      let key: unknown;
      try {
        key = rule.key(input);
      } catch (err) {
        (out ??= []).push(checkFailedProblem(err, rec));
        continue;
      }
      if (key === undefined) continue;
      const earlier = this.indexes[r].add(key, rec, bytes);
      if (earlier) (out ??= []).push(findingProblem(rule, rec, earlier.line, key, place));
    }
    return out ?? NO_PROBLEMS;
  }
}
