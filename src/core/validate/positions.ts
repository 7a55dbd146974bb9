/**
 * Places rule reports (paths into a record) on exact source ranges. Runs only for records that have
 * problems listed: it walks the record's text along each report's path (jsonPathLocator.ts).
 */
import type { JsonPath, RuleReport } from '../formats/formatModule';
import type { TextOrigin } from '../jsonl/sourceRecord';
import { RecordTextPositions } from '../jsonl/textPosition';
import { locateJsonPath, type JsonSpan } from './jsonPathLocator';
import { problemAt, unplacedRange, type Problem } from '../base/problem';

export { unplacedRange };

/** The record as a whole (RecordLocator.recordRange), or only its start when `place` is false (unplacedRange). */
export function recordRangeOf(rec: RecordText, place = true): ReturnType<RecordTextPositions['range']> {
  return place ? new RecordLocator(rec).recordRange() : unplacedRange(rec);
}

export interface RecordText extends TextOrigin {
  text: string;
  index?: number;
}

export class RecordLocator {
  private readonly positions: RecordTextPositions;

  constructor(readonly rec: RecordText) {
    this.positions = new RecordTextPositions(rec.text, rec);
  }

  /** The source range a report points at. */
  range(path: JsonPath, target?: 'key' | 'value'): ReturnType<RecordTextPositions['range']> {
    const found = locateJsonPath(this.rec.text, path);
    if (!found) return this.positions.wholeRange();
    let span: JsonSpan = found.value;
    if (found.exact) {
      if (target === 'key' && found.key) span = found.key;
    } else if (found.key) {
      // The path ends in a key the record lacks: point at the key of the object that lacks it.
      span = found.key;
    } else if (found.root && this.rec.text.slice(span.offset, span.offset + span.length).includes('\n')) {
      // A whole multi-line record would paint dozens of lines: mark its opening brace.
      return this.positions.range(span.offset, span.offset + 1);
    }
    return this.positions.range(span.offset, span.offset + span.length);
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
