/**
 * The file-level rules over records that come and go (the editor's incremental validator): each
 * record is registered with its keys and unregistered when an edit removes or changes it; the
 * findings are computed again only after a change that may have altered them.
 */
import type { FormatModule, FormatOptions } from '../../formats/formatModule';
import type { SourceRecord } from '../../jsonl/sourceRecord';
import type { RecordText } from '../positions';
import type { Problem } from '../../base/problem';
import { trimJson } from './duplicateRecord';
import { fillKeyInput, type EditableIndex, type KeyInput, type RecordAccess, type RuleStage } from './fileLevelRule';
import { collectKeys, FILE_LEVEL_RULES } from './registry';
import type { FileLevelHandler } from './streamingRules';

const NO_PROBLEMS: readonly Problem[] = [];

/** A rule's finding on a record: the rule (its position in FILE_LEVEL_RULES) and the earlier record. */
export interface Finding<T> {
  rule: number;
  earlier: T;
}

/**
 * A record's keys, one per rule (FILE_LEVEL_RULES order). Most records have the first rule's key
 * only (the duplicate hash, a small integer): they keep that number instead of an array, which spares
 * an object per record of a large file, whose keys the editor keeps for every record.
 */
export type RecordKeys = number | readonly unknown[];

/** The key of rule `r`, or undefined where the rule does not apply. */
export function keyAt(keys: RecordKeys, r: number): unknown {
  return typeof keys === 'number' ? (r === 0 ? keys : undefined) : keys[r];
}

function packKeys(keys: unknown[]): RecordKeys {
  if (typeof keys[0] !== 'number') return keys;
  for (let r = 1; r < keys.length; r++) if (keys[r] !== undefined) return keys;
  return keys[0];
}

export class EditableFileLevelRules<T> {
  private readonly indexes: EditableIndex<unknown, T>[];

  /** `expected`: about how many records it will hold. */
  constructor(expected = 0) {
    this.indexes = FILE_LEVEL_RULES.map((r) => r.editableIndex<T>(expected));
  }

  add(item: T, keys: RecordKeys): void {
    for (let r = 0; r < this.indexes.length; r++) {
      const key = keyAt(keys, r);
      if (key !== undefined) this.indexes[r].add(item, key);
    }
  }

  remove(item: T, keys: RecordKeys): void {
    for (let r = 0; r < this.indexes.length; r++) {
      const key = keyAt(keys, r);
      if (key !== undefined) this.indexes[r].remove(item, key);
    }
  }

  /** Whether the findings may have changed since they were last computed. */
  get changed(): boolean {
    return this.indexes.some((i) => i.changed);
  }

  /** Every record with findings, and its findings in rule order. */
  findings(access: RecordAccess<T>): Map<T, Finding<T>[]> {
    const out = new Map<T, Finding<T>[]>();
    this.indexes.forEach((index, rule) =>
      index.findings(access, (item, earlier) => {
        const list = out.get(item);
        if (list) list.push({ rule, earlier });
        else out.set(item, [{ rule, earlier }]);
      }),
    );
    return out;
  }
}

/**
 * The pipeline's file-level stage for the incremental validator's first pass: it keeps each record's
 * keys (read back with `keysOf` in the pipeline's onRecord) and reports nothing of its own, since the
 * validator reports file-level findings from its editable indexes.
 */
export class KeyCollector implements FileLevelHandler {
  private rec: SourceRecord | undefined;
  private keys: unknown[] | undefined;
  /** Refilled for each record: the key functions keep nothing of it. */
  private readonly input: KeyInput = { bytes: new Uint8Array(0), value: {}, format: undefined, formatOptions: undefined };

  beforeChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined): readonly Problem[] {
    this.rec = rec;
    this.keys = new Array<unknown>(FILE_LEVEL_RULES.length);
    return this.collect('object', rec, bytes, format, options, this.keys);
  }

  afterChecks(rec: SourceRecord, bytes: Uint8Array, format: FormatModule, options: FormatOptions | undefined): readonly Problem[] {
    return rec === this.rec && this.keys ? this.collect('valid', rec, bytes, format, options, this.keys) : NO_PROBLEMS;
  }

  /** The keys of the record the pipeline has just handled (its onRecord). */
  keysOf(rec: SourceRecord): RecordKeys | undefined {
    return rec === this.rec && this.keys ? packKeys(this.keys) : undefined;
  }

  unknownFormat(): undefined {
    return undefined;
  }

  fileLimit(): undefined {
    return undefined;
  }

  private collect(stage: RuleStage, rec: SourceRecord, bytes: Uint8Array, format: FormatModule | undefined, options: FormatOptions | undefined, keys: unknown[]): readonly Problem[] {
    return fillKeyInput(this.input, rec.value, bytes, format, options) ? collectKeys(stage, this.input, rec, keys) : NO_PROBLEMS;
  }
}

/**
 * The keys of one record checked on its own (an edited record): the object-stage keys, and the
 * valid-stage ones when it passed its checks; problems of key functions that threw.
 */
export function recordKeys(rec: RecordText, value: Record<string, unknown>, valid: boolean, format: FormatModule | undefined, options: FormatOptions | undefined): { keys: RecordKeys; problems: Problem[] } {
  const keys = new Array<unknown>(FILE_LEVEL_RULES.length);
  const input: KeyInput = { bytes: Buffer.from(trimJson(rec.text), 'utf8'), value, format, formatOptions: options };
  const problems = [...collectKeys('object', input, rec, keys)];
  if (valid && format) problems.push(...collectKeys('valid', input, rec, keys));
  return { keys: packKeys(keys), problems };
}
