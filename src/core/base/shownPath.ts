/**
 * A file name as Pairwise prints it in lines that tools read one by one (`file:line:col …`, which
 * CI problem matchers parse): control characters and Unicode line breaks are escaped, so a name
 * planted in a cloned repository (`a\nsrc/x.jsonl:1:1 error …`) cannot start a line of its own.
 * Backslashes stay as they are: they separate a Windows path.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function shownPath(file: string): string {
  return file.replace(BREAKING, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
