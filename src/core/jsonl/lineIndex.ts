/**
 * Line start offsets of a text, a buffer or a file, for O(log n) offset <-> line lookups (the
 * dataset view jumps to line N of a large file without rescanning it). Line breaks are `\n`;
 * a `\r` before it belongs to the break.
 */
import { openInputFile } from './openInput';

export class LineIndex {
  constructor(
    /** Offset of the first character (or byte) of each line; starts[0] is 0. */
    private readonly starts: Float64Array,
    readonly lineCount: number,
    /** Length of the indexed content, in the same unit as the offsets. */
    readonly length: number,
  ) {}

  /** Offsets in UTF-16 code units, as in an editor document. */
  static fromText(text: string): LineIndex {
    const b = new Builder();
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) b.push(i + 1);
    return b.build(text.length);
  }

  /** Offsets in bytes. */
  static fromBuffer(buf: Uint8Array): LineIndex {
    const b = new Builder();
    const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = view.indexOf(0x0a); i >= 0; i = view.indexOf(0x0a, i + 1)) b.push(i + 1);
    return b.build(buf.byteLength);
  }

  /** Offsets in bytes, read in chunks: memory is 8 bytes per line, whatever the file size. */
  static async fromFile(path: string, chunkBytes = 1024 * 1024): Promise<LineIndex> {
    const b = new Builder();
    const handle = await openInputFile(path);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let pos = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunkBytes, pos);
        if (bytesRead === 0) break;
        const view = chunk.subarray(0, bytesRead);
        for (let i = view.indexOf(0x0a); i >= 0; i = view.indexOf(0x0a, i + 1)) b.push(pos + i + 1);
        pos += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return b.build(pos);
  }

  /** Start offset of a 1-based line (the content length past the last line). */
  lineStart(line: number): number {
    if (line < 1) return 0;
    if (line > this.lineCount) return this.length;
    return this.starts[line - 1];
  }

  /** End offset of a 1-based line, before its line break. */
  lineEnd(line: number, text?: string): number {
    if (line >= this.lineCount) return this.length;
    let e = this.starts[line] - 1;
    if (text !== undefined && e > 0 && text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** 1-based line and column of an offset. */
  positionAt(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line and column (clamped to the line's start and the content's end). */
  offsetAt(line: number, column: number): number {
    return Math.min(this.lineStart(line) + Math.max(0, column - 1), this.length);
  }
}

class Builder {
  private starts = new Float64Array(1024);
  private n = 1;
  push(offset: number): void {
    if (this.n === this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.n++] = offset;
  }
  build(length: number): LineIndex {
    // A trailing newline opens an empty last line, as editors show it.
    return new LineIndex(this.starts.slice(0, this.n), this.n, length);
  }
}
