/**
 * TRL's two shapes of the same record: "standard" (strings) and "conversational" (message lists).
 * Every field of one record must use the same shape; `FormatOptions.variant` can pin the file's shape.
 */
import type { Message } from '../model';
import type { FormatOptions, Loss } from './formatModule';
import { checkMessageList, dialectReaders, TRL_DIALECT, type Dialect, type ListSummary } from './openAiMessages';
import { checkToolCalls, declaredTools } from './toolCallRules';
import { emit, type Report } from './reportHelpers';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

export type TrlVariant = 'standard' | 'conversational';

export function variantOf(v: unknown): TrlVariant | undefined {
  return typeof v === 'string' ? 'standard' : Array.isArray(v) ? 'conversational' : undefined;
}

/**
 * Reports fields whose shape differs from the first field's (or from the file's pinned variant).
 * Returns the record's variant, or undefined when it is mixed.
 */
export function checkVariant(r: Record<string, unknown>, keys: readonly string[], options: FormatOptions | undefined, report: Report): TrlVariant | undefined {
  let first: TrlVariant | undefined;
  let firstKey = '';
  for (const k of keys) {
    const v = variantOf(r[k]);
    if (v === undefined) continue;
    if (first === undefined) {
      first = v;
      firstKey = k;
    } else if (v !== first) {
      emit(report, [k], 'trl/mixed-variant', 'error',
        l10n.t('TRL cannot read this record: "{0}" is {1} but "{2}" is {3}; use one shape for all fields', firstKey, first === 'standard' ? l10n.t('a string') : l10n.t('a message list'), k, v === 'standard' ? l10n.t('a string') : l10n.t('a message list')));
      return undefined;
    }
  }
  const pinned = options?.variant;
  if (first && (pinned === 'standard' || pinned === 'conversational') && pinned !== first) {
    emit(report, [firstKey], 'trl/mixed-variant', 'error',
      l10n.t('TRL reads the whole file in one shape: this file is {0} but this record is {1} ("{2}" is {3})', pinned, first, firstKey, first === 'standard' ? l10n.t('a string') : l10n.t('a message list')));
    return undefined;
  }
  return first;
}

/** Per-field checks for either shape; returns the message-list summary for conversational fields. */
export function checkTrlField(r: Record<string, unknown>, key: string, trainer: string, report: Report, dialect: Dialect = TRL_DIALECT): ListSummary | undefined {
  const v = r[key];
  if (typeof v === 'string') {
    if (isBlank(v)) emit(report, [key], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: {1} trains on an empty {2}', key, trainer, key));
    return undefined;
  }
  if (Array.isArray(v)) return checkMessageList(v, [key], dialect, report);
  return undefined;
}

/**
 * Tool calls of a conversational TRL record: the prompt, then each answer field after it (a `tool`
 * turn in `chosen` may answer a call the prompt made). TRL hands `arguments` to the chat template as
 * they are, dict or string (its own tool-calling test data uses dicts).
 */
export function checkTrlToolCalls(r: Record<string, unknown>, prompt: string | undefined, answers: readonly string[], report: Report, dialect: Dialect = TRL_DIALECT, dispreferred?: string): void {
  const tools = declaredTools(r.tools);
  const reading = dialectReaders(dialect);
  const head = prompt !== undefined && Array.isArray(r[prompt]) ? (r[prompt] as unknown[]) : undefined;
  if (head && answers.length === 0) checkToolCalls([{ msgs: head, path: [prompt!] }], tools, reading, report);
  answers.forEach((key, n) => {
    const v = r[key];
    if (!Array.isArray(v)) return;
    const answer = { msgs: v, path: [key], dispreferred: key === dispreferred };
    const segments = head ? [{ msgs: head, path: [prompt!], contextOnly: n > 0 }, answer] : [answer];
    checkToolCalls(segments, tools, reading, report);
  });
}

/**
 * The prompt of a canonical record (its system text first): every turn up to the last user turn.
 * The turns after it are answers, not part of a prompt: dropped, and said so in `lost`. Undefined
 * (with the reason in `lost`) when there is no user turn.
 */
export function promptOf(rec: { system?: string; messages: Message[] }, lost: Loss[]): Message[] | undefined {
  const all: Message[] = rec.system !== undefined ? [{ role: 'system', content: rec.system }, ...rec.messages] : rec.messages;
  let end = all.length;
  while (end > 0 && all[end - 1].role !== 'user') end--;
  if (end === 0) {
    lost.push({ field: 'messages', reason: l10n.t('the record has no user turn to use as a prompt') });
    return undefined;
  }
  if (end < all.length) lost.push({ field: 'messages', reason: l10n.t('the {0} turn(s) after the last user turn are answers, not part of the prompt; dropped', all.length - end) });
  return all.slice(0, end);
}

export function asUser(text: string): Message[] {
  return [{ role: 'user', content: text }];
}

export function asAssistant(text: string): Message[] {
  return [{ role: 'assistant', content: text }];
}

/** The text of a one-message list for the standard shape, or undefined with the reason in `lost`. */
export function singleText(msgs: Message[], role: 'user' | 'assistant', field: string, lost: Loss[]): string | undefined {
  let list = msgs;
  if (role === 'user' && list.length > 1 && list[0].role === 'system') {
    lost.push({ field: `${field}[0]`, reason: l10n.t('the standard (string) shape has no system prompt; dropped') });
    list = list.slice(1);
  }
  if (list.length !== 1 || list[0].role !== role) {
    lost.push({ field, reason: l10n.t('the standard (string) shape holds "{0}" as one {1} text; this one has {2} message(s)', field, role, list.length) });
    return undefined;
  }
  if (list[0].toolCalls?.length) lost.push({ field: `${field}[0].toolCalls`, reason: l10n.t('the standard shape has no tool calls; dropped') });
  return list[0].content;
}

/** The variant to write: the option, then the source layout, then conversational (what TRL recommends for chat models). */
export function targetVariant(options: FormatOptions | undefined, layout: Record<string, unknown> | undefined): TrlVariant {
  const o = options?.variant;
  if (o === 'standard' || o === 'conversational') return o;
  return layout?.variant === 'standard' ? 'standard' : 'conversational';
}
