/** How a reader problem names a parsed value that is not a record ("null", "an array", "a string"…). */
import * as l10n from '@vscode/l10n';

/** Called only when a problem is reported, so the words follow the configured language. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return l10n.t('an array');
  switch (typeof value) {
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'boolean':
      return l10n.t('a boolean');
    default:
      return l10n.t('a {0}', typeof value);
  }
}
