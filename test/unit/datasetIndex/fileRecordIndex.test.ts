import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRecordIndex } from '../../../src/core/datasetIndex/fileRecordIndex';

function record(i: number): object {
  return { instruction: `Question ${i}: what is ${i} squared?`, input: '', output: i % 1000 === 7 ? `It is ${i * i}, said the zebra` : `It is ${i * i}.` };
}

describe('datasetIndex: FileRecordIndex', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-file-index-'));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('serves windows read back by byte range, searches and filters a streamed JSONL file', async () => {
    const n = 20_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(i === 5000 ? '{"instruction": "broken", "output": }' : JSON.stringify(record(i)));
    // Non-ASCII text before later records: windows must use byte offsets, not characters.
    lines[3] = JSON.stringify({ instruction: 'Ünïcödé ✓ 🎉', input: '', output: 'ok' });
    const file = path.join(dir, 'alpaca.jsonl');
    await fsp.writeFile(file, lines.join('\n') + '\n');
    const idx = FileRecordIndex.open(file);
    const first = await idx.cards([0, 1, 2, 3, 4]);
    assert.equal(first.length, 5);
    assert.deepEqual(first[0].value, record(0));
    assert.equal((first[3].value as { instruction: string }).instruction, 'Ünïcödé ✓ 🎉');
    await idx.completed;
    const s = idx.summary();
    assert.equal(s.records, n);
    assert.equal(s.format, 'alpaca');
    assert.equal(s.indexing.done, true);
    assert.ok(s.errors >= 1);
    const [late, broken] = await idx.cards([19_999, 5000]);
    assert.deepEqual(late.value, record(19_999));
    assert.equal(late.line, 20_000);
    assert.equal(broken.value, undefined);
    assert.equal(broken.text, lines[5000]);
    assert.equal(broken.problems[0].rule, 'jsonl/invalid-json');
    const zebra = await idx.query({ search: 'ZEBRA' });
    assert.deepEqual(zebra.matches, Array.from({ length: 20 }, (_, k) => k * 1000 + 7));
    const re = await idx.query({ search: 'is 10140[0-9]+,', regex: true });
    assert.deepEqual(re.matches, [1007]);
    assert.deepEqual((await idx.query({ hasErrors: true })).matches, [5000]);
    assert.deepEqual((await idx.query({ rule: 'jsonl/invalid-json', recordIndexes: [1, 5000] })).matches, [5000]);
    assert.match((await idx.query({ search: '[', regex: true })).error!, /Invalid regular expression/);
    await idx.close();
  });

  it('indexes a JSON array with elements over several lines', async () => {
    const file = path.join(dir, 'array.json');
    const recs = Array.from({ length: 50 }, (_, i) => record(i));
    await fsp.writeFile(file, JSON.stringify(recs, null, 2));
    const idx = FileRecordIndex.open(file);
    await idx.completed;
    assert.equal(idx.summary().records, 50);
    const [c] = await idx.cards([49]);
    assert.deepEqual(c.value, recs[49]);
    assert.equal(c.line, 2 + 49 * 5);
    await idx.close();
  });

  it('stops indexing when closed, and reports a missing file instead of throwing', async () => {
    const missing = FileRecordIndex.open(path.join(dir, 'nope.jsonl'));
    await missing.completed;
    assert.match(missing.summary().indexing.error!, /ENOENT/);
    assert.deepEqual(await missing.cards([0]), []);
    const file = path.join(dir, 'closing.jsonl');
    await fsp.writeFile(file, Array.from({ length: 30_000 }, (_, i) => JSON.stringify(record(i))).join('\n'));
    const idx = FileRecordIndex.open(file);
    await idx.close();
    assert.equal(idx.isComplete, true);
    assert.equal(idx.summary().indexing.error, undefined);
  });
});
