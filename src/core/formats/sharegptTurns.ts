/**
 * LLaMA-Factory's reading of ShareGPT-style conversations (`SharegptDatasetConverter`): configurable
 * column and tag names, an optional leading system turn, then user-side tags (human/observation) at
 * odd positions and assistant-side tags (gpt/function_call) at even ones. Shared by `sharegpt`,
 * `sharegpt-preference` and `llamafactory-kto` (which reads OpenAI-style tags through the same code).
 */
import type { Message, ToolCall } from '../model';
import type { FormatOptions, JsonPath, Loss } from './formatModule';
import { readerVerdict, trainerList, type ReaderContext, type TrainerId } from '../trainers';
import { emit, emitFor, nth, type Report } from './reportHelpers';
import { canonicalRole, hasOwn, ownString, OPENAI_TO_SHAREGPT, SHAREGPT_TO_OPENAI } from './roleNames';
import { isBlank, pythonJsonDumps, tryParseJson } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

export interface ShareGptTags {
  /** Column holding the turns. */
  messages: string;
  role: string;
  content: string;
  user: string;
  assistant: string;
  observation: string;
  function: string;
  system: string;
  /** Column holding the system prompt when it is not a leading turn. */
  systemColumn: string;
  tools: string;
}

export const SHAREGPT_TAGS: ShareGptTags = {
  messages: 'conversations',
  role: 'from',
  content: 'value',
  user: 'human',
  assistant: 'gpt',
  observation: 'observation',
  function: 'function_call',
  system: 'system',
  systemColumn: 'system',
  tools: 'tools',
};

/** The tags of LLaMA-Factory's shipped KTO demo (`kto_en_demo.json`): OpenAI-style messages. */
export const OPENAI_STYLE_TAGS: ShareGptTags = {
  ...SHAREGPT_TAGS,
  messages: 'messages',
  role: 'role',
  content: 'content',
  user: 'user',
  assistant: 'assistant',
};

const cache = new WeakMap<FormatOptions, WeakMap<ShareGptTags, ShareGptTags>>();

/** Applies `dataset_info.json` `columns`/`tags` overrides; cached per options object. */
export function resolveTags(options: FormatOptions | undefined, base: ShareGptTags): ShareGptTags {
  if (!options || (!options.columns && !options.tags)) return base;
  let byBase = cache.get(options);
  if (!byBase) cache.set(options, (byBase = new WeakMap()));
  const hit = byBase.get(base);
  if (hit) return hit;
  const c = options.columns ?? {};
  const t = options.tags ?? {};
  const out: ShareGptTags = {
    messages: c.messages ?? base.messages,
    role: t.role_tag ?? base.role,
    content: t.content_tag ?? base.content,
    user: t.user_tag ?? base.user,
    assistant: t.assistant_tag ?? base.assistant,
    observation: t.observation_tag ?? base.observation,
    function: t.function_tag ?? base.function,
    system: t.system_tag ?? base.system,
    systemColumn: c.system ?? base.systemColumn,
    tools: c.tools ?? base.tools,
  };
  byBase.set(base, out);
  return out;
}

type Side = 'user' | 'assistant' | 'system';

function sideOf(tag: string, t: ShareGptTags): Side | undefined {
  if (tag === t.user || tag === t.observation) return 'user';
  if (tag === t.assistant || tag === t.function) return 'assistant';
  if (tag === t.system) return 'system';
  return undefined;
}

/** The configured tag meaning the same as a tag of the other dialect, e.g. `user` -> `human`. */
function equivalentTag(tag: string, t: ShareGptTags): string | undefined {
  const role = ownString(SHAREGPT_TO_OPENAI, tag) ?? canonicalRole(tag) ?? (tag === 'function' ? 'function' : undefined);
  if (role === undefined) return undefined;
  if (tag === 'function_call' || tag === 'function') return t.function;
  switch (role) {
    case 'user':
      return t.user;
    case 'assistant':
      return t.assistant;
    case 'tool':
      return t.observation;
    case 'system':
      return t.system;
    default:
      return undefined;
  }
}

