/**
 * Finds the same prompt with contradicting preferences: a pair whose `chosen` and `rejected`
 * appear swapped in an earlier record, or (KTO-style unpaired data) the same prompt and completion
 * labelled both desirable and undesirable. Keeps one short hash per record.
 */
import { hash } from 'node:crypto';
import type { CanonicalRecord, Message } from '../model';
import * as l10n from '@vscode/l10n';

function digest(messages: readonly Message[]): string {
  // Roles and contents only: names, weights and metadata do not change what is preferred.
  let s = '';
  for (const m of messages) s += m.role + '\u0000' + m.content + '\u0001';
  return hash('sha1', s, 'base64').slice(0, 16);
}

export interface Contradiction {
  line: number;
  index: number;
  message: string;
}

export class ContradictionIndex {
  private readonly seen = new Map<string, { line: number; index: number }>();

  /** Registers a canonical record; returns the earlier record it contradicts, if any. */
  add(rec: CanonicalRecord, line: number, index: number): Contradiction | undefined {
    if (rec.type === 'preference') {
      const p = digest(rec.prompt);
      const c = digest(rec.chosen);
      const r = digest(rec.rejected);
      if (c === r) return undefined; // identical chosen/rejected is a rule of the formats
      const earlier = this.seen.get(`${p}|${r}|${c}`);
      if (!this.seen.has(`${p}|${c}|${r}`)) this.seen.set(`${p}|${c}|${r}`, { line, index });
      if (earlier) {
        return { ...earlier, message: l10n.t('The same prompt on line {0} prefers the opposite answer: "chosen" and "rejected" are swapped there.', earlier.line) };
      }
    } else if (rec.type === 'unpaired') {
      const key = `${digest(rec.prompt)}|${digest(rec.completion)}`;
      const earlier = this.seen.get(`${key}|${!rec.label}`);
      if (!this.seen.has(`${key}|${rec.label}`)) this.seen.set(`${key}|${rec.label}`, { line, index });
      if (earlier) {
        return { ...earlier, message: l10n.t('The same prompt and completion on line {0} carry the opposite label ({1} there, {2} here).', earlier.line, !rec.label, rec.label) };
      }
    }
    return undefined;
  }
}
