/**
 * No character of a dataset name, a path, a model id or a wandb project can become a YAML key or
 * Python code. YAML 1.1 readers (PyYAML, which LLaMA-Factory and Axolotl use) end lines at U+0085,
 * U+2028 and U+2029 as well as \n and \r; the writers stripped only \r and \n, so a dataset named
 * with one of them injected `deepspeed`, `adapter_name_or_path`, `push_to_hub: true` and
 * `trust_remote_code: true`. Every file is parsed back (the `yaml` library in its YAML 1.1 mode,
 * PyYAML where python3 has it, Python's ast) and compared with the same plan made with tame names.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'yaml';
import { planTrainingConfig, TrainConfigError, type TrainConfigOptions, type TrainingPlan } from '../../../src/core/trainConfig';

/** Every code point a YAML or Python reader may take for the end of a line. */
const BREAKS = ['\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];
const name = (b: string) => `x${b}deepspeed: ds.json${b}push_to_hub: true${b}adapter_name_or_path: "evil" # 'q'${b}trust_remote_code: true${b}- a: b${b}🙂`;

const CASES: { trainer: TrainConfigOptions['trainer']; method: TrainConfigOptions['method']; format: TrainConfigOptions['format'] }[] = [
  { trainer: 'llamafactory', method: 'sft', format: 'alpaca' },
  { trainer: 'llamafactory', method: 'dpo', format: 'sharegpt-preference' },
  { trainer: 'axolotl', method: 'sft', format: 'alpaca' },
  { trainer: 'axolotl', method: 'dpo', format: 'sharegpt-preference' },
  { trainer: 'trl', method: 'sft', format: 'alpaca' },
  { trainer: 'trl', method: 'dpo', format: 'sharegpt-preference' },
];

function plan(c: (typeof CASES)[number], strings: { dir: string; file: string; model: string; wandb: string }): TrainingPlan {
  return planTrainingConfig({ ...c, dataset: path.join('/data', strings.dir, `${strings.file}.jsonl`), outDir: '/out/run', model: strings.model, wandbProject: strings.wandb, pairwiseVersion: '9.9.9', generatedAt: '2025-01-01T00:00:00.000Z' });
}

const posix = (p: string) => p.split(path.sep).join('/');
const trainingRel = (p: TrainingPlan) => posix(path.relative(p.outDir, p.dataset.trainingFile));

/** Every key path of a parsed document (`datasets.0.path`), sorted. */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => keyPaths(x, `${prefix}${i}.`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [prefix + k, ...keyPaths(x, `${prefix}${k}.`)]).sort();
  return [];
}

function runPython(script: string, input: unknown): unknown[] | undefined {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as unknown[];
}

