/** The real `pairwise` bundle, spawned as users and CI run it. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FORMAT_IDS } from '../../../src/core/formats/formatModule';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { identityDataset, preferenceDataset, textDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise CLI (dist/cli.js)', function () {
  // A guard against a hang, not a time limit: a test spawns the bundle up to 24 times, seconds each on a busy machine.
  this.timeout(180_000);
  let dir: string;

  before(() => {
    if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newest(path.join(root, 'src'))) {
      execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--version and --help', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(run('--version'), { code: 0, stdout: pkg.version + '\n', stderr: '' });
    const help = run('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /pairwise validate|validate \[--format ID\]/);
    assert.match(run('validate', '--help').stdout, /Exit codes: 0 no errors/);
  });

  it('validate: exit 0 on a clean file, with a summary', () => {
    const f = writeDataset(dir, identityDataset());
    const r = run('validate', f);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${f}: 40 records, alpaca (40 of 40 records look like alpaca): 0 errors, 0 warnings\n`);
  });

  it('validate: exit 1 with one "path:line:column severity rule message" line per problem', () => {
    const f = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(f, ['{"instruction":"a","output":"b"}', '{"instruction":"a","output":7}', '{"instruction": "x" "output": "y"}', '{"instruction":"a","output":"b"}'].join('\n') + '\n');
    const r = run('validate', f);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `${f}:2:29 error schema/type "output" must be a string, not the number 7`,
      `${f}:3:21 error jsonl/invalid-json Not valid JSON: expected ',' between items.`,
      `${f}:4:1 warning common/duplicate-record Exact duplicate of the record on line 1.`,
      `${f}: 4 records, alpaca (3 of 3 records look like alpaca): 2 errors, 1 warning`,
    ]);
  });

  it('validate: a file name with line breaks cannot forge a problem line (escaped where it is printed)', () => {
    for (const [brk, shown] of [['\n', '\\n'], ['\r', '\\r'], ['\u2028', '\\u2028'], ['\u0085', '\\u0085'], ['\v', '\\u000b']]) {
      const f = path.join(dir, `a${brk}forged.jsonl:1:1 error fake-rule planted${brk}b.jsonl`);
      fs.writeFileSync(f, '{"instruction":"a","output":7}\n');
      const r = run('validate', f);
      assert.equal(r.code, 1);
      const name = f.split(brk).join(shown);
      assert.deepEqual(r.stdout.split('\n'), [
        `${name}:1:29 error schema/type "output" must be a string, not the number 7`,
        `${name}: 1 record, alpaca (1 of 1 record looks like alpaca): 1 error, 0 warnings`,
        '',
      ], JSON.stringify(brk));
    }
  });

  it('a FIFO, a device or a folder given as a dataset is refused at once (exit 2), never read or waited on', function () {
    if (process.platform === 'win32') this.skip(); // no mkfifo
    const fifo = path.join(dir, 'pipe.jsonl');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // A FIFO with no writer blocked open(2) for good: every command hung.
    for (const args of [['validate'], ['stats'], ['dedupe'], ['convert', '--to', 'sharegpt'], ['split', '--ratios', '0.9,0.1'], ['filter', '--role', 'user']]) {
      const r = spawnSync(process.execPath, [cli, args[0], fifo, ...args.slice(1)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}${r.signal ?? ''}`);
      assert.match(r.stderr, /is a FIFO \(named pipe\): Pairwise reads datasets from regular files only/, args.join(' '));
    }
    assert.match(run('validate', '/dev/zero').stderr, /\/dev\/zero: is a device/);
    assert.match(run('validate', dir).stderr, /is a directory/);
  });

  it('validate --json prints exactly one JSON document of the documented shape', () => {
    const f = path.join(dir, 'j.jsonl');
    fs.writeFileSync(f, '{"instruction":"a","output":""}\n');
    const text = writeDataset(dir, textDataset());
    const r = run('validate', '--json', f, text);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(doc), ['files']);
    assert.deepEqual(doc.files[0], {
      path: f,
      format: 'alpaca',
      trainer: null,
      records: 1,
      problems: [{ line: 1, column: 29, endLine: 1, endColumn: 31, severity: 'warning', rule: 'common/empty-content', message: '"output" is empty: the trainer learns to answer with nothing' }],
    });
    assert.deepEqual(doc.files[1], { path: text, format: 'trl-text', trainer: null, records: 100, problems: [] });
  });

  it('validate --format forces the format', () => {
    const r = run('validate', '--format', 'sharegpt', '--json', writeDataset(dir, identityDataset()));
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.files[0].format, 'sharegpt');
    assert.equal(doc.files[0].problems.length, 40);
    assert.ok(doc.files[0].problems.every((p: { rule: string }) => p.rule === 'format/mixed-format'));
  });

  it('validate --workers N splits the file over N worker threads from the bundle, with the single-thread result', () => {
    // 2 000 records (about 150 KB, so two ranges), the second thousand repeating the first: duplicates across ranges.
    const file = path.join(dir, 'workers.jsonl');
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ instruction: `Question ${i % 1000}: ${'why '.repeat(10)}`, output: i === 1500 ? 7 : `Answer ${i % 1000}` }));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const one = run('validate', '--workers', '1', '--json', file);
    const two = run('validate', '--workers', '2', '--json', file);
    assert.equal(JSON.parse(one.stdout).files[0].problems.filter((p: { rule: string }) => p.rule === 'common/duplicate-record').length, 999);
    assert.equal(two.code, one.code, two.stderr);
    assert.deepEqual(JSON.parse(two.stdout), JSON.parse(one.stdout));
    const bad = run('validate', '--workers', '0', file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--workers/);
  });

  it('validate --trainer: severity follows the trainer that will read the file, and --json names it', () => {
    // TRL's tool-calling shape: arguments as an object and an assistant `thinking` key, both of which OpenAI fine-tuning rejects.
    const file = path.join(dir, 'trl-tools.jsonl');
    const rec = {
      messages: [
        { role: 'user', content: 'Set a timer for 10 minutes.' },
        { role: 'assistant', thinking: 'A timer call.', content: '', tool_calls: [{ type: 'function', function: { name: 'start_timer', arguments: { duration: 600 } } }] },
        { role: 'tool', name: 'start_timer', content: '600' },
        { role: 'assistant', content: 'Timer set.' },
      ],
      tools: [{ type: 'function', function: { name: 'start_timer', parameters: { type: 'object', properties: { duration: { type: 'integer' } }, required: ['duration'] } } }],
    };
    fs.writeFileSync(file, JSON.stringify(rec) + '\n');
    const none = run('validate', file);
    assert.equal(none.code, 0, none.stdout);
    assert.match(none.stdout, /warning tools\/arguments-object OpenAI fine-tuning wants the arguments of call "start_timer" as a JSON string; TRL, Axolotl, torchtune, LLaMA-Factory and xtuner take the object as it is/);
    assert.equal(run('validate', '--trainer', 'unsloth', file).code, 0);
    const openai = run('validate', '--trainer', 'openai', file);
    assert.equal(openai.code, 1);
    // OpenAI's three errors; the one warning is ms-swift's (it deletes thinking, tool_calls and name).
    assert.match(openai.stdout, /3 errors, 1 warning\n$/);
    assert.match(openai.stdout, /warning ms-swift\/dropped-message-key ms-swift deletes every message key but role, content and loss, so "thinking", "tool_calls", "name"/);
    const doc = JSON.parse(run('validate', '--trainer', 'trl', '--json', file).stdout);
    assert.equal(doc.files[0].trainer, 'trl');
    assert.deepEqual(doc.files[0].problems.map((p: { rule: string; severity: string; trainers?: string[] }) => [p.rule, p.severity, p.trainers]), [
      ['openai/unknown-message-key', 'warning', ['openai']],
      ['ms-swift/dropped-message-key', 'warning', ['ms-swift']],
      ['tools/arguments-object', 'warning', ['openai']],
    ]);
    const bad = run('validate', '--trainer', 'hf', file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown trainer "hf" for --trainer \(one of: openai, trl, llamafactory, axolotl, torchtune, ms-swift, xtuner\)/);
  });

  it('validate --config: the trainer a config names the file for, and why; configs that disagree leave no target', () => {
    const cfgDir = path.join(dir, 'configs-case');
    fs.mkdirSync(path.join(cfgDir, 'data'), { recursive: true });
    const data = path.join(cfgDir, 'data', 'tools.jsonl');
    // An answer masked with weight: 0 is trained by TRL (an error for TRL) and honoured by OpenAI.
    fs.writeFileSync(data, JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'draft', weight: 0 }, { role: 'user', content: 'again' }, { role: 'assistant', content: 'final' }] }) + '\n');
    const trl = path.join(cfgDir, 'train.py');
    fs.writeFileSync(trl, 'from trl import SFTTrainer\nfrom datasets import load_dataset\nds = load_dataset("json", data_files="data/tools.jsonl")\n');
    const ax = path.join(cfgDir, 'axolotl.yaml');
    fs.writeFileSync(ax, 'base_model: x\ndatasets:\n  - path: data/tools.jsonl\n    type: chat_template\n');
    const none = run('validate', data);
    assert.equal(none.code, 0, none.stdout);
    const byTrl = run('validate', '--config', trl, data);
    assert.equal(byTrl.code, 1, byTrl.stdout);
    assert.match(byTrl.stdout, /^.*tools\.jsonl: checked for TRL: named by .*train\.py line 3 \(TRL\)\n/);
    assert.match(byTrl.stdout, /error messages\/loss-mask-ignored/);
    const doc = JSON.parse(run('validate', '--config', trl, '--json', data).stdout);
    assert.equal(doc.files[0].trainer, 'trl');
    assert.match(doc.files[0].trainerReason, /^named by .*train\.py line 3 \(TRL\)$/);
    const both = JSON.parse(run('validate', '--config', trl, '--config', ax, '--json', data).stdout);
    assert.equal(both.files[0].trainer, null);
    assert.match(both.files[0].trainerReason, /^configs of different trainers name it: .*train\.py line 3 \(TRL\), .*axolotl\.yaml line 3 \(Axolotl\); no target/);
    // --trainer wins over the configs.
    assert.equal(JSON.parse(run('validate', '--config', trl, '--trainer', 'openai', '--json', data).stdout).files[0].trainer, 'openai');
    const missing = run('validate', '--config', path.join(cfgDir, 'nope.yaml'), data);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read --config .*nope\.yaml/);
  });

  it('stops quietly when the reader of its output goes away (pairwise validate big.jsonl | head -1)', async () => {
    const file = path.join(dir, 'many-problems.jsonl');
    fs.writeFileSync(file, Array.from({ length: 20000 }, (_, i) => JSON.stringify({ instruction: `q${i}`, output: '' })).join('\n') + '\n');
    const child = spawn(process.execPath, [cli, 'validate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, stderr);
    assert.ok(code === 141 || code === 0, `exit ${code}`);
  });

  it('exit 2, a message and no stack trace for bad usage or an unreadable file', () => {
    for (const args of [['validate'], ['validate', '--format', 'nope', 'x.jsonl'], ['validate', '--bogus', 'x'], ['frobnicate'], ['convert', 'x.jsonl'], []]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, args.join(' '));
    }
    const missing = run('validate', path.join(dir, 'missing.jsonl'));
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `pairwise: cannot read ${path.join(dir, 'missing.jsonl')}: no such file\n`);
    const isDir = run('stats', dir);
    assert.equal(isDir.code, 2);
    assert.match(isDir.stderr, /is a directory/);
  });

  it('convert: writes the target format, or refuses a lossy conversion with exit 1 and no file', () => {
    const out = path.join(dir, 'id.sharegpt.jsonl');
    const ok = run('convert', writeDataset(dir, identityDataset()), '--to', 'sharegpt', '-o', out);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /converted 40 of 40 records from alpaca to sharegpt/);
    assert.equal(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, 40);
    const lossyOut = path.join(dir, 'lossy.jsonl');
    const tools = writeDataset(dir, toolCallDataset());
    const refused = run('convert', tools, '--to', 'alpaca', '-o', lossyOut);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /tool_calls\.json:2: tools: alpaca has no tool definitions/);
    assert.match(refused.stderr, /conversion refused/);
    assert.equal(fs.existsSync(lossyOut), false);
    const allowed = run('convert', tools, '--to', 'alpaca', '-o', lossyOut, '--allow-lossy');
    assert.equal(allowed.code, 0);
    assert.ok(fs.existsSync(lossyOut));
  });

  it('stats: counts, format, problems by rule, turns and chars per role', () => {
    const prefs = preferenceDataset();
    const file = writeDataset(dir, prefs);
    const r = run('stats', '--json', file);
    assert.equal(r.code, 0);
    const s = JSON.parse(r.stdout);
    assert.equal(s.records, 120);
    assert.equal(s.format, 'sharegpt-preference');
    assert.deepEqual(s.problems.byRule, { 'common/duplicate-record': prefs.duplicates.length });
    assert.equal(s.validRecords, 120);
    assert.ok(s.turnsPerRecord.min >= 2 && s.turnsPerRecord.max >= s.turnsPerRecord.median && s.turnsPerRecord.median >= s.turnsPerRecord.min);
    for (const k of ['user', 'chosen assistant', 'rejected assistant']) {
      assert.ok(s.charsByRole[k].count > 0 && s.charsByRole[k].max >= s.charsByRole[k].mean && s.charsByRole[k].mean >= s.charsByRole[k].min, k);
    }
    const human = run('stats', file);
    assert.match(human.stdout, /records\s+120 \(120 valid\)/);
    assert.match(human.stdout, /turns\/record/);
  });

  it('on the corpus: validate, convert and stats give the figures of LLaMA-Factory demo files', function () {
    needsCorpus(this);
    const identity = llamaFactoryFile('identity.json');
    const v = run('validate', identity);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${identity}: 91 records, alpaca (91 of 91 records look like alpaca): 0 errors, 0 warnings\n`);
    const c4 = JSON.parse(run('validate', '--json', llamaFactoryFile('c4_demo.jsonl')).stdout);
    assert.deepEqual(c4.files[0], { path: llamaFactoryFile('c4_demo.jsonl'), format: 'trl-text', trainer: null, records: 300, problems: [] });
    const refused = run('convert', llamaFactoryFile('glaive_toolcall_en_demo.json'), '--to', 'alpaca', '-o', path.join(dir, 'corpus-lossy.jsonl'));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /glaive_toolcall_en_demo\.json:2: tools: alpaca has no tool definitions/);
    const s = JSON.parse(run('stats', '--json', llamaFactoryFile('dpo_en_demo.json')).stdout);
    assert.deepEqual([s.records, s.validRecords, s.problems.byRule], [300, 300, { 'common/duplicate-record': 5 }]);
  });

  it('formats: every id with an example record that validates as that format', () => {
    const r = run('formats', '--json');
    assert.equal(r.code, 0);
    const list = JSON.parse(r.stdout) as { id: string; example: unknown }[];
    assert.deepEqual(list.map((f) => f.id), [...FORMAT_IDS]);
    const human = run('formats');
    for (const f of list) assert.match(human.stdout, new RegExp(`^${f.id}  `, 'm'));
    const f = path.join(dir, 'examples.jsonl');
    for (const { id, example } of list) {
      // Ten copies: an OpenAI DPO file needs 10 examples; the copies are duplicates, warnings only.
      fs.writeFileSync(f, `${JSON.stringify(example)}\n`.repeat(10));
      const v = run('validate', '--json', '--format', id, f);
      assert.equal(v.code, 0, `${id}: ${v.stdout}`);
    }
  });
});
