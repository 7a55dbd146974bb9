import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeStats, type StatsOptions, type StatsResult } from '../../../src/core/curate/computeStats';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaZhDataset, preferenceDataset, reasoningToolsDataset, textDataset, toolCallDataset, typedPartsDataset, writeDataset, type OwnDataset } from '../../support/ownDatasets';
import { tempDir } from './tmpDir';
import { statsRange, type StatsRangeJob, type StatsRangeResult } from '../../../src/core/curate/statsRange';
import { sampledHash } from '../../../src/core/validate/fileLevelRules';

async function assertSameReport(file: string, opts: StatsOptions, counts: number[]): Promise<StatsResult> {
  const one = await computeStats(file, { ...opts, workers: 1 });
  for (const n of counts) {
    const many = await computeStats(file, { ...opts, workers: n });
    assert.deepEqual(many, one, `${path.basename(file)} ${JSON.stringify(opts)} with ${n} workers`);
    // As the extension host runs it: every range on a worker.
    assert.deepEqual(await computeStats(file, { ...opts, workers: n, rangesOnThisThread: false }), one, `${path.basename(file)} ${JSON.stringify(opts)} with ${n} workers, none on this thread`);
    // Same rules in the same order too (the report is printed as JSON).
    assert.deepEqual(Object.keys(many.report.problems.byRule), Object.keys(one.report.problems.byRule));
  }
  return one;
}