const PY_YAML = `
import json, sys, yaml
out = []
for t in json.load(sys.stdin):
    try:
        out.append(yaml.safe_load(t))
    except yaml.YAMLError as e:
        out.append({"__error__": str(e)})
print(json.dumps(out))
`;
const PY_AST = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    tree = ast.parse(src)
    got = {"statements": len(tree.body)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "MODEL_ID":
                got["model"] = ast.literal_eval(node.value)
            if node.targets[0].id == "DATA_FILE":
                got["data"] = ast.literal_eval(node.value.right)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and getattr(node.value.func, "attr", "") == "setdefault":
            got["wandb"] = ast.literal_eval(node.value.args[1])
    out.append(got)
print(json.dumps(out))
`;

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;

interface YamlCheck {
  text: string;
  tame: unknown;
  expect: { model: string; wandb: string; path: string; trainer: string };
  label: string;
}

describe('trainConfig: names with line breaks, quotes and comment marks stay values', function () {
  this.timeout(60000);

  it('every line-break code point in a dataset name, a folder, a model id and a wandb project: the same keys, the values back exactly', () => {
    const yamlChecks: YamlCheck[] = [];
    const pyChecks: { text: string; tame: string; expect: { model: string; wandb: string; data: string }; label: string }[] = [];
    for (const b of BREAKS) {
      const evil = name(b);
      for (const c of CASES) {
        const label = `${c.trainer} ${c.method}, ${JSON.stringify(b)}`;
        const tame = plan(c, { dir: 'd', file: 'x', model: 'org/m', wandb: 'p' });
        // One line: a model id or a project name with \n or \r is refused (they are names, not text).
        const lineBreak = b === '\n' || b === '\r';
        for (const field of ['model', 'wandb'] as const) {
          if (!lineBreak) continue;
          assert.throws(() => plan(c, { dir: 'd', file: 'x', model: 'org/m', wandb: 'p', [field]: `org/m${evil}` }), TrainConfigError, label);
        }
        const model = lineBreak ? 'org/m "x" # y: z' : `org/m${evil}`;
        const wandb = lineBreak ? 'p: "x" # y' : `p${evil}`;
        const p = plan(c, { dir: `d${evil}`, file: `f${evil}`, model, wandb });
        const rel = trainingRel(p);
        assert.equal(p.files.length, tame.files.length, label);
        p.files.forEach((f, i) => {
          // YAML and Python: printable ASCII and \n only, so no byte any reader could take for
          // another line break (dataset_info.json is JSON, whose readers break no line in a string).
          if (!f.path.endsWith('.json')) assert.match(f.content, /^[\x20-\x7e\n]*$/, `${label}: ${f.path}`);
          const t = tame.files[i];
          if (f.path.endsWith('.yaml')) yamlChecks.push({ text: f.content, tame: parse(t.content, { version: '1.1' }), expect: { model, wandb, path: rel, trainer: c.trainer }, label: `${label}: ${f.path}` });
          else if (f.path.endsWith('.py')) pyChecks.push({ text: f.content, tame: t.content, expect: { model, wandb, data: rel }, label: `${label}: ${f.path}` });
          else {
            const entry = (JSON.parse(f.content) as Record<string, { file_name: string }>)[p.files.find((x) => x.datasetInfo)!.datasetInfo!.name];
            assert.equal(entry.file_name, rel, label);
          }
        });
      }
    }

    const check = (doc: unknown, k: YamlCheck, reader: string) => {
      assert.deepEqual(keyPaths(doc), keyPaths(k.tame), `${k.label} (${reader}): keys`);
      const d = doc as Record<string, unknown>;
      if (k.expect.trainer === 'axolotl') {
        assert.equal(d.base_model, k.expect.model, `${k.label} (${reader})`);
        assert.equal(d.wandb_project, k.expect.wandb, `${k.label} (${reader})`);
        assert.equal((d.datasets as { path: string }[])[0].path, k.expect.path, `${k.label} (${reader})`);
      } else {
        assert.equal(d.model_name_or_path, k.expect.model, `${k.label} (${reader})`);
      }
    };
    for (const k of yamlChecks) check(parse(k.text, { version: '1.1' }), k, 'yaml');
    if (hasPyYaml) {
      const docs = runPython(PY_YAML, yamlChecks.map((k) => k.text));
      assert.ok(docs, 'PyYAML read every file');
      yamlChecks.forEach((k, i) => check(docs[i], k, 'PyYAML'));
    } else console.log('      (python3 has no yaml module: the PyYAML reading was not checked)');

    const asts = runPython(PY_AST, pyChecks.flatMap((k) => [k.text, k.tame]));
    assert.ok(asts, 'python3 parsed every script (ast.parse)');
    pyChecks.forEach((k, i) => {
      const got = asts[2 * i] as { statements: number; model: string; wandb: string; data: string };
      const tame = asts[2 * i + 1] as { statements: number };
      assert.equal(got.statements, tame.statements, `${k.label}: statements`);
      assert.deepEqual([got.model, got.wandb, got.data], [k.expect.model, k.expect.wandb, k.expect.data], k.label);
    });
    assert.equal(pyChecks.length, 2 * BREAKS.length);
  });
});
