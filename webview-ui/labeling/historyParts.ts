/**
 * How the labeling panel lays out a multi-turn prompt: system messages apart, the earlier turns
 * (collapsible), and the latest user turn with anything after it (always visible). Pure: no DOM,
 * unit-tested in plain Node.
 */
import type { Message } from '../../src/protocol/labeling';

export interface HistoryParts {
  system: Message[];
  /** Turns before the latest user message; empty for a single-turn prompt. */
  earlier: Message[];
  /** The latest user message and what follows it (tool results of a shared tool call). */
  latest: Message[];
}

export function historyParts(prompt: readonly Message[]): HistoryParts {
  const system = prompt.filter((m) => m.role === 'system');
  const rest = prompt.filter((m) => m.role !== 'system');
  let last = -1;
  for (let i = rest.length - 1; i >= 0; i--) {
    if (rest[i].role === 'user') {
      last = i;
      break;
    }
  }
  if (last <= 0) return { system, earlier: [], latest: rest };
  return { system, earlier: rest.slice(0, last), latest: rest.slice(last) };
}
