/**
 * How the Dataset View reads a record's value as chat: a message object (`role`/`content` or
 * ShareGPT's `from`/`value`) and a list of them; which side of the chat a speaker is drawn on comes
 * from the host with each card (RecordCard.sides).
 * Pure: no DOM, unit-tested in plain Node.
 */
import type { JsonPathSegment } from '../../../src/protocol/datasetView';

export interface Turn {
  role: string;
  content: unknown;
  /** The key holding the content (`content` or `value`), for editing. */
  key: string;
}

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

/** The value at `path` inside `v` (undefined when the path leads nowhere). */
export function valueAt(v: unknown, path: JsonPathSegment[]): unknown {
  let cur = v;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}