/** True when the tags are ShareGPT-style (`from`/`human`), which decides the rule ids of dialect leaks. */
function expectsShareGpt(t: ShareGptTags): boolean {
  return t.role !== 'role';
}

/** Where a turn is: its path and its name in messages, built only when a report needs them. */
class TurnRef {
  /** `index` moves along a conversation (checkConversation keeps one TurnRef for all its turns). */
  constructor(readonly base: JsonPath, public index: number | undefined, readonly field?: string) {}
  get path(): JsonPath {
    return this.index === undefined ? this.base : [...this.base, this.index];
  }
  get what(): string {
    return this.index === undefined ? `"${this.field}"` : l10n.t('turn {0}', nth(this.index));
  }
}

/** Checks a role/content pair's keys; returns the role tag, or undefined when missing. */
function checkTurnKeys(turn: Record<string, unknown>, ref: TurnRef, t: ShareGptTags, report: Report): string | undefined {
  const sg = expectsShareGpt(t);
  const otherRole = sg ? 'role' : 'from';
  const otherContent = sg ? 'content' : 'value';
  const leakRule = sg ? 'sharegpt/openai-message-keys' : 'openai/sharegpt-message-keys';
  const tag = turn[t.role];
  if (tag === undefined) {
    if (hasOwn(turn, otherRole)) {
      emit(report, [...ref.path, otherRole], leakRule, 'error',
        l10n.t('LLaMA-Factory reads {0}, not {1}, in {2}: rename {3} to {4}', JSON.stringify(t.role), JSON.stringify(otherRole), ref.what, JSON.stringify(otherRole), JSON.stringify(t.role)), 'key');
    } else {
      emit(report, ref.path, 'llamafactory/missing-turn-key', 'error', l10n.t('LLaMA-Factory cannot read {0}: it has no {1}', ref.what, JSON.stringify(t.role)));
    }
  } else if (typeof tag !== 'string') {
    emit(report, [...ref.path, t.role], 'llamafactory/missing-turn-key', 'error', l10n.t('LLaMA-Factory cannot read {0}: {1} must be a string', ref.what, JSON.stringify(t.role)));
  }
  const content = turn[t.content];
  if (content === undefined) {
    if (hasOwn(turn, otherContent)) {
      emit(report, [...ref.path, otherContent], leakRule, 'error',
        l10n.t('LLaMA-Factory reads {0}, not {1}, in {2}: rename {3} to {4}', JSON.stringify(t.content), JSON.stringify(otherContent), ref.what, JSON.stringify(otherContent), JSON.stringify(t.content)), 'key');
    } else {
      emit(report, ref.path, 'llamafactory/missing-turn-key', 'error', l10n.t('LLaMA-Factory cannot read {0}: it has no {1}', ref.what, JSON.stringify(t.content)));
    }
  } else if (typeof content !== 'string') {
    emit(report, [...ref.path, t.content], 'llamafactory/missing-turn-key', 'error', l10n.t('LLaMA-Factory cannot read {0}: {1} must be a string', ref.what, JSON.stringify(t.content)));
  } else if (isBlank(content)) {
    emit(report, [...ref.path, t.content], 'common/empty-content', 'warning', l10n.t('{0} has empty or whitespace-only {1}: LLaMA-Factory trains on an empty turn', ref.what, JSON.stringify(t.content)));
  }
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * Who reads a ShareGPT `conversations` file and what each does with an OpenAI role ("user",
 * "assistant") as the `from` tag: LLaMA-Factory drops the record unless its dataset_info.json tags
 * say so (data/converter.py `SharegptDatasetConverter`: "Invalid role tag"); torchtune's
 * ShareGPTToMessages maps only system/human/gpt (torchtune/data/_messages.py); ms-swift's
 * MessagesPreprocessor takes both spellings (swift/llm/dataset/preprocessor/core.py), as do
 * Axolotl's chat_template role map (prompt_strategies/chat_template.py) and TRL, which renames
 * from/value and keeps the role values as written (trl/data_utils.py `maybe_convert_to_chatml`).
 */
export const SHAREGPT_READERS: readonly TrainerId[] = ['llamafactory', 'ms-swift', 'axolotl', 'torchtune', 'trl'];
const DROP_OPENAI_ROLE_TAGS: readonly TrainerId[] = ['llamafactory', 'torchtune'];
/** Readers when the caller names none: LLaMA-Factory alone (its dataset_info.json tags are in play). */
const LLAMAFACTORY_ONLY: ReaderContext = { readers: ['llamafactory'] };

/** Reports a tag of the other dialect or an unknown tag; returns its side when it is usable. */
function classifyTag(tag: string, ref: TurnRef, t: ShareGptTags, report: Report, reading: ReaderContext): Side | undefined {
  const side = sideOf(tag, t);
  if (side) return side;
  const eq = equivalentTag(tag, t);
  if (eq !== undefined && eq !== tag) {
    const openAiName = hasOwn(OPENAI_TO_SHAREGPT, tag);
    if (openAiName && expectsShareGpt(t)) {
      const v = readerVerdict(reading, DROP_OPENAI_ROLE_TAGS);
      if (v && v.fine.length) {
        emitFor(report, v, [...ref.path, t.role], 'sharegpt/openai-role-tag', () =>
          l10n.t('{0} drop this record (Invalid role tag): {1} has {2}: {3}, which is an OpenAI role ({4} read it as it is); this dataset uses {5}', trainerList(v.hit), ref.what, JSON.stringify(t.role), JSON.stringify(tag), trainerList(v.fine), JSON.stringify(eq)));
        // The readers that take it go on reading the conversation: so do the order rules.
        return v.severity === 'error' ? undefined : sideOf(eq, t);
      }
    }
    const rule = expectsShareGpt(t) ? 'sharegpt/openai-role-tag' : 'openai/sharegpt-role';
    const kind = openAiName ? l10n.t('an OpenAI role') : l10n.t('a ShareGPT tag');
    emit(report, [...ref.path, t.role], rule, 'error',
      l10n.t('LLaMA-Factory drops this record (Invalid role tag): {0} has {1}: {2}, which is {3}; this dataset uses {4}', ref.what, JSON.stringify(t.role), JSON.stringify(tag), kind, JSON.stringify(eq)));
    return undefined;
  }
  emit(report, [...ref.path, t.role], 'llamafactory/unknown-role-tag', 'error',
    l10n.t('LLaMA-Factory drops this record (Invalid role tag): {0} has unknown {1} {2} (expected {3})', ref.what, JSON.stringify(t.role), JSON.stringify(tag), [t.user, t.assistant, t.observation, t.function, t.system].map((x) => JSON.stringify(x)).join(', ')));
  return undefined;
}

function checkFunctionCall(value: unknown, ref: TurnRef, t: ShareGptTags, report: Report): void {
  if (typeof value !== 'string') return;
  const parsed = tryParseJson(value);
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  for (const c of calls) {
    if (!isPlainObject(c) || typeof c.name !== 'string' || !hasOwn(c, 'arguments')) {
      emit(report, [...ref.path, t.content], 'llamafactory/function-call-json', 'error',
        l10n.t('LLaMA-Factory fails on {0}: a function_call value must be JSON {"name": ..., "arguments": {...}} (or a list of them)', ref.what));
      return;
    }
  }
}

/**
 * LLaMA-Factory's checks of one conversation. `mode` `sft` wants an even number of turns ending on
 * the assistant; `prompt` (preference) an odd number ending on the user side.
 */
export function checkConversation(turns: unknown[], path: JsonPath, t: ShareGptTags, mode: 'sft' | 'prompt', report: Report, reading: ReaderContext = LLAMAFACTORY_ONLY): void {
  let start = 0;
  let broken = false;
  // A conversation written with OpenAI roles throughout gets that warning once, at its first turn.
  let warnedRoleTags = false;
  const tagReport: Report = (r) => {
    if (r.rule === 'sharegpt/openai-role-tag' && r.severity !== 'error') {
      if (warnedRoleTags) return;
      warnedRoleTags = true;
    }
    report(r);
  };
  const ref = new TurnRef(path, 0);
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (!isPlainObject(turn)) {
      broken = true;
      continue;
    }
    ref.index = i;
    const tag = checkTurnKeys(turn, ref, t, report);
    if (tag === undefined) {
      broken = true;
      continue;
    }
    if (i === 0 && tag === t.system) {
      start = 1;
      continue;
    }
    if (tag === t.function) checkFunctionCall(turn[t.content], ref, t, report);
    if (broken) continue;
    const side = classifyTag(tag, ref, t, tagReport, reading);
    if (side === undefined) {
      broken = true;
      continue;
    }
    if (side === 'system') {
      emit(report, [...ref.path, t.role], 'llamafactory/misplaced-system', 'error',
        l10n.t('LLaMA-Factory drops this record (Invalid role tag): a {0} turn is only allowed first ({1}); move it to the "{2}" column', JSON.stringify(tag), ref.what, t.systemColumn));
      broken = true;
      continue;
    }
    const expected: Side = (i - start) % 2 === 0 ? 'user' : 'assistant';
    if (side !== expected) {
      const want = expected === 'user' ? `${t.user}/${t.observation}` : `${t.assistant}/${t.function}`;
      emit(report, [...ref.path, t.role], 'llamafactory/role-alternation', 'error',
        l10n.t('LLaMA-Factory drops this record (Invalid role tag): turns must alternate {0}/{1} ({2} is {3} at {4} position, expected {5})', t.user, t.assistant, ref.what, JSON.stringify(tag), expected === 'user' ? l10n.t('a user') : l10n.t('an assistant'), want));
      broken = true;
    }
  }
  if (broken) return;
  const count = turns.length - start;
  if (mode === 'sft' && (count === 0 || count % 2 !== 0)) {
    emit(report, path, 'llamafactory/message-count', 'error',
      l10n.t('LLaMA-Factory drops this record (Invalid message count): a conversation needs an even number of turns ending with {0}; this one has {1}{2}', JSON.stringify(t.assistant), count, start ? l10n.t(' after the system turn') : ''));
  } else if (mode === 'prompt' && count % 2 === 0) {
    emit(report, path, 'llamafactory/message-count', 'error',
      l10n.t('LLaMA-Factory drops this record (Invalid message count): a preference prompt needs an odd number of turns ending with {0}; this one has {1}{2}', JSON.stringify(t.user), count, start ? l10n.t(' after the system turn') : ''));
  }
}

