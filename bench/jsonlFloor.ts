/**
 * What the benchmarks share: writing a generated JSONL input, and the floor every streaming
 * operation is measured against (read chunks, cut lines, JSON.parse each; nothing else). One
 * implementation, so the ratios of different benchmarks compare against the same baseline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { ValidUtf8Lines } from '../src/core/jsonl/validUtf8Lines';

/** Writes `make()` records as JSON lines until `stop(bytes, records)`; temp + rename, so a killed run leaves no half input. */
export function writeGeneratedJsonl(file: string, stop: (bytes: number, records: number) => boolean, make: () => object, serialize: (record: object) => string = JSON.stringify): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  let written = 0;
  let records = 0;
  let batch: string[] = [];
  let batchLen = 0;
  while (!stop(written + batchLen, records)) {
    const line = serialize(make()) + '\n';
    batch.push(line);
    batchLen += Buffer.byteLength(line);
    records++;
    if (batchLen > 1 << 20) {
      fs.writeSync(fd, batch.join(''));
      written += batchLen;
      batch = [];
      batchLen = 0;
    }
  }
  if (batch.length) fs.writeSync(fd, batch.join(''));
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** The floor: read chunks, cut lines, JSON.parse each. */
export function jsonParseFloor(file: string): { records: number; bytes: number } {
  return floorLoop(file, false);
}

/**
 * The same floor with the lines of valid UTF-8 decoded by groups, as the scanner decodes them
 * (validUtf8Lines.ts): not a target's baseline, but what is left of a command's time once the
 * decoding is as fast as Pairwise makes it, printed beside it so the ratios to the floor above
 * cannot hide the checks' own cost.
 */
export function jsonParseFloorGroupedDecoding(file: string): { records: number; bytes: number } {
  return floorLoop(file, true);
}

function floorLoop(file: string, grouped: boolean): { records: number; bytes: number } {
  const fd = fs.openSync(file, 'r');
  let buf = Buffer.allocUnsafe(1 << 20);
  let end = 0;
  let records = 0;
  let bytes = 0;
  for (;;) {
    if (buf.length - end < 1 << 19) {
      const g = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(g, 0, 0, end);
      buf = g;
    }
    const n = fs.readSync(fd, buf, end, buf.length - end, null);
    end += n;
    bytes += n;
    const view = buf.subarray(0, end);
    const lastNl = view.lastIndexOf(10);
    const lines = grouped && lastNl >= 0 && isUtf8(view.subarray(0, lastNl + 1)) ? new ValidUtf8Lines(buf, lastNl + 1) : undefined;
    let pos = 0;
    for (let nl = view.indexOf(10, pos); nl >= 0 || (n === 0 && pos < end); nl = view.indexOf(10, pos)) {
      const e = nl < 0 ? end : nl;
      if (e > pos) {
        JSON.parse(lines && nl >= 0 ? lines.text(pos, e, nl) : buf.toString('utf8', pos, e));
        records++;
      }
      pos = e + 1;
    }
    buf.copy(buf, 0, Math.min(pos, end), end);
    end = Math.max(0, end - pos);
    if (n === 0) break;
  }
  fs.closeSync(fd);
  return { records, bytes };
}
