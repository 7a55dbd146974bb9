/**
 * What the host sends to the labeling webview: plain, serializable data. It carries the text to
 * show and nothing that reveals which model wrote which side.
 */
import type { Message } from '../model';
import type { LogProblem } from './decisionLog';
import type { Choice, Strength } from './pair';
import type { InputProblem } from './pairQueue';
import type { DiffSegment } from './wordDiff';

export type SessionFilter = 'all' | 'unlabeled' | 'skipped' | 'disagreements';

export interface ResponseView {
  content: string;
  chars: number;
  words: number;
  /** Rough token count (see estimateTokens), to spot a long answer winning by length. */
  tokens: number;
}

export interface PairView {
  /** Position in the queue (0-based). */
  index: number;
  /**
   * Opaque key of the pair on screen for this session (not the pair id, which embeds response
   * hashes); the webview echoes it with a decision so a stale key press cannot label another pair.
   */
  key: string;
  /** The conversation before the two answers, shown once (for multi-turn data, with the turns both answers share). */
  prompt: Message[];
  left: ResponseView;
  right: ResponseView;
  /** This annotator's current decision, in on-screen sides. */
  decision?: { choice: Choice; strength?: Strength; rationale?: string };
  /** Present when the session was opened with `diff: true`: left → right word diff. */
  diff?: DiffSegment[];
  /** Multi-turn: which assistant turn of its conversation the pair compares (turn 2 of 4). */
  turn?: { turn: number; turns: number };
}

export interface ProgressView {
  /** Pairs this annotator has decided (skips not counted). */
  done: number;
  skipped: number;
  /** Pairs in the input; while a large file is still being indexed, the count so far. */
  total: number;
  totalFinal: boolean;
  /** Decisions made in this session. */
  session: number;
  /** Decisions per hour over the recent decisions of this session (0 until there are two). */
  ratePerHour: number;
  /** Seconds to finish the remaining pairs at that rate, when known. */
  etaSeconds?: number;
}

export interface SessionState {
  annotator: string;
  filter: SessionFilter;
  /** Absent when no pair matches the filter (all done). */
  pair?: PairView;
  progress: ProgressView;
  canUndo: boolean;
  canRedo: boolean;
  problems: { input: InputProblem[]; log: LogProblem[] };
}

/**
 * Rough token count without a tokenizer: about 4 characters per token for Latin text, one token per
 * CJK character (what BPE tokenizers give within ~20%).
 */
export function estimateTokens(text: string): number {
  let cjk = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
  }
  const rest = text.length - cjk;
  return cjk + Math.ceil(rest / 4);
}

export function responseView(content: string): ResponseView {
  const words = content.match(/\S+/g)?.length ?? 0;
  return { content, chars: content.length, words, tokens: estimateTokens(content) };
}

/**
 * Progress from counts and the times (ms) of this session's decisions; the rate uses the last
 * `window` decisions so a coffee break early on does not skew the ETA forever.
 */
export function progressOf(
  done: number,
  skipped: number,
  total: number,
  totalFinal: boolean,
  decisionTimes: readonly number[],
  window = 20,
): ProgressView {
  const p: ProgressView = { done, skipped, total, totalFinal, session: decisionTimes.length, ratePerHour: 0 };
  const recent = decisionTimes.slice(-window);
  if (recent.length >= 2) {
    const span = recent[recent.length - 1] - recent[0];
    if (span > 0) {
      p.ratePerHour = ((recent.length - 1) / span) * 3_600_000;
      const remaining = Math.max(0, total - done);
      p.etaSeconds = Math.round((remaining / p.ratePerHour) * 3600);
    }
  }
  return p;
}
