/** Boolean label checks shared by TRL unpaired (KTO/BCO) and stepwise (PRM) records. */
import type { JsonPath } from './formatModule';
import { emit, quote, type Report } from './reportHelpers';
import * as l10n from '@vscode/l10n';

/** Reports a label that is not a real boolean, suggesting the fix when the intent is clear. */
export function checkBooleanLabel(v: unknown, path: JsonPath, what: string, report: Report): void {
  if (typeof v === 'boolean') return;
  const fix = v === 'true' || v === 'True' || v === 1 ? l10n.t(' (write true)') : v === 'false' || v === 'False' || v === 0 ? l10n.t(' (write false)') : '';
  const shown = typeof v === 'string' ? l10n.t('the string {0}', quote(v)) : v === undefined ? l10n.t('missing') : JSON.stringify(v);
  emit(report, path, 'trl/label-not-boolean', 'error', l10n.t('TRL needs {0} to be true or false; it is {1}{2}', what, shown, fix));
}
