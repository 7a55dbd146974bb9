/**
 * One entry of a LLaMA-Factory `dataset_info.json` added or replaced in the file's own text: the
 * rest keeps its bytes (order, indentation, line endings, a BOM), so a registry kept in git gets a
 * diff of one entry. Register in dataset_info.json, Export Preferences and Create Training Config
 * all write through here. The file must be strict JSON: LLaMA-Factory reads it with `json.load`.
 */
import { applyEdits, modify } from 'jsonc-parser';
import * as l10n from '@vscode/l10n';

export interface DatasetInfoEdit {
  /** The new text of the file. */
  text: string;
  /** The entry that was there before (undefined when the name is new). */
  previous: unknown;
  had: boolean;
}

/** Parses `text` (undefined or blank: a new file) and returns it with `entries[name] = entry`; `file` names it in errors. */
export function withDatasetInfoEntry(text: string | undefined, file: string, name: string, entry: unknown): DatasetInfoEdit {
  if (text === undefined || text.trim() === '') return { text: JSON.stringify({ [name]: entry }, null, 2) + '\n', previous: undefined, had: false };
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(l10n.t('{0} is not valid JSON ({1}); fix or remove it first', file, e instanceof Error ? e.message : String(e)));
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(l10n.t('{0} must hold a JSON object of dataset entries', file));
  const had = Object.prototype.hasOwnProperty.call(doc, name);
  const previous = had ? (doc as Record<string, unknown>)[name] : undefined;
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  // An existing key is replaced where it stands; a new one goes last.
  const edited = applyEdits(text, modify(text, [name], entry, { formattingOptions }));
  return { text: edited, previous, had };
}
