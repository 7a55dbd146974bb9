/** Counted nouns of the CLI's summary lines ("1 record", "3 records"), each form a whole translatable phrase. */
import * as l10n from '@vscode/l10n';

export function records(n: number): string {
  return n === 1 ? l10n.t('1 record') : l10n.t('{0} records', n);
}

export function files(n: number): string {
  return n === 1 ? l10n.t('1 file') : l10n.t('{0} files', n);
}

export function errors(n: number): string {
  return n === 1 ? l10n.t('1 error') : l10n.t('{0} errors', n);
}

export function warnings(n: number): string {
  return n === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', n);
}

export function exactDuplicates(n: number): string {
  return n === 1 ? l10n.t('1 exact duplicate') : l10n.t('{0} exact duplicates', n);
}

export function nearDuplicates(n: number): string {
  return n === 1 ? l10n.t('1 near duplicate') : l10n.t('{0} near duplicates', n);
}

export function promptGroups(n: number): string {
  return n === 1 ? l10n.t('1 prompt group') : l10n.t('{0} prompt groups', n);
}
