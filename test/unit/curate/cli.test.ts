/** The curation subcommands of the real `pairwise` bundle (dist/cli.js), spawned as users run them. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, identityDataset, ktoDataset, preferenceDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';
import { jsonl, readLines, REPO_ROOT, tempDir } from './tmpDir';

const cli = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const alpaca = (i: number, instruction = `Question ${i}`) => ({ instruction, input: '', output: `Answer ${i}` });

describe('pairwise curation commands (dist/cli.js)', function () {
  this.timeout(120000);
  const tmp = tempDir('cli');
  before(() => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'ignore' });
  });
  after(() => tmp.cleanup());

  it('Ctrl-C cancels a filter stuck on a backtracking regular expression: exit 130, no output, no temporary file', async () => {
    const dir = path.join(tmp.dir, 'sigint');
    fs.mkdirSync(dir);
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(input, jsonl([alpaca(1), { instruction: 'a'.repeat(60) + '!', input: '', output: 'x' }, alpaca(2)]));
    const child = spawn(process.execPath, [cli, 'filter', '--regex', 'prompt:(\\w+\\s?)+$', input], { cwd: REPO_ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Once the worker is busy on the hostile record (the outputs' temporary files exist), interrupt.
    const deadline = Date.now() + 20000;
    while (!fs.readdirSync(dir).some((n) => n.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /cancelling filter/);
    assert.match(stderr, /filter cancelled; no output written/);
    assert.deepEqual(fs.readdirSync(dir), ['in.jsonl']);
  });

  it('refuses an output that is the input, or two outputs on one path, with exit 2 and the input unchanged', () => {
    const dir = path.join(tmp.dir, 'same-path');
    fs.mkdirSync(dir);
    const input = path.join(dir, 'in.jsonl');
    const text = jsonl([alpaca(1), alpaca(2), alpaca(1)]);
    fs.writeFileSync(input, text);
    for (const args of [
      ['sample', input, '-n', '1', '-o', input],
      ['filter', '--max-tokens', '3', '--out', input, input],
      ['dedupe', input, '--report', input],
      ['convert', input, '--to', 'sharegpt', '-o', input],
    ]) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /is an input; inputs are never overwritten/, args[0]);
    }
    const twice = run('filter', '--max-tokens', '3', '--out', path.join(dir, 'x.jsonl'), '--removed', path.join(dir, 'x.jsonl'), input);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /two outputs would be written to/);
    assert.equal(fs.readFileSync(input, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(dir), ['in.jsonl']);
  });

  it('stats --json: the full report with tokens, cost and label balance', () => {
    const prefs = preferenceDataset();
    const r = run('stats', '--json', '--context', '512', '--epochs', '2', '--price', 'gpt-4o-mini-2024-07-18=3', writeDataset(tmp.dir, prefs));
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.records, prefs.records.length);
    assert.equal(s.format, 'sharegpt-preference');
    assert.equal(s.contextLimit.limit, 512);
    assert.ok(s.contextLimit.over > 0);
    assert.equal(s.cost.epochs, 2);
    assert.equal(s.cost.costs[0].model, 'gpt-4o-mini-2024-07-18');
    assert.equal(s.preference.pairs, prefs.records.length);
    assert.equal(s.tokens.tokenizer, 'o200k_base');
    const md = path.join(tmp.dir, 'stats.md');
    const kto = ktoDataset();
    const human = run('stats', '--markdown', md, writeDataset(tmp.dir, kto));
    assert.equal(human.code, 0);
    const n = kto.records.length;
    const good = kto.records.filter((x) => x.label === true).length;
    assert.match(human.stdout, new RegExp(`records\\s+${n} \\(${n} valid\\)`));
    assert.match(human.stdout, new RegExp(`KTO labels: ${good} true, ${n - good} false`));
    assert.match(fs.readFileSync(md, 'utf8'), /<svg /);
    assert.equal(run('stats', '--tokens', 'maybe', md).code, 2);
  });

  it('stats on the corpus: the figures of LLaMA-Factory demo files', function () {
    needsCorpus(this);
    const r = run('stats', '--json', '--context', '512', '--epochs', '2', '--price', 'gpt-4o-mini-2024-07-18=3', llamaFactoryFile('dpo_en_demo.json'));
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.records, 300);
    assert.equal(s.preference.pairs, 300);
    assert.ok(s.contextLimit.over > 0);
    const human = run('stats', '--markdown', path.join(tmp.dir, 'corpus-stats.md'), llamaFactoryFile('kto_en_demo.json'));
    assert.equal(human.code, 0);
    assert.match(human.stdout, /records\s+300 \(300 valid\)/);
    assert.match(human.stdout, /KTO labels: 150 true, 150 false/);
  });

  it('dedupe: exact and near, kept file and report', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const input = tmp.file('d.jsonl', jsonl([alpaca(1), alpaca(2), { ...alpaca(1), instruction: 'QUESTION 1' }, { instruction: 'Essay', input: '', output: words }, { instruction: 'Essay', input: '', output: words.replace('word40', 'changed') }]));
    const exact = run('dedupe', input, '-o', path.join(tmp.dir, 'd.out.jsonl'), '--report', path.join(tmp.dir, 'd.rep.jsonl'));
    assert.equal(exact.code, 0, exact.stderr);
    assert.match(exact.stdout, /kept 4 of 5 records; removed 1 exact duplicate/);
    assert.equal(readLines(path.join(tmp.dir, 'd.out.jsonl')).length, 4);
    const near = run('dedupe', input, '--near', '--json', '-o', path.join(tmp.dir, 'd.near.jsonl'), '--report', path.join(tmp.dir, 'd.near.rep.jsonl'));
    const res = JSON.parse(near.stdout);
    assert.deepEqual([res.kept, res.exactDuplicates, res.nearDuplicates], [3, 1, 1]);
    assert.equal(readLines(path.join(tmp.dir, 'd.near.rep.jsonl')).length, 2);
    assert.equal(run('dedupe', input, '--threshold', '2').code, 2);
    assert.equal(run('dedupe', path.join(tmp.dir, 'missing.jsonl')).code, 2);
  });

  it('split, sample, filter', () => {
    const input = tmp.file('s.jsonl', jsonl(Array.from({ length: 40 }, (_, i) => alpaca(i, i % 2 ? `Question ${i}` : 'Shared'))));
    const sp = run('split', input, '--ratios', '0.75,0.25', '--seed', '3');
    assert.equal(sp.code, 0, sp.stderr);
    assert.equal(readLines(path.join(tmp.dir, 's.train.jsonl')).length, 30);
    assert.equal(readLines(path.join(tmp.dir, 's.validation.jsonl')).length, 10);
    const grouped = run('split', input, '--ratios', '0.5,0.5', '--group-by-prompt', '--names', 'a,b', '--json');
    const g = JSON.parse(grouped.stdout);
    const shared = g.splits.map((s: { path: string }) => readLines(s.path).filter((l) => l.includes('"Shared"')).length);
    assert.ok(shared.includes(0) && shared.includes(20));
    const badRatios = run('split', input, '--ratios', '0.5,0.6');
    assert.equal(badRatios.code, 2);
    // The core's ratio rule (checkRatios), as the extension's Split command applies it.
    assert.match(badRatios.stderr, /--ratios 0.5,0.6: ratios must sum to 1 \(they sum to 1.1\)/);
    assert.equal(run('split', input).code, 2);

    const sa = run('sample', input, '-n', '5', '--seed', '9', '-o', path.join(tmp.dir, 'five.jsonl'));
    assert.equal(sa.code, 0, sa.stderr);
    assert.equal(readLines(path.join(tmp.dir, 'five.jsonl')).length, 5);
    assert.equal(run('sample', input).code, 2);

    const fi = run('filter', input, '--regex', 'prompt:^shared$/i', '-o', path.join(tmp.dir, 'k.jsonl'), '--removed', path.join(tmp.dir, 'r.jsonl'));
    assert.equal(fi.code, 0, fi.stderr);
    assert.equal(readLines(path.join(tmp.dir, 'k.jsonl')).length, 20);
    assert.equal(readLines(path.join(tmp.dir, 'r.jsonl')).length, 20);
    const tok = run('filter', input, '--max-tokens', '3', '--json', '-o', path.join(tmp.dir, 'k2.jsonl'), '--removed', path.join(tmp.dir, 'r2.jsonl'));
    assert.ok(JSON.parse(tok.stdout).removedBy['max-tokens'] > 0);
    assert.equal(run('filter', input).code, 2);
    assert.equal(run('filter', input, '--regex', 'nowhere:x').code, 2);
    assert.equal(run('filter', input, '--has-problems', '--no-problems').code, 2);
  });

  it('merge: exit 0 written, 1 refused with no file', () => {
    const out = path.join(tmp.dir, 'm.jsonl');
    const ok = run('merge', writeDataset(tmp.dir, identityDataset()), writeDataset(tmp.dir, alpacaDataset()), '--to', 'sharegpt', '-o', out);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`merged ${identityDataset().records.length + alpacaDataset().records.length} records from 2 files into sharegpt`));
    const refusedOut = path.join(tmp.dir, 'refused.jsonl');
    const refused = run('merge', writeDataset(tmp.dir, toolCallDataset()), '--to', 'alpaca', '-o', refusedOut);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /merge refused/);
    assert.equal(fs.existsSync(refusedOut), false);
    assert.equal(run('merge', '--to', 'alpaca', '-o', out).code, 2);
    assert.equal(run('merge', out, '--to', 'nope', '-o', out).code, 2);
  });

  it('register: writes the entry, refuses an unloadable format with exit 1', () => {
    const data = writeDataset(tmp.dir, { ...preferenceDataset(), name: 'prefs.json' });
    const r = run('register', data, '--name', 'pairs');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'dataset_info.json'), 'utf8'));
    // The entry LLaMA-Factory's data/README.md gives for ShareGPT preference data.
    assert.deepEqual(doc.pairs, { file_name: 'prefs.json', ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } });
    const unpaired = tmp.file('u.jsonl', jsonl([{ prompt: 'p', completion: 'c', label: false }]));
    const bad = run('register', unpaired);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cannot load trl-unpaired .* --to llamafactory-kto/);
  });

  it('register: the entry of a corpus file is the one LLaMA-Factory ships', function () {
    needsCorpus(this);
    const sub = path.join(tmp.dir, 'corpus-register');
    fs.mkdirSync(sub);
    const data = path.join(sub, 'prefs.json');
    fs.copyFileSync(llamaFactoryFile('dpo_en_demo.json'), data);
    fs.chmodSync(data, 0o644);
    const r = run('register', data, '--name', 'dpo_en_demo');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(path.join(sub, 'dataset_info.json'), 'utf8'));
    const real = JSON.parse(fs.readFileSync(llamaFactoryFile('dataset_info.json'), 'utf8'));
    assert.deepEqual(doc.dpo_en_demo, { ...real.dpo_en_demo, file_name: 'prefs.json' });
  });
});
