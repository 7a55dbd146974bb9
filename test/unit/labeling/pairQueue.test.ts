import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { pairCount, pairsOfRecord, toCandidatesRecord } from '../../../src/core/labeling/candidateRecord';
import { hashText, pairIdOf, promptHash, responseHash } from '../../../src/core/labeling/hashing';
import type { LabelPair } from '../../../src/core/labeling/pair';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');

async function allPairs(q: CandidatesPairQueue): Promise<LabelPair[]> {
  const n = await q.whenComplete();
  const out: LabelPair[] = [];
  for (let i = 0; i < n; i++) out.push((await q.get(i))!);
  return out;
}

const rec = (contents: string[]) =>
  toCandidatesRecord({ id: 'r', prompt: [{ role: 'user', content: 'p' }], responses: contents.map((c, i) => ({ model: `m${i}`, content: c })) });

describe('labeling: pair ids', () => {
  it('are prompt hash + sorted response hashes, whatever the order of the responses', () => {
    const p = promptHash([{ role: 'user', content: 'p' }]);
    const [x, y] = [responseHash('yes'), responseHash('no')];
    assert.equal(pairIdOf(p, x, y), pairIdOf(p, y, x));
    const [lo, hi] = [x, y].sort();
    assert.equal(pairIdOf(p, x, y), `${p}.${lo}.${hi}`);
    assert.equal(x, hashText('yes'));
    assert.equal(x.length, 16);
  });

  it('all: every unordered pair once, in i<j order; identical texts collapse', () => {
    const pairs = pairsOfRecord(rec(['A', 'B', 'C', 'A']), { strategy: 'all' });
    const models = pairs.map((p) => [p.a.model, p.b.model].sort().join('-'));
    assert.deepEqual(models, ['m0-m1', 'm0-m2', 'm1-m2']);
    for (const p of pairs) assert.ok(p.a.hash < p.b.hash);
    assert.equal(pairCount(3, 'all'), 3);
    assert.equal(pairCount(5, 'all'), 10);
    assert.equal(pairCount(5, 'adjacent'), 4);
    assert.equal(pairCount(1, 'all'), 0);
  });

  it('adjacent: n-1 pairs chaining a seeded shuffle; same seed same pairs, each response used', () => {
    const r = rec(['A', 'B', 'C', 'D', 'E']);
    const one = pairsOfRecord(r, { strategy: 'adjacent', seed: 's1' });
    const again = pairsOfRecord(r, { strategy: 'adjacent', seed: 's1' });
    assert.equal(one.length, 4);
    assert.deepEqual(one.map((p) => p.id), again.map((p) => p.id));
    // A chain: 5 distinct responses, each consecutive pair shares one response.
    const seen = new Set(one.flatMap((p) => [p.a.content, p.b.content]));
    assert.equal(seen.size, 5);
    for (let i = 1; i < one.length; i++) {
      const prev = new Set([one[i - 1].a.content, one[i - 1].b.content]);
      assert.ok(prev.has(one[i].a.content) || prev.has(one[i].b.content), `pair ${i} continues the chain`);
    }
    // Some other seed gives another chain (over 20 seeds, at least one differs).
    const differs = Array.from({ length: 20 }, (_, k) => pairsOfRecord(r, { strategy: 'adjacent', seed: `t${k}` }).map((p) => p.id).join()).some(
      (ids) => ids !== one.map((p) => p.id).join(),
    );
    assert.ok(differs);
  });

  it('rejects malformed records with the field named', () => {
    assert.throws(() => toCandidatesRecord([]), /JSON object/);
    assert.throws(() => toCandidatesRecord({ prompt: [{ role: 'robot', content: 'x' }], responses: [] }), /prompt\[0\]\.role/);
    assert.throws(() => toCandidatesRecord({ prompt: 'x', responses: [{ content: 5 }] }), /responses\[0\]\.content/);
  });
});