describe('parallel statistics', function () {
  // A guard against a hang, not a time limit: every test starts several worker threads, each loading
  // the tokenizer, which takes seconds per thread on a busy two-core machine.
  this.timeout(180_000);
  const tmp = tempDir('pstats');
  after(() => tmp.cleanup());

  it('gives the single-thread report on JSON Lines files (typed parts, text, reasoning and tools), exact and estimated tokens', async () => {
    for (const ds of [typedPartsDataset(), textDataset(), reasoningToolsDataset()]) {
      const p = writeDataset(tmp.dir, ds);
      await assertSameReport(p, { tokenMode: 'exact' }, [3]);
      await assertSameReport(p, { tokenMode: 'estimate', contextLimit: 200, maxListed: 5 }, [2]);
    }
  });

  it('gives the single-thread report on the corpus JSON Lines files, exact and estimated tokens', async function () {
    needsCorpus(this);
    for (const name of ['v1_sft_demo.jsonl', 'c4_demo.jsonl', 'reason_tool_use_demo_50.jsonl']) {
      const p = llamaFactoryFile(name);
      await assertSameReport(p, { tokenMode: 'exact' }, [3]);
      await assertSameReport(p, { tokenMode: 'estimate', contextLimit: 200, maxListed: 5 }, [2]);
    }
  });

  it('gives the single-thread report with duplicates across ranges, invalid lines, CRLF, BOM and many sampled records', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      // Every 7th record repeats one of 50 early ones byte for byte (the duplicate rule), some with padding.
      const k = i % 7 === 0 ? i % 50 : i;
      const output = i % 13 === 0 ? `数据 ${k} 训练模型` : `Answer ${k} ${'word '.repeat(k % 40)}`;
      const rec = JSON.stringify({ instruction: `${['Explain', 'Write', 'List', 'Describe'][k % 4]} item ${k}`, input: k % 3 ? '' : `ctx ${k}`, output });
      lines.push(i % 4 === 0 ? rec + '\r' : i % 17 === 0 ? `  ${rec} ` : rec);
      if (i % 97 === 0) lines.push('');
      if (i % 401 === 0) lines.push('{"instruction": "cut off');
      if (i % 409 === 0) lines.push('[1, 2]');
      if (i % 431 === 0) lines.push(JSON.stringify({ instruction: 7, output: 'bad types' }));
    }
    const p = tmp.file('mixed.jsonl', '\ufeff' + lines.join('\n') + '\n');
    const r = await assertSameReport(p, { tokenMode: 'estimate', contextLimit: 30 }, [2, 3, 4]);
    assert.ok((r.report.problems.byRule['common/duplicate-record'] ?? 0) > 700, JSON.stringify(r.report.problems.byRule));
    assert.ok(r.report.tokens.exactRecords > 500 && r.report.tokens.exactRecords < r.report.validRecords, 'records sampled past the calibration set');
    await assertSameReport(p, { tokenMode: 'exact' }, [3]);
  });

  it('tells records whose sampled hashes collide apart by their bytes, across ranges', async () => {
    const base = JSON.stringify({ instruction: 'Describe the sea', input: '', output: 'wave '.repeat(120) });
    // Records of the same length as `base` with one letter changed where its sampled hash does not look.
    const variants: string[] = [];
    for (let i = 80; variants.length < 3 && i < base.length - 80; i++) {
      const v = base.slice(0, i) + 'W' + base.slice(i + 1);
      if (base[i] === 'w' && sampledHash(Buffer.from(v)) === sampledHash(Buffer.from(base))) variants.push(v);
    }
    assert.equal(variants.length, 3);
    // base 4 times, the variants 3, 2 and 1 times, spread over the file: 6 duplicates.
    const copies = [base, variants[0], variants[1], base, variants[2], variants[0], base, variants[1], variants[0], base];
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      if (i % 400 === 17) lines.push(copies[Math.floor(i / 400)]);
      else lines.push(JSON.stringify({ instruction: `Question ${i}`, input: '', output: `Answer ${i}` }));
    }
    const p = tmp.file('collisions.jsonl', lines.join('\n') + '\n');
    const r = await assertSameReport(p, { tokenMode: 'estimate' }, [2, 3, 4]);
    assert.equal(r.report.problems.byRule['common/duplicate-record'], 6, JSON.stringify(r.report.problems.byRule));
  });

  it('gives the single-thread report when the first range holds far fewer records than the rest', async () => {
    // Large records first, then many small ones: what the first range says of the file's size is
    // far too little, and the duplicate index grows as ranges come, keeping the earlier ones.
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(JSON.stringify({ instruction: `Essay ${i % 40}`, input: '', output: 'long text '.repeat(200) + (i % 40) }));
    for (let i = 0; i < 6000; i++) {
      const k = i % 5 === 0 ? i % 100 : i;
      lines.push(i % 997 === 0 ? lines[i % 40] : JSON.stringify({ instruction: `Q${k}`, input: '', output: `A${k}` }));
    }
    const p = tmp.file('dense-later.jsonl', lines.join('\n') + '\n');
    const r = await assertSameReport(p, { tokenMode: 'estimate' }, [2, 3]);
    // 20 repeated essays, 7 more copies of essays, and 1,198 small records of 20 kinds.
    assert.equal(r.report.problems.byRule['common/duplicate-record'], 20 + 7 + 1178, JSON.stringify(r.report.problems.byRule));
  });

  it('reserves room for a range\'s columns from its first MB, whether its later records are larger or smaller', async () => {
    // 3 MB of small records, 4 MB of large ones, 3 MB of small ones, cut in two at 5 MB: the first
    // range reserves far more room than its records fill, the second too little (its values spill
    // past the room). Both give the single-thread report.
    const small = (i: number) => JSON.stringify({ instruction: `Question ${i}?`, input: '', output: `Answer ${i % 7919}.` });
    const large = (i: number) => JSON.stringify({ instruction: `Essay ${i}`, input: 'topic', output: `${'long text '.repeat(90)}${i}` });
    const parts: string[] = [];
    let bytes = 0;
    let i = 0;
    for (const [make, mb] of [[small, 3], [large, 4], [small, 3]] as const) {
      for (const end = bytes + mb * 1024 * 1024; bytes < end; i++) {
        const line = make(i) + '\n';
        parts.push(line);
        bytes += Buffer.byteLength(line);
      }
    }
    const p = tmp.file('reserve.jsonl', parts.join(''));
    const size = fs.statSync(p).size;
    let cut = 0;
    for (const line of parts) {
      if (cut >= 5 * 1024 * 1024) break;
      cut += Buffer.byteLength(line);
    }
    const job = (range: { start: number; end: number }): StatsRangeJob => ({ job: 'statsRange', path: p, range, format: 'alpaca', exactTokens: false });
    const first = await statsRange(job({ start: 0, end: cut }));
    const second = await statsRange(job({ start: cut, end: size }));
    assert.equal(first.objHash.length + second.objHash.length, parts.length);
    assert.ok(first.objHash.buffer.byteLength > first.objHash.byteLength * 1.5, `room left in the first range: ${first.objHash.buffer.byteLength} for ${first.objHash.byteLength} bytes`);
    assert.equal(first.objHash.byteOffset, 0);
    assert.equal(second.objHash.buffer.byteLength, second.objHash.byteLength, 'the second range spilled: its values copied into a buffer of their own');
    await assertSameReport(p, { tokenMode: 'estimate' }, [2]);
  });

  it('gives the single-thread report when the calibration records of the token estimate span several ranges', async () => {
    // 1,200 records over 4 ranges: the file's first 500 valid ones end inside the second range.
    const lines: string[] = [];
    for (let i = 0; i < 1200; i++) lines.push(JSON.stringify({ instruction: `Summarize note ${i}`, input: '', output: `${i % 5 ? 'Notes' : '笔记'} ${'x'.repeat(i % 90)}` }));
    const p = tmp.file('calibration.jsonl', lines.join('\n') + '\n');
    const r = await assertSameReport(p, { tokenMode: 'estimate' }, [2, 4]);
    assert.ok(r.report.tokens.exactRecords >= 500 && r.report.tokens.exactRecords < 1200, String(r.report.tokens.exactRecords));
  });

  it('counts the calibration records of a later range only until the first range holds the file\'s', async () => {
    // 1,600 records; the first range ends at the 700th, past the file's 500 calibration records.
    const lines: string[] = [];
    for (let i = 0; i < 1600; i++) lines.push(JSON.stringify({ instruction: `Summarize note ${i}`, input: '', output: `Notes ${i}` }));
    const p = tmp.file('calibrated.jsonl', lines.join('\n') + '\n');
    const cut = Buffer.byteLength(lines.slice(0, 700).join('\n') + '\n');
    const size = fs.statSync(p).size;
    const job = (range: { start: number; end: number }, calibrated?: SharedArrayBuffer): StatsRangeJob => ({ job: 'statsRange', path: p, range, format: 'alpaca', exactTokens: false, calibrated });
    // Records whose messages were counted: those picked by offset, and the calibration ones counted here.
    const counted = (r: StatsRangeResult) => r.validIndex.filter((_, j) => r.msgTokens[r.msgStart[j]] > 0).length;
    const picked = (r: StatsRangeResult) => r.tokenSample.reduce((a, b) => a + b, 0);

    const flag = new SharedArrayBuffer(4);
    const later = await statsRange(job({ start: cut, end: size }, flag));
    assert.equal(counted(later), picked(later) + later.tokenSample.subarray(0, 500).filter((x) => x === 0).length, 'before the first range said so: its first 500 too');
    const firstRange = await statsRange(job({ start: 0, end: cut }, flag));
    assert.equal(new Int32Array(flag)[0], 1, 'the first range says it holds the calibration records');
    assert.equal(counted(firstRange), 500 + firstRange.tokenSample.subarray(500).reduce((a, b) => a + b, 0));
    const after = await statsRange(job({ start: cut, end: size }, flag));
    assert.equal(counted(after), picked(after), 'after it: only the picked records');
    assert.equal(counted(await statsRange(job({ start: cut, end: size }))), counted(later), 'without a shared flag, as before');
    assert.ok(picked(after) < 100 && counted(later) >= 500, `${picked(after)} ${counted(later)}`);
  });

  it('gives the single-thread report on array data as JSON Lines (multi-turn, tools), and falls back on preference data', async () => {
    const asJsonl = (ds: OwnDataset) => writeDataset(tmp.dir, { name: ds.name.replace(/\.json$/, '.jsonl'), records: ds.records });
    for (const ds of [toolCallDataset(), alpacaZhDataset(), preferenceDataset()]) await assertSameReport(asJsonl(ds), { tokenMode: 'estimate' }, [3]);
  });

  it('gives the single-thread report on corpus array data as JSON Lines (multi-turn, tools), and falls back on preference data', async function () {
    needsCorpus(this);
    for (const name of ['glaive_toolcall_en_demo.json', 'alpaca_zh_demo.json', 'dpo_en_demo.json']) {
      const records = JSON.parse(fs.readFileSync(llamaFactoryFile(name), 'utf8')) as unknown[];
      const p = tmp.file(name.replace(/\.json$/, '.jsonl'), records.map((x) => JSON.stringify(x)).join('\n') + '\n');
      await assertSameReport(p, { tokenMode: 'estimate' }, [3]);
    }
  });

  it('cancels by terminating the workers', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(JSON.stringify({ instruction: `q${i}`, input: '', output: 'a '.repeat(40) }));
    const p = tmp.file('big.jsonl', lines.join('\n') + '\n');
    const ac = new AbortController();
    // Cancelled at the first progress report, not after a delay: this thread now starts on its own
    // range at once, and on a fast machine the whole file could be done before a timer fires.
    let at = -1;
    const pending = computeStats(p, {
      workers: 3,
      signal: ac.signal,
      onProgress: (bytes) => {
        if (at < 0) at = bytes;
        ac.abort();
      },
    });
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.ok(at >= 0 && at < fs.statSync(p).size, `cancelled with ${at} of ${fs.statSync(p).size} bytes read`);
  });
});
