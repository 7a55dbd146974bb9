/**
 * The file-level rules over records that come and go (the editor's incremental validator): each
 * record is registered with its keys and unregistered when an edit removes or changes it; the
 * findings are computed again only after a change that may have altered them.
 */
import type { EditableIndex, RecordAccess } from './fileLevelRule';
import { FILE_LEVEL_RULES } from './registry';

/** A rule's finding on a record: the rule (its position in FILE_LEVEL_RULES) and the earlier record. */
export interface Finding<T> {
  rule: number;
  earlier: T;
}

export class EditableFileLevelRules<T> {
  private readonly indexes: EditableIndex<unknown, T>[] = FILE_LEVEL_RULES.map((r) => r.editableIndex<T>());

  /** `keys`: the record's key per rule (FILE_LEVEL_RULES order), undefined where a rule does not apply. */
  add(item: T, keys: readonly unknown[]): void {
    for (let r = 0; r < keys.length; r++) if (keys[r] !== undefined) this.indexes[r].add(item, keys[r]);
  }

  remove(item: T, keys: readonly unknown[]): void {
    for (let r = 0; r < keys.length; r++) if (keys[r] !== undefined) this.indexes[r].remove(item, keys[r]);
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
