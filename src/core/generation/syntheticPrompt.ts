/**
 * The request of a synthetic-records job and the reading of its reply: the model sees the topic and
 * a few seed records exactly as the dataset holds them (its own JSON shape), and answers with ONE
 * new record as a JSON object. Replies are read leniently (code fences, prose around the object)
 * but a record is only what parses as one JSON object.
 */
import * as l10n from '@vscode/l10n';
import type { FormatModule } from '../formats/formatModule';
import type { Message } from '../model';

/** Start and end of each seed record in the prompt (the test server finds its examples by them). */
export const EXAMPLE_OPEN = '<example>';
export const EXAMPLE_CLOSE = '</example>';

export const SYNTHETIC_SYSTEM_PROMPT =
  'You write new training records for a fine-tuning dataset. Every record you write has exactly the JSON structure of the example records ' +
  '(the same keys, roles and nesting) but new, original content. Answer with one JSON object and nothing else: no explanation, no list, no Markdown.';

/** The messages of one request: the topic, the format and the seed records as JSON. */
export function buildSyntheticMessages(format: Pick<FormatModule, 'id' | 'title'>, topic: string, seeds: readonly Record<string, unknown>[]): Message[] {
  const examples = seeds.map((s) => `${EXAMPLE_OPEN}\n${JSON.stringify(s, null, 2)}\n${EXAMPLE_CLOSE}`).join('\n');
  const user =
    `Topic of the new record: ${topic.trim()}\n\n` +
    `The dataset is in the ${format.title} format (${format.id}). ` +
    (seeds.length ? `Here ${seeds.length === 1 ? 'is one record' : `are ${seeds.length} records`} from it:\n${examples}\n\n` : '\n') +
    'Write ONE new record on the topic, in exactly this JSON structure. Do not copy or paraphrase the examples: new question, new answer. ' +
    'Reply with the JSON object only.';
  return [
    { role: 'system', content: SYNTHETIC_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

export type ParsedReply = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** The text between the first ``` fence (with or without a language tag) and its closing fence, if any. */
function fenced(text: string): string | undefined {
  const m = /```[A-Za-z0-9_-]*[^\S\n]*\n?([\s\S]*?)```/.exec(text);
  return m ? m[1] : undefined;
}

/** The first balanced `{…}` in the text (strings and escapes respected), or undefined. */
export function firstJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

function asObject(text: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The record in a model's reply: the whole reply if it is a JSON object, else the content of its
 * first code fence, else the first balanced object in the text. Anything else is a reason.
 */
export function parseRecordReply(reply: string): ParsedReply {
  const text = reply.trim();
  if (!text) return { ok: false, reason: l10n.t('the reply is empty') };
  const candidates = [text];
  const f = fenced(text);
  if (f !== undefined) candidates.push(f.trim());
  for (const c of [...candidates]) {
    const o = firstJsonObject(c);
    if (o !== undefined) candidates.push(o);
  }
  for (const c of candidates) {
    const v = asObject(c);
    if (v) return { ok: true, value: v };
  }
  if (!text.includes('{')) return { ok: false, reason: l10n.t('the reply holds no JSON object') };
  return { ok: false, reason: l10n.t('the reply is not valid JSON') };
}
