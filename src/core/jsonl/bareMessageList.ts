/**
 * xtuner reads a JSON Lines record that is a bare list of messages as well as `{"messages": [...]}`
 * (InternLM/xtuner xtuner/v1/datasets/sft_tokenize_fn/openai.py, `OpenaiTokenizeFunction.__call__`:
 * `if isinstance(item, dict) and "messages" in item: item = item["messages"]`; its own test data,
 * tests/resource/openai_sft.jsonl, is written that way). The readers hand such a line on as
 * `{"messages": list}` so that every format rule, conversion and view reads it like any chat record;
 * the wrapper is remembered so the rules can say that only xtuner reads the line as written, and
 * problem paths (`messages/0/content`) still point into the list (positions.ts drops `messages`).
 */
import { isPlainObject } from '../base/jsonValue';

const wrapped = new WeakSet<object>();

/** A non-empty list whose every item is an object with a `role` or a `content`: a message list. */
export function isBareMessageList(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const m of value) if (!isPlainObject(m) || !(Object.prototype.hasOwnProperty.call(m, 'role') || Object.prototype.hasOwnProperty.call(m, 'content'))) return false;
  return true;
}

/** The record a reader hands on for a bare message list. */
export function wrapBareMessageList(list: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = { messages: list };
  wrapped.add(record);
  return record;
}

/** True when the record was read from a line that is a bare message list. */
export function wasBareMessageList(record: object): boolean {
  return wrapped.has(record);
}

/** The record a parsed JSON value stands for: an object as it is, a bare message list wrapped, else undefined. */
export function recordValueOf(value: unknown): Record<string, unknown> | undefined {
  if (isBareMessageList(value)) return wrapBareMessageList(value);
  return isPlainObject(value) ? value : undefined;
}
