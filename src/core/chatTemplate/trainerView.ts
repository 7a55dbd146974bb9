/**
 * The trainer's view of one record: the rendered text, its token ids, which tokens carry loss under
 * the trainer's defaults (and the options that change them), and the cut at a max length. Pure: the
 * result is plain data a webview or the CLI can draw.
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import type { Message, SftRecord } from '../model';
import type { ChatTemplateRenderer, Span } from './render';
import { lossSpans, TemplateError, type LossOptions } from './lossSpans';

export interface TrainerViewOptions extends LossOptions {
  readonly maxLength?: number;
}

export interface ViewSegment {
  readonly text: string;
  readonly ids: readonly number[];
  readonly trained: boolean;
}

export interface TrainerView {
  readonly text: string;
  readonly ids: number[];
  /** 1 where the token carries loss. */
  readonly mask: number[];
  readonly segments: ViewSegment[];
  readonly trainedTokens: number;
  /** Tokens past maxLength (0 when it fits or there is no limit). */
  readonly overBy: number;
  /** Trained tokens left after the cut. */
  readonly trainedAfterCut: number;
  /** Indices (in `chatMessages` order) of messages whose content does not appear in the render. */
  readonly missing: number[];
  /** Indices (in `chatMessages` order) of messages with a tool call whose function name the render leaves out. */
  readonly droppedToolCalls: number[];
  /** The record declares tools and the render names none of them: the template ignores `tools`. */
  readonly toolsDropped: boolean;
}

/** Tool definitions as a template takes them: ShareGPT's JSON text parsed (LLaMA-Factory reads it so), else as they are. */
function templateTools(tools: unknown): unknown {
  if (typeof tools !== 'string') return tools;
  try {
    return JSON.parse(tools) as unknown;
  } catch {
    return tools;
  }
}

/** The function names of a record's tool definitions (OpenAI objects, or ShareGPT's JSON text of them). */
function toolNames(tools: unknown): string[] {
  const list = templateTools(tools);
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const t of list) {
    const fn = t && typeof t === 'object' ? ((t as { function?: unknown }).function ?? t) : undefined;
    const name = fn && typeof fn === 'object' ? (fn as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && name !== '') names.push(name);
  }
  return names;
}

/**
 * What the template leaves out beyond message content: a tool call whose function name is not in
 * the render (a template without tool-call support trains the answer without its call: TRL#2919,
 * torchtune#2405), and tool definitions it never prints.
 */
function droppedTools(text: string, messages: readonly Message[], tools: unknown): { droppedToolCalls: number[]; toolsDropped: boolean } {
  const droppedToolCalls: number[] = [];
  messages.forEach((m, i) => {
    if (m.toolCalls?.some((c) => c.name !== '' && !text.includes(c.name))) droppedToolCalls.push(i);
  });
  const names = toolNames(tools);
  return { droppedToolCalls, toolsDropped: names.length > 0 && !names.some((n) => text.includes(n)) };
}

/** What a view says the template leaves out, in words: "#2 (assistant)", "tool calls of #3 (assistant)", "tool definitions". */
export function droppedWords(v: Pick<TrainerView, 'missing' | 'droppedToolCalls' | 'toolsDropped'>, messages: readonly Message[]): string[] {
  return [...v.missing.map((i) => `#${i + 1} (${messages[i].role})`), ...v.droppedToolCalls.map((i) => `tool calls of #${i + 1} (${messages[i].role})`), ...(v.toolsDropped ? ['tool definitions'] : [])];
}

/** The messages as the template receives them: OpenAI-style dicts, the system prompt first. */
export function chatMessages(record: SftRecord): Message[] {
  return record.system !== undefined && record.system !== '' ? [{ role: 'system', content: record.system }, ...record.messages] : record.messages;
}

function templateMessage(m: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content };
  if (m.name !== undefined) out.name = m.name;
  if (m.toolCalls) out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  if (m.toolCallId !== undefined) out.tool_call_id = m.toolCallId;
  return out;
}

/** Finds each message's content in the render, in order; the spans of those found, and the indices of those not. */
function locate(text: string, messages: Message[]): { spans: (Span | undefined)[]; missing: number[] } {
  const spans: (Span | undefined)[] = [];
  const missing: number[] = [];
  let from = 0;
  messages.forEach((m, i) => {
    if (m.content === '') {
      spans.push(undefined);
      return;
    }
    const at = text.indexOf(m.content, from);
    if (at < 0) {
      spans.push(undefined);
      missing.push(i);
      return;
    }
    spans.push({ start: at, end: at + m.content.length });
    from = at + m.content.length;
  });
  return { spans, missing };
}

export function trainerView(record: SftRecord, renderer: ChatTemplateRenderer, tokenizer: Tokenizer, o: TrainerViewOptions, special: { bos_token?: string; eos_token?: string } = {}): TrainerView {
  const messages = chatMessages(record);
  let rendered;
  try {
    rendered = renderer.render({ messages: messages.map(templateMessage), tools: templateTools(record.tools), add_generation_prompt: false, ...special });
  } catch (e) {
    throw new TemplateError(e instanceof Error ? e.message : String(e));
  }
  const { text } = rendered;
  const located = locate(text, messages);
  const spans = lossSpans(
    { text, generation: rendered.generation, hasGenerationMarkers: rendered.hasGenerationMarkers, contents: located.spans, eosToken: special.eos_token, countTokens: (s) => (s === '' ? 0 : tokenizer.encode(s, { add_special_tokens: false }).ids.length) },
    messages,
    o,
  );
  // Tokenize segment by segment at the trained spans' edges, so each token falls on one side.
  const segments: ViewSegment[] = [];
  const ids: number[] = [];
  const mask: number[] = [];
  let pos = 0;
  const push = (start: number, end: number, trained: boolean): void => {
    if (end <= start) return;
    const part = text.slice(start, end);
    const segIds = tokenizer.encode(part, { add_special_tokens: false }).ids;
    segments.push({ text: part, ids: segIds, trained });
    for (const id of segIds) {
      ids.push(id);
      mask.push(trained ? 1 : 0);
    }
  };
  for (const s of spans) {
    push(pos, s.start, false);
    push(Math.max(pos, s.start), s.end, true);
    pos = Math.max(pos, s.end);
  }
  push(pos, text.length, false);
  const trainedTokens = mask.reduce((a, b) => a + b, 0);
  const limit = o.maxLength ?? Infinity;
  const overBy = Math.max(0, ids.length - limit);
  const trainedAfterCut = overBy === 0 ? trainedTokens : mask.slice(0, limit).reduce((a, b) => a + b, 0);
  return { text, ids, mask, segments, trainedTokens, overBy, trainedAfterCut, missing: located.missing, ...droppedTools(text, messages, record.tools) };
}