describe('labeling: CandidatesPairQueue', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-queue-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('indexes a candidates file: 3+1+3+6 pairs, bad lines reported by line number', async () => {
    const q = await CandidatesPairQueue.open(path.join(fixtures, 'small.candidates.jsonl'), { strategy: 'all' });
    const pairs = await allPairs(q);
    assert.equal(pairs.length, 13);
    assert.deepEqual(
      pairs.map((p) => p.origin?.recordId),
      ['q1', 'q1', 'q1', 'q2', 'q3', 'q3', 'q3', 'q4', 'q4', 'q4', 'q4', 'q4', 'q4'],
    );
    assert.equal(pairs[3].origin?.line, 2);
    assert.equal(pairs[4].origin?.line, 6);
    assert.deepEqual(pairs[3].prompt, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    assert.deepEqual(new Set([pairs[3].a.content, pairs[3].b.content]), new Set(['Paris', 'Lyon']));
    assert.deepEqual(q.problems().map((p) => p.line), [3, 4, 7]);
    assert.match(q.problems()[0].message, /not valid JSON/);
    assert.match(q.problems()[1].message, /fewer than two/);
    assert.equal(await q.get(13), undefined);
    assert.equal(await q.get(-1), undefined);
    await q.close();
  });

  it('a file cut short after it was indexed: a pair past the end is an error saying so, not a parse of zeros', async () => {
    const file = path.join(dir, 'cut.candidates.jsonl');
    await fsp.copyFile(path.join(fixtures, 'small.candidates.jsonl'), file);
    const q = await CandidatesPairQueue.open(file, { strategy: 'all' });
    assert.equal(await q.whenComplete(), 13);
    await fsp.truncate(file, 10);
    await assert.rejects(q.get(12), /The file changed while it was read/);
    await q.close();
  });

  it('the adjacent strategy yields 2+1+2+3 pairs', async () => {
    const q = await CandidatesPairQueue.open(path.join(fixtures, 'small.candidates.jsonl'), { strategy: 'adjacent', seed: 'x' });
    assert.equal(await q.whenComplete(), 8);
    await q.close();
  });

  it('pair ids survive reordering, CRLF, a BOM and a missing final newline', async () => {
    const a = await CandidatesPairQueue.open(path.join(fixtures, 'small.candidates.jsonl'));
    const b = await CandidatesPairQueue.open(path.join(fixtures, 'reordered.candidates.jsonl'));
    const ia = (await allPairs(a)).map((p) => p.id).sort();
    const ib = (await allPairs(b)).map((p) => p.id).sort();
    assert.deepEqual(ib, ia);
    assert.deepEqual(b.problems(), []);
    await a.close();
    await b.close();
  });

  it('reads lines across chunk boundaries and skips a line over the cap', async () => {
    const p = path.join(dir, 'c.jsonl');
    const long = { id: 'long', prompt: 'x', responses: [{ model: 'a', content: 'y'.repeat(5000) }, { model: 'b', content: 'z' }] };
    const ok = (i: number) => ({ id: `k${i}`, prompt: `prompt ${i}`, responses: [{ model: 'a', content: `a${i}` }, { model: 'b', content: `b${i}` }] });
    await fsp.writeFile(p, [ok(1), long, ok(2), ok(3)].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const q = await CandidatesPairQueue.open(p, { chunkBytes: 64, maxLineBytes: 1024 });
    const pairs = await allPairs(q);
    assert.deepEqual(pairs.map((x) => x.origin?.recordId), ['k1', 'k2', 'k3']);
    assert.deepEqual(q.problems(), [{ line: 2, message: 'line longer than 1024 bytes; skipped' }]);
    await q.close();
    const q2 = await CandidatesPairQueue.open(p, { chunkBytes: 64 });
    assert.deepEqual((await allPairs(q2)).map((x) => x.origin?.recordId), ['k1', 'long', 'k2', 'k3']);
    await q2.close();
  });

  it('survives binary garbage with a clear problem and no pairs', async () => {
    const p = path.join(dir, 'bin.jsonl');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251; // includes 0x0a now and then
    await fsp.writeFile(p, bytes);
    const q = await CandidatesPairQueue.open(p, { maxProblems: 5 });
    assert.equal(await q.whenComplete(), 0);
    const probs = q.problems();
    assert.equal(probs.length, 6);
    assert.match(probs[5].message, /more problems not listed/);
    await q.close();
  });

  it('gives the first pair before the whole file is indexed', async () => {
    const p = path.join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) lines.push(JSON.stringify({ id: `r${i}`, prompt: `prompt ${i}`, responses: [{ model: 'a', content: 'a'.repeat(500) + i }, { model: 'b', content: 'b'.repeat(500) + i }] }));
    await fsp.writeFile(p, lines.join('\n') + '\n');
    const q = await CandidatesPairQueue.open(p, { chunkBytes: 16 * 1024 });
    const first = await q.get(0);
    assert.equal(first?.origin?.recordId, 'r0');
    assert.equal(q.complete, false, 'index still running when the first pair arrived');
    assert.ok(q.known < 4000);
    assert.equal(await q.whenComplete(), 4000);
    assert.equal((await q.get(3999))?.origin?.recordId, 'r3999');
    await q.close();
  });

  it('findNext skips excluded pairs and stops only at included ones', async () => {
    const q = await CandidatesPairQueue.open(path.join(fixtures, 'small.candidates.jsonl'));
    const pairs = await allPairs(q);
    const exclude = new Set(pairs.slice(0, 5).map((p) => p.id));
    assert.equal(await q.findNext(0, 1, { exclude }), 5);
    assert.equal(await q.findNext(0, 1, { include: new Set([pairs[9].id, pairs[11].id]) }), 9);
    assert.equal(await q.findNext(10, 1, { include: new Set([pairs[9].id, pairs[11].id]) }), 11);
    assert.equal(await q.findNext(12, -1, { include: new Set([pairs[9].id]) }), 9);
    assert.equal(await q.findNext(12, 1, { include: new Set([pairs[9].id]) }), -1);
    assert.equal(await q.findNext(0, 1, { exclude: new Set(pairs.map((p) => p.id)) }), -1);
    await q.close();
  });
});
