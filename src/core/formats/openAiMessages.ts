/**
 * Rules and mapping for OpenAI-style message lists (`{"role", "content", ...}`), shared by every
 * format that carries them: OpenAI chat and DPO, TRL conversational records, LLaMA-Factory KTO and
 * v1 records (typed content parts, `loss_weight`), Axolotl chatml.ultra, distilabel, candidates.
 */
import type { Message, ToolCall } from '../model';
import type { Severity } from '../base/problem';
import type { JsonPath } from './formatModule';
import { MESSAGE_KEYS, readerVerdictFor, trainerList, type ReaderContext, type ReaderVerdict, type TrainerId } from '../trainers';
import { emit, emitFor, nth, type Report } from './reportHelpers';
import { canonicalRole, hasOwn, ownString, SHAREGPT_TO_OPENAI } from './roleNames';
import { isBlank, pythonJsonDumps, tryParseJson } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

/** Who reads the list, which decides rule ids, wording and strictness. */
export interface Dialect {
  /** Rule namespace: `openai`, `trl`, `torchtune`. */
  ns: string;
  /** The trainer whose rules these are; the only reader when the caller names no others (none for Pairwise's own files). */
  id?: TrainerId;
  /** Trainer named in messages. */
  trainer: string;
  roles: ReadonlySet<string>;
  /** Report keys outside `knownKeys` (OpenAI rejects them; chat templates just ignore them). */
  strictKeys: boolean;
  /** Severity of `from`/`value` keys in place of `role`/`content`. */
  fromValueSeverity: Severity;
}

/** OpenAI's message keys, from its trainer profile. */
const OPENAI_KEYS = MESSAGE_KEYS.openai.keys;
/** LLaMA-Factory v1 messages add `loss_weight` (and write content as typed parts). */
const V1_KEYS = new Set([...OPENAI_KEYS, 'loss_weight']);

export const OPENAI_DIALECT: Dialect = {
  ns: 'openai',
  id: 'openai',
  trainer: 'OpenAI fine-tuning',
  roles: new Set(['system', 'user', 'assistant', 'tool', 'function']),
  strictKeys: true,
  fromValueSeverity: 'error',
};

export const TRL_DIALECT: Dialect = {
  ns: 'trl',
  id: 'trl',
  trainer: 'TRL',
  roles: new Set(['system', 'user', 'assistant', 'tool']),
  strictKeys: false,
  fromValueSeverity: 'warning',
};

export const TORCHTUNE_DIALECT: Dialect = {
  ns: 'torchtune',
  id: 'torchtune',
  trainer: 'torchtune',
  roles: new Set(['system', 'user', 'assistant', 'tool', 'ipython']),
  strictKeys: false,
  fromValueSeverity: 'error',
};

/** What the list checker saw, for list-level rules of the caller. */
export interface ListSummary {
  hasUser: boolean;
  hasAssistant: boolean;
  /** Role of the last message as written (undefined when missing). */
  lastRole: string | undefined;
  /** A message lacked its role or had a wrong one, so order rules would only add noise. */
  broken: boolean;
}

/** True when a message is written in LLaMA-Factory's v1 schema (typed parts with `value`, `loss_weight`). */
export function isV1Message(m: Record<string, unknown>): boolean {
  if (hasOwn(m, 'loss_weight')) return true;
  const c = m.content;
  if (Array.isArray(c) && c.length > 0) {
    const p = c[0];
    return isPlainObject(p) && hasOwn(p, 'value') && !hasOwn(p, 'text');
  }
  return false;
}

function hasToolCalls(m: Record<string, unknown>): boolean {
  const tc = m.tool_calls;
  if (Array.isArray(tc) && tc.length > 0) return true;
  if (isPlainObject(m.function_call)) return true;
  const c = m.content;
  if (Array.isArray(c)) for (const p of c) if (isPlainObject(p) && p.type === 'tool_call') return true;
  return false;
}

/** Text of a content value: a string, or the text of its parts (OpenAI `text`, LLaMA-Factory v1 `value`). */
export function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  let out = '';
  for (const p of c) {
    if (!isPlainObject(p) || p.type !== 'text') continue;
    const t = typeof p.text === 'string' ? p.text : typeof p.value === 'string' ? p.value : '';
    out += t;
  }
  return out;
}

