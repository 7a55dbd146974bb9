/**
 * The prompt side shared by `alpaca` and `alpaca-preference`: `instruction`, `input`, `system`,
 * `history`, read the way LLaMA-Factory's AlpacaDatasetConverter reads them (the user turn is
 * `instruction + "\n" + input`, empty parts skipped; `history` pairs become earlier turns).
 */
import type { Message } from '../model';
import type { JsonPath, Loss } from './formatModule';
import { emit, nth, type Report } from './reportHelpers';
import { isBlank } from './textChecks';
import { STRING, STRING_OR_NULL } from './schemaParts';
import * as l10n from '@vscode/l10n';

export const ALPACA_PROMPT_PROPERTIES = {
  instruction: STRING,
  input: STRING_OR_NULL,
  system: STRING_OR_NULL,
  history: {
    type: ['array', 'null'],
    items: { type: 'array', items: STRING, minItems: 2, maxItems: 2 },
  },
} as const;

export const ALPACA_PROMPT_KEYS = ['instruction', 'input', 'system', 'history'];

export function checkAlpacaPrompt(record: Record<string, unknown>, report: Report): void {
  const instruction = record.instruction as string;
  const input = record.input;
  if (isBlank(instruction) && (typeof input !== 'string' || isBlank(input))) {
    emit(report, ['instruction'], 'common/empty-content', 'warning', l10n.t('"instruction" (and "input") are empty: the trainer sees an empty user turn'));
  }
  const history = record.history;
  if (Array.isArray(history)) {
    for (let i = 0; i < history.length; i++) {
      const pair = history[i] as string[];
      for (let j = 0; j < 2; j++) {
        if (isBlank(pair[j])) {
          const path: JsonPath = ['history', i, j];
          emit(report, path, 'common/empty-content', 'warning', l10n.t('"history" pair {0} has an empty {1} turn', nth(i), j === 0 ? l10n.t('user') : l10n.t('assistant')));
        }
      }
    }
  }
}

/** The user text LLaMA-Factory builds: non-empty instruction and input joined by a newline. */
export function userText(instruction: string, input: unknown): string {
  const hasInput = typeof input === 'string' && input !== '';
  if (instruction === '') return hasInput ? (input as string) : '';
  return hasInput ? instruction + '\n' + (input as string) : instruction;
}

export interface AlpacaPrompt {
  system?: string;
  /** History turns, then the final user turn. */
  messages: Message[];
  layout: Record<string, unknown>;
}

export function alpacaPromptToCanonical(record: Record<string, unknown>): AlpacaPrompt {
  const messages: Message[] = [];
  const layout: Record<string, unknown> = {};
  const history = record.history;
  if (Array.isArray(history)) {
    for (const pair of history) {
      if (!Array.isArray(pair)) continue;
      messages.push({ role: 'user', content: String(pair[0] ?? '') }, { role: 'assistant', content: String(pair[1] ?? '') });
    }
    if (history.length === 0) layout.history = [];
  } else if (history === null) layout.history = null;
  const instruction = typeof record.instruction === 'string' ? record.instruction : '';
  messages.push({ role: 'user', content: userText(instruction, record.input) });
  // Keep the instruction/input split (and `"input": ""` vs no input) so the same format can rebuild it.
  if ('input' in record) layout.input = record.input;
  else layout.noInput = true;
  if (typeof record.input === 'string' && record.input !== '') layout.instruction = instruction;
  let system: string | undefined;
  if (typeof record.system === 'string') system = record.system;
  else if (record.system === null) layout.system = null;
  return { system, messages, layout };
}

/**
 * Canonical prompt (history + final user turn, optional system) back to alpaca fields, or a reason
 * why it cannot be written. Tool traffic and weights are reported as lost.
 */
export function alpacaPromptFromCanonical(
  system: string | undefined,
  prompt: Message[],
  layout: Record<string, unknown> | undefined,
  lost: Loss[],
  where: string,
): { fields: Record<string, unknown> } | { error: string } {
  let sys = system;
  let msgs = prompt;
  if (msgs.length && msgs[0].role === 'system') {
    if (sys === undefined) sys = msgs[0].content;
    else lost.push({ field: `${where}[0]`, reason: l10n.t('a second system prompt has no place in alpaca') });
    msgs = msgs.slice(1);
  }
  const plain: Message[] = [];
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.role === 'tool' || m.role === 'system') {
      lost.push({ field: `${where}[${i}]`, reason: l10n.t('alpaca has no place for a {0} message; dropped', m.role) });
      continue;
    }
    if (m.toolCalls?.length) lost.push({ field: `${where}[${i}].toolCalls`, reason: l10n.t('alpaca has no place for tool calls; dropped') });
    if (m.weight !== undefined) lost.push({ field: `${where}[${i}].weight`, reason: l10n.t('alpaca carries no per-message weight') });
    if (m.toolCalls?.length && m.content === '') continue;
    plain.push(m);
  }
  if (plain.length === 0 || plain[plain.length - 1].role !== 'user') return { error: 'the prompt does not end with a user message' };
  const history: [string, string][] = [];
  for (let i = 0; i + 1 < plain.length; i += 2) {
    if (plain[i].role !== 'user' || plain[i + 1].role !== 'assistant') return { error: 'the earlier turns do not alternate user/assistant, so they cannot become "history"' };
    history.push([plain[i].content, plain[i + 1].content]);
  }
  if (plain.length % 2 === 0) return { error: 'the earlier turns do not alternate user/assistant' };
  const content = plain[plain.length - 1].content;
  const fields: Record<string, unknown> = {};
  const li = layout?.instruction;
  const lin = layout?.input;
  if (typeof li === 'string' && typeof lin === 'string' && userText(li, lin) === content) {
    fields.instruction = li;
    fields.input = lin;
  } else {
    fields.instruction = content;
    // Default to `"input": ""` as LLaMA-Factory's own files do; keep an absent or null input as it was.
    if (layout && 'input' in layout) fields.input = typeof lin === 'string' && lin !== '' ? '' : lin;
    else if (!layout?.noInput) fields.input = '';
  }
  if (sys !== undefined) fields.system = sys;
  else if (layout && layout.system === null) fields.system = null;
  if (history.length) fields.history = history;
  else if (layout && 'history' in layout) fields.history = layout.history;
  return { fields };
}
