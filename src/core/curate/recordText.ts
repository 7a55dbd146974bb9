/**
 * The text of a canonical record as curation sees it, whatever its source format: the messages
 * grouped by the bucket they count in (stats), the prompt (grouping, first words, filters) and the
 * whole content (dedupe), so the same content in two formats compares equal.
 */
import type { CanonicalRecord, Message } from '../model';

/** Messages of a record by bucket: '' for the conversation/prompt, 'chosen ', 'rejected ', … for answers. */
export function messageBuckets(rec: CanonicalRecord): [string, Message[]][] {
  switch (rec.type) {
    case 'sft':
      return [['', rec.system !== undefined ? [{ role: 'system', content: rec.system }, ...rec.messages] : rec.messages]];
    case 'text':
      return [['', [{ role: 'assistant', content: rec.text }]]];
    case 'preference':
      return [
        ['', rec.prompt],
        ['chosen ', rec.chosen],
        ['rejected ', rec.rejected],
      ];
    case 'unpaired':
      return [
        ['', rec.prompt],
        ['completion ', rec.completion],
      ];
    case 'candidates':
      return [
        ['', rec.prompt],
        ['response ', rec.responses.map((r) => ({ role: 'assistant' as const, content: r.content }))],
      ];
    case 'stepwise':
      return [
        ['', rec.prompt],
        ['step ', rec.completions.map((c) => ({ role: 'assistant' as const, content: c }))],
      ];
    case 'ranked':
      return [
        ['', rec.prompt],
        ['answer ', rec.answers.map((a) => ({ role: 'assistant' as const, content: a.content }))],
      ];
  }
}

/** The prompt side: the system prompt and every non-assistant message before the (first) answer. */
export function promptText(rec: CanonicalRecord): string {
  switch (rec.type) {
    case 'text':
      return '';
    case 'sft': {
      // The prompt of a conversation is everything before its last assistant turn.
      let last = rec.messages.length - 1;
      while (last >= 0 && rec.messages[last].role !== 'assistant') last--;
      const head = last < 0 ? rec.messages : rec.messages.slice(0, last);
      return join(rec.system !== undefined ? [rec.system, ...head.map((m) => m.content)] : head.map((m) => m.content));
    }
    default:
      return join(rec.prompt.map((m) => m.content));
  }
}

/** The text of the first user message (what the prompt opens with), or '' when there is none. */
export function firstUserText(rec: CanonicalRecord): string {
  const msgs = rec.type === 'sft' ? rec.messages : rec.type === 'text' ? [] : rec.prompt;
  for (const m of msgs) if (m.role === 'user') return m.content;
  return '';
}

/** Everything a record says: prompt and every response, in order (for duplicate detection). */
export function fullText(rec: CanonicalRecord): string {
  return join(fullTextParts(rec));
}

/** The pieces fullText joins with '\n' (hashing them in turn avoids building the joined copy). */
export function fullTextParts(rec: CanonicalRecord): string[] {
  const parts: string[] = [];
  for (const [, msgs] of messageBuckets(rec)) for (const m of msgs) parts.push(m.content);
  return parts;
}

/** The response side only (assistant turns of a conversation, or every answer). */
export function responseText(rec: CanonicalRecord): string {
  const parts: string[] = [];
  for (const [prefix, msgs] of messageBuckets(rec)) for (const m of msgs) if (prefix !== '' || m.role === 'assistant') parts.push(m.content);
  return join(parts);
}

/** The system prompt(s) of a record. */
export function systemText(rec: CanonicalRecord): string {
  const parts: string[] = [];
  for (const [, msgs] of messageBuckets(rec)) for (const m of msgs) if (m.role === 'system') parts.push(m.content);
  return join(parts);
}

/** Roles present anywhere in the record. */
export function rolesOf(rec: CanonicalRecord): Set<string> {
  const out = new Set<string>();
  for (const [, msgs] of messageBuckets(rec)) for (const m of msgs) out.add(m.role);
  return out;
}

function join(parts: string[]): string {
  return parts.length === 1 ? parts[0] : parts.join('\n');
}