/** Checks a `chosen`/`rejected` turn of a ShareGPT preference record. */
export function checkResponseTurn(turn: Record<string, unknown>, path: JsonPath, field: string, t: ShareGptTags, report: Report): void {
  const ref = new TurnRef(path, undefined, field);
  const tag = checkTurnKeys(turn, ref, t, report);
  if (tag === undefined) return;
  if (tag === t.assistant || tag === t.function) {
    if (tag === t.function) checkFunctionCall(turn[t.content], ref, t, report);
    return;
  }
  const eq = equivalentTag(tag, t);
  if (eq === t.assistant && eq !== tag) {
    classifyTag(tag, ref, t, report, LLAMAFACTORY_ONLY);
    return;
  }
  emit(report, [...path, t.role], 'llamafactory/response-not-assistant', 'error',
    l10n.t('LLaMA-Factory drops this record (Invalid role tag): "{0}" must be a {1} turn, not {2}', field, JSON.stringify(t.assistant), JSON.stringify(tag)));
}

// ---- mapping ------------------------------------------------------------------------------

/** Layout hints of a ShareGPT conversation the canonical model cannot hold. */
export interface TurnHints {
  /** The system prompt was a leading turn rather than the system column. */
  systemTurn?: boolean;
  /** function_call values whose text would not re-serialise identically, by turn index. */
  rawCalls?: Record<number, string>;
}

