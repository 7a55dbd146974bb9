/**
 * A small block-YAML writer for training configs: maps, lists of maps, scalars and comments — the
 * subset LLaMA-Factory and Axolotl configs use. Strings are quoted (as JSON, a valid YAML
 * double-quoted scalar) whenever a YAML 1.1 reader (PyYAML, which both trainers use) would read
 * them as anything but that string. Floats always carry a dot ("1.0e-4", "3.0"): PyYAML reads
 * "1e-4" as a string.
 */

/** A number that must be read back as a float (learning rates, epochs, ratios). */
export class YamlFloat {
  constructor(readonly value: number) {}
}

export type YamlScalar = string | number | boolean | null | YamlFloat;
export type YamlValue = YamlScalar | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

/** One line of a document: a key and its value (with an optional trailing comment), a section header or a comment. */
export type YamlLine = { key: string; value: YamlValue; comment?: string } | { section: string } | { comment: string } | { blank: true };

export function float(n: number): YamlFloat {
  return new YamlFloat(n);
}

/** YAML 1.1 float text that PyYAML resolves as a float: a dot, and a signed exponent if any. */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a YAML float`);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [m, e] = n.toExponential().split('e');
    return `${m.includes('.') ? m : `${m}.0`}e${e.startsWith('-') ? e : `+${e.replace('+', '')}`}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|\.inf|\.Inf|\.INF|-\.inf|\.nan|\.NaN|\.NAN|<<|=)$/;
const SAFE_PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./+@=-]*$/;
const NUMBER_LIKE = /^[-+]?[0-9.][0-9a-fA-FxXoObB_.:eE+-]*$/;

function needsQuotes(s: string): boolean {
  return !SAFE_PLAIN.test(s) || YAML11_SPECIAL.test(s) || (NUMBER_LIKE.test(s) && /[0-9]/.test(s));
}

export function formatString(s: string): string {
  return needsQuotes(s) ? JSON.stringify(s) : s;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function formatKey(k: string): string {
  return PLAIN_KEY.test(k) && !YAML11_SPECIAL.test(k) ? k : JSON.stringify(k);
}

function isMap(v: YamlValue): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof YamlFloat);
}

export function formatScalar(v: YamlScalar): string {
  if (v === null) return 'null';
  if (v instanceof YamlFloat) return formatFloat(v.value);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} in YAML`);
    return Number.isInteger(v) ? String(v) : formatFloat(v);
  }
  return formatString(v);
}

function commentText(c: string): string {
  return c.replace(/[\r\n]+/g, ' ');
}

function emitEntry(out: string[], indent: string, key: string, value: YamlValue, comment?: string): void {
  const tail = comment ? `  # ${commentText(comment)}` : '';
  const k = formatKey(key);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${indent}${k}: []${tail}`);
      return;
    }
    out.push(`${indent}${k}:${tail}`);
    for (const item of value) emitListItem(out, `${indent}  `, item);
    return;
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push(`${indent}${k}: {}${tail}`);
      return;
    }
    out.push(`${indent}${k}:${tail}`);
    for (const kk of keys) emitEntry(out, `${indent}  `, kk, value[kk]);
    return;
  }
  out.push(`${indent}${k}: ${formatScalar(value)}${tail}`);
}

function emitListItem(out: string[], indent: string, item: YamlValue): void {
  if (Array.isArray(item)) throw new Error('nested lists are not part of the YAML subset written here');
  if (isMap(item)) {
    const keys = Object.keys(item);
    if (keys.length === 0) {
      out.push(`${indent}- {}`);
      return;
    }
    // The first key shares the dash line; the rest align under it.
    const first: string[] = [];
    emitEntry(first, '', keys[0], item[keys[0]]);
    out.push(`${indent}- ${first[0]}`);
    for (const l of first.slice(1)) out.push(`${indent}  ${l}`);
    for (const kk of keys.slice(1)) emitEntry(out, `${indent}  `, kk, item[kk]);
    return;
  }
  out.push(`${indent}- ${formatScalar(item)}`);
}

/** Writes the lines as a YAML document ending with a newline. */
export function emitYaml(lines: readonly YamlLine[]): string {
  const out: string[] = [];
  for (const l of lines) {
    // Key lines may carry a comment too, so they are told apart first.
    if ('key' in l) emitEntry(out, '', l.key, l.value, l.comment);
    else if ('section' in l) out.push(`### ${commentText(l.section)}`);
    else if ('comment' in l) out.push(`# ${commentText(l.comment)}`);
    else out.push('');
  }
  return out.join('\n') + '\n';
}
