/**
 * common/contradicting-preference: the same prompt with contradicting preferences. A pair whose
 * `chosen` and `rejected` appear swapped in an earlier record, or (KTO-style unpaired data) the same
 * prompt and completion labelled both desirable and undesirable. Keeps one short hash per message
 * list of a record.
 */
import type { FormatModule } from '../../formats/formatModule';
import type { CanonicalRecord, Message } from '../../model';
import type { EarlierRecord, EditableIndex, FileLevelRule, RecordAccess, StreamedRecord, StreamingIndex } from './fileLevelRule';
import * as l10n from '@vscode/l10n';

/** The format kinds whose records state a preference. */
const PREFERENCE_KINDS = new Set(['preference', 'unpaired']);

function appliesTo(format: FormatModule | undefined): boolean {
  return format !== undefined && PREFERENCE_KINDS.has(format.kind);
}

export interface ContradictionKey {
  /** What this record prefers, and what a record contradicting it would prefer. */
  mine: string;
  opposite: string;
  /** The label of an unpaired record (undefined for a pair). */
  label?: boolean;
}

/**
 * node:crypto, loaded on the first preference record: it brings some 45 of Node's own modules,
 * which cost a validation worker 2-3 ms of its start on every file, preference data or not.
 */
let crypto: typeof import('node:crypto') | undefined;

function digest(messages: readonly Message[]): string {
  // Roles and contents only: names, weights and metadata do not change what is preferred.
  let s = '';
  for (const m of messages) s += m.role + '\u0000' + m.content + '\u0001';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto.hash('sha1', s, 'base64').slice(0, 16);
}

/** The key of a canonical record, or undefined when it states no preference. */
export function contradictionKey(rec: CanonicalRecord): ContradictionKey | undefined {
  if (rec.type === 'preference') {
    const p = digest(rec.prompt);
    const c = digest(rec.chosen);
    const r = digest(rec.rejected);
    if (c === r) return undefined; // identical chosen/rejected is a rule of the formats
    return { mine: `p|${p}|${c}|${r}`, opposite: `p|${p}|${r}|${c}` };
  }
  if (rec.type === 'unpaired') {
    const both = `u|${digest(rec.prompt)}|${digest(rec.completion)}`;
    return { mine: `${both}|${rec.label}`, opposite: `${both}|${!rec.label}`, label: rec.label };
  }
  return undefined;
}

/** The first record of each key. */
class StreamingContradictions implements StreamingIndex<ContradictionKey> {
  private readonly seen = new Map<string, EarlierRecord>();

  add(key: ContradictionKey, rec: StreamedRecord): EarlierRecord | undefined {
    const earlier = this.seen.get(key.opposite);
    if (!this.seen.has(key.mine)) this.seen.set(key.mine, { line: rec.line, index: rec.index });
    return earlier;
  }
}

/** Records by key; only keys whose opposite is held too are looked at again. */
class EditableContradictions<T> implements EditableIndex<ContradictionKey, T> {
  private readonly byKey = new Map<string, { key: ContradictionKey; items: T[] }>();
  /** Keys held by a record whose opposite is held by another. */
  private readonly conflicts = new Set<string>();
  changed = false;

  add(item: T, key: ContradictionKey): void {
    let entry = this.byKey.get(key.mine);
    if (!entry) this.byKey.set(key.mine, (entry = { key, items: [] }));
    entry.items.push(item);
    if (this.byKey.has(key.opposite)) {
      this.conflicts.add(key.mine);
      this.conflicts.add(key.opposite);
      this.changed = true;
    }
  }

  remove(item: T, key: ContradictionKey): void {
    const entry = this.byKey.get(key.mine);
    if (entry) {
      const i = entry.items.indexOf(item);
      if (i >= 0) entry.items.splice(i, 1);
      if (entry.items.length === 0) {
        this.byKey.delete(key.mine);
        this.conflicts.delete(key.mine);
        this.conflicts.delete(key.opposite);
      }
    }
    if (this.conflicts.has(key.mine) || this.byKey.has(key.opposite)) this.changed = true;
  }

  findings(access: RecordAccess<T>, fn: (item: T, earlier: T) => void): void {
    this.changed = false;
    for (const k of this.conflicts) {
      const entry = this.byKey.get(k);
      if (!entry) continue;
      const opposite = this.byKey.get(entry.key.opposite);
      if (!opposite) continue;
      let earliest: T | undefined;
      for (const o of opposite.items) if (earliest === undefined || access.offsetOf(o) < access.offsetOf(earliest)) earliest = o;
      if (earliest === undefined) continue;
      for (const s of entry.items) if (access.offsetOf(earliest) < access.offsetOf(s)) fn(s, earliest);
    }
  }
}

export const contradictingPreference: FileLevelRule<ContradictionKey> = {
  id: 'common/contradicting-preference',
  severity: 'warning',
  stage: 'valid',
  appliesTo,
  key: ({ value, format, formatOptions }) => (format && appliesTo(format) ? contradictionKey(format.toCanonical(value, formatOptions)) : undefined),
  message: (earlierLine, key) =>
    key.label === undefined
      ? l10n.t('The same prompt on line {0} prefers the opposite answer: "chosen" and "rejected" are swapped there.', earlierLine)
      : l10n.t('The same prompt and completion on line {0} carry the opposite label ({1} there, {2} here).', earlierLine, !key.label, key.label),
  streamingIndex: () => new StreamingContradictions(),
  editableIndex: <T>() => new EditableContradictions<T>(),
};
