/** What the annotator compares: one prompt and two responses, named by content hashes. */
import type { Message } from '../model';

/** Multi-turn: where a prompt sits in its conversation, turn `turn` (1-based) of `turns` assistant turns (turns.ts). */
export interface TurnInfo {
  /** Id of the source record the turns come from. */
  conversation: string;
  turn: number;
  turns: number;
}

export type Choice = 'left' | 'right' | 'tie' | 'both_bad' | 'skip';
export type Strength = 'slightly' | 'clearly';

export interface PairResponse {
  /** Content hash (responseHash); the log's `left`/`right` hold these. */
  hash: string;
  /** Model or file the response came from; never sent to the webview. */
  model?: string;
  /** Display text. */
  content: string;
  /** Full assistant turns when the response is more than one plain message (audit of multi-turn data). */
  messages?: Message[];
}

export interface LabelPair {
  /** pairIdOf(promptHash, a.hash, b.hash): stable across reorderings of the input. */
  id: string;
  promptHash: string;
  prompt: Message[];
  /** The two responses in canonical order: a.hash < b.hash. */
  a: PairResponse;
  b: PairResponse;
  /** Where it came from, for messages: record id or 1-based line. */
  origin?: { recordId?: string; line?: number };
  /** Audit mode: the hash of the response the dataset already prefers. */
  knownChosen?: string;
  /** System prompt of the source record, kept for export. */
  system?: string;
  /** Multi-turn: the conversation and assistant turn this pair answers (turns.ts). */
  turn?: TurnInfo;
}

/** Builds a pair with the responses in canonical order (identity does not depend on input order). */
export function makePair(
  prompt: Message[],
  promptHashValue: string,
  x: PairResponse,
  y: PairResponse,
  extra: Pick<LabelPair, 'origin' | 'knownChosen' | 'system' | 'turn'> = {},
): LabelPair {
  const [a, b] = x.hash <= y.hash ? [x, y] : [y, x];
  return { id: `${promptHashValue}.${a.hash}.${b.hash}`, promptHash: promptHashValue, prompt, a, b, ...extra };
}
