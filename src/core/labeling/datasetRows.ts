/**
 * Records of a dataset file, JSON Lines or one JSON array (LLaMA-Factory ships arrays), with the
 * line (JSONL) or array index of each; bad lines become problems, never a crash.
 */
import { recordValueOf } from '../jsonl/bareMessageList';
import { modeForFileName } from '../jsonl/sourceRecord';
import { promises as fsp } from 'node:fs';
import type { FormatId, FormatModule } from '../formats/formatModule';
import { detectFormat, getFormat } from '../formats/registry';
import { readFileLines } from './lineReader';
import type { InputProblem } from './pairQueue';
import * as l10n from '@vscode/l10n';
import { openInputFile } from '../jsonl/openInput';

export interface DatasetRow {
  value: Record<string, unknown>;
  /** 1-based line for JSONL; for a JSON array, the 1-based element number. */
  line: number;
}

/** JSON arrays are parsed whole; above this they must be converted to JSONL first. */
const MAX_ARRAY_BYTES = 512 << 20;

/** A JSON array as the readers take one (recordScanner.ts): a `.json` file opening with `[`. */
async function isJsonArrayFile(path: string): Promise<boolean> {
  if (modeForFileName(path) === 'jsonl') return false;
  const h = await openInputFile(path);
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    return text.trimStart().startsWith('[');
  } finally {
    await h.close();
  }
}

export async function* readDatasetRows(path: string, problems: InputProblem[]): AsyncGenerator<DatasetRow> {
  if (await isJsonArrayFile(path)) {
    const { size } = await fsp.stat(path);
    if (size > MAX_ARRAY_BYTES) throw new Error(l10n.t('{0}: a JSON array over {1} MB; convert it to JSON Lines first', path, MAX_ARRAY_BYTES >> 20));
    let arr: unknown;
    try {
      arr = JSON.parse((await fsp.readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new Error(l10n.t('{0}: not valid JSON: {1}', path, (e as Error).message));
    }
    if (!Array.isArray(arr)) throw new Error(l10n.t('{0}: expected a JSON array of records', path));
    for (let i = 0; i < arr.length; i++) {
      const value = recordValueOf(arr[i]);
      if (!value) problems.push({ line: i + 1, message: l10n.t('element {0} is not an object', i + 1) });
      else yield { value, line: i + 1 };
    }
    return;
  }
  for await (const l of readFileLines(path)) {
    if (l.tooLong) {
      problems.push({ line: l.line, message: l10n.t('line too long; skipped') });
      continue;
    }
    if (l.text.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(l.text);
    } catch (e) {
      problems.push({ line: l.line, message: l10n.t('not valid JSON: {0}', (e as Error).message) });
      continue;
    }
    const value = recordValueOf(v);
    if (!value) problems.push({ line: l.line, message: l10n.t('record is not a JSON object') });
    else yield { value, line: l.line };
  }
}

/**
 * The format module for a dataset file: the one given, or the one most of its first records fit
 * (the registry's detection over a sample of up to 200 records).
 */
export async function resolveFormat(path: string, format?: FormatModule | FormatId): Promise<FormatModule> {
  if (format !== undefined) return typeof format === 'string' ? getFormat(format) : format;
  const sample: unknown[] = [];
  for await (const row of readDatasetRows(path, [])) {
    sample.push(row.value);
    if (sample.length >= 200) break;
  }
  const found = detectFormat(sample);
  if (!found) throw new Error(l10n.t('{0}: no known dataset format fits its records; name the format', path));
  return getFormat(found.id);
}