function contentIsBlank(c: unknown): boolean {
  if (typeof c === 'string') return isBlank(c);
  if (!Array.isArray(c)) return true;
  for (const p of c) {
    if (!isPlainObject(p)) continue;
    // A non-text part (image, reasoning, tool call) counts as content.
    if (p.type !== 'text') return false;
    const t = typeof p.text === 'string' ? p.text : typeof p.value === 'string' ? p.value : '';
    if (!isBlank(t)) return false;
  }
  return true;
}

/** Who reads the list beyond the dialect's own trainer. */
export interface MessageListContext {
  /** Readers of the record's format and the file's target trainer (default: the dialect's trainer alone). */
  reading?: ReaderContext;
}

/** The readers a list checked with dialect `d` has when the caller names none. */
export function dialectReaders(d: Dialect): ReaderContext {
  let r = dialectReading.get(d);
  if (!r) dialectReading.set(d, (r = { readers: d.id ? [d.id] : [] }));
  return r;
}

/** One context per dialect, so that verdicts made from it are made once (readerVerdictFor). */
const dialectReading = new WeakMap<Dialect, ReaderContext>();

/** Keys some trainers read as a message's reasoning (TRL passes them to the chat template; Axolotl maps reasoning_content). */
const REASONING_KEYS = new Set(['thinking', 'reasoning_content', 'reasoning']);

function unknownKeyMessage(v: ReaderVerdict, i: number, k: string): string {
  const base = l10n.t('{0} rejects message {1}: unrecognised key {2} (allowed: role, content, name, tool_calls, tool_call_id, function_call, weight)', trainerList(v.hit), nth(i), JSON.stringify(k));
  // Only the readers that keep the key (ms-swift deletes it, xtuner may reject it: their own rules say so).
  const own = v.fine.filter((r) => MESSAGE_KEYS[r].keys.has(k));
  const template = v.fine.filter((r) => !MESSAGE_KEYS[r].keys.has(k) && MESSAGE_KEYS[r].others === 'template');
  let out = own.length ? l10n.t('{0}; read by {1}', base, trainerList(own)) : base;
  if (template.length) {
    out = REASONING_KEYS.has(k)
      ? l10n.t('{0}; {1} pass this reasoning to the chat template', out, trainerList(template))
      : l10n.t('{0}; {1} pass it to the chat template or leave it out', out, trainerList(template));
  }
  return out;
}

/**
 * Per-message rules: keys, roles, content (tool calls: toolCallRules.ts). Returns what the caller needs for list-level
 * rules. Allocates nothing for a valid list apart from the summary.
 */
