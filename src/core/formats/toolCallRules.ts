/**
 * Tool calls in OpenAI-style message lists, checked as the readers of the file use them:
 * - `function.arguments` is a JSON *string* for OpenAI fine-tuning (API reference, "Training format
 *   for chat models": `"arguments": "{\"altitude\": 100}"` in the cookbook's drone_training.jsonl),
 *   an *object* in TRL's own tool-calling data (huggingface/trl trl_toolcall_* test datasets, handed
 *   to the chat template as is), and either for Axolotl, which parses a string with json.loads and
 *   stops on bad JSON ("Error parsing tool_calls arguments as JSON", axolotl
 *   src/axolotl/prompt_strategies/chat_template.py `transform_message`).
 * - Text that is not a JSON object, or JSON encoded twice (`"\"{\\\"x\\\": 1}\""`), teaches the model
 *   calls no tool runtime can parse, whoever reads the file: an error for every reader.
 * - A call to a function that `tools` does not declare, or without a parameter the declaration
 *   requires, teaches calls that fail; a `tool` turn must answer a call made before it.
 */
import type { ReaderContext } from '../trainers';
import { MESSAGE_KEYS, readerVerdict, trainerList } from '../trainers';
import type { JsonPath } from './formatModule';
import { emit, emitFor, nth, quote, type Report } from './reportHelpers';
import { hasOwn } from './roleNames';
import { isPlainObject } from '../base/jsonValue';
import { tryParseJson } from './textChecks';
import { TextMemo } from './textMemo';
import * as l10n from '@vscode/l10n';

/** Declared functions by name, with their required parameters; undefined when the record declares no tools. */
export type DeclaredTools = ReadonlyMap<string, readonly string[]> | undefined;

/** Reads `tools` as OpenAI (`[{type, function: {name, parameters}}]`), TRL (the same) or LLaMA-Factory (JSON text, bare `{name, parameters}`) write it. */
export function declaredTools(tools: unknown): DeclaredTools {
  // JSON text is read once per distinct list (datasets repeat theirs on every record).
  return typeof tools === 'string' ? declaredByText.get(tools, (text) => declaredInList(tryParseJson(text))) : declaredInList(tools);
}

const declaredByText = new TextMemo<DeclaredTools>();

function declaredInList(list: unknown): DeclaredTools {
  if (!Array.isArray(list)) return undefined;
  const out = new Map<string, readonly string[]>();
  for (const t of list) {
    if (!isPlainObject(t)) continue;
    const fn = isPlainObject(t.function) ? t.function : t;
    if (typeof fn.name !== 'string') continue;
    const params = isPlainObject(fn.parameters) ? fn.parameters : undefined;
    const required = params && Array.isArray(params.required) ? params.required.filter((r): r is string => typeof r === 'string') : [];
    out.set(fn.name, required);
  }
  return out;
}

/** Readers that take `arguments` as a JSON object rather than a string. */
const WANTS_STRING = ['openai'] as const;

function checkArguments(args: unknown, at: JsonPath, name: string, ctx: ReaderContext, report: Report): Record<string, unknown> | undefined {
  if (isPlainObject(args)) {
    emitFor(report, readerVerdict(ctx, WANTS_STRING), at, 'tools/arguments-object', (v) => {
      // Readers that keep tool calls at all (ms-swift deletes the key; its own rule says so).
      const take = v.fine.filter((r) => MESSAGE_KEYS[r].keys.has('tool_calls') || MESSAGE_KEYS[r].others === 'template');
      return take.length
        ? l10n.t('{0} wants the arguments of call {1} as a JSON string; {2} take the object as it is', trainerList(v.hit), quote(name), trainerList(take))
        : l10n.t('{0} wants the arguments of call {1} as a JSON string, not an object: write JSON.stringify of it', trainerList(v.hit), quote(name));
    });
    return args;
  }
  if (typeof args !== 'string') {
    emit(report, at, 'tools/arguments-not-object', 'error', l10n.t('the arguments of call {0} must be a JSON object (or its JSON text), not {1}', quote(name), args === null ? 'null' : Array.isArray(args) ? l10n.t('a list') : typeof args));
    return undefined;
  }
  const parsed = tryParseJson(args);
  if (parsed === undefined) {
    emit(report, at, 'tools/arguments-not-json', 'error', l10n.t('the arguments of call {0} are not valid JSON: every trainer learns a call no tool can parse (Axolotl stops on it)', quote(name)));
    return undefined;
  }
  if (typeof parsed === 'string' && isPlainObject(tryParseJson(parsed))) {
    emit(report, at, 'tools/arguments-double-encoded', 'error', l10n.t('the arguments of call {0} are JSON text encoded twice (a string holding JSON text): decode it once so they read as an object', quote(name)));
    return undefined;
  }
  if (!isPlainObject(parsed)) {
    emit(report, at, 'tools/arguments-not-object', 'error', l10n.t('the arguments of call {0} must be a JSON object, not {1}', quote(name), Array.isArray(parsed) ? l10n.t('a list') : parsed === null ? 'null' : typeof parsed));
    return undefined;
  }
  return parsed;
}

