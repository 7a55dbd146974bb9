/**
 * Curation commands (the real `pairwise` bundle) on a Parquet input: their outputs named `.parquet`
 * (split's and dedupe's defaults keep the input's extension) are Parquet, not JSON Lines under a
 * Parquet name, and the dedupe report stays JSON Lines.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalJson } from '../../../src/core/base/canonicalJson';
import { readFileRecords } from '../../../src/core/jsonl/readRecords';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

async function rowsOf(file: string): Promise<string[]> {
  assert.equal(fs.readFileSync(file).subarray(0, 4).toString(), 'PAR1', `${file} is Parquet`);
  const out: string[] = [];
  for await (const item of readFileRecords(file)) {
    assert.equal(item.kind, 'record', item.kind === 'problem' ? `${file}: ${item.problem.message}` : '');
    if (item.kind === 'record') out.push(canonicalJson(item.value));
  }
  return out;
}

describe('curation commands on Parquet', function () {
  // A guard against a hang, not a time limit.
  this.timeout(120_000);
  let dir: string;
  let input: string;
  let rows: string[];
  before(() => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-pq-cur-'));
    const jsonl = path.join(dir, 'src.jsonl');
    // 40 records, 10 of them exact repeats of earlier ones.
    const records = Array.from({ length: 40 }, (_, i) => ({ instruction: `question ${i % 30}`, input: '', output: `answer ${i % 30}` }));
    fs.writeFileSync(jsonl, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    rows = records.map((r) => canonicalJson(r));
    input = path.join(dir, 'data.parquet');
    const c = run('convert', jsonl, '--to', 'alpaca', '-o', input);
    assert.equal(c.code, 0, c.out);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('split: data.train.parquet and data.validation.parquet are Parquet and hold every row once', async () => {
    const r = run('split', input, '--ratios', '0.8,0.2', '--seed', '3');
    assert.equal(r.code, 0, r.out);
    const train = await rowsOf(path.join(dir, 'data.train.parquet'));
    const validation = await rowsOf(path.join(dir, 'data.validation.parquet'));
    assert.equal(train.length, 32);
    assert.deepEqual([...train, ...validation].sort(), [...rows].sort());
  });

  it('dedupe: data.dedup.parquet keeps the first of each, the report is data.dedup-report.jsonl', async () => {
    const r = run('dedupe', input);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(await rowsOf(path.join(dir, 'data.dedup.parquet')), rows.slice(0, 30));
    const report = fs.readFileSync(path.join(dir, 'data.dedup-report.jsonl'), 'utf8').trim().split('\n');
    assert.equal(report.length, 10);
    assert.equal((JSON.parse(report[0]) as { duplicateOf: number }).duplicateOf, 0);
  });

  it('filter and sample: an output named .parquet is Parquet', async () => {
    const f = run('filter', input, '--regex', 'prompt:question 1', '-o', path.join(dir, 'f.parquet'));
    assert.equal(f.code, 0, f.out);
    const kept = await rowsOf(path.join(dir, 'f.parquet'));
    assert.deepEqual(kept, rows.filter((s) => s.includes('question 1')));
    const s = run('sample', input, '-n', '5', '--seed', '1', '-o', path.join(dir, 's.parquet'));
    assert.equal(s.code, 0, s.out);
    const sampled = await rowsOf(path.join(dir, 's.parquet'));
    assert.equal(sampled.length, 5);
    for (const x of sampled) assert.ok(rows.includes(x));
  });

  it('an indented JSON array into a Parquet output keeps every record; records that cannot be rows stop the command, writing nothing', async () => {
    // LLaMA-Factory's own demo files are arrays indented over several lines a record.
    const array = path.join(dir, 'demo.json');
    const records = [1, 2, 3].map((i) => ({ instruction: `q${i}`, input: '', output: `a${i}` }));
    fs.writeFileSync(array, JSON.stringify(records, null, 2) + '\n');
    for (const args of [['filter', array, '--min-tokens', '0', '-o'], ['sample', array, '-n', '3', '--seed', '1', '-o'], ['dedupe', array, '--out']]) {
      const out = path.join(dir, `demo.${args[0]}.parquet`);
      const r = run(...args, out);
      assert.equal(r.code, 0, r.out);
      assert.deepEqual((await rowsOf(out)).sort(), records.map((x) => canonicalJson(x)).sort(), args.join(' '));
    }
    // A torn line and a list kept by --has-problems have no place in Parquet: an error, no file.
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, [JSON.stringify(records[0]), '{"instruction": "q2", "output": ', '[1, 2]', JSON.stringify({ instruction: 'q4', output: 7 })].join('\n') + '\n');
    const f = run('filter', bad, '--has-problems', '-o', path.join(dir, 'bad.parquet'));
    assert.notEqual(f.code, 0, f.out);
    assert.match(f.out, /2 of the 3 records are not JSON objects, which Parquet cannot hold as rows; nothing was written to bad\.parquet/);
    assert.equal(fs.existsSync(path.join(dir, 'bad.parquet')), false);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('merge: a Parquet and a JSONL input into a Parquet output of the target format', async () => {
    const m = run('merge', input, path.join(dir, 'src.jsonl'), '--to', 'sharegpt', '-o', path.join(dir, 'm.parquet'));
    assert.equal(m.code, 0, m.out);
    const merged = await rowsOf(path.join(dir, 'm.parquet'));
    assert.equal(merged.length, 80);
    assert.deepEqual(JSON.parse(merged[0]), { conversations: [{ from: 'human', value: 'question 0' }, { from: 'gpt', value: 'answer 0' }] });
  });
});
