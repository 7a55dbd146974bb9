/**
 * Streams the lines of a file as text, with 1-based line numbers and whether each ended with a
 * newline (a last line without one is a torn write in an append-only log). Lines longer than the
 * cap are reported, not held, so a binary or hostile file cannot exhaust memory.
 */
import { createReadStream } from 'node:fs';

export interface FileLine {
  line: number;
  text: string;
  /** False only for a last line with no trailing newline. */
  terminated: boolean;
  /** Set (and `text` empty) when the line exceeded `maxLineBytes`. */
  tooLong?: boolean;
}

export async function* readFileLines(path: string, maxLineBytes = 64 << 20): AsyncGenerator<FileLine> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = false;
  let line = 1;
  let first = true;
  const finish = (terminated: boolean): FileLine => {
    let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, partBytes);
    if (first && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    first = false;
    if (terminated && buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    const out: FileLine = overflow ? { line, text: '', terminated, tooLong: true } : { line, text: buf.toString('utf8'), terminated };
    parts = [];
    partBytes = 0;
    overflow = false;
    line++;
    return out;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    let nl = chunk.indexOf(0x0a, 0);
    while (nl >= 0) {
      if (!overflow) parts.push(chunk.subarray(start, nl));
      partBytes += nl - start;
      if (partBytes > maxLineBytes) overflow = true;
      yield finish(true);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      partBytes += chunk.length - start;
      if (partBytes > maxLineBytes) {
        overflow = true;
        parts = [];
      } else {
        // Copy: the stream may reuse its buffers.
        parts.push(Buffer.from(chunk.subarray(start)));
      }
    }
  }
  if (partBytes > 0 || overflow) yield finish(false);
}
