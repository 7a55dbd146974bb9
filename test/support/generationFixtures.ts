/** Helpers shared by the generation job tests: read a JSONL output, and numbered prompts. */
import { promises as fsp } from 'node:fs';
import type { PromptRecord } from '../../src/core/generation/candidatesJob';

/** The parsed lines of a JSONL file; none when it does not exist. */
export async function lines<T = Record<string, unknown>>(file: string): Promise<T[]> {
  let text = '';
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** n prompts `p0…`, each a system line and a numbered question. */
export function prompts(n: number): PromptRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    prompt: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: `Question number ${i}?` },
    ],
  }));
}
