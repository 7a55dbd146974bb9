/**
 * Role vocabularies of the two message dialects (ShareGPT tags and OpenAI roles) and the mapping
 * between them, used both to check records and to suggest the fix when one dialect leaks into the other.
 */
import type { Role } from '../model';

/** OpenAI role -> LLaMA-Factory default ShareGPT tag. */
export const OPENAI_TO_SHAREGPT: Readonly<Record<string, string>> = {
  user: 'human',
  assistant: 'gpt',
  system: 'system',
  tool: 'observation',
  function: 'function_call',
};

/** ShareGPT tag (LLaMA-Factory defaults and the common FastChat variants) -> OpenAI role. */
export const SHAREGPT_TO_OPENAI: Readonly<Record<string, string>> = {
  human: 'user',
  gpt: 'assistant',
  observation: 'tool',
  function_call: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
};

export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export function ownString(o: Readonly<Record<string, string>>, k: string): string | undefined {
  return hasOwn(o, k) ? o[k] : undefined;
}

/** Canonical role of an OpenAI-style role string (legacy `function` becomes `tool`). */
export function canonicalRole(role: string): Role | undefined {
  switch (role) {
    case 'system':
    case 'user':
    case 'assistant':
    case 'tool':
      return role;
    case 'function':
    case 'ipython':
      return 'tool';
    case 'developer':
      return 'system';
    default:
      return undefined;
  }
}

/** Where a chat view draws a message: the model's side, the user's, the system prompt, or a tool's output. */
export type ChatSide = 'assistant' | 'system' | 'user' | 'tool';

/** Speaker names of the model outside both dialects: Gemini's `model`, and `bot`. */
const OTHER_ASSISTANT_NAMES = new Set(['model', 'bot']);

/**
 * The side a role or ShareGPT tag speaks for (OpenAI roles, ShareGPT tags as SHAREGPT_TO_OPENAI
 * reads them, Gemini's `model`); any other speaker (observation, function, ipython…) is a tool.
 */
export function chatSide(role: string): ChatSide {
  const r = canonicalRole(role) ?? canonicalRole(ownString(SHAREGPT_TO_OPENAI, role) ?? '') ?? (OTHER_ASSISTANT_NAMES.has(role) ? 'assistant' : undefined);
  return r ?? 'tool';
}