export function checkMessageList(msgs: unknown[], path: JsonPath, d: Dialect, report: Report, ctx: MessageListContext = {}): ListSummary {
  const reading = ctx.reading ?? dialectReaders(d);
  const strictVerdict = d.strictKeys && d.id ? readerVerdictFor(reading, d.id) : undefined;
  const sum: ListSummary = { hasUser: false, hasAssistant: false, lastRole: undefined, broken: false };
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isPlainObject(m)) {
      sum.broken = true;
      continue;
    }
    let role: string | undefined = typeof m.role === 'string' ? m.role : undefined;
    if (!hasOwn(m, 'role')) {
      if (hasOwn(m, 'from')) {
        emit(report, [...path, i, 'from'], `${d.ns}/sharegpt-message-keys`, d.fromValueSeverity,
          l10n.t('{0} reads "role", not "from" (message {1} uses the ShareGPT key): rename "from" to "role"', d.trainer, nth(i)), 'key');
        if (typeof m.from === 'string') role = ownString(SHAREGPT_TO_OPENAI, m.from) ?? m.from;
        sum.broken = true;
      } else {
        emit(report, [...path, i], `${d.ns}/message-missing-key`, 'error', l10n.t('{0} rejects message {1}: it has no "role"', d.trainer, nth(i)));
        sum.broken = true;
      }
    }
    const v1 = d.strictKeys && isV1Message(m);
    if (strictVerdict) {
      const known = v1 ? V1_KEYS : OPENAI_KEYS;
      for (const k in m) {
        if (known.has(k) || k === 'from' || k === 'value') continue;
        emitFor(report, strictVerdict, [...path, i, k], `${d.ns}/unknown-message-key`, (v) => unknownKeyMessage(v, i, k), 'key');
      }
    }
    if (typeof m.role === 'string') {
      const r = m.role;
      const mapped = ownString(SHAREGPT_TO_OPENAI, r);
      if (!d.roles.has(r)) {
        if (mapped !== undefined) {
          emit(report, [...path, i, 'role'], `${d.ns}/sharegpt-role`, 'error',
            l10n.t('{0} does not know role {1} (message {2}): that is a ShareGPT tag; use {3}', d.trainer, JSON.stringify(r), nth(i), JSON.stringify(mapped)));
          role = mapped;
        } else {
          emit(report, [...path, i, 'role'], `${d.ns}/unrecognized-role`, 'error',
            l10n.t('{0} rejects message {1}: role {2} is not one of {3}', d.trainer, nth(i), JSON.stringify(r), [...d.roles].join(', ')));
        }
        // Order rules on a list with a bad role would only repeat the same problem.
        sum.broken = true;
      }
    }
    const canRole = role === undefined ? undefined : canonicalRole(role);
    if (canRole === 'user') sum.hasUser = true;
    else if (canRole === 'assistant') sum.hasAssistant = true;
    sum.lastRole = role;

    const c = m.content;
    if (c === undefined || c === null) {
      if (!hasOwn(m, 'content') && hasOwn(m, 'value')) {
        emit(report, [...path, i, 'value'], `${d.ns}/sharegpt-message-keys`, d.fromValueSeverity,
          l10n.t('{0} reads "content", not "value" (message {1} uses the ShareGPT key): rename "value" to "content"', d.trainer, nth(i)), 'key');
      } else if (!(canRole === 'assistant' && hasToolCalls(m))) {
        emit(report, hasOwn(m, 'content') ? [...path, i, 'content'] : [...path, i], `${d.ns}/missing-content`, 'error',
          l10n.t('{0} rejects message {1}: it has no "content"{2}', d.trainer, nth(i), canRole === 'assistant' ? l10n.t(' and no tool calls') : ''));
      }
    } else if (contentIsBlank(c) && !(canRole === 'assistant' && hasToolCalls(m))) {
      emit(report, [...path, i, 'content'], 'common/empty-content', 'warning',
        l10n.t('message {0} ({1}) has empty or whitespace-only "content": {2} trains on an empty turn', nth(i), role ?? l10n.t('no role'), d.trainer));
    }
  }
  return sum;
}

/**
 * torchtune `validate_messages`: at least 2 messages, system only first, no two user turns in a row,
 * an assistant only after user/tool/ipython.
 */
export function checkTorchtuneOrder(msgs: unknown[], path: JsonPath, severityOf: Severity | (() => Severity), report: Report, minTwo = true): void {
  // Worked out only for a finding: this runs on every record of a messages file.
  const severity = (): Severity => (typeof severityOf === 'function' ? severityOf() : severityOf);
  if (minTwo && msgs.length < 2) {
    emit(report, path, 'torchtune/too-few-messages', severity(), l10n.t('torchtune rejects this conversation: it needs at least 2 messages, it has {0}', msgs.length));
    return;
  }
  let last = 'assistant';
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    const role = isPlainObject(m) && typeof m.role === 'string' ? m.role : undefined;
    if (role === undefined) return;
    if (role === 'assistant' && last !== 'user' && last !== 'tool' && last !== 'ipython') {
      emit(report, [...path, i, 'role'], 'torchtune/assistant-order', severity(),
        l10n.t('torchtune rejects this conversation: assistant message {0} does not follow a user or tool message', nth(i)));
      return;
    }
    if (role === 'user' && last === 'user') {
      emit(report, [...path, i, 'role'], 'torchtune/consecutive-user', severity(),
        l10n.t('torchtune rejects this conversation: messages {0} and {1} are both from the user', nth(i - 1), nth(i)));
      return;
    }
    if (role === 'system' && i > 0) {
      emit(report, [...path, i, 'role'], 'torchtune/system-not-first', severity(),
        l10n.t('torchtune rejects this conversation: system message {0} must come first', nth(i)));
      return;
    }
    last = role;
  }
}

