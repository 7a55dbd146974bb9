/**
 * Adds or replaces the LLaMA-Factory `dataset_info.json` entry of an exported preference file, in
 * the folder of the export (see datasetInfoEdit.ts), replacing the file atomically.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { checkReplaceTarget } from '../jsonl/writeTargets';
import { withDatasetInfoEntry } from './datasetInfoEdit';
import type { FormatId } from '../formats/formatModule';
import { datasetInfoEntry } from '../labeling/exportPreferences';

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
  // A link planted as dataset_info.json is refused before it is read (its target's text would be echoed in errors).
  await checkReplaceTarget(file);
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const edit = withDatasetInfoEntry(text, file, name, entry);
  await writeFileAtomic(file, edit.text);
  return { file, name, action: text === undefined ? 'created' : edit.had ? 'replaced' : 'added' };
}