function callsFromValue(value: string): ToolCall[] | undefined {
  const parsed = tryParseJson(value);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const calls: ToolCall[] = [];
  for (const c of list) {
    if (!isPlainObject(c) || typeof c.name !== 'string') return undefined;
    calls.push({ name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) });
  }
  return calls;
}

function callsToValue(calls: ToolCall[]): string {
  const list = calls.map((c) => ({ name: c.name, arguments: tryParseJson(c.arguments) ?? c.arguments }));
  return pythonJsonDumps(list.length === 1 ? list[0] : list);
}

/** One turn to a canonical message (`function_call` becomes an assistant message with tool calls). */
export function turnToMessage(turn: Record<string, unknown>, t: ShareGptTags, hints: TurnHints, i: number): Message {
  const tag = typeof turn[t.role] === 'string' ? (turn[t.role] as string) : '';
  const value = typeof turn[t.content] === 'string' ? (turn[t.content] as string) : '';
  if (tag === t.function) {
    const calls = callsFromValue(value);
    if (calls) {
      if (callsToValue(calls) !== value) (hints.rawCalls ??= {})[i] = value;
      return { role: 'assistant', content: '', toolCalls: calls };
    }
    return { role: 'assistant', content: value };
  }
  let role: Message['role'];
  if (tag === t.user) role = 'user';
  else if (tag === t.assistant) role = 'assistant';
  else if (tag === t.observation) role = 'tool';
  else if (tag === t.system) role = 'system';
  else role = canonicalRole(ownString(SHAREGPT_TO_OPENAI, tag) ?? tag) ?? 'user';
  return { role, content: value };
}

