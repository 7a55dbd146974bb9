import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalOf } from '../../../src/core/formats/formatModule';
import { dedupeFile } from '../../../src/core/curate/dedupe';
import { HashIndex } from '../../../src/core/curate/hashIndex';
import { RecordOutput } from '../../../src/core/curate/recordOutput';
import { lshParams, MinHasher, signatureSimilarity } from '../../../src/core/curate/minhash';
import { fullText } from '../../../src/core/curate/recordText';
import { hash53, normalizedHash53, normalizedHash53Parts, normalizeText, SCRATCH_MAX_UNITS, storedTextHash, textHash53 } from '../../../src/core/curate/textHash';
import { getFormat } from '../../../src/core/formats/registry';
import { jsonl, readLines, tempDir } from './tmpDir';

/** Distinct words w0, w1, … so shingle sets have a known Jaccard similarity. */
function words(from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`w${i}x`);
  return out.join(' ');
}

const alpaca = (instruction: string, output: string) => ({ instruction, input: '', output });

describe('dedupe', () => {
  const tmp = tempDir('dedupe');
  after(() => tmp.cleanup());

  it('removes exact duplicates after whitespace and case normalisation, keeping the first', async () => {
    const lines = [
      JSON.stringify(alpaca('Name a colour', 'Red')),
      '{"instruction":  "name a   COLOUR", "input": "", "output": "red"}',
      JSON.stringify(alpaca('Name a fruit', 'Apple')),
      JSON.stringify(alpaca('Name a colour', 'Red')),
    ];
    const input = tmp.file('exact.jsonl', lines.join('\n') + '\n');
    const r = await dedupeFile(input);
    assert.equal(r.records, 4);
    assert.equal(r.kept, 2);
    assert.equal(r.exactDuplicates, 2);
    assert.deepEqual(readLines(r.out as string), [lines[0], lines[2]]);
    const report = readLines(r.report as string).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(report, [
      { record: 1, line: 2, kind: 'exact', duplicateOf: 0, duplicateOfLine: 1, similarity: 1 },
      { record: 3, line: 4, kind: 'exact', duplicateOf: 0, duplicateOfLine: 1, similarity: 1 },
    ]);
    // Without normalisation only the byte-identical copy goes.
    const strict = await dedupeFile(input, { normalize: { whitespace: false, case: false }, out: path.join(tmp.dir, 'strict.jsonl'), report: path.join(tmp.dir, 'strict.report.jsonl') });
    assert.deepEqual([strict.kept, strict.exactDuplicates], [3, 1]);
    assert.deepEqual(readLines(strict.out as string), [lines[0], lines[1], lines[2]]);
    // Whitespace only.
    const ws = await dedupeFile(input, { normalize: { whitespace: true, case: false }, dryRun: true });
    assert.deepEqual([ws.kept, ws.exactDuplicates, ws.out], [3, 1, undefined]);
  });

  it('on one thread, reports the same duplicates and lines after the index makes room for the file as before', async () => {
    // 3,000 records with a blank line every 50 (so a record's line is not its index + 1); from
    // record 500 on, every 7th repeats one of the first 200, read before the index and the line
    // table made room for the whole file. The parallel path on small ranges must say the same.
    const lines: string[] = [];
    const lineOf: number[] = [];
    const expected: { record: number; line: number; duplicateOf: number; duplicateOfLine: number }[] = [];
    for (let k = 0; k < 3000; k++) {
      if (k % 50 === 49) lines.push('');
      const dup = k >= 500 && k % 7 === 0 ? k % 200 : -1;
      lines.push(JSON.stringify(alpaca(dup >= 0 ? `Question ${dup}` : `Question ${k}`, dup >= 0 ? `Answer ${dup}` : `Answer ${k}`)));
      lineOf.push(lines.length);
      if (dup >= 0) expected.push({ record: k, line: lineOf[k], duplicateOf: dup, duplicateOfLine: lineOf[dup] });
    }
    const input = tmp.file('reserve.jsonl', lines.join('\n') + '\n');
    const one = await dedupeFile(input, { workers: 1, out: path.join(tmp.dir, 'reserve.one.jsonl'), report: path.join(tmp.dir, 'reserve.one.report.jsonl') });
    const report = readLines(one.report as string).map((l) => JSON.parse(l) as { record: number; line: number; duplicateOf: number; duplicateOfLine: number });
    assert.deepEqual(report.map(({ record, line, duplicateOf, duplicateOfLine }) => ({ record, line, duplicateOf, duplicateOfLine })), expected);
    assert.deepEqual([one.records, one.kept, one.exactDuplicates], [3000, 3000 - expected.length, expected.length]);
    const two = await dedupeFile(input, { workers: 2, chunkBytes: 16 * 1024, out: path.join(tmp.dir, 'reserve.two.jsonl'), report: path.join(tmp.dir, 'reserve.two.report.jsonl') });
    assert.deepEqual(readLines(two.report as string), readLines(one.report as string));
    assert.deepEqual(readLines(two.out as string), readLines(one.out as string));
  });

  it('compares canonical content, so the same conversation in two formats matches', () => {
    const a = canonicalOf(getFormat('alpaca'), { value: alpaca('Hi there', 'Hello') });
    const s = canonicalOf(getFormat('sharegpt'), { value: { conversations: [{ from: 'human', value: 'Hi there' }, { from: 'gpt', value: 'Hello' }] } });
    assert.ok(a && s);
    assert.equal(fullText(a), fullText(s));
  });

  it('estimates Jaccard similarity from MinHash signatures', () => {
    const h = new MinHasher(128, 1, 7);
    const sig = (t: string) => {
      const s = new Int32Array(128);
      h.signature(t, s);
      return s;
    };
    const base = sig(words(0, 100));
    // True Jaccard: 95/105 = 0.905, 67/133 = 0.504, 0.
    for (const [other, j] of [
      [words(5, 105), 95 / 105],
      [words(33, 133), 67 / 133],
      [words(200, 300), 0],
    ] as const) {
      const est = signatureSimilarity(base, 0, sig(other), 0, 128);
      assert.ok(Math.abs(est - j) < 0.1, `estimate ${est} for Jaccard ${j}`);
    }
    assert.equal(signatureSimilarity(base, 0, sig(words(0, 100)), 0, 128), 1);
  });

  it('chooses bands and rows below the threshold', () => {
    for (const t of [0.5, 0.8, 0.9]) {
      const { bands, rows } = lshParams(t, 128);
      assert.ok(bands * rows <= 128);
      // The S-curve's midpoint (1/b)^(1/r) sits below the threshold (it sat above it at 0.8 and 0.9,
      // so most pairs just above the threshold were never compared; nearRecall.test.ts measures it).
      const mid = (1 / bands) ** (1 / rows);
      assert.ok(mid < t && mid > t - 0.35, `b=${bands} r=${rows} for ${t}: 50% point ${mid}`);
    }
  });

  it('finds near-duplicate pairs and keeps distinct ones', async () => {
    const recs = [
      alpaca('Doc A', words(0, 100)), // 0
      alpaca('Doc A', words(5, 105)), // 1: Jaccard ≈ 0.9 with 0 → removed
      alpaca('Doc B', words(1000, 1100)), // 2: distinct
      alpaca('Doc A', words(33, 133)), // 3: ≈ 0.5 with 0 → kept
      alpaca('Doc C', words(2000, 2100)), // 4: distinct
    ];
    const input = tmp.file('near.jsonl', jsonl(recs));
    const r = await dedupeFile(input, { near: true, shingle: 1, threshold: 0.8, seed: 3 });
    assert.equal(r.exactDuplicates, 0);
    assert.equal(r.nearDuplicates, 1);
    assert.equal(r.kept, 4);
    assert.equal(r.removed[0].record, 1);
    assert.equal(r.removed[0].duplicateOf, 0);
    assert.equal(r.removed[0].kind, 'near');
    assert.ok(r.removed[0].similarity >= 0.8);
    assert.deepEqual(readLines(r.out as string).map((l) => (JSON.parse(l) as { instruction: string; output: string }).output.slice(0, 6)), ['w0x w1', 'w1000x', 'w33x w', 'w2000x']);
  });

  it('catches a one-word edit with the default 3-word shingles', async () => {
    const text = words(0, 200);
    const edited = text.replace('w100x', 'changed');
    const input = tmp.file('edit.jsonl', jsonl([alpaca('Essay', text), alpaca('Other', words(500, 700)), alpaca('Essay', edited)]));
    const r = await dedupeFile(input, { near: true, dryRun: true });
    assert.equal(r.nearDuplicates, 1);
    assert.equal(r.removed[0].record, 2);
    // True Jaccard of the 3-shingle sets: 195 / 201.
    assert.ok(Math.abs(r.removed[0].similarity - 195 / 201) < 0.08);
  });

  it('keeps the JSON array layout and unreadable records', async () => {
    const input = tmp.file('arr.json', '[\n  {"instruction": "a", "input": "", "output": "b"},\n  {"instruction": "A", "input": "", "output": "B"},\n  {"instruction": "c", "input": "", "output": "d"}\n]\n');
    const r = await dedupeFile(input);
    assert.equal(path.extname(r.out as string), '.json');
    const out = JSON.parse(fs.readFileSync(r.out as string, 'utf8')) as unknown[];
    assert.deepEqual(out, [alpaca('a', 'b'), alpaca('c', 'd')]);
    const bad = tmp.file('bad.jsonl', '{"instruction":"a","input":"","output":"b"}\nnot json\nnot json\n');
    const rb = await dedupeFile(bad, { dryRun: true });
    assert.deepEqual([rb.kept, rb.exactDuplicates, rb.comparedAsText], [2, 1, 2]);
  });

  it('leaves no output behind when cancelled, and never touches the input', async () => {
    const input = tmp.file('cancel.jsonl', jsonl([alpaca('a', 'b'), alpaca('a', 'b')]));
    const before = fs.readFileSync(input);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(dedupeFile(input, { signal: ac.signal, out: path.join(tmp.dir, 'never.jsonl') }), /cancelled/);
    assert.ok(!fs.existsSync(path.join(tmp.dir, 'never.jsonl')));
    assert.deepEqual(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), []);
    await dedupeFile(input);
    assert.deepEqual(fs.readFileSync(input), before);
  });
});

