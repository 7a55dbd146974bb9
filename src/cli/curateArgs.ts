/** Option parsing shared by the curation commands (stats, dedupe, split, filter, sample, merge, register). */
import { describeFsError, UsageError } from './io';

export function intOption(value: string | undefined, option: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be an integer of at least ${min}, not "${value}"`);
  return n;
}

export function numberOption(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || value.trim() === '') throw new UsageError(`${option} must be a number from ${min} to ${max}, not "${value}"`);
  return n;
}

/** An input that cannot be read or a run that failed on the file: the message for stderr. */
export function cannot(verb: string, file: string, e: unknown): string {
  return `pairwise: cannot ${verb} ${file}: ${describeFsError(e)}\n`;
}
