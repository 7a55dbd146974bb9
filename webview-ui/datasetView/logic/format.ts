/** Texts of the Dataset View header computed from numbers (no DOM). */

/** A count with its noun: `one` and `many` are l10n.t messages with {0} for the number. */
export function plural(n: number, one: string, many: string): string {
  return (n === 1 ? one : many).replace('{0}', n.toLocaleString('en-US'));
}

/** `a` of `b` as a whole percentage, rounded down ("0%" when `b` is 0). */
export function percent(a: number, b: number): string {
  return b > 0 ? `${Math.floor((a / b) * 100)}%` : '0%';
}
