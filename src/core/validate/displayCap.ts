/**
 * Editors show a bounded number of problems per file (VS Code: 1000). Errors go first, then
 * warnings, then infos, each in file order; one summary line says what was left out.
 */
import type { Problem, Severity } from '../base/problem';
import * as l10n from '@vscode/l10n';

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

/** The text of the summary diagnostic, or undefined when nothing was left out. */
export function hiddenSummary(hidden: Record<Severity, number>, fileName: string): string | undefined {
  const n = hidden.error + hidden.warning + hidden.info;
  if (n <= 0) return undefined;
  const parts: string[] = [];
  if (hidden.error) parts.push(hidden.error === 1 ? l10n.t('1 error') : l10n.t('{0} errors', hidden.error));
  if (hidden.warning) parts.push(hidden.warning === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', hidden.warning));
  if (hidden.info) parts.push(hidden.info === 1 ? l10n.t('1 info') : l10n.t('{0} infos', hidden.info));
  return n === 1
    ? l10n.t('1 more problem not shown ({0}). See them all with `pairwise validate {1}` or the problem filter of the Dataset View.', parts.join(', '), fileName)
    : l10n.t('{0} more problems not shown ({1}). See them all with `pairwise validate {2}` or the problem filter of the Dataset View.', n, parts.join(', '), fileName);
}
