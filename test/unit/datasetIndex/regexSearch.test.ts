import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRecordIndex } from '../../../src/core/datasetIndex/fileRecordIndex';
import { TextRecordIndex } from '../../../src/core/datasetIndex/textRecordIndex';
import { AbortedError } from '../../../src/core/base/cancellation';

// A pattern that backtracks exponentially on a long run of word characters with no match at its end.
const CATASTROPHIC = '(\\w+\\s?)+$';
const hostile = { instruction: 'a'.repeat(60) + '!', input: '', output: 'x' };

function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** How long this thread was blocked at worst while `work` ran (timer lateness, sampled every 10 ms). */
async function worstStall(work: Promise<unknown>): Promise<number> {
  let worst = 0;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  try {
    await work.catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return worst;
}

describe('datasetIndex: regular-expression search in a worker', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-regex-'));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const records = [
    { instruction: 'Name a colour', input: '', output: 'Blue' },
    { instruction: 'Add one and one', input: '', output: 'Two, said the Parrot' },
    hostile,
    { instruction: 'Say hi', input: '', output: 'hi again' },
  ];

  it('finds what the in-thread search finds, with column filters and case', async () => {
    const idx = TextRecordIndex.build(jsonl(records), 'a.jsonl');
    for (const q of [
      { search: '\\b(blue|hi)\\b', regex: true },
      { search: 'parrot$', regex: true },
      { search: 'Parrot$', regex: true, caseSensitive: true },
      { search: 'parrot$', regex: true, caseSensitive: true },
      { search: '^a{60}', regex: true, maxChars: 40 },
    ]) {
      assert.deepEqual(await idx.query(q), idx.querySync(q), JSON.stringify(q));
    }
    assert.deepEqual((await idx.query({ search: '\\b(blue|hi)\\b', regex: true })).matches, [0, 3]);
    assert.match((await idx.query({ search: '(', regex: true })).error ?? '', /Invalid regular expression/);

    const file = path.join(dir, 'a.jsonl');
    await fsp.writeFile(file, jsonl(records));
    const fidx = FileRecordIndex.open(file);
    assert.deepEqual((await fidx.query({ search: '\\b(blue|hi)\\b', regex: true })).matches, [0, 3]);
    assert.deepEqual((await fidx.query({ search: 'AGAIN$', regex: true, caseSensitive: true })).matches, []);
    await fidx.close();
  });

  it('keeps this thread responsive on a backtracking pattern, and a cancellation stops it at once', async () => {
    const idx = TextRecordIndex.build(jsonl(records), 'b.jsonl');
    const ctl = new AbortController();
    const started = Date.now();
    const search = idx.query({ search: CATASTROPHIC, regex: true }, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 300);
    const stall = await worstStall(search);
    await assert.rejects(search, AbortedError);
    assert.ok(Date.now() - started < 5000, `cancelled after ${Date.now() - started} ms`);
    assert.ok(stall < 250, `this thread stalled ${stall} ms`);

    const file = path.join(dir, 'b.jsonl');
    await fsp.writeFile(file, jsonl(records));
    const fidx = FileRecordIndex.open(file);
    await fidx.query({ search: 'warm up the index' });
    const ctl2 = new AbortController();
    const fsearch = fidx.query({ search: CATASTROPHIC, regex: true }, { signal: ctl2.signal });
    setTimeout(() => ctl2.abort(), 300);
    const fstall = await worstStall(fsearch);
    await assert.rejects(fsearch, AbortedError);
    assert.ok(fstall < 250, `this thread stalled ${fstall} ms on the file index`);
    await fidx.close();
  });
});
