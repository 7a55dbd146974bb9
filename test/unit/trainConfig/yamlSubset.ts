/**
 * A strict reader for the block-YAML subset the training configs use (maps, lists of maps,
 * scalars, comments), resolving plain scalars the way PyYAML (YAML 1.1) does, so a value that
 * LLaMA-Factory or Axolotl would read as another type reads so here too. Anything outside the
 * subset throws, which fails the test that wrote it.
 */
export type Parsed = string | number | boolean | null | Parsed[] | { [k: string]: Parsed };

interface Line {
  indent: number;
  text: string;
  no: number;
}

const FLOAT_11 = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_11 = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const BOOL_11 = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$/;
const NULL_11 = /^(?:~|null|Null|NULL|)$/;

export function resolvePlain(s: string): Parsed {
  if (NULL_11.test(s)) return null;
  if (BOOL_11.test(s)) return /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON|y|Y)$/.test(s);
  if (INT_11.test(s)) return Number(s.replace(/_/g, ''));
  if (FLOAT_11.test(s)) {
    if (/inf/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/nan/i.test(s)) return NaN;
    return Number(s.replace(/_/g, ''));
  }
  if (/^[[{&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s)) throw new Error(`"${s}" is not a plain scalar in this subset`);
  return s;
}

/** Splits `value  # comment` and reads the value (double-quoted as JSON, empty flow collections, or plain). */
function readScalar(raw: string, no: number): Parsed {
  const s = raw.trim();
  if (s.startsWith('"')) {
    let i = 1;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) throw new Error(`line ${no}: unterminated string`);
    const rest = s.slice(i + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) throw new Error(`line ${no}: text after a quoted string`);
    return JSON.parse(s.slice(0, i + 1)) as string;
  }
  const hash = s.search(/\s#/);
  const v = (hash >= 0 ? s.slice(0, hash) : s).trim();
  if (v === '[]') return [];
  if (v === '{}') return {};
  if (v.includes(': ')) throw new Error(`line ${no}: ": " inside a plain scalar`);
  return resolvePlain(v);
}

function splitKey(text: string, no: number): [string, string] {
  let key: string;
  let rest: string;
  if (text.startsWith('"')) {
    const end = text.indexOf('":');
    if (end < 0) throw new Error(`line ${no}: bad quoted key`);
    key = JSON.parse(text.slice(0, end + 1)) as string;
    rest = text.slice(end + 2);
  } else {
    const m = /^([^\s:#][^:#]*?):(?:\s|$)/.exec(text);
    if (!m) throw new Error(`line ${no}: expected "key:" in ${JSON.stringify(text)}`);
    key = m[1];
    rest = text.slice(m[0].length);
  }
  return [key, rest];
}

class Reader {
  i = 0;
  constructor(readonly lines: Line[]) {}

  block(indent: number): Parsed {
    const first = this.lines[this.i];
    if (first.indent !== indent) throw new Error(`line ${first.no}: expected indent ${indent}`);
    return first.text.startsWith('- ') || first.text === '-' ? this.seq(indent) : this.map(indent);
  }

  map(indent: number, firstText?: string): { [k: string]: Parsed } {
    const out: { [k: string]: Parsed } = {};
    let text = firstText;
    for (;;) {
      let no: number;
      if (text === undefined) {
        const l = this.lines[this.i];
        if (!l || l.indent < indent) break;
        if (l.indent > indent) throw new Error(`line ${l.no}: unexpected indent`);
        if (l.text.startsWith('- ')) break;
        text = l.text;
        no = l.no;
        this.i++;
      } else {
        // The first key shares the list item's dash line, already consumed by the caller.
        no = this.lines[this.i - 1]?.no ?? 0;
      }
      const [key, rest] = splitKey(text, no);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`line ${no}: duplicate key ${key}`);
      const value = rest.trim();
      if (value === '' || value.startsWith('#')) {
        const next = this.lines[this.i];
        if (next && next.indent > indent) out[key] = this.block(next.indent);
        else out[key] = null;
      } else {
        out[key] = readScalar(rest, no);
      }
      text = undefined;
    }
    return out;
  }

  seq(indent: number): Parsed[] {
    const out: Parsed[] = [];
    for (;;) {
      const l = this.lines[this.i];
      if (!l || l.indent < indent) break;
      if (l.indent !== indent || !l.text.startsWith('- ')) break;
      const body = l.text.slice(2);
      if (/^("[^"]*"|[^\s"#][^:#]*?):(\s|$)/.test(body)) {
        // "- key: value": a map whose keys sit at indent + 2.
        this.i++;
        out.push(this.map(indent + 2, body));
      } else {
        this.i++;
        out.push(readScalar(body, l.no));
      }
    }
    return out;
  }
}

export function parseYamlSubset(text: string): { [k: string]: Parsed } {
  if (/\t/.test(text)) throw new Error('tabs are not allowed in YAML indentation');
  const lines: Line[] = [];
  text.split('\n').forEach((raw, idx) => {
    const t = raw.replace(/\s+$/, '');
    const trimmed = t.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    lines.push({ indent: t.length - trimmed.length, text: trimmed, no: idx + 1 });
  });
  if (lines.length === 0) return {};
  const r = new Reader(lines);
  const doc = r.block(0);
  if (r.i !== lines.length) throw new Error(`line ${lines[r.i].no}: not read (bad indentation?)`);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the document is not a map');
  return doc;
}