// ---- mapping ------------------------------------------------------------------------------

/** What a canonical message cannot hold about how one OpenAI-style message was written. */
export interface MessageHint {
  /** Original `content` when it was not a plain string (null, or typed parts). */
  rawContent?: unknown;
  /** Written as LLaMA-Factory `loss_weight` rather than OpenAI `weight`. */
  lossWeight?: boolean;
  /** Legacy `function_call` object rather than `tool_calls`. */
  functionCall?: boolean;
  /** Legacy `function` role. */
  functionRole?: boolean;
  /** The tool call entries lacked `"type": "function"`. */
  untypedCalls?: boolean;
  /** Call arguments were JSON objects (TRL, xtuner), not JSON text (OpenAI); the model holds text. */
  objectArguments?: boolean;
}

export type ListHints = (MessageHint | null)[];

function toolCallFromPart(value: unknown): ToolCall | undefined {
  const v = typeof value === 'string' ? tryParseJson(value) : value;
  if (!isPlainObject(v) || typeof v.name !== 'string') return undefined;
  const args = typeof v.arguments === 'string' ? v.arguments : JSON.stringify(v.arguments ?? {});
  return { name: v.name, arguments: args };
}

/** Maps one OpenAI-style message; `hints` collects what the model cannot hold (index-aligned). */
export function toCanonicalMessage(m: Record<string, unknown>, hints: ListHints, i: number): Message {
  const rawRole = typeof m.role === 'string' ? m.role : typeof m.from === 'string' ? (ownString(SHAREGPT_TO_OPENAI, m.from) ?? m.from) : 'user';
  const role = canonicalRole(rawRole) ?? 'user';
  const rawContent = hasOwn(m, 'content') ? m.content : m.value;
  const msg: Message = { role, content: contentText(rawContent) };
  let hint: MessageHint | null = null;
  if (typeof rawContent !== 'string') hint = { rawContent };
  if (typeof m.name === 'string') msg.name = m.name;
  if (typeof m.tool_call_id === 'string') msg.toolCallId = m.tool_call_id;
  if (rawRole === 'function') (hint ??= {}).functionRole = true;
  const calls: ToolCall[] = [];
  if (Array.isArray(m.tool_calls)) {
    for (const tc of m.tool_calls) {
      if (!isPlainObject(tc)) continue;
      const fn = isPlainObject(tc.function) ? tc.function : tc;
      const call = toolCallFromPart(fn);
      if (!call) continue;
      if (typeof tc.id === 'string') call.id = tc.id;
      if (tc.type !== 'function') (hint ??= {}).untypedCalls = true;
      if (isPlainObject(fn.arguments)) (hint ??= {}).objectArguments = true;
      calls.push(call);
    }
  } else if (isPlainObject(m.function_call)) {
    const call = toolCallFromPart(m.function_call);
    if (call) calls.push(call);
    (hint ??= {}).functionCall = true;
    if (isPlainObject(m.function_call.arguments)) hint.objectArguments = true;
  }
  if (Array.isArray(rawContent)) {
    for (const p of rawContent) if (isPlainObject(p) && p.type === 'tool_call') {
      const call = toolCallFromPart(p.value ?? p.text);
      if (call) calls.push(call);
    }
  }
  if (calls.length) msg.toolCalls = calls;
  const w = typeof m.weight === 'number' ? m.weight : typeof m.loss_weight === 'number' ? m.loss_weight : undefined;
  if (w !== undefined) msg.weight = w;
  if (typeof m.loss_weight === 'number') (hint ??= {}).lossWeight = true;
  hints[i] = hint;
  return msg;
}

export function toCanonicalMessages(list: unknown[]): { messages: Message[]; hints: ListHints | undefined } {
  const hints: ListHints = [];
  const messages: Message[] = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    messages.push(isPlainObject(m) ? toCanonicalMessage(m, hints, i) : { role: 'user', content: '' });
    if (hints.length <= i) hints[i] = null;
  }
  return { messages, hints: hints.some((h) => h !== null) ? hints : undefined };
}

