/**
 * Streams the JSON lines of a file Pairwise itself wrote (candidates, journal, failures,
 * judgements). A torn or hand-damaged line is reported by number, never silently dropped, and
 * never stops the rest of the file from being read. A missing file reads as empty.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import * as readline from 'node:readline';

export interface JsonlReadReport {
  lines: number;
  /** 1-based numbers of lines that are not a JSON object. */
  badLines: number[];
}

export type JsonlItem = { ok: true; value: Record<string, unknown>; line: number } | { ok: false; line: number };

/** Every line of the file in order, parsed or marked bad; nothing when the file does not exist. */
export async function* jsonlRecordStream(path: string): AsyncGenerator<JsonlItem> {
  try {
    await fsp.access(path);
  } catch {
    return;
  }
  const input = createReadStream(path, { encoding: 'utf8' });
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      const line = raw.trim();
      if (!line) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        yield { ok: false, line: n };
        continue;
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) yield { ok: false, line: n };
      else yield { ok: true, value: v as Record<string, unknown>, line: n };
    }
  } finally {
    // Closing readline leaves its input open: a consumer that stops early would leak the descriptor.
    rl.close();
    input.destroy();
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