describe('normalised hashing', () => {
  it('hashes exactly as textHash53 of the normalised text', () => {
    const texts = ['  Hello\t\tWORLD \n', 'ÄÖÜ  straße\u00a0TEST', 'no-change', '', '   ', 'a\u2003b\u3000C', 'Ünïcödé\n\nLines  '];
    for (const t of texts) {
      for (const n of [{}, { whitespace: false }, { case: false }, { whitespace: false, case: false }]) {
        assert.equal(normalizedHash53(t, n), textHash53(normalizeText(t, n)), `${JSON.stringify(t)} ${JSON.stringify(n)}`);
      }
    }
    assert.notEqual(textHash53('a b'), textHash53('ab'));
    assert.notEqual(hash53('a b'), hash53('ab'));
  });

  it('the table-driven hash equals the reference on every kind of unit, and parts hash like their join', () => {
    // Capital sigma (context-dependent), dotted I (two units), Deseret (astral with case), emoji,
    // lone surrogates, Kelvin sign, Greek, Cyrillic, CJK, every Unicode space.
    const pieces = ['ΟΔΟΣ', 'Σ', 'İstanbul', '\u{10400}\u{10401}x', '😀 Smile', '\ud800', 'a\udc00b', '\u212a', 'ΑΒΓ', 'ПРИВЕТ', '数据 模型', ' \t\n', '\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff', 'ABC def', 'ǅ', 'ß', 'Ω'];
    let seed = 7;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % k;
    };
    for (let round = 0; round < 400; round++) {
      const parts = Array.from({ length: 1 + rand(3) }, () => Array.from({ length: rand(4) }, () => pieces[rand(pieces.length)]).join(rand(2) ? ' ' : ''));
      for (const n of [{}, { whitespace: false }, { case: false }, { whitespace: false, case: false }]) {
        const joined = parts.join('\n');
        assert.equal(normalizedHash53(joined, n), textHash53(normalizeText(joined, n)), `${JSON.stringify(joined)} ${JSON.stringify(n)}`);
        assert.equal(normalizedHash53Parts(parts, n), normalizedHash53(joined, n), `${JSON.stringify(parts)} ${JSON.stringify(n)}`);
      }
    }
  });
});

