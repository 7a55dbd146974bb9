/**
 * Appends records to a dataset file in its own layout. JSON Lines: a line each through the
 * group-committed AppendLog (write + fdatasync before the promise resolves). A `.json` file that
 * holds one JSON array: the array cannot be appended to in place without a window in which the
 * file is not valid JSON, so each batch rewrites the file atomically (temp file + fsync + rename),
 * keeping every existing byte and adding the new elements before the closing bracket, indented
 * like the file's first element. Records appended while a rewrite runs go together into the next
 * one. A rewrite costs the file's size: fine for the sizes such files have (LLaMA-Factory's demos,
 * a few MB); convert a large dataset to JSONL first.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { modeForFileName } from '../jsonl/sourceRecord';
import { GroupCommitLog } from './groupCommitLog';
import { openInputFile } from '../jsonl/openInput';

export interface DatasetAppender {
  readonly layout: 'jsonl' | 'json-array';
  /** Resolves once the record is durable in the dataset. */
  append(record: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * The layout the readers give the file (recordScanner.ts): JSON Lines unless it is named `.json`;
 * then `json-array` when its first non-blank byte (after a BOM) is `[`. A `.jsonl` file of xtuner's
 * bare message lists starts with `[` too: taken for an array, a record went inside its last line.
 */
export async function datasetLayout(path: string): Promise<'jsonl' | 'json-array'> {
  if (modeForFileName(path) === 'jsonl') return 'jsonl';
  const h = await openInputFile(path);
  try {
    const buf = Buffer.alloc(4096);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await h.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return 'jsonl';
      let i = pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      for (; i < bytesRead; i++) if (!isSpace(buf[i])) return buf[i] === 0x5b ? 'json-array' : 'jsonl';
      pos += bytesRead;
    }
  } finally {
    await h.close();
  }
}

/** The new file bytes: `records` added as the last elements of the array in `file`. */
export function appendToJsonArray(file: Buffer, records: readonly Record<string, unknown>[]): Buffer {
  let end = file.length - 1;
  while (end >= 0 && isSpace(file[end])) end--;
  if (end < 0 || file[end] !== 0x5d) throw new Error(l10n.t('the file does not end with the closing "]" of a JSON array; it was left unchanged'));
  let last = end - 1;
  while (last >= 0 && isSpace(file[last])) last--;
  const empty = last >= 0 && file[last] === 0x5b;
  // Indent of the first element: the spaces after the last newline between "[" and it.
  let open = 0;
  while (open < file.length && file[open] !== 0x5b) open++;
  let indent = '';
  let newline = false;
  for (let i = open + 1; i < file.length && isSpace(file[i]); i++) {
    if (file[i] === 0x0a) {
      newline = true;
      indent = '';
    } else if (file[i] !== 0x0d) indent += String.fromCharCode(file[i]);
  }
  if (empty) [newline, indent] = [true, '  '];
  // A file with CRLF line endings (a Windows checkout) keeps them: no mixed endings in a git diff.
  const eol = file.includes('\r\n') ? '\r\n' : '\n';
  const elements = records.map((r) => {
    const text = newline ? JSON.stringify(r, null, indent.length > 0 ? indent : 2) : JSON.stringify(r);
    return newline ? indent + text.split('\n').join(eol + indent) : text;
  });
  const sep = newline ? ',' + eol : ', ';
  const head = file.subarray(0, last + 1).toString('utf8');
  const tail = file.subarray(end).toString('utf8');
  return Buffer.from(`${head}${empty ? '' : ','}${newline ? eol : ' '}${elements.join(sep)}${newline ? eol : ''}${tail}`, 'utf8');
}

class JsonlAppender implements DatasetAppender {
  readonly layout = 'jsonl' as const;
  constructor(private readonly log: GroupCommitLog) {}
  append(record: Record<string, unknown>): Promise<void> {
    return this.log.append(record);
  }
  close(): Promise<void> {
    return this.log.close();
  }
}

class JsonArrayAppender implements DatasetAppender {
  readonly layout = 'json-array' as const;
  private pending: { record: Record<string, unknown>; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  append(record: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const file = await fsp.readFile(this.path);
        await writeFileAtomic(
          this.path,
          appendToJsonArray(
            file,
            batch.map((b) => b.record),
          ),
        );
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
  }
}

export async function openDatasetAppender(path: string, layout?: 'jsonl' | 'json-array'): Promise<DatasetAppender> {
  const l = layout ?? (await datasetLayout(path));
  return l === 'json-array' ? new JsonArrayAppender(path) : new JsonlAppender(await GroupCommitLog.open(path));
}
