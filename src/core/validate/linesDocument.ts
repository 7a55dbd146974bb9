/**
 * A document held as an array of lines, edited the way an editor edits it: each edit yields the
 * TextChange VS Code would report. For running the incremental validator outside VS Code (tests,
 * benchmarks, the CLI's watch mode).
 */
import type { DocumentLines, TextChange } from './incremental';

export class LinesDocument implements DocumentLines {
  private lines: string[];
  readonly eolLength: number;

  constructor(
    text: string,
    private readonly eol: '\n' | '\r\n' = text.includes('\r\n') ? '\r\n' : '\n',
  ) {
    this.lines = text.split(/\r?\n/);
    this.eolLength = eol.length;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  lineText(line: number): string {
    return this.lines[line];
  }

  fullText(): string {
    return this.lines.join(this.eol);
  }

  textBetween(startOffset: number, endOffset: number): string {
    return this.fullText().slice(startOffset, endOffset);
  }

  /** UTF-16 offset of the start of a 0-based line. */
  offsetOfLine(line: number): number {
    let off = 0;
    for (let i = 0; i < line; i++) off += this.lines[i].length + this.eolLength;
    return off;
  }

  /** Position of an offset (0-based line and character). */
  positionAt(offset: number): { line: number; character: number } {
    let off = 0;
    for (let i = 0; i < this.lines.length; i++) {
      const end = off + this.lines[i].length;
      if (offset <= end || i === this.lines.length - 1) return { line: i, character: Math.min(offset - off, this.lines[i].length) };
      off = end + this.eolLength;
    }
    return { line: 0, character: 0 };
  }

  /** Replaces the range between two (line, character) positions; returns the change as VS Code reports it. */
  replace(startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string): TextChange {
    const rangeOffset = this.offsetOfLine(startLine) + startCharacter;
    const rangeLength = this.offsetOfLine(endLine) + endCharacter - rangeOffset;
    const before = this.lines[startLine].slice(0, startCharacter);
    const after = this.lines[endLine].slice(endCharacter);
    const inserted = (before + text.replace(/\r\n/g, '\n') + after).split('\n');
    this.lines.splice(startLine, endLine - startLine + 1, ...inserted);
    return { startLine, startCharacter, endLine, endCharacter, rangeOffset, rangeLength: rangeLength, text: text.replace(/\r?\n/g, this.eol) };
  }

  /** Replaces `[offset, offset + length)`. */
  replaceOffsets(offset: number, length: number, text: string): TextChange {
    const a = this.positionAt(offset);
    const b = this.positionAt(offset + length);
    return this.replace(a.line, a.character, b.line, b.character, text);
  }
}
