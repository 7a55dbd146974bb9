/**
 * Places rule reports (paths into a record) on exact source ranges. Runs only for records that have
 * problems: it re-parses the record's text with jsonc-parser to get every node's offset.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { JsonPath, RuleReport } from '../formats/formatModule';
import type { TextOrigin } from '../jsonl/sourceRecord';
import { RecordTextPositions } from '../jsonl/textPosition';
import { problemAt, type Problem } from '../base/problem';

export interface RecordText extends TextOrigin {
  text: string;
  index?: number;
}

export class RecordLocator {
  private readonly positions: RecordTextPositions;
  private root: Node | undefined;
  private parsed = false;

  constructor(readonly rec: RecordText) {
    this.positions = new RecordTextPositions(rec.text, rec);
  }

  private tree(): Node | undefined {
    if (!this.parsed) {
      this.parsed = true;
      try {
        this.root = parseTree(this.rec.text, [], { disallowComments: true });
      } catch {
        // Nesting deep enough to overflow jsonc-parser's recursion: fall back to the whole record.
        this.root = undefined;
      }
    }
    return this.root;
  }

  /** The node at `path`, or the deepest existing ancestor and whether the path was found whole. */
  private find(path: JsonPath): { node: Node; exact: boolean } | undefined {
    const root = this.tree();
    if (!root) return undefined;
    // A bare message list (xtuner) is read as {"messages": list}: its paths start inside the list.
    if (root.type === 'array' && path[0] === 'messages') path = path.slice(1);
    const exact = findNodeAtLocation(root, path);
    if (exact) return { node: exact, exact: true };
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const next = findNodeAtLocation(root, path.slice(0, i + 1));
      if (!next) break;
      node = next;
    }
    return { node, exact: false };
  }

  /** The source range a report points at. */
  range(path: JsonPath, target?: 'key' | 'value'): ReturnType<RecordTextPositions['range']> {
    const found = this.find(path);
    if (!found) return this.positions.wholeRange();
    let node = found.node;
    const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (found.exact) {
      if (target === 'key' && keyNode) node = keyNode;
    } else if (keyNode) {
      // The path ends in a key the record lacks: point at the key of the object that lacks it.
      node = keyNode;
    } else if (node === this.root && this.spansLines(node)) {
      // A whole multi-line record would paint dozens of lines: mark its opening brace.
      return this.positions.range(node.offset, node.offset + 1);
    }
    return this.positions.range(node.offset, node.offset + node.length);
  }

  private spansLines(node: Node): boolean {
    return this.rec.text.slice(node.offset, node.offset + node.length).includes('\n');
  }

  /** A range for the record as a whole (its first line when it spans several). */
  recordRange(): ReturnType<RecordTextPositions['range']> {
    const whole = this.positions.wholeRange();
    if (whole.endLine === whole.line) return whole;
    const start = whole.offset - this.rec.offset;
    const nl = this.rec.text.indexOf('\n', start);
    return this.positions.range(start, nl < 0 ? this.rec.text.length : nl > 0 && this.rec.text[nl - 1] === '\r' ? nl - 1 : nl);
  }

  problem(r: RuleReport): Problem {
    return reportProblem(this.range(r.path, r.target), r, this.rec.index);
  }
}

type PlacedRange = ReturnType<RecordTextPositions['range']>;

function reportProblem(range: PlacedRange, r: RuleReport, record: number | undefined): Problem {
  const p = problemAt(range, r.severity, r.rule, r.message, record);
  if (r.trainers) p.trainers = r.trainers;
  return p;
}

/**
 * The range of a problem that is only counted, never shown (past the listing limit, or for a
 * caller that reads only rules and messages): the record's first character, found without reading
 * its text. Placing a report re-parses the record; on a file where every record has a problem that
 * was over half of validation's time, almost all of it for problems nobody lists.
 */
export function unplacedRange(rec: TextOrigin): PlacedRange {
  return { line: rec.line, column: rec.column, endLine: rec.line, endColumn: rec.column, offset: rec.offset, endOffset: rec.offset };
}

/** Maps every report of one record to a Problem; `place` false: each at unplacedRange. */
export function placeReports(rec: RecordText, reports: readonly RuleReport[], place = true): Problem[] {
  if (reports.length === 0) return [];
  if (!place) {
    const range = unplacedRange(rec);
    return reports.map((r) => reportProblem(range, r, rec.index));
  }
  const loc = new RecordLocator(rec);
  return reports.map((r) => loc.problem(r));
}