function sameText(raw: unknown, msg: Message): boolean {
  return contentText(raw) === msg.content;
}

/** Maps a canonical message back, honouring a hint when the message still matches it. */
export function fromCanonicalMessage(msg: Message, hint: MessageHint | null | undefined): Record<string, unknown> {
  const role = hint?.functionRole && msg.role === 'tool' ? 'function' : msg.role;
  const out: Record<string, unknown> = { role };
  if (hint && hint.rawContent !== undefined && hint.rawContent !== null && sameText(hint.rawContent, msg)) out.content = hint.rawContent;
  else if (hint && hint.rawContent === null && msg.content === '') out.content = null;
  else if (msg.content === '' && msg.toolCalls?.length && !hint) out.content = null;
  else out.content = msg.content;
  if (msg.name !== undefined) out.name = msg.name;
  const rawHasCallParts = Array.isArray(out.content) && out.content.some((p) => isPlainObject(p) && p.type === 'tool_call');
  if (msg.toolCalls?.length && !rawHasCallParts) {
    const args = (text: string): unknown => {
      if (!hint?.objectArguments) return text;
      const v = tryParseJson(text);
      return isPlainObject(v) ? v : text;
    };
    if (hint?.functionCall && msg.toolCalls.length === 1) {
      out.function_call = { name: msg.toolCalls[0].name, arguments: args(msg.toolCalls[0].arguments) };
    } else {
      out.tool_calls = msg.toolCalls.map((c) => {
        const fn = { name: c.name, arguments: args(c.arguments) };
        const tc: Record<string, unknown> = {};
        if (c.id !== undefined) tc.id = c.id;
        if (!hint?.untypedCalls) tc.type = 'function';
        tc.function = fn;
        return tc;
      });
    }
  }
  if (msg.toolCallId !== undefined) out.tool_call_id = msg.toolCallId;
  if (msg.weight !== undefined) out[hint?.lossWeight ? 'loss_weight' : 'weight'] = msg.weight;
  return out;
}

export function fromCanonicalMessages(msgs: Message[], hints: ListHints | undefined): Record<string, unknown>[] {
  // Hints only apply when the list still has the shape they were taken from.
  const usable = hints && hints.length === msgs.length ? hints : undefined;
  return msgs.map((m, i) => fromCanonicalMessage(m, usable?.[i]));
}

/** Plain `{role, content}` messages (TRL, torchtune, distilabel): no tool calls, no weights. */
export function toSimpleMessages(msgs: Message[]): Record<string, unknown>[] {
  return msgs.map((m) => ({ role: m.role, content: m.content }));
}

/** Names the canonical fields a plain `{role, content}` list cannot hold. */
export function simpleMessageLosses(msgs: Message[], where: string): { field: string; reason: string }[] {
  const lost: { field: string; reason: string }[] = [];
  if (msgs.some((m) => m.toolCalls?.length)) lost.push({ field: `${where}[].toolCalls`, reason: l10n.t('tool calls have no place in plain role/content messages') });
  if (msgs.some((m) => m.weight !== undefined)) lost.push({ field: `${where}[].weight`, reason: l10n.t('per-message weights are not carried') });
  if (msgs.some((m) => m.name !== undefined)) lost.push({ field: `${where}[].name`, reason: l10n.t('message names are not carried') });
  return lost;
}

/** Tool definitions as OpenAI wants them: objects `{type: "function", function: {...}}`. */
export function toolsForOpenAi(tools: unknown): unknown {
  const parsed = typeof tools === 'string' ? tryParseJson(tools) : tools;
  if (!Array.isArray(parsed)) return parsed;
  return parsed.map((t) => (isPlainObject(t) && t.type === 'function' && isPlainObject(t.function) ? t : { type: 'function', function: t }));
}

/** Tool definitions as LLaMA-Factory wants them: JSON text of bare function specs. */
export function toolsForShareGpt(tools: unknown): string | undefined {
  if (typeof tools === 'string') return tools;
  if (!Array.isArray(tools)) return tools === undefined ? undefined : pythonJsonDumps(tools);
  return pythonJsonDumps(tools.map((t) => (isPlainObject(t) && t.type === 'function' && isPlainObject(t.function) ? t.function : t)));
}
