/** Boolean label checks shared by TRL unpaired (KTO/BCO) and stepwise (PRM) records. */
import type { JsonPath } from './formatModule';
import { emit, quote, type Report } from './reportHelpers';

/** Reports a label that is not a real boolean, suggesting the fix when the intent is clear. */
export function checkBooleanLabel(v: unknown, path: JsonPath, what: string, report: Report): void {
  if (typeof v === 'boolean') return;
  const fix = v === 'true' || v === 'True' || v === 1 ? ' (write true)' : v === 'false' || v === 'False' || v === 0 ? ' (write false)' : '';
  const shown = typeof v === 'string' ? `the string ${quote(v)}` : v === undefined ? 'missing' : JSON.stringify(v);
  emit(report, path, 'trl/label-not-boolean', 'error', `TRL needs ${what} to be true or false; it is ${shown}${fix}`);
}
