/**
 * Content hashes that name prompts, responses and pairs. A pair is identified by what it shows,
 * never by where it sits in a file, so a label survives reordering of the input and logs from
 * different annotators merge.
 */
import * as crypto from 'node:crypto';
import type { Message } from '../model';

/** 16 hex digits (64 bits) of SHA-256: collisions are negligible at dataset sizes. */
export function hashText(text: string): string {
  return sha256Hex(text).slice(0, 16);
}

// One-shot crypto.hash (Node >= 20.12) is about twice as fast for short texts as createHash; the
// background index hashes every response of the file.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hash of the prompt turns; role, name and content count, tool calls too (they change the prompt). */
export function promptHash(prompt: readonly Message[]): string {
  return hashText(JSON.stringify(prompt.map((m) => [m.role, m.name ?? null, m.content, m.toolCalls ?? null])));
}

/**
 * Hash of a response. A single assistant message hashes by its text alone, so the same answer
 * matches whether it came from a candidates file, a preference dataset or an SFT file.
 */
export function responseHash(content: string, messages?: readonly Message[]): string {
  if (!messages || (messages.length === 1 && messages[0].role === 'assistant' && !messages[0].toolCalls)) {
    return hashText(content);
  }
  return hashText(JSON.stringify(messages.map((m) => [m.role, m.name ?? null, m.content, m.toolCalls ?? null])));
}

/** `prompt.lowHash.highHash`: the two response hashes are sorted, so the id ignores order. */
export function pairIdOf(prompt: string, responseA: string, responseB: string): string {
  const [lo, hi] = responseA <= responseB ? [responseA, responseB] : [responseB, responseA];
  return `${prompt}.${lo}.${hi}`;
}

/** The two response hashes of a pair id, in canonical (sorted) order. */
export function responsesOfPairId(pairId: string): [string, string] | undefined {
  const parts = pairId.split('.');
  return parts.length === 3 ? [parts[1], parts[2]] : undefined;
}

/** FNV-1a, 32 bits: a compact fingerprint kept per pair by the streaming index. */
export function fingerprint32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Key for matching the same prompt across two SFT files: case, whitespace and Unicode
 * normalisation differences between exports must not split a pair.
 */
export function normalizedPromptKey(prompt: readonly Message[]): string {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return hashText(JSON.stringify(prompt.map((m) => [m.role, norm(m.content)])));
}
