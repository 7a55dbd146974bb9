/** What the Dataset View shows of one record: shared by both indexes and the webview protocol. */
import type { Severity } from '../base/problem';
import type { ChatSide } from '../formats/roleNames';

export interface ProblemBrief {
  line: number;
  column: number;
  severity: Severity;
  rule: string;
  message: string;
}

export interface RecordCard {
  /** 0-based record index in the file. */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  /** The parsed record; absent when the slot is not a JSON object. */
  value?: Record<string, unknown>;
  /** The source text, shown when the record could not be parsed. */
  text?: string;
  problems: ProblemBrief[];
  /** Characters of text in the record (string values, role names excepted). */
  chars: number;
  /** The chat side of each speaker named in the record (formats/roleNames.ts chatSide), for drawing its messages. */
  sides?: Record<string, ChatSide>;
}

export function problemBrief(p: { line: number; column: number; severity: Severity; rule: string; message: string }): ProblemBrief {
  return { line: p.line, column: p.column, severity: p.severity, rule: p.rule, message: p.message };
}