describe('storedTextHash', () => {
  it('gives the values every earlier version wrote into synthetic jobs\' progress files', () => {
    // A resumed job recognises the records it accepted by these: a new value would count none of
    // them and generate (and pay for) the whole target again. Values of 514191d's normalizedHash53.
    assert.equal(storedTextHash('  Hello\tWORLD  '), 3259054761512980);
    assert.equal(storedTextHash('Ünïcödé  straße ΟΔΟΣ\n数据'), 8868572012776770);
    assert.equal(storedTextHash('a b'), hash53(normalizeText('A\u3000 B ')));
  });
});

describe('textHash53', () => {
  it('the scratch path equals the reference at every length around its four lanes and padding', () => {
    // Lengths 0..40 cover every tail of the four lanes of pairs; a trailing NUL must not read as padding.
    let text = '';
    for (let len = 0; len <= 40; len++) {
      assert.equal(normalizedHash53(text, { whitespace: false, case: false }), textHash53(text), `length ${len}`);
      assert.notEqual(textHash53(text + '\0'), textHash53(text), `NUL after length ${len}`);
      text += String.fromCharCode(97 + (len % 26));
    }
  });

  it('keeps a million structured texts apart', () => {
    // Texts that differ in one unit, in the high unit of a pair, by a swap of pairs or by a lane's
    // word: what a weak word hash would fold together.
    const seen = new Set<number>();
    const texts = new Set<string>();
    const add = (s: string) => {
      seen.add(textHash53(s));
      texts.add(s);
    };
    for (let i = 0; i < 250_000; i++) add(String(i));
    for (let i = 0; i < 250_000; i++) add(`ab${String.fromCharCode(i & 0xffff)}d${String.fromCharCode(i >>> 16)}`);
    for (let i = 0; i < 250_000; i++) add('x'.repeat(i % 64) + String(i) + 'y'.repeat(i % 7));
    for (let i = 0; i < 250_000; i++) add(`${i % 500}:${Math.floor(i / 500)}`.padStart(12, ' '));
    assert.ok(texts.size > 999_000);
    assert.equal(seen.size, texts.size);
  });

  it('texts at the edge of the scratch, in it and just past it, hash as the reference says', () => {
    // The scratch is a constant of fixed size: the last texts it takes, the first it leaves to the
    // slow path, and texts past its end (16 units of padding room after the last it takes), where a
    // bound set too far would cut the copy. Whitespace runs and capitals throughout.
    const unit = 'Ab  c\t';
    for (const len of [SCRATCH_MAX_UNITS - 1, SCRATCH_MAX_UNITS, SCRATCH_MAX_UNITS + 1, SCRATCH_MAX_UNITS + 16, SCRATCH_MAX_UNITS + 17]) {
      const text = unit.repeat(Math.ceil(len / unit.length)).slice(0, len);
      assert.equal(text.length, len);
      assert.equal(normalizedHash53(text), textHash53(normalizeText(text)), `length ${len}`);
      // Two parts and the '\n' between them: the joined length crosses the edge too.
      assert.equal(normalizedHash53Parts([text.slice(0, -1), 'X']), textHash53(normalizeText(`${text.slice(0, -1)}\nX`)), `parts of length ${len}`);
      assert.equal(normalizedHash53(text, { case: false }), textHash53(normalizeText(text, { case: false })), `length ${len}, case kept`);
    }
    // A short text after the long ones: nothing of theirs left in the scratch changes its value.
    assert.equal(normalizedHash53('Short  TEXT'), textHash53('short text'));
  });

  it('a text longer than the scratch hashes as the reference says', () => {
    const big = 'Ab  c\t'.repeat(800_000);
    assert.equal(normalizedHash53(big), textHash53(normalizeText(big)));
    assert.equal(normalizedHash53Parts([big, 'X']), textHash53(normalizeText(`${big}\nX`)));
  });
});