export function turnsToCanonical(turns: unknown[], t: ShareGptTags): { system?: string; messages: Message[]; hints: TurnHints } {
  const hints: TurnHints = {};
  let system: string | undefined;
  const messages: Message[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (!isPlainObject(turn)) continue;
    if (i === 0 && turn[t.role] === t.system) {
      system = typeof turn[t.content] === 'string' ? (turn[t.content] as string) : '';
      hints.systemTurn = true;
      continue;
    }
    messages.push(turnToMessage(turn, t, hints, i));
  }
  return { system, messages, hints };
}

/** A canonical message as a turn; reports what a turn cannot hold. */
export function messageToTurn(m: Message, t: ShareGptTags, rawCall: string | undefined, lost: Loss[], where: string): Record<string, unknown> {
  if (m.role === 'assistant' && m.toolCalls?.length) {
    if (m.content !== '') lost.push({ field: `${where}.content`, reason: l10n.t('a {0} turn holds only the call; the assistant text next to it was dropped', t.function) });
    const value = callsToValue(m.toolCalls);
    const useRaw = rawCall !== undefined && callsFromValue(rawCall) !== undefined && callsToValue(callsFromValue(rawCall)!) === value;
    return { [t.role]: t.function, [t.content]: useRaw ? rawCall : value };
  }
  const tag = m.role === 'user' ? t.user : m.role === 'assistant' ? t.assistant : m.role === 'tool' ? t.observation : t.system;
  if (m.weight !== undefined) lost.push({ field: `${where}.weight`, reason: l10n.t('ShareGPT turns carry no per-message weight') });
  if (m.name !== undefined) lost.push({ field: `${where}.name`, reason: l10n.t('ShareGPT turns carry no name') });
  return { [t.role]: tag, [t.content]: m.content };
}

/**
 * Canonical messages (system prompt separate) to turns. System messages after the first position
 * cannot be written (LLaMA-Factory would drop the record) and are reported as lost.
 */
export function messagesToTurns(system: string | undefined, msgs: Message[], t: ShareGptTags, hints: TurnHints | undefined, lost: Loss[], where: string): { turns: Record<string, unknown>[]; systemColumn?: string } {
  const turns: Record<string, unknown>[] = [];
  let systemColumn: string | undefined;
  const offset = hints?.systemTurn && system !== undefined ? 1 : 0;
  if (system !== undefined) {
    if (offset) turns.push({ [t.role]: t.system, [t.content]: system });
    else systemColumn = system;
  }
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.role === 'system') {
      lost.push({ field: `${where}[${i}]`, reason: l10n.t('LLaMA-Factory accepts a system turn only first; this system message was dropped') });
      continue;
    }
    turns.push(messageToTurn(m, t, hints?.rawCalls?.[turns.length], lost, `${where}[${i}]`));
  }
  return { turns, systemColumn };
}
