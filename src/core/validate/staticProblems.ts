/**
 * Problems of the document that belong to no record (a binary file, a broken JSON array around the
 * records): kept with the position they were found at and moved by the edits around them; an edit
 * over one drops it (the full pass that would find it again runs when the structure changes).
 */
import type { Origin } from './recordSlot';
import { shiftProblem } from './recordSlot';
import type { Problem, Severity } from '../base/problem';

/** One edit, as VS Code reports it (0-based positions in the text before this change). */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

interface StaticProblem {
  p: Problem;
  /** Where it is now (1-based line and column). */
  at: Origin;
  /** Where it was found. */
  base: Origin;
}

export class StaticProblems {
  private list: StaticProblem[] = [];

  clear(): void {
    this.list = [];
  }

  add(p: Problem): void {
    const base = { line: p.line, column: p.column, offset: p.offset ?? 0 };
    this.list.push({ p, at: { ...base }, base });
  }

  has(rule: string): boolean {
    return this.list.some((s) => s.p.rule === rule);
  }

  /** The problems where they are now, of one severity or all. */
  current(only?: Severity): Problem[] {
    const out: Problem[] = [];
    for (const s of this.list) if (only === undefined || s.p.severity === only) out.push(shiftProblem(s.p, s.base, s.at));
    return out;
  }

  countInto(c: Record<Severity, number>): void {
    for (const s of this.list) c[s.p.severity]++;
  }

  /**
   * Moves the problems after change `c` (which spans 0-based lines sL..eL and moves later text by
   * dLine lines and dOff offsets; `tail` is the length of its last inserted line) and drops those it
   * touched. In JSON Lines a problem earlier on an edited line goes too: the line is read again.
   */
  shift(c: TextChange, dLine: number, dOff: number, tail: number, lines: boolean): void {
    if (this.list.length === 0) return;
    const sL = c.startLine;
    const eL = c.endLine;
    const end = c.rangeOffset + c.rangeLength;
    this.list = this.list.filter(({ at }) => {
      if (at.offset < c.rangeOffset) return at.line - 1 < sL || !lines;
      if (at.line - 1 <= eL && lines) return false;
      if (at.offset < end) return false;
      if (at.line - 1 === eL) at.column = at.column - c.endCharacter + (c.text.includes('\n') ? tail : c.startCharacter + tail);
      at.line += dLine;
      at.offset += dOff;
      return true;
    });
  }
}
