/**
 * Adds or replaces the LLaMA-Factory `dataset_info.json` entry of an exported preference file, in
 * the folder of the export. The rest of the file keeps its text (comments, order, indentation):
 * only the one entry is edited, and the file is replaced atomically.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import type { FormatId } from '../formats/formatModule';
import { datasetInfoEntry } from './exportPreferences';
import * as l10n from '@vscode/l10n';

export interface DatasetInfoUpdate {
  file: string;
  /** Key of the entry (the export's file name without extension). */
  name: string;
  action: 'created' | 'added' | 'replaced';
}

/** Undefined when the format is not one LLaMA-Factory reads. Throws when dataset_info.json exists but is not a JSON object. */
export async function updateDatasetInfo(format: FormatId, exportedFile: string): Promise<DatasetInfoUpdate | undefined> {
  const fileName = path.basename(exportedFile);
  const entry = datasetInfoEntry(format, fileName);
  if (!entry) return undefined;
  const file = path.join(path.dirname(exportedFile), 'dataset_info.json');
  const name = fileName.replace(/\.(jsonl|json)$/i, '');
  let text: string | undefined;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text === undefined) {
    await writeFileAtomic(file, JSON.stringify({ [name]: entry }, null, 2) + '\n');
    return { file, name, action: 'created' };
  }
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new Error(l10n.t('{0} is not a JSON object of dataset entries; left unchanged (add "{1}" by hand)', file, name));
  }
  const had = Object.prototype.hasOwnProperty.call(root, name);
  const edits = modify(text, [name], entry, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  await writeFileAtomic(file, applyEdits(text, edits));
  return { file, name, action: had ? 'replaced' : 'added' };
}
