/**
 * How the Dataset View reads a record's value as chat: a message object (`role`/`content` or
 * ShareGPT's `from`/`value`), a list of them, and which side of the chat a role is drawn on.
 * Pure: no DOM, unit-tested in plain Node.
 */
import type { JsonPathSegment } from '../../../src/protocol/datasetView';

export interface Turn {
  role: string;
  content: unknown;
  /** The key holding the content (`content` or `value`), for editing. */
  key: string;
}

export type ChatSide = 'assistant' | 'system' | 'user' | 'tool';

export function asTurn(v: unknown): Turn | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const role = o.role ?? o.from;
  if (typeof role !== 'string') return undefined;
  const key = 'content' in o ? 'content' : 'value';
  return { role, content: o[key], key };
}

/** A non-empty list whose every item is a turn, else undefined. */
export function asTurns(v: unknown): Turn[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const turns = v.map(asTurn);
  return turns.every((t): t is Turn => t !== undefined) ? turns : undefined;
}

/** Roles drawn as the model's side (OpenAI, ShareGPT, Gemini and a few tool-call roles). */
const ASSISTANT = new Set(['assistant', 'gpt', 'function_call', 'model', 'bot']);

/** The side of the chat a role is drawn on; any other role (tool, observation, function…) is `tool`. */
export function sideOf(role: string): ChatSide {
  return ASSISTANT.has(role) ? 'assistant' : role === 'system' ? 'system' : role === 'user' || role === 'human' ? 'user' : 'tool';
}

/** The value at `path` inside `v` (undefined when the path leads nowhere). */
export function valueAt(v: unknown, path: JsonPathSegment[]): unknown {
  let cur = v;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}
