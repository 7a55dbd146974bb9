/**
 * Streams the JSON lines of a file Pairwise itself wrote (candidates, journal, failures,
 * judgements). A torn or hand-damaged line is reported by number, never silently dropped, and
 * never stops the rest of the file from being read. A missing file reads as empty.
 */
import { promises as fsp } from 'node:fs';
import { readFileLines } from '../labeling/lineReader';

export interface JsonlReadReport {
  lines: number;
  /** 1-based numbers of lines that are not a JSON object. */
  badLines: number[];
}

export type JsonlItem = { ok: true; value: Record<string, unknown>; line: number } | { ok: false; line: number };

/**
 * A line longer than this is marked bad without being held (the readers' record limit): a line of
 * 600 MiB, which readline would have built into a string past V8's limit, stopped judge and the
 * resume of generate with an uncaught RangeError.
 */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/** Every line of the file in order, parsed or marked bad; nothing when the file does not exist. */
export async function* jsonlRecordStream(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<JsonlItem> {
  try {
    await fsp.access(path);
  } catch {
    return;
  }
  for await (const l of readFileLines(path, maxLineBytes)) {
    const line = l.text.trim();
    if (l.tooLong) {
      yield { ok: false, line: l.line };
      continue;
    }
    if (!line) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      yield { ok: false, line: l.line };
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) yield { ok: false, line: l.line };
    else yield { ok: true, value: v as Record<string, unknown>, line: l.line };
  }
}

export async function readJsonlRecords(path: string, onRecord: (value: Record<string, unknown>, line: number) => void): Promise<JsonlReadReport> {
  const report: JsonlReadReport = { lines: 0, badLines: [] };
  for await (const item of jsonlRecordStream(path)) {
    report.lines = item.line;
    if (item.ok) onRecord(item.value, item.line);
    else report.badLines.push(item.line);
  }
  return report;
}
