/**
 * Keys over canonical records for file-level rules run by the validation pipeline: exact duplicate
 * prompts, and contradicting preferences (the same prompt and pair with chosen/rejected swapped).
 */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';

function messagesKey(msgs: readonly Message[]): string {
  // Role and content are what the trainer sees; \u0001/\u0002 cannot collide with JSON-escaped text.
  let s = '';
  for (const m of msgs) {
    s += m.role + '\u0001' + m.content;
    if (m.toolCalls?.length) for (const c of m.toolCalls) s += '\u0003' + c.name + '\u0003' + c.arguments;
    s += '\u0002';
  }
  return s;
}

/** The prompt a record answers, as a comparable string; undefined for records without one (plain text). */
export function promptKey(rec: CanonicalRecord): string | undefined {
  switch (rec.type) {
    case 'text':
      return undefined;
    case 'sft': {
      let end = rec.messages.length;
      while (end > 0 && rec.messages[end - 1].role === 'assistant') end--;
      return (rec.system !== undefined ? 'system\u0001' + rec.system + '\u0002' : '') + messagesKey(rec.messages.slice(0, end));
    }
    default:
      return messagesKey(rec.prompt);
  }
}

export interface PreferenceKey {
  /** Equal for two records with the same prompt and the same two answers, whichever was chosen. */
  key: string;
  /** Which way round the pair is: two records with the same key and different `swapped` contradict. */
  swapped: boolean;
}

/** Key of a preference pair, independent of which answer was chosen; undefined for other record types. */
export function preferenceKey(rec: CanonicalRecord): PreferenceKey | undefined {
  if (rec.type !== 'preference') return undefined;
  const p = rec as PreferenceRecord;
  const a = messagesKey(p.chosen);
  const b = messagesKey(p.rejected);
  const swapped = a > b;
  return { key: messagesKey(p.prompt) + '\u0004' + (swapped ? b + '\u0004' + a : a + '\u0004' + b), swapped };
}
