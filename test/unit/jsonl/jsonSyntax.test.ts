/**
 * isJsonText says what JSON.parse says: on valid JSON of every kind, laid out in every way, on
 * random single-character edits of it (most of which break it, some of which do not), and on the
 * corners of the grammar.
 */
import * as assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/base/random';
import { isJsonText } from '../../../src/core/jsonl/jsonSyntax';
import { readTextRecords } from '../../../src/core/jsonl/readRecords';
import type { SourceRecord } from '../../../src/core/jsonl/sourceRecord';

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const NUMBERS = [0, -0, 1, -1, 42, 3.5, -0.001, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456789012];
const STRINGS = ['', 'plain', 'é 日本 😀', 'quote " and backslash \\', 'controls \u0000\u0001\u001f\t\n\r\b\f', 'slash /', '\u2028\u2029', '\ud800 lone', 'end \udfff'];

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 4 || k < 0.4) {
    const s = r();
    if (s < 0.4) return STRINGS[Math.floor(r() * STRINGS.length)];
    if (s < 0.75) return NUMBERS[Math.floor(r() * NUMBERS.length)];
    return [true, false, null][Math.floor(r() * 3)];
  }
  if (k < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) o[STRINGS[Math.floor(r() * STRINGS.length)] + i] = randomValue(r, depth + 1);
  return o;
}

/** JSON text of `v`, with its numbers written in other valid ways and whitespace of every kind between tokens. */
function write(v: unknown, r: () => number): string {
  const space = () => ['', '', ' ', '\n', '\t', '\r\n  '][Math.floor(r() * 6)];
  if (typeof v === 'number') {
    const forms = [JSON.stringify(v), v.toExponential(), v.toExponential().replace('e', 'E'), v.toExponential().replace('e+', 'e')];
    return forms[Math.floor(r() * forms.length)];
  }
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    // The same string with characters escaped that need not be.
    return r() < 0.5 ? s : s.replace(/[é/a]/g, (c) => (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`));
  }
  if (Array.isArray(v)) return '[' + space() + v.map((x) => write(x, r)).join(space() + ',' + space()) + space() + ']';
  if (v !== null && typeof v === 'object') {
    return '{' + space() + Object.entries(v).map(([k, x]) => write(k, r) + space() + ':' + space() + write(x, r)).join(space() + ',' + space()) + space() + '}';
  }
  return JSON.stringify(v);
}

const EDITS = ['{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '+', '.', 'e', 'E', 't', 'n', 'u', ' ', '\n', '\u0000', '\u001f', 'x', '/', "'", '\ufeff'];

describe('isJsonText', () => {
  it('accepts what JSON.parse accepts and rejects what it rejects, on random JSON and edits of it', () => {
    const r = seededRandom(1808);
    let valid = 0;
    let broken = 0;
    for (let i = 0; i < 2000; i++) {
      const text = (r() < 0.2 ? ' \n' : '') + write(randomValue(r, 0), r) + (r() < 0.2 ? '\t ' : '');
      assert.ok(parses(text), text);
      assert.equal(isJsonText(text), true, JSON.stringify(text));
      valid++;
      for (let j = 0; j < 6; j++) {
        const at = Math.floor(r() * (text.length + 1));
        const c = EDITS[Math.floor(r() * EDITS.length)];
        const kind = r();
        const edited = kind < 0.33 ? text.slice(0, at) + text.slice(at + 1) : kind < 0.66 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1);
        assert.equal(isJsonText(edited), parses(edited), JSON.stringify(edited));
        if (!parses(edited)) broken++;
      }
    }
    assert.ok(valid === 2000 && broken > 6000, `${broken} broken edits`);
  });

  it('agrees with JSON.parse on the corners of the grammar', () => {
    const cases = [
      '', ' ', '\ufeff{}', '{}', '[]', ' [ ] ', '0', '-0', '01', '-', '-01', '0.', '.5', '1.5e', '1e+', '1E-2', '1e5', '-0.0e0', '2.', '+1',
      'true', 'tru', 'true ', ' null', 'nulls', 'false', 'falsey', 'NaN', 'Infinity', 'undefined',
      '"\\x"', '"\\u12G4"', '"\\u12a"', '"\\uABCD"', '"\u0007"', '"\u007f"', '"\ud800"', '"unclosed', '"\\"', "'single'",
      '[1,]', '[,1]', '[1 2]', '[1,,2]', '{"a":1,}', '{,}', '{"a" 1}', '{"a":}', '{1:2}', '{"a":1 "b":2}', '{"a":1}}', '[[]', '[]]',
      '{"a":[1,{"b":null}],"c":"d"}', '{"messages":[,{"role":"user"}]}', '{"a":1}/*x*/', '{"a":1}//', '1 2', '{} {}',
    ];
    for (const c of cases) assert.equal(isJsonText(c), parses(c), JSON.stringify(c));
  });

  it('checks any nesting without recursion', () => {
    const depth = 100000;
    assert.equal(isJsonText('['.repeat(depth) + ']'.repeat(depth)), true);
    assert.equal(isJsonText('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)), true);
    assert.equal(isJsonText('['.repeat(depth) + ']'.repeat(depth - 1)), false);
  });

  it('the reader gives the same problems for a run of invalid lines as for each line alone', () => {
    const lines = ['{"ok": 1}', '{"a": [1, 2,, 3]}', "{'single': 'quotes'}", '{"b": 2}', '{"c": "unclosed}', '{"d": 01}', '{"e": 1,}', '  [1, 2', '{"f": true}', 'nope', '{"g": "\u0001"}'];
    const text = lines.join('\n') + '\n';
    const problemsOf = (recs: SourceRecord[]) => recs.map((rec) => (rec.problems ?? []).map((p) => [p.rule, p.line, p.column, p.endColumn, p.message]));
    const together = readTextRecords(text, 'jsonl').filter((i): i is SourceRecord => i.kind === 'record');
    // Each line alone, at its own line number: no run of failures before it.
    const alone = lines.map((l, i) => {
      const [rec] = readTextRecords('\n'.repeat(i) + l + '\n', 'jsonl').filter((x): x is SourceRecord => x.kind === 'record');
      return rec;
    });
    assert.deepEqual(problemsOf(together), problemsOf(alone));
    assert.equal(together.filter((rec) => rec.problems?.length).length, 8);
    assert.deepEqual(together.map((rec) => rec.value !== undefined), alone.map((rec) => rec.value !== undefined));
  });
});
