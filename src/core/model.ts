/**
 * The canonical model of ../shared/DESIGN.md: every dataset format maps to and from these types,
 * and every conversion goes through them.
 */

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments, as the OpenAI API carries them. */
  arguments: string;
}

export interface Message {
  role: Role;
  content: string;
  name?: string;
  toolCalls?: ToolCall[];
  /** 0 or 1: OpenAI's per-message `weight`, LLaMA-Factory's `loss_weight`. */
  weight?: number;
  /** For a `tool` message: the id of the call it answers (OpenAI `tool_call_id`). */
  toolCallId?: string;
}

export interface SftRecord {
  type: 'sft';
  system?: string;
  messages: Message[];
  /** Tool definitions as JSON text (ShareGPT `tools`) or objects (OpenAI `tools`). */
  tools?: unknown;
  /** Extra source fields and layout hints that keep a round trip through the model lossless. */
  meta?: Record<string, unknown>;
}

/** Pre-training text (`{"text"}`). */
export interface TextRecord {
  type: 'text';
  text: string;
  meta?: Record<string, unknown>;
}

export interface PreferenceRecord {
  type: 'preference';
  prompt: Message[];
  chosen: Message[];
  rejected: Message[];
  meta?: Record<string, unknown>;
}

export interface UnpairedRecord {
  type: 'unpaired';
  prompt: Message[];
  completion: Message[];
  label: boolean;
  meta?: Record<string, unknown>;
}

export interface CandidateResponse {
  model: string;
  content: string;
  meta?: Record<string, unknown>;
}

export interface CandidatesRecord {
  type: 'candidates';
  id: string;
  prompt: Message[];
  responses: CandidateResponse[];
  meta?: Record<string, unknown>;
}

/** TRL stepwise supervision (process reward models). */
export interface StepwiseRecord {
  type: 'stepwise';
  prompt: Message[];
  completions: string[];
  labels: boolean[];
  meta?: Record<string, unknown>;
}

/** A prompt with answers ranked best-first (rank 1 is best); becomes pairs. */
export interface RankedRecord {
  type: 'ranked';
  prompt: Message[];
  answers: { content: string; rank: number; model?: string }[];
  meta?: Record<string, unknown>;
}

export type CanonicalRecord =
  | SftRecord
  | TextRecord
  | PreferenceRecord
  | UnpairedRecord
  | CandidatesRecord
  | StepwiseRecord
  | RankedRecord;

export type CanonicalType = CanonicalRecord['type'];
