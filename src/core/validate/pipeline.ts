/**
 * The validation pipeline: read -> detect the format from a sample -> per record: fit, schema,
 * rules -> file-level rules (fileLevelRules/: exact duplicates, contradicting preferences) ->
 * Problem[] with exact ranges. Streams: memory is the sample, the record at hand and the compact
 * file-level indexes. The pass itself is validationRun.ts; this file feeds it whole files and texts.
 */
import type { FormatId, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { scanFileHandle, scanText } from '../jsonl/readRecords';
import { modeForFileName } from '../jsonl/sourceRecord';
import { fileByteFetcher } from './fileLevelRules';
import type { Problem } from '../base/problem';
import { checkRecordText } from './recordChecks';
import { ValidationRun, type ValidateOptions, type ValidationResult } from './validationRun';
import { openInputFile } from '../jsonl/openInput';

export type { Detection } from './detect';
export { ValidationRun, type ValidateOptions, type ValidationResult } from './validationRun';

/** Validates a dataset file, streaming it. */
export async function validateFile(path: string, opts: ValidateOptions = {}): Promise<ValidationResult> {
  const handle = await openInputFile(path);
  try {
    const run = new ValidationRun({ ...opts, sizeBytes: opts.sizeBytes ?? (await handle.stat()).size }, fileByteFetcher(handle.fd));
    await scanFileHandle(handle, path, run, { mode: opts.mode ?? modeForFileName(path), signal: opts.signal, onProgress: opts.onProgress });
    return run.result();
  } finally {
    await handle.close();
  }
}

/** Validates document text held in memory (as the editor has it); ranges are in UTF-16 columns. */
export function validateText(text: string, opts: ValidateOptions & { fileName: string }): ValidationResult {
  const bytes = Buffer.from(text, 'utf8');
  const run = new ValidationRun(opts, (off, len) => bytes.subarray(off, off + len));
  scanText(bytes, opts.mode ?? modeForFileName(opts.fileName), run);
  return run.result();
}

/**
 * Validates one record's text where it sits in the document, without file-level rules (duplicates,
 * contradictions): for re-validating only the records an edit touched.
 */
export function validateRecordText(
  text: string,
  format: FormatId | undefined,
  startLine: number,
  startOffset: number,
  startColumn = 1,
  opts: { index?: number; formatOptions?: FormatOptions } = {},
): { problems: Problem[]; value?: Record<string, unknown> } {
  const module = format ? getFormat(format) : undefined;
  const r = checkRecordText(text, { line: startLine, column: startColumn, offset: startOffset, index: opts.index }, module, opts.formatOptions);
  return { problems: r.problems, value: r.value };
}
