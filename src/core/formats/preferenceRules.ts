/** Rules every preference format shares: identical pairs, empty answers, user turns inside answers. */
import type { Message } from '../model';
import type { JsonPath, Loss } from './formatModule';
import { contentText } from './openAiMessages';
import { emit, nth, type Report } from './reportHelpers';
import { isBlank } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

/** Two string answers: empty ones, identical ones. */
export function checkStringPair(r: Record<string, unknown>, a: string, b: string, trainer: string, report: Report): void {
  const x = r[a];
  const y = r[b];
  if (typeof x === 'string' && isBlank(x)) emit(report, [a], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: {1} compares against an empty answer', a, trainer));
  if (typeof y === 'string' && isBlank(y)) emit(report, [b], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: {1} compares against an empty answer', b, trainer));
  if (typeof x === 'string' && x === y) {
    emit(report, [b], 'common/identical-chosen-rejected', 'warning', l10n.t('"{0}" and "{1}" are identical: the pair teaches {2} nothing', a, b, trainer));
  }
}

function sameMessage(a: unknown, b: unknown): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return a === b;
  if (a.role !== b.role) return false;
  if (typeof a.content === 'string' && typeof b.content === 'string') return a.content === b.content;
  if (a.content === b.content) return true;
  return contentText(a.content) === contentText(b.content) && JSON.stringify(a.content) === JSON.stringify(b.content);
}

/** Equal message lists (roles and content), compared without serialising. */
export function sameMessages(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameMessage(a[i], b[i])) return false;
  return true;
}

/** A pair of message-list answers: identical lists. Empty content is reported by the message checker. */
export function checkMessagePair(r: Record<string, unknown>, a: string, b: string, trainer: string, report: Report): void {
  const x = r[a];
  const y = r[b];
  if (Array.isArray(x) && Array.isArray(y) && x.length > 0 && sameMessages(x, y)) {
    emit(report, [b], 'common/identical-chosen-rejected', 'warning', l10n.t('"{0}" and "{1}" are identical: the pair teaches {2} nothing', a, b, trainer));
  }
}

/**
 * TRL explicit-prompt answers (`field` is chosen, rejected or completion) must hold assistant turns only: a copy of the prompt at their start is
 * `trl/prompt-in-chosen`; any other user turn is TRL #2385 (`trl/chosen-user-role`, `trl/rejected-user-role`).
 */
export function checkAnswerTurns(prompt: unknown[] | undefined, answer: unknown[], field: string, report: Report): void {
  let from = 0;
  if (prompt && prompt.length > 0 && answer.length > prompt.length) {
    let repeated = true;
    for (let i = 0; i < prompt.length && repeated; i++) repeated = sameMessage(prompt[i], answer[i]);
    if (repeated) {
      emit(report, [field, 0], 'trl/prompt-in-chosen', 'warning',
        l10n.t('"{0}" starts with the whole prompt again: with an explicit "prompt", TRL appends "{1}" to it, so the prompt is trained twice; keep only the assistant turns', field, field));
      from = prompt.length;
    }
  }
  for (let i = from; i < answer.length; i++) {
    const m = answer[i];
    if (isPlainObject(m) && m.role === 'user') {
      emit(report, [field, i, 'role'], `trl/${field}-user-role`, 'error',
        l10n.t('"{0}" message {1} has role "user": TRL trains on it as if the assistant said it (TRL #2385); answers hold assistant turns only', field, nth(i)));
      return;
    }
  }
}

/** A conversational prompt should end on the user's turn, or the model answers nothing. */
export function checkPromptEndsWithUser(prompt: unknown[], path: JsonPath, trainer: string, report: Report): void {
  if (prompt.length === 0) {
    emit(report, path, 'common/prompt-last-not-user', 'warning', l10n.t('the prompt is empty: {0} has nothing to answer', trainer));
    return;
  }
  const last = prompt[prompt.length - 1];
  if (isPlainObject(last) && typeof last.role === 'string' && last.role !== 'user' && last.role !== 'tool') {
    emit(report, [...path, prompt.length - 1, 'role'], 'common/prompt-last-not-user', 'warning',
      l10n.t('the prompt ends with a "{0}" message: {1} expects it to end with the user\'s turn that the answers reply to', last.role, trainer));
  }
}

/** Standard (string) explicit-prompt answers must not repeat the prompt. */
export function checkPromptRepeatedInString(prompt: string, answer: string, field: string, report: Report): void {
  if (prompt.length >= 8 && answer.length > prompt.length && answer.startsWith(prompt)) {
    emit(report, [field], 'trl/prompt-in-chosen', 'warning',
      l10n.t('"{0}" starts with the whole "prompt": TRL appends "{1}" to the prompt, so the prompt is trained twice; keep only the answer', field, field));
  }
}

/** A one-message assistant answer as text, or undefined (with the reason in `lost`). */
export function singleAnswer(msgs: Message[], field: string, lost: Loss[]): string | undefined {
  if (msgs.length !== 1 || msgs[0].role !== 'assistant') {
    lost.push({ field, reason: l10n.t('the target holds "{0}" as one assistant text; this one has {1} message(s){2}', field, msgs.length, msgs.length === 1 ? l10n.t(' with role {0}', msgs[0].role) : '') });
    return undefined;
  }
  const m = msgs[0];
  if (m.toolCalls?.length) lost.push({ field: `${field}[0].toolCalls`, reason: l10n.t('tool calls have no place in a text answer; dropped') });
  if (m.weight !== undefined) lost.push({ field: `${field}[0].weight`, reason: l10n.t('per-message weight is not carried') });
  return m.content;
}

/** A prompt of exactly `[system?] user` as text, or undefined (with the reason in `lost`). */
export function singleUserPrompt(prompt: Message[], lost: Loss[], allowSystem: boolean): { system?: string; text: string } | undefined {
  let msgs = prompt;
  let system: string | undefined;
  if (msgs.length && msgs[0].role === 'system') {
    system = msgs[0].content;
    msgs = msgs.slice(1);
    if (!allowSystem) {
      lost.push({ field: 'prompt[0]', reason: l10n.t('the target has no system prompt; dropped') });
      system = undefined;
    }
  }
  if (msgs.length !== 1 || msgs[0].role !== 'user') {
    lost.push({ field: 'prompt', reason: l10n.t('the target holds the prompt as one user text; this one has {0} turn(s)', msgs.length) });
    return undefined;
  }
  return { system, text: msgs[0].content };
}
