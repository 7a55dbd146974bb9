/**
 * Prompts for a candidates job from any dataset file the formats engine reads (SFT, preference,
 * candidates, KTO, …) or a prompt-only file (`{"prompt": "…"}` / `{"prompt": [messages]}`, TRL's
 * prompt-only layout, which no format module claims): each record goes through its format's
 * toCanonical, and the prompt is the conversation up to and including its last user turn.
 * Shared by the `pairwise generate` CLI and the "Generate Candidates" command.
 */
import type { FormatId, FormatModule } from '../formats/formatModule';
import { detectFormat, getFormat } from '../formats/registry';
import type { CanonicalRecord, Message } from '../model';
import { readDatasetRows } from '../labeling/datasetRows';
import { promptHash } from '../labeling/hashing';
import type { InputProblem } from '../labeling/pairQueue';
import type { PromptRecord } from './candidatesJob';
import { assistantTurnPrompts, turnPromptId, type TurnPrompt, type TurnsOption } from '../labeling/turns';
import * as l10n from '@vscode/l10n';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/** The turns before the answer: everything up to and including the last user message. */
export function promptOfMessages(messages: readonly Message[], system?: string): Message[] | undefined {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user') {
      last = i;
      break;
    }
  }
  if (last < 0) return undefined;
  const prompt = messages.slice(0, last + 1);
  if (system && prompt[0]?.role !== 'system') prompt.unshift({ role: 'system', content: system });
  return prompt;
}

/** The whole conversation of a record, for one prompt per assistant turn. */
function conversationOf(rec: CanonicalRecord): { messages: Message[]; system?: string } | undefined {
  switch (rec.type) {
    case 'sft':
      return { messages: rec.messages, system: rec.system };
    case 'preference':
      return { messages: [...rec.prompt, ...rec.chosen] };
    case 'unpaired':
      return { messages: [...rec.prompt, ...rec.completion] };
    case 'text':
      return undefined;
    default:
      return { messages: rec.prompt };
  }
}

/** One prompt per assistant turn of a record (turns `each`); at least the `last` prompt when it has one. */
export function turnPromptsOfCanonical(rec: CanonicalRecord): TurnPrompt[] {
  const c = conversationOf(rec);
  return c ? assistantTurnPrompts(c.messages, c.system) : [];
}

export function promptOfCanonical(rec: CanonicalRecord): Message[] | undefined {
  switch (rec.type) {
    case 'sft':
      return promptOfMessages(rec.messages, rec.system);
    case 'text':
      return undefined;
    default:
      return promptOfMessages(rec.prompt);
  }
}

/** TRL prompt-only: a string prompt or a list of messages, nothing else needed. */
function promptOnly(v: Record<string, unknown>): Message[] | undefined {
  if (typeof v.prompt === 'string') return v.prompt.trim() ? [{ role: 'user', content: v.prompt }] : undefined;
  if (!Array.isArray(v.prompt)) return undefined;
  const out: Message[] = [];
  for (const m of v.prompt as unknown[]) {
    if (!m || typeof m !== 'object') return undefined;
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !ROLES.has(role) || typeof content !== 'string') return undefined;
    out.push({ role: role as Message['role'], content });
  }
  return promptOfMessages(out);
}

function idOf(v: Record<string, unknown>, prompt: Message[]): string {
  if (typeof v.id === 'string' && v.id !== '') return v.id;
  if (typeof v.id === 'number' && Number.isFinite(v.id)) return String(v.id);
  // Stable across runs, so a resumed job recognises the prompts it already answered.
  return `p-${promptHash(prompt)}`;
}

export interface DatasetPromptsOptions {
  /** Detected from the first records when absent. */
  format?: FormatId;
  /**
   * `last` (default): one prompt per record, up to its last user turn. `each`: one prompt per
   * assistant turn of the record's conversation (turns.ts), each tagged with the record id and turn.
   */
  turns?: TurnsOption;
}

export interface DatasetPrompts {
  /** The format the records were read as, or `prompt-only`. */
  format: FormatId | 'prompt-only';
  prompts: PromptRecord[];
  /** Records that gave no prompt (bad JSON, no user turn, not a record of the format). */
  problems: InputProblem[];
}

/**
 * Reads every prompt of a dataset file. The prompts are held in memory (a message list per
 * record): generation is bounded by request cost long before prompt lists get large.
 */
export async function readDatasetPrompts(path: string, options: DatasetPromptsOptions = {}): Promise<DatasetPrompts> {
  let format: FormatModule | undefined = options.format ? getFormat(options.format) : undefined;
  if (!format) {
    const sample: Record<string, unknown>[] = [];
    for await (const row of readDatasetRows(path, [])) {
      sample.push(row.value);
      if (sample.length >= 200) break;
    }
    const found = detectFormat(sample);
    if (found) format = getFormat(found.id);
    else if (sample.length === 0) throw new Error(l10n.t('{0}: no records', path));
    else if (!sample.some((v) => promptOnly(v))) throw new Error(l10n.t('{0}: no known dataset format fits its records, and they have no "prompt" field', path));
  }
  const problems: InputProblem[] = [];
  const prompts: PromptRecord[] = [];
  for await (const row of readDatasetRows(path, problems)) {
    let prompt: Message[] | undefined;
    let rec: CanonicalRecord | undefined;
    if (format) {
      try {
        rec = format.toCanonical(row.value);
      } catch (e) {
        problems.push({ line: row.line, message: l10n.t('not a {0} record: {1}', format.title, (e as Error).message) });
        continue;
      }
      prompt = promptOfCanonical(rec);
    } else prompt = promptOnly(row.value);
    if (!prompt || !prompt.some((m) => m.role === 'user' && m.content.trim() !== '')) {
      problems.push({ line: row.line, message: l10n.t('no user turn to answer') });
      continue;
    }
    const id = idOf(row.value, prompt);
    if (options.turns === 'each' && rec !== undefined) {
      for (const t of turnPromptsOfCanonical(rec)) prompts.push({ id: turnPromptId(id, t.turn), prompt: t.prompt, conversation: id, turn: t.turn, turns: t.turns });
    } else prompts.push({ id, prompt });
  }
  return { format: format ? format.id : 'prompt-only', prompts, problems };
}
