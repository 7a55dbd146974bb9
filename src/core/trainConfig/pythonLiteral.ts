/**
 * Python string literals for generated scripts. Only printable ASCII is written as itself; every
 * other character is an escape (\n, \xHH, \uXXXX, \UXXXXXXXX: Python does not pair surrogate
 * escapes, so characters above U+FFFF take \U), as json.dumps with ensure_ascii does. So no
 * character of a model id or a path can end the string, the line or the statement.
 */
const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` as a double-quoted Python str literal holding printable ASCII only. */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT[ch];
    if (short) out += short;
    else if (ch >= ' ' && ch <= '~') out += ch;
    else {
      const cp = ch.codePointAt(0) ?? 0;
      out += cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return out + '"';
}
