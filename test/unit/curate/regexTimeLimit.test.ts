/**
 * The time bound on users' regular expressions: a catastrophic-backtracking pattern fails each place
 * a user's pattern runs (the Dataset View's search over document text and over a large file,
 * `filter --regex` in the core and in the real CLI) with "took longer than N s; simplify it", and
 * leaves nothing written; a long search of cheap tests is not cut short.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filterFileOffThread } from '../../../src/core/curate/filter';
import { REGEX_TIME_LIMIT_MS, RegexTimeLimitError } from '../../../src/core/curate/regexTimeLimit';
import { FileRecordIndex } from '../../../src/core/datasetIndex/fileRecordIndex';
import { TextRecordIndex } from '../../../src/core/datasetIndex/textRecordIndex';
import { jsonl, REPO_ROOT, tempDir } from './tmpDir';

/** `(a+)+$` backtracks exponentially on a run of a's that ends in something else: 2^40 steps here. */
const CATASTROPHIC = '(a+)+$';
const HOSTILE = 'a'.repeat(40) + 'b';
const LIMIT_MS = 400;

const records = [
  { instruction: 'Name a colour', input: '', output: 'Blue' },
  { instruction: HOSTILE, input: '', output: 'x' },
  { instruction: 'Say hi', input: '', output: 'hi again' },
];

async function timed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await p;
    return { ms: Date.now() - started, error: undefined };
  } catch (e) {
    return { ms: Date.now() - started, error: e };
  }
}

function assertTimeLimit(r: { ms: number; error: unknown }, limitMs: number): void {
  assert.ok(r.error instanceof RegexTimeLimitError, `expected the time bound, got ${String(r.error)}`);
  assert.equal(r.error.message, `The regular expression took longer than ${limitMs / 1000} s on one record; simplify it.`);
  assert.ok(r.ms >= limitMs, `stopped after ${r.ms} ms, before the bound`);
  // Unbounded, the pattern runs for hours; the margin is for a busy machine (starting and ending a worker).
  assert.ok(r.ms < limitMs + 30_000, `stopped after ${r.ms} ms`);
}

describe('regular expressions of users: the time bound', function () {
  this.timeout(120_000);
  const tmp = tempDir('regex-limit');
  after(() => tmp.cleanup());

  it('stops the Dataset View search over document text', async () => {
    const idx = TextRecordIndex.build(jsonl(records), 'a.jsonl');
    assertTimeLimit(await timed(idx.query({ search: CATASTROPHIC, regex: true }, { regexTimeLimitMs: LIMIT_MS })), LIMIT_MS);
    // The same pattern on records where it cannot backtrack still answers.
    assert.deepEqual((await idx.query({ search: 'a+$', regex: true }, { regexTimeLimitMs: LIMIT_MS })).matches, []);
  });

  it('stops the search over a large file', async () => {
    const file = tmp.file('b.jsonl', jsonl(records));
    const idx = FileRecordIndex.open(file);
    try {
      await idx.query({ search: 'warm up the index' });
      assertTimeLimit(await timed(idx.query({ search: CATASTROPHIC, regex: true }, { regexTimeLimitMs: LIMIT_MS })), LIMIT_MS);
    } finally {
      await idx.close();
    }
  });

  it('bounds each record, not the search: many tests well within the bound may take longer than it together', async () => {
    // `(a+)+b` on 20 a's and a c backtracks some 2^20 steps: tens of milliseconds per record, 200 records.
    const many = Array.from({ length: 200 }, (_, i) => ({ instruction: 'a'.repeat(20) + (i % 10 === 0 ? 'b' : 'c'), input: '', output: 'ok' }));
    const idx = TextRecordIndex.build(jsonl(many), 'c.jsonl');
    const limit = 1000;
    const started = Date.now();
    const r = await idx.query({ search: '(a+)+b', regex: true, caseSensitive: true }, { regexTimeLimitMs: limit });
    const ms = Date.now() - started;
    assert.equal(r.total, 20);
    assert.ok(ms > limit, `the search took ${ms} ms: too quick to show anything`);
  });

  it('stops filterFileOffThread, leaving no output and no temporary file', async () => {
    const sub = path.join(tmp.dir, 'filter');
    fs.mkdirSync(sub);
    const input = path.join(sub, 'in.jsonl');
    fs.writeFileSync(input, jsonl(records));
    const run = filterFileOffThread(input, { criteria: { regex: { field: 'prompt', pattern: new RegExp(CATASTROPHIC) } }, regexTimeLimitMs: LIMIT_MS });
    assertTimeLimit(await timed(run), LIMIT_MS);
    assert.deepEqual(fs.readdirSync(sub), ['in.jsonl']);
  });

  it(`stops \`pairwise filter --regex\` after ${REGEX_TIME_LIMIT_MS / 1000} s with exit code 2 and the message`, () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const sub = path.join(tmp.dir, 'cli');
    fs.mkdirSync(sub);
    const input = path.join(sub, 'in.jsonl');
    fs.writeFileSync(input, jsonl(records));
    const started = Date.now();
    const r = spawnSync(process.execPath, [cli, 'filter', '--regex', `prompt:${CATASTROPHIC}`, input], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 40_000 });
    const ms = Date.now() - started;
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`The regular expression took longer than ${REGEX_TIME_LIMIT_MS / 1000} s on one record; simplify it\\.`));
    assert.ok(ms >= REGEX_TIME_LIMIT_MS, `exited after ${ms} ms`);
    assert.deepEqual(fs.readdirSync(sub), ['in.jsonl']);
  });
});
