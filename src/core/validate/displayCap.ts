/**
 * Editors show a bounded number of problems per file (VS Code: 1000). Errors go first, then
 * warnings, then infos, each in file order; one summary line says what was left out.
 */
import type { Problem, Severity } from './problem';

export interface CappedProblems {
  shown: Problem[];
  hidden: Record<Severity, number>;
}

/** Picks at most `max` of `problems` (errors first); `total` counts every problem, listed or not. */
export function capProblems(problems: readonly Problem[], total: Record<Severity, number>, max: number): CappedProblems {
  const shown: Problem[] = [];
  for (const sev of ['error', 'warning', 'info'] as const) {
    for (const p of problems) {
      if (shown.length >= max) break;
      if (p.severity === sev) shown.push(p);
    }
  }
  const hidden = { ...total };
  for (const p of shown) hidden[p.severity]--;
  return { shown, hidden };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The text of the summary diagnostic, or undefined when nothing was left out. */
export function hiddenSummary(hidden: Record<Severity, number>, fileName: string): string | undefined {
  const n = hidden.error + hidden.warning + hidden.info;
  if (n <= 0) return undefined;
  const parts: string[] = [];
  if (hidden.error) parts.push(plural(hidden.error, 'error'));
  if (hidden.warning) parts.push(plural(hidden.warning, 'warning'));
  if (hidden.info) parts.push(plural(hidden.info, 'info'));
  return `${plural(n, 'more problem')} not shown (${parts.join(', ')}). See them all with \`pairwise validate ${fileName}\` or the problem filter of the Dataset View.`;
}
