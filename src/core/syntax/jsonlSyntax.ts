/**
 * Syntax check of JSON Lines text: every non-blank line must be one JSON value. Returns a problem
 * at the exact line and column where parsing failed. The editor uses it until the full formats
 * engine validates records; it stays the fallback for text that is not a dataset.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Problem } from '../validate/problem';

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing brace } was expected',
  CloseBracketExpected: 'a closing bracket ] was expected',
  EndOfFileExpected: 'only one JSON value is allowed per line',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'the string is not closed',
  UnexpectedEndOfNumber: 'the number is not complete',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

export function jsonlSyntaxProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') {
      const p = lineProblem(line, lineNo);
      if (p) problems.push(p);
    }
    start = end + 1;
    lineNo++;
  }
  return problems;
}

function lineProblem(line: string, lineNo: number): Problem | undefined {
  try {
    JSON.parse(line);
    return undefined;
  } catch {
    // JSON.parse says only that it failed; jsonc-parser says where and why.
  }
  const errors: ParseError[] = [];
  parse(line, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const e = errors[0];
  if (!e) {
    // jsonc-parser accepts a few things JSON.parse does not (e.g. lone surrogates are fine in both); be explicit.
    return { line: lineNo, column: 1, endLine: lineNo, endColumn: line.length + 1, severity: 'error', rule: 'syntax/invalid-json', message: 'This line is not valid JSON.' };
  }
  const code = printParseErrorCode(e.error);
  // An error at the very end (an unclosed brace) is shown on the last character of the line.
  const col = Math.min(e.offset, Math.max(0, line.length - 1));
  const len = Math.max(1, Math.min(e.length, line.length - col));
  const token = line.slice(col, col + Math.min(len, 20));
  const what = ERROR_TEXT[code] ?? code;
  const shown = token.startsWith('"') ? token : `"${token}"`;
  const at = e.offset >= line.length ? 'at the end of the line' : `at ${shown}`;
  return {
    line: lineNo,
    column: col + 1,
    endLine: lineNo,
    endColumn: col + 1 + len,
    severity: 'error',
    rule: 'syntax/invalid-json',
    message: `Invalid JSON: ${what} ${at} (column ${col + 1}).`,
  };
}
