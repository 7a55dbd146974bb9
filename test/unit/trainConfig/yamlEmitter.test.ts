/** The YAML writer: values a YAML 1.1 reader (PyYAML) reads back exactly, quoting where needed. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { emitYaml, float, formatFloat, formatString, type YamlMap } from '../../../src/core/trainConfig/yamlEmitter';
import { parseYamlSubset, resolvePlain } from './yamlSubset';

const TRICKY = ['yes', 'No', 'on', 'OFF', 'y', 'null', '~', 'true', '1e-4', '3', '3.0', '0x1F', '1_000', '12:30', '.5', '-1', '+1', '', ' padded ', 'a: b', 'a #b', '#x', '-x', '- x', '[x]', '{x}', '*ref', '&a', '!tag', '|', '>', "it's", 'say "hi"', 'back\\slash', 'line\nbreak', 'tab\there', 'ünïcödé', '日本語', 'meta-llama/Llama-3.1-8B-Instruct', './data/file.jsonl', '../a b.jsonl', '.', 'saves/x/lora/sft', '@scope', '%x', '`cmd`', '<<', '='];

function pyYaml(text: string): unknown {
  const r = spawnSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as unknown;
}

describe('trainConfig: YAML writer', () => {
  it('writes floats that YAML 1.1 reads as floats (a dot, a signed exponent)', () => {
    assert.equal(formatFloat(1e-4), '1.0e-4');
    assert.equal(formatFloat(5e-7), '5.0e-7');
    assert.equal(formatFloat(2.5e-5), '2.5e-5');
    assert.equal(formatFloat(3), '3.0');
    assert.equal(formatFloat(0.05), '0.05');
    assert.equal(formatFloat(0.001), '0.001');
    assert.equal(formatFloat(1e7), '1.0e+7');
    assert.equal(formatFloat(-2e-4), '-2.0e-4');
    assert.throws(() => formatFloat(NaN));
    // Why: a YAML 1.1 reader takes "1e-4" for a string.
    assert.equal(resolvePlain('1e-4'), '1e-4');
    for (const n of [1e-4, 5e-7, 2.5e-5, 3, 0.05, 0.001, 1e7, -2e-4, 0.1, 1.5]) assert.equal(resolvePlain(formatFloat(n)), n);
  });

  it('quotes exactly the strings a YAML reader would read as something else', () => {
    for (const s of TRICKY) {
      const doc = parseYamlSubset(emitYaml([{ key: 'k', value: s }]));
      assert.deepEqual(doc, { k: s }, JSON.stringify(s));
    }
    assert.equal(formatString('meta-llama/Llama-3.1-8B-Instruct'), 'meta-llama/Llama-3.1-8B-Instruct');
    assert.equal(formatString('yes'), '"yes"');
    assert.equal(formatString('3'), '"3"');
  });

  it('round-trips nested maps, lists of maps and scalars, with comments and sections', () => {
    const value: YamlMap = {
      path: 'data.jsonl',
      type: { field_prompt: 'prompt', format: '{prompt}' },
      list: ['a', 'yes', 3],
      empty: [],
      none: {},
    };
    const text = emitYaml([
      { comment: 'header: with a colon' },
      { section: 'model' },
      { key: 'base_model', value: 'org/model', comment: 'a # inside' },
      { key: 'load_in_4bit', value: true },
      { key: 'nothing', value: null },
      { blank: true },
      { key: 'datasets', value: [value, { path: 'other.jsonl', ds_type: 'json' }] },
      { key: 'learning_rate', value: float(2e-4) },
      { key: 'num_epochs', value: float(3) },
      { key: 'steps', value: 10 },
      { key: 'ratio', value: 0.1 },
      { key: 'odd key', value: 'x' },
    ]);
    const expected = {
      base_model: 'org/model',
      load_in_4bit: true,
      nothing: null,
      datasets: [value, { path: 'other.jsonl', ds_type: 'json' }],
      learning_rate: 2e-4,
      num_epochs: 3,
      steps: 10,
      ratio: 0.1,
      'odd key': 'x',
    };
    assert.deepEqual(parseYamlSubset(text), expected);
    const py = pyYaml(text);
    if (py !== undefined) assert.deepEqual(py, expected);
  });

  it('PyYAML reads every tricky string back unchanged', function () {
    const lines = TRICKY.map((s, i) => ({ key: `k${i}`, value: s }));
    const py = pyYaml(emitYaml(lines));
    if (py === undefined) this.skip();
    assert.deepEqual(py, Object.fromEntries(TRICKY.map((s, i) => [`k${i}`, s])));
  });

  it('the subset reader refuses what it does not understand (so a bad emitter fails the tests)', () => {
    assert.throws(() => parseYamlSubset('a: 1\n  b: 2\n'));
    assert.throws(() => parseYamlSubset('a: [1, 2]\n'));
    assert.throws(() => parseYamlSubset('a: b: c\n'));
    assert.throws(() => parseYamlSubset('a: 1\na: 2\n'));
    assert.throws(() => parseYamlSubset('a: "open\n'));
    assert.throws(() => parseYamlSubset('a:\n\t- x\n'));
  });

  it('rejects values it cannot write', () => {
    assert.throws(() => emitYaml([{ key: 'n', value: Infinity }]));
    assert.throws(() => emitYaml([{ key: 'l', value: [['nested']] }]));
  });
});