describe('HashIndex', () => {
  it('keeps the first value per hash through growth, for keys above 2^32', () => {
    const idx = new HashIndex();
    const key = (i: number) => (i % 7919) * 4294967296 + ((i * 2654435761) >>> 0);
    for (let i = 0; i < 20000; i++) assert.equal(idx.setIfAbsent(key(i), i), i);
    assert.equal(idx.size, 20000);
    for (let i = 0; i < 20000; i++) assert.equal(idx.setIfAbsent(key(i), 99999), i);
    // Same low 32 bits, different high bits: distinct keys.
    assert.equal(idx.setIfAbsent(4294967296 * 5000 + 1, 1), 1);
    assert.equal(idx.get(4294967296 * 5001 + 1), -1);
    assert.equal(idx.get(key(123)), 123);
  });
  it('keeps every entry through a reserve, before and after values are in', () => {
    const idx = new HashIndex();
    for (let i = 0; i < 3000; i++) idx.setIfAbsent(i * 1e6 + 0.5, i);
    idx.reserve(100_000);
    for (let i = 0; i < 3000; i++) assert.equal(idx.get(i * 1e6 + 0.5), i);
    for (let i = 3000; i < 100_000; i++) assert.equal(idx.setIfAbsent(i * 1e6 + 0.5, i), i);
    idx.reserve(10); // never shrinks
    assert.equal(idx.size, 100_000);
    for (let i = 0; i < 100_000; i += 97) assert.equal(idx.get(i * 1e6 + 0.5), i);
  });
});

describe('RecordOutput', () => {
  it('writes every byte of many flushes in order, the buffers of completed writes reused', async () => {
    const tmp = tempDir('output');
    const target = path.join(tmp.dir, 'out.jsonl');
    const out = await RecordOutput.open(target);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Lengths from 1 to ~3 KB, so flushes fall at every position in a record.
      const line = JSON.stringify({ i, text: String.fromCharCode(97 + (i % 26)).repeat((i * 7919) % 3000) });
      lines.push(line);
      out.addBytes(Buffer.from(line));
      if (out.needsFlush) await out.flush();
    }
    await out.commit();
    assert.equal(fs.readFileSync(target, 'utf8'), lines.join('\n') + '\n');
    assert.ok(lines.join('').length > 20 * (1 << 20), 'over 20 flushes');
    tmp.cleanup();
  });
});
