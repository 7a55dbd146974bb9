/**
 * Locates one JSON string value inside a record's text, so that an edit made in the Dataset View
 * replaces exactly that token (with the new value JSON-encoded) and nothing else of the line.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as l10n from '@vscode/l10n';

export type JsonPathSegment = string | number;

export interface TokenEdit {
  /** Offset and length of the string token (quotes included) in the record text, in UTF-16 units. */
  offset: number;
  length: number;
  /** The replacement: the new value as a JSON string literal. */
  newText: string;
}

/**
 * The edit that sets the string at `path` to `newValue`. `expected` is the value the user saw: if
 * the record changed meanwhile, the edit is refused rather than applied to something else.
 */
export function stringTokenEdit(recordText: string, path: readonly JsonPathSegment[], newValue: string, expected?: string): TokenEdit | { error: string } {
  let root;
  try {
    root = parseTree(recordText, [], { disallowComments: true });
  } catch {
    return { error: l10n.t('The record is nested too deeply to edit here.') };
  }
  // A bare message list (xtuner) is shown as {"messages": list}: its paths start inside the list.
  const bare = root?.type === 'array' && path[0] === 'messages';
  if (!root || (root.type !== 'object' && !bare)) return { error: l10n.t('The record is not a JSON object.') };
  const node = findNodeAtLocation(root, bare ? path.slice(1) : [...path]);
  if (!node) return { error: l10n.t('The record has no field {0} any more.', pathLabel(path)) };
  if (node.type !== 'string') return { error: l10n.t('The field {0} is not a string.', pathLabel(path)) };
  if (expected !== undefined && node.value !== expected) return { error: l10n.t('The field {0} changed since it was shown; edit it again.', pathLabel(path)) };
  return { offset: node.offset, length: node.length, newText: JSON.stringify(newValue) };
}

export function pathLabel(path: readonly JsonPathSegment[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)';
}
