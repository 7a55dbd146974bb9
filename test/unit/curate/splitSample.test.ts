import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { exactCounts, splitFile } from '../../../src/core/curate/split';
import { Reservoir, sampleFile } from '../../../src/core/curate/sample';
import { seededRandom } from '../../../src/core/base/random';
import { jsonl, readLines, tempDir } from './tmpDir';

const rec = (i: number, prompt = `question ${i}`) => ({ instruction: prompt, input: '', output: `answer ${i}` });

describe('split', () => {
  const tmp = tempDir('split');
  after(() => tmp.cleanup());

  it('computes exact counts with the remainder to the largest fractions', () => {
    assert.deepEqual(exactCounts(100, [0.95, 0.05]), [95, 5]);
    assert.deepEqual(exactCounts(10, [0.8, 0.1, 0.1]), [8, 1, 1]);
    // 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4 → 3, 2, 1 plus one for the .5
    assert.deepEqual(exactCounts(7, [0.5, 0.3, 0.2]), [4, 2, 1]);
    assert.deepEqual(exactCounts(0, [0.9, 0.1]), [0, 0]);
  });

  it('writes exact counts, every record once, in file order, reproducibly', async () => {
    const recs = Array.from({ length: 103 }, (_, i) => rec(i));
    const input = tmp.file('data.jsonl', jsonl(recs));
    const r = await splitFile(input, { ratios: [0.8, 0.1, 0.1], seed: 7 });
    // 103 × (0.8, 0.1, 0.1) = 82.4, 10.3, 10.3 → 82, 10, 10 and the one left to the largest fraction.
    assert.deepEqual(r.splits.map((s) => [s.name, s.records]), [['train', 83], ['validation', 10], ['test', 10]]);
    const parts = r.splits.map((s) => readLines(s.path));
    assert.ok(r.splits[0].path.endsWith('data.train.jsonl'));
    const all = parts.flat().map((l) => (JSON.parse(l) as { output: string }).output);
    assert.equal(new Set(all).size, 103);
    for (const p of parts) {
      const idx = p.map((l) => Number((JSON.parse(l) as { output: string }).output.split(' ')[1]));
      assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
    }
    const again = await splitFile(input, { ratios: [0.8, 0.1, 0.1], seed: 7 });
    assert.deepEqual(again.splits.map((s) => fs.readFileSync(s.path, 'utf8')), parts.map((p) => p.join('\n') + '\n'));
    const other = await splitFile(input, { ratios: [0.8, 0.1, 0.1], seed: 8, outDir: tmp.dir, names: ['a', 'b', 'c'] });
    assert.notDeepEqual(readLines(other.splits[1].path), parts[1]);
  });

  it('groups by prompt: no prompt in two splits', async () => {
    const recs = [];
    for (let g = 0; g < 60; g++) for (let k = 0; k < 1 + (g % 4); k++) recs.push(rec(recs.length, `Shared prompt number ${g}`));
    const input = tmp.file('grouped.jsonl', jsonl(recs));
    const r = await splitFile(input, { ratios: [0.5, 0.5], groupByPrompt: true, seed: 1 });
    assert.equal(r.groups, 60);
    const promptsOf = (p: string) => new Set(readLines(p).map((l) => (JSON.parse(l) as { instruction: string }).instruction));
    const a = promptsOf(r.splits[0].path);
    const b = promptsOf(r.splits[1].path);
    for (const p of a) assert.ok(!b.has(p), `${p} in both splits`);
    assert.equal(a.size + b.size, 60);
    assert.equal(r.splits[0].records + r.splits[1].records, recs.length);
    // Case and spacing do not make a different prompt.
    const input2 = tmp.file('grouped2.jsonl', jsonl([rec(0, 'Same  Prompt'), rec(1, 'same prompt'), ...Array.from({ length: 20 }, (_, i) => rec(i + 2))]));
    const r2 = await splitFile(input2, { ratios: [0.5, 0.5], groupByPrompt: true });
    const sides = r2.splits.map((s) => readLines(s.path).some((l) => /same prompt/i.test(l)));
    assert.equal(sides.filter(Boolean).length, 1);
  });

  it('keeps a JSON array input a JSON array', async () => {
    const input = tmp.file('arr.json', JSON.stringify([rec(0), rec(1), rec(2), rec(3)], null, 2));
    const r = await splitFile(input, { ratios: [0.5, 0.5] });
    assert.ok(r.splits[0].path.endsWith('arr.train.json'));
    const parsed = r.splits.map((s) => JSON.parse(fs.readFileSync(s.path, 'utf8')) as unknown[]);
    assert.deepEqual(parsed.map((p) => p.length), [2, 2]);
  });

  it('reports progress over both passes, rising to the file size', async () => {
    const input = tmp.file('progress.jsonl', jsonl(Array.from({ length: 30 }, (_, i) => rec(i))));
    const seen: [number, number][] = [];
    await splitFile(input, { ratios: [0.5, 0.5], onProgress: (b, t) => seen.push([b, t]) });
    const size = fs.statSync(input).size;
    assert.ok(seen.length >= 2);
    assert.deepEqual(seen[seen.length - 1], [size, size]);
    assert.ok(seen[0][0] <= size / 2 + 1);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0]);
  });

  it('refuses ratios that do not sum to 1', async () => {
    const input = tmp.file('x.jsonl', jsonl([rec(0)]));
    await assert.rejects(splitFile(input, { ratios: [0.9, 0.2] }), /sum to 1/);
    await assert.rejects(splitFile(input, { ratios: [1] }), /at least two/);
  });
});