function checkCall(fn: Record<string, unknown>, at: JsonPath, tools: DeclaredTools, ctx: ReaderContext, report: Report): string | undefined {
  const name = typeof fn.name === 'string' ? fn.name : undefined;
  if (name === undefined) return undefined;
  const args = hasOwn(fn, 'arguments') ? checkArguments(fn.arguments, [...at, 'arguments'], name, ctx, report) : undefined;
  if (tools) {
    const required = tools.get(name);
    if (required === undefined) {
      emit(report, [...at, 'name'], 'tools/undeclared-tool', 'error', l10n.t('call {0} names a function that "tools" does not declare (declared: {1})', quote(name), [...tools.keys()].slice(0, 8).join(', ') || l10n.t('none')));
    } else if (args) {
      const missing = required.filter((p) => !hasOwn(args, p));
      if (missing.length) emit(report, [...at, 'arguments'], 'tools/missing-required-argument', 'warning', l10n.t('call {0} lacks the required parameter(s) {1} of its declaration in "tools"', quote(name), missing.join(', ')));
    }
  }
  return name;
}

/** A message list and where it sits in the record; a conversation may span several (a prompt, then chosen). */
export interface MessageSegment {
  msgs: readonly unknown[];
  path: JsonPath;
  /** Read for the calls it makes, its own problems reported elsewhere (a prompt shared by chosen and rejected). */
  contextOnly?: boolean;
  /** A rejected answer: a call to the wrong tool may be the very mistake it shows, so names are not checked. */
  dispreferred?: boolean;
}

const SILENT: Report = () => undefined;

/**
 * Checks the tool calls of a conversation and that every `tool` turn answers one. `tools` is the
 * record's declaration (undefined when it declares none: then names are not checked).
 */
export function checkToolCalls(segments: readonly MessageSegment[], tools: DeclaredTools, ctx: ReaderContext, out: Report): void {
  // Made at a record's first call: most records make none (two Sets a record were a fifth of what
  // validating an OpenAI chat file allocated beyond its text and parsed values).
  let ids: Set<string> | undefined;
  let names: Set<string> | undefined;
  let calls = 0;
  for (const { msgs, path, contextOnly, dispreferred } of segments) for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    const report = contextOnly ? SILENT : out;
    const declared = dispreferred ? undefined : tools;
    if (!isPlainObject(m)) continue;
    if (Array.isArray(m.tool_calls)) {
      for (let j = 0; j < m.tool_calls.length; j++) {
        const tc = m.tool_calls[j];
        if (!isPlainObject(tc)) continue;
        const fn = isPlainObject(tc.function) ? tc.function : undefined;
        if (!fn) continue;
        const name = checkCall(fn, [...path, i, 'tool_calls', j, 'function'], declared, ctx, report);
        calls++;
        if (typeof tc.id === 'string') (ids ??= new Set()).add(tc.id);
        if (name) (names ??= new Set()).add(name);
      }
    } else if (isPlainObject(m.function_call)) {
      const name = checkCall(m.function_call, [...path, i, 'function_call'], declared, ctx, report);
      calls++;
      if (name) (names ??= new Set()).add(name);
    }
    if (Array.isArray(m.content)) {
      // LLaMA-Factory v1 writes a call as a content part `{"type": "tool_call", "value": "{\"name\", \"arguments\"}"}`.
      for (const p of m.content) {
        if (!isPlainObject(p) || p.type !== 'tool_call') continue;
        const v = typeof p.value === 'string' ? tryParseJson(p.value) : p.value;
        calls++;
        if (isPlainObject(v) && typeof v.name === 'string') (names ??= new Set()).add(v.name);
      }
    }
    if (m.role === 'tool' || m.role === 'function') {
      const at = [...path, i];
      if (calls === 0) {
        emit(report, [...at, 'role'], 'tools/unanswered-tool-turn', 'error', l10n.t('tool message {0} answers no call: no assistant message before it makes a tool call', nth(i)));
      } else if (typeof m.tool_call_id === 'string' && ids && !ids.has(m.tool_call_id)) {
        emit(report, [...at, 'tool_call_id'], 'tools/unanswered-tool-turn', 'error', l10n.t('tool message {0} answers call id {1}, which no earlier call has (ids: {2})', nth(i), quote(m.tool_call_id), [...ids].slice(0, 8).join(', ')));
      } else if (typeof m.name === 'string' && names && !names.has(m.name)) {
        emit(report, [...at, 'name'], 'tools/unanswered-tool-turn', 'error', l10n.t('tool message {0} is the result of {1}, which no earlier call names (called: {2})', nth(i), quote(m.name), [...names].slice(0, 8).join(', ')));
      }
    }
  }
}
