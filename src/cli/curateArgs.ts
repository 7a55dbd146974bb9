/** Option parsing shared by the curation commands (stats, dedupe, split, filter, sample, merge, register). */
import { describeFsError, UsageError } from './io';
import * as l10n from '@vscode/l10n';

export function intOption(value: string | undefined, option: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(l10n.t('{0} must be an integer of at least {1}, not "{2}"', option, min, value));
  return n;
}

export function numberOption(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || value.trim() === '') throw new UsageError(l10n.t('{0} must be a number from {1} to {2}, not "{3}"', option, min, max, value));
  return n;
}

/** An input that cannot be read or a run that failed on the file: the message for stderr. */
export function cannot(verb: string, file: string, e: unknown): string {
  // The verb is the command's name (dedupe, split…), which stays as typed.
  return l10n.t('pairwise: cannot {0} {1}: {2}', verb, file, describeFsError(e)) + '\n';
}
