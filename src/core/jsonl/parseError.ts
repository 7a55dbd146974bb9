/**
 * Says where and why a record's text is not JSON. Only called for text that JSON.parse rejected,
 * so the slower jsonc-parser runs on failing records alone.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import * as l10n from '@vscode/l10n';

export interface SyntaxProblem {
  /** UTF-16 offset into the text, and length of the offending token (0 at the end of the text). */
  offset: number;
  length: number;
  message: string;
  /** The text ended before the value did (an unclosed string, object or array). */
  unexpectedEnd: boolean;
}

/** Built when an error is described (not at load), so the texts follow the language configured later. */
function syntaxMessages(): Record<string, string> {
  return {
    InvalidSymbol: l10n.t('unexpected character'),
    InvalidNumberFormat: l10n.t('invalid number'),
    PropertyNameExpected: l10n.t('expected a property name in double quotes'),
    ValueExpected: l10n.t('expected a value'),
    ColonExpected: l10n.t('expected \':\' after the property name'),
    CommaExpected: l10n.t('expected \',\' between items'),
    CloseBraceExpected: l10n.t('expected \'}\' to close the object'),
    CloseBracketExpected: l10n.t('expected \']\' to close the array'),
    EndOfFileExpected: l10n.t('unexpected text after the end of the record'),
    InvalidCommentToken: l10n.t('comments are not allowed in JSON'),
    UnexpectedEndOfComment: l10n.t('comment is not closed'),
    UnexpectedEndOfString: l10n.t('string is not closed'),
    UnexpectedEndOfNumber: l10n.t('number is not complete'),
    InvalidUnicode: l10n.t('invalid \\u escape in string'),
    InvalidEscapeCharacter: l10n.t('invalid escape sequence in string'),
    InvalidCharacter: l10n.t('control character in string (it must be escaped)'),
  };
}

function describeChar(text: string, at: number): string {
  const c = text.codePointAt(at);
  if (c === undefined) return '';
  if (c < 0x20 || c === 0x7f) return ` (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
  const ch = String.fromCodePoint(c);
  return ch === '`' ? ' ' + ch : ` \`${ch}\``;
}

/**
 * The message of a record that is not JSON. `endsFile`: nothing follows the record's text in the
 * file, so text that ends inside the value means the record is cut off.
 */
export function notJsonMessage(se: SyntaxProblem, endsFile: boolean): string {
  return endsFile && se.unexpectedEnd ? l10n.t('Not valid JSON: {0} (the record is cut off: was the file truncated?).', se.message) : l10n.t('Not valid JSON: {0}.', se.message);
}

/** Locates the first syntax error of `text`; `jsError` (JSON.parse's) is the fallback. */
export function locateSyntaxError(text: string, jsError?: unknown): SyntaxProblem {
  if (text.trim() === '') return { offset: 0, length: 0, message: l10n.t('expected a JSON value, found nothing'), unexpectedEnd: false };
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses per nesting level; hostile nesting (100k `[`) overflows its stack.
    errors.length = 0;
  }
  const first = errors[0];
  if (first) {
    const name = printParseErrorCode(first.error);
    // jsonc-parser places a raw control character (a tab, say) at its string's opening quote: point
    // at the character itself, which is what must be escaped.
    if (name === 'InvalidCharacter' && text[first.offset] === '"') {
      const end = Math.min(text.length, first.offset + first.length);
      for (let k = first.offset + 1; k < end; k++) {
        if (text.charCodeAt(k) < 0x20) return { offset: k, length: 1, message: (syntaxMessages()[name] ?? name) + describeChar(text, k), unexpectedEnd: false };
      }
    }
    let message = syntaxMessages()[name] ?? name;
    if (name === 'InvalidSymbol' || name === 'InvalidCharacter') message += describeChar(text, first.offset);
    // A property name in single quotes or without quotes is the common hand-edit mistake.
    if ((name === 'PropertyNameExpected' || name === 'InvalidSymbol') && /['A-Za-z_$]/.test(text[first.offset] ?? '') && expectsKey(text, first.offset)) {
      message = l10n.t('property names must be in double quotes');
    }
    // `{"a": 1,}`: point at the comma, which is what must go.
    if ((name === 'PropertyNameExpected' || name === 'ValueExpected') && (text[first.offset] === '}' || text[first.offset] === ']')) {
      let k = first.offset - 1;
      while (k >= 0 && ' \t\r\n'.includes(text[k])) k--;
      if (text[k] === ',') return { offset: k, length: 1, message: l10n.t('trailing comma (not allowed in JSON)'), unexpectedEnd: false };
    }
    const length = first.offset >= text.length ? 0 : Math.max(1, Math.min(first.length, text.length - first.offset));
    const unexpectedEnd = name.startsWith('UnexpectedEndOf') || first.offset >= text.trimEnd().length;
    return { offset: Math.min(first.offset, text.length), length, message, unexpectedEnd };
  }
  return fromJsError(text, jsError);
}

function fromJsError(text: string, jsError: unknown): SyntaxProblem {
  let msg = jsError instanceof Error ? jsError.message : '';
  if (!msg) {
    try {
      JSON.parse(text);
      return { offset: 0, length: 0, message: l10n.t('not valid JSON'), unexpectedEnd: false };
    } catch (e) {
      msg = e instanceof Error ? e.message : String(e);
    }
  }
  const m = /at position (\d+)/.exec(msg);
  const offset = m ? Math.min(Number(m[1]), text.length) : text.length;
  if (/Maximum call stack|too deep/i.test(msg)) return { offset: 0, length: 1, message: l10n.t('record is nested too deeply to parse'), unexpectedEnd: false };
  return { offset, length: offset < text.length ? 1 : 0, unexpectedEnd: /end of JSON input|Unterminated/i.test(msg), message: msg.replace(/^JSON\.parse: |^Unexpected/, (s) => (s.startsWith('U') ? 'unexpected' : '')) };
}

/** Whether a property name is expected at `at`: inside an object, right after `{` or `,`. */
function expectsKey(text: string, at: number): boolean {
  const stack: string[] = [];
  let inString = false;
  let last = '';
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') last = c;
  }
  return stack[stack.length - 1] === '{' && (last === '{' || last === ',');
}
