/** Numbers as the report writes them (no DOM). */

/** An integer with thousands separators, anything else to one decimal. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
