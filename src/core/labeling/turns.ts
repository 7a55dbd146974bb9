/**
 * Multi-turn labeling: a conversation's assistant turns become prompts of their own (the history
 * before each turn), candidates lines carry which conversation and turn they answer, and a pair
 * shows its shared history once. Pure functions; the queue order is in turnsQueue.ts.
 */
import type { Message } from '../model';
import type { LabelPair, PairResponse, TurnInfo } from './pair';

export type { TurnInfo } from './pair';
import { responseText } from './auditSource';

/** Generate Candidates: answer only the last user turn (`last`), or every assistant turn (`each`). */
export type TurnsOption = 'last' | 'each';
export const TURNS_OPTIONS: readonly TurnsOption[] = ['last', 'each'];


export interface TurnPrompt {
  turn: number;
  turns: number;
  /** The conversation before the turn: ends with the user message the turn answers. */
  prompt: Message[];
}

/**
 * The prompt of every assistant turn of a conversation, in order: an assistant message right after
 * a user message starts a turn (an assistant message after a tool result continues the same turn,
 * so it is not a prompt of its own). A conversation that ends with a user message adds that last,
 * unanswered turn. `system` is put first when the messages have no system message.
 */
export function assistantTurnPrompts(messages: readonly Message[], system?: string): TurnPrompt[] {
  const ends: number[] = [];
  for (let i = 1; i < messages.length; i++) if (messages[i].role === 'assistant' && messages[i - 1].role === 'user') ends.push(i);
  if (messages.length && messages[messages.length - 1].role === 'user') ends.push(messages.length);
  const head: Message[] = system !== undefined && messages[0]?.role !== 'system' ? [{ role: 'system', content: system }] : [];
  return ends.map((end, k) => ({ turn: k + 1, turns: ends.length, prompt: [...head, ...messages.slice(0, end)] }));
}

/** The id of turn `turn` of a conversation in a candidates file: unique per turn, and stable across runs (resume). */
export function turnPromptId(conversation: string, turn: number): string {
  return `${conversation}#${turn}`;
}

/** `conversation`/`turn`/`turns` of a candidates line, when it has all three and they make sense. */
export function turnInfoOf(value: Record<string, unknown>): TurnInfo | undefined {
  const { conversation, turn, turns } = value;
  const conv = typeof conversation === 'string' ? conversation : typeof conversation === 'number' ? String(conversation) : undefined;
  if (conv === undefined || conv === '' || !Number.isInteger(turn) || (turn as number) < 1) return undefined;
  const n = Number.isInteger(turns) && (turns as number) >= (turn as number) ? (turns as number) : (turn as number);
  return { conversation: conv, turn: turn as number, turns: n };
}

function sameMessage(x: Message, y: Message): boolean {
  return x.role === y.role && x.content === y.content && (x.name ?? '') === (y.name ?? '') && JSON.stringify(x.toolCalls ?? null) === JSON.stringify(y.toolCalls ?? null);
}

/**
 * How many leading messages two multi-message responses share (audit of multi-turn preference data,
 * where chosen and rejected are whole continuations that agree up to a point). Never all of either:
 * each side keeps at least its last message.
 */
export function sharedPrefix(a: readonly Message[] | undefined, b: readonly Message[] | undefined): number {
  if (!a || !b) return 0;
  let n = 0;
  while (n < a.length - 1 && n < b.length - 1 && sameMessage(a[n], b[n])) n++;
  return n;
}

/** What the panel shows of a pair: the history once, then the two continuations. */
export interface TurnView {
  /** The prompt, plus the turns both responses share. */
  history: Message[];
  /** Display text of each response after the shared turns. */
  a: string;
  b: string;
  turn?: { turn: number; turns: number };
}

function tailText(r: PairResponse, shared: number): string {
  return shared > 0 && r.messages ? responseText(r.messages.slice(shared)) : r.content;
}

export function turnView(pair: LabelPair): TurnView {
  const shared = sharedPrefix(pair.a.messages, pair.b.messages);
  const history = shared > 0 ? [...pair.prompt, ...pair.a.messages!.slice(0, shared)] : pair.prompt;
  const view: TurnView = { history, a: tailText(pair.a, shared), b: tailText(pair.b, shared) };
  if (pair.turn) view.turn = { turn: pair.turn.turn, turns: pair.turn.turns };
  return view;
}

/** True when the pair's prompt holds earlier assistant turns (its export needs a multi-turn shape). */
export function isMultiTurnPrompt(prompt: readonly Message[]): boolean {
  let sawAssistant = false;
  for (const m of prompt) {
    if (m.role === 'assistant') sawAssistant = true;
    else if (m.role === 'user' && sawAssistant) return true;
  }
  return false;
}
