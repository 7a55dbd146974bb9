/**
 * The per-record index of a dataset as compact columns (about 32 bytes a record, whatever the
 * record size): where each record is in the source, its line, and the facts filters need. A
 * million records cost ~32 MB instead of a million parsed objects.
 */
import type { ProblemBrief } from './recordCard';

export class RecordTable {
  count = 0;
  /** Start of the record in the source: a UTF-16 offset in a document, a byte offset in a file. */
  start = new Float64Array(1024);
  /** Length in the same unit as `start`. */
  length = new Float64Array(1024);
  /** 1-based line and column where the record starts. */
  line = new Uint32Array(1024);
  column = new Uint32Array(1024);
  chars = new Uint32Array(1024);
  roles = new Uint32Array(1024);
  errors = new Uint32Array(1024);
  warnings = new Uint32Array(1024);
  /** Problems by record index (only records that have some). */
  problems = new Map<number, ProblemBrief[]>();

  /** Makes room for index `i` (records are added in index order, possibly with gaps). */
  ensure(i: number): void {
    if (i < this.start.length) return;
    let cap = this.start.length;
    while (cap <= i) cap *= 2;
    const grow = <T extends Float64Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a);
      return b;
    };
    this.start = grow(this.start);
    this.length = grow(this.length);
    this.line = grow(this.line);
    this.column = grow(this.column);
    this.chars = grow(this.chars);
    this.roles = grow(this.roles);
    this.errors = grow(this.errors);
    this.warnings = grow(this.warnings);
  }

  set(i: number, start: number, length: number, line: number, column: number, chars: number, roles: number): void {
    this.ensure(i);
    this.start[i] = start;
    this.length[i] = length;
    this.line[i] = line;
    this.column[i] = column;
    this.chars[i] = chars;
    this.roles[i] = roles;
    if (i >= this.count) this.count = i + 1;
  }

  /** Replaces the problems of record `i` and its error and warning counts. */
  setProblems(i: number, list: ProblemBrief[]): void {
    this.ensure(i);
    let e = 0;
    let w = 0;
    for (const p of list) {
      if (p.severity === 'error') e++;
      else if (p.severity === 'warning') w++;
    }
    this.errors[i] = e;
    this.warnings[i] = w;
    if (list.length > 0) this.problems.set(i, list);
    else this.problems.delete(i);
  }

  addProblem(i: number, p: ProblemBrief): void {
    this.ensure(i);
    if (p.severity === 'error') this.errors[i]++;
    else if (p.severity === 'warning') this.warnings[i]++;
    const list = this.problems.get(i);
    if (list) list.push(p);
    else this.problems.set(i, [p]);
  }

  /** Index of the record whose range contains `pos` (binary search over starts), or -1. */
  recordAt(pos: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.start[mid] <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Rule ids present in the file with their problem counts (from the listed problems). */
  ruleCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const list of this.problems.values()) for (const p of list) m.set(p.rule, (m.get(p.rule) ?? 0) + 1);
    return m;
  }
}