describe('sample', () => {
  const tmp = tempDir('sample');
  after(() => tmp.cleanup());

  it('reservoir sampling is uniform (chi-square over seeded runs)', () => {
    // 20 items, 5 drawn, 4000 seeded runs: each item expected 1000 times.
    const items = 20;
    const k = 5;
    const runs = 4000;
    const hits = new Array<number>(items).fill(0);
    for (let s = 0; s < runs; s++) {
      const r = new Reservoir(k, seededRandom(s + 1));
      for (let i = 0; i < items; i++) r.offer(i);
      for (const x of r.taken()) hits[x]++;
    }
    const expected = (runs * k) / items;
    const chi2 = hits.reduce((a, h) => a + (h - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is 43.8.
    assert.ok(chi2 < 43.8, `chi-square ${chi2.toFixed(1)}, hits ${hits.join(',')}`);
    assert.equal(hits.reduce((a, b) => a + b, 0), runs * k);
  });

  it('samples N records, seeded, in original or sampled order', async () => {
    const input = tmp.file('data.jsonl', jsonl(Array.from({ length: 50 }, (_, i) => rec(i))));
    const a = await sampleFile(input, { n: 10, seed: 5 });
    const b = await sampleFile(input, { n: 10, seed: 5, out: `${tmp.dir}/b.jsonl` });
    assert.deepEqual(a.indexes, b.indexes);
    assert.deepEqual(a.indexes, [...a.indexes].sort((x, y) => x - y));
    assert.equal(new Set(a.indexes).size, 10);
    const lines = readLines(a.out);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { output: string }).output), a.indexes.map((i) => `answer ${i}`));
    const s = await sampleFile(input, { n: 10, seed: 5, order: 'sampled', out: `${tmp.dir}/s.jsonl` });
    assert.deepEqual([...s.indexes].sort((x, y) => x - y), a.indexes);
    assert.deepEqual(readLines(s.out).map((l) => (JSON.parse(l) as { output: string }).output), s.indexes.map((i) => `answer ${i}`));
    const all = await sampleFile(input, { n: 80, out: `${tmp.dir}/all.jsonl` });
    assert.equal(all.sampled, 50);
  });
});
