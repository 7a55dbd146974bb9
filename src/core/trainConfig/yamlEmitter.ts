/**
 * Training-config YAML (LLaMA-Factory, Axolotl) written through the `yaml` library (eemeli/yaml:
 * maintained, no dependencies, runs on Node 14.6+ and bundles with esbuild as plain CommonJS), in
 * its YAML 1.1 mode, since both trainers read configs with PyYAML (YAML 1.1): a string that 1.1
 * would read as a boolean, a number or null ("yes", "on", "3", "12:30") is quoted.
 *
 * Two things the library leaves to us, both because PyYAML breaks lines at U+0085, U+2028 and
 * U+2029 where YAML 1.2 (the library's model) does not, so a dataset or model name holding one
 * could end a line and start a key (`deepspeed:`, `trust_remote_code: true`):
 * - every string with a character outside printable ASCII is written double-quoted with that
 *   character escaped (\n, \uXXXX, \UXXXXXXXX for characters above U+FFFF: PyYAML does not pair
 *   surrogate escapes), so the file holds no byte of it that a YAML reader could take for a break;
 * - comments escape such characters the same way (the library writes them as they are).
 * Floats always carry a dot ("1.0e-4", "3.0"): PyYAML reads "1e-4" as a string.
 */
import { Document, Scalar, YAMLMap, type DocumentOptions, type Pair, type ScalarTag, type SchemaOptions, type ToStringOptions } from 'yaml';

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

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** `c` as a YAML double-quoted escape (also valid JSON below U+10000). */
function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short) return short;
  const cp = ch.codePointAt(0) ?? 0;
  return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** A YAML double-quoted scalar of `s` holding printable ASCII only. */
export function quoteAscii(s: string): string {
  let out = '"';
  for (const ch of s) out += ch >= ' ' && ch <= '~' && ch !== '"' && ch !== '\\' ? ch : escapeChar(ch);
  return out + '"';
}

/** Comment text with every character outside printable ASCII escaped (no line break can end the comment). */
export function commentText(c: string): string {
  let out = '';
  for (const ch of c) out += ch >= ' ' && ch <= '~' ? ch : escapeChar(ch);
  return out;
}

/** Strings with anything but printable ASCII: double-quoted and escaped by us (see the header). */
const escapedString: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (v) => typeof v === 'string' && !PRINTABLE_ASCII.test(v),
  resolve: (s) => s,
  stringify: (item) => quoteAscii(String((item as Scalar).value)),
};

const yamlFloat: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (v) => v instanceof YamlFloat,
  resolve: (s) => Number(s),
  stringify: (item) => formatFloat(((item as Scalar).value as YamlFloat).value),
};

function isMap(v: YamlValue): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof YamlFloat);
}

/** Plain JS values for the library: non-integer numbers become floats with a dot; nested lists are refused. */
function prepare(v: YamlValue, inList = false): unknown {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} in YAML`);
    return Number.isInteger(v) ? v : new YamlFloat(v);
  }
  if (v instanceof YamlFloat) {
    formatFloat(v.value);
    return v;
  }
  if (Array.isArray(v)) {
    if (inList) throw new Error('nested lists are not part of the YAML written here');
    return v.map((x) => prepare(x, true));
  }
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, prepare(x)]));
  return v;
}

const DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions = { version: '1.1', customTags: (tags) => [escapedString, yamlFloat, ...tags] };
const TO_STRING: ToStringOptions = { lineWidth: 0, singleQuote: false, indentSeq: true };

/** A string as it is written as a value: plain where YAML 1.1 reads it back as that string, else quoted. */
export function formatString(s: string): string {
  return new Document(s, DOCUMENT_OPTIONS).toString(TO_STRING).trimEnd();
}

/** Writes the lines as a YAML document ending with a newline. */
export function emitYaml(lines: readonly YamlLine[]): string {
  const doc = new Document(null, DOCUMENT_OPTIONS);
  const root = new YAMLMap<unknown, unknown>();
  let before: string[] = [];
  let blank = false;
  for (const l of lines) {
    // Key lines may carry a comment too, so they are told apart first.
    if ('key' in l) {
      const pair = doc.createPair(l.key, prepare(l.value)) as Pair<Scalar, Scalar | YAMLMap | null>;
      if (before.length) pair.key.commentBefore = before.join('\n');
      if (blank) pair.key.spaceBefore = true;
      if (l.comment !== undefined) {
        if (!(pair.value instanceof Scalar)) throw new Error('a trailing comment goes on a scalar value');
        pair.value.comment = ` ${commentText(l.comment)}`;
      }
      root.items.push(pair);
      before = [];
      blank = false;
    } else if ('section' in l) before.push(`## ${commentText(l.section)}`);
    else if ('comment' in l) before.push(` ${commentText(l.comment)}`);
    else blank = true;
  }
  doc.contents = root;
  if (before.length) doc.comment = before.join('\n');
  return doc.toString(TO_STRING);
}
