/**
 * Validation on worker threads gives exactly the single-thread result: the same problems in the
 * same order at the same positions (lines, columns, UTF-16 offsets, record indexes), the same
 * counts per rule in the same order, and the same list cut. Files are cut at line starts into
 * ranges; the file-level rules (duplicates, contradictions) relate records across ranges.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { AbortedError } from '../../../src/core/base/cancellation';
import { lineAlignedRanges } from '../../../src/core/curate/fileRanges';
import { validateFileInParallel } from '../../../src/core/curate/parallelValidate';
import { validateRange } from '../../../src/core/curate/validateRange';
import { detectAsValidation } from '../../../src/core/curate/parallelStats';
import { detectFileFormat } from '../../../src/core/curate/datasetScan';
import { validateFile, type ValidateOptions, type ValidationResult } from '../../../src/core/validate/pipeline';
import { ktoDataset, ownCorpus, preferenceDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';
import { tempDir } from './tmpDir';

async function assertSame(file: string, opts: ValidateOptions, workers: number[]): Promise<ValidationResult> {
  const one = await validateFile(file, opts);
  // One range per thread, and many small ranges taken in turn (what a large file gets).
  for (const [n, chunkBytes] of workers.flatMap((n): [number, number | undefined][] => [[n, undefined], [n, 16 * 1024]])) {
    const many = await validateFileInParallel(file, { ...opts, workers: n, chunkBytes });
    const what = `${path.basename(file)} ${JSON.stringify(opts)} on ${n} threads, ranges of ${chunkBytes ?? 'the default'} bytes`;
    assert.equal(many.problems.length, one.problems.length, what);
    for (let i = 0; i < one.problems.length; i++) assert.deepEqual(many.problems[i], one.problems[i], `${what}: problem ${i}`);
    assert.deepEqual(many, one, what);
    // The same rules in the same order (the CLI prints them as JSON).
    assert.deepEqual(Object.keys(many.problemCounts), Object.keys(one.problemCounts), what);
    // As the extension host runs it: every range on a worker.
    if (chunkBytes) assert.deepEqual(await validateFileInParallel(file, { ...opts, workers: n, chunkBytes, rangesOnThisThread: false }), one, `${what}, none on this thread`);
  }
  return one;
}

/** Records of one shape with, spread over the file, what the validator reports. */
function mixedLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    // Every 7th record repeats one of 50 early ones byte for byte, some with padding around it.
    const k = i % 7 === 0 ? i % 50 : i;
    const value = i % 13 === 0 ? `数据 ${k} 训练模型 🙂` : `Answer ${k} ${'word '.repeat(k % 40)}`;
    const rec = JSON.stringify({ conversations: [{ from: 'human', value: `Question ${k}?` }, { from: 'gpt', value }] });
    lines.push(i % 4 === 0 ? rec + '\r' : i % 17 === 0 ? `  ${rec} ` : rec);
    if (i % 97 === 0) lines.push('');
    if (i % 401 === 0) lines.push('{"conversations": "cut off');
    if (i % 409 === 0) lines.push('[1, 2]');
    if (i % 431 === 0) lines.push(JSON.stringify({ conversations: [{ from: 'gpt', value: 'starts with the answer' }] }));
    if (i % 443 === 0) lines.push(JSON.stringify({ instruction: 'another format', output: 'here' }));
  }
  return lines;
}

describe('parallel validation', function () {
  // A guard against a hang, not a time limit: each test starts worker threads on a busy machine.
  this.timeout(180_000);
  const tmp = tempDir('pvalidate');
  after(() => tmp.cleanup());

  it('gives the single-thread result with duplicates across ranges, invalid lines, CRLF, a BOM, blank lines and non-BMP text', async () => {
    const p = tmp.file('mixed.jsonl', '\ufeff' + mixedLines(6000).join('\n') + '\n');
    const r = await assertSame(p, {}, [2, 3, 4]);
    assert.equal(r.format, 'sharegpt');
    assert.ok((r.problemCounts['common/duplicate-record'] ?? 0) > 700, JSON.stringify(r.problemCounts));
    for (const rule of ['jsonl/invalid-json', 'jsonl/not-an-object', 'format/mixed-format']) assert.ok(r.problemCounts[rule] > 0, rule);
  });

  it('cuts the list where the single thread does, errors and warnings of every range counted', async () => {
    const p = tmp.file('capped.jsonl', mixedLines(4000).join('\n'));
    for (const maxProblems of [1, 7, 300]) {
      const r = await assertSame(p, { maxProblems }, [2, 4]);
      const all = r.bySeverity.error + r.bySeverity.warning + r.bySeverity.info;
      assert.ok(all > 300 && r.omitted === all - maxProblems, `${all} problems, ${r.omitted} omitted`);
    }
  });

  it('cuts the list inside a record where the single thread does: its reader error before its rule warnings, though they sit first on the line', async () => {
    // The list is cut in the order problems are added (a record's reader problems, then its rules'),
    // then sorted. A range that sorted its own list first kept a rule warning instead of the reader
    // error where the cut fell inside a record. Lines of many kinds, a few per range.
    let seed = 7;
    const rnd = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % k;
    };
    const msg = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `q${i % 50} é中😀` }, { role: 'assistant', content: `a${i}` }] });
    const kinds: ((i: number) => Buffer)[] = [
      (i) => Buffer.from(msg(i) + '\n'),
      (i) => Buffer.from(msg(i) + '\r\n'),
      (i) => Buffer.concat([Buffer.from(msg(i).slice(0, 30)), Buffer.from([0xc0, 0xaf, 0xe4, 0xb8]), Buffer.from(msg(i).slice(30) + '\n')]),
      (i) => Buffer.from(msg(i) + '\r' + msg(i + 1) + '\n'),
      () => Buffer.from('{"messages":[{"role":"user","content":"\u2028x"},{"role":"assistant"}]}\n'),
      () => Buffer.from('{"a":1,}\n'),
      () => Buffer.from('[1]\n'),
      () => Buffer.from('{"messages":[{"role":"user","content":"\\ud800"},{"role":"assistant","content":"' + 'x'.repeat(rnd(3000)) + '"}]}\n'),
      () => Buffer.from('{"messages":[{"role":"system","content":"x"},{"role":"user","content":"' + 'é'.repeat(rnd(2000)) + '"}]}\n'),
    ];
    for (let file = 0; file < 3; file++) {
      const p = path.join(tmp.dir, `kinds-${file}.jsonl`);
      await fsp.writeFile(p, Buffer.concat(Array.from({ length: 600 }, (_, i) => kinds[rnd(kinds.length)](i))));
      for (const maxProblems of [48, 100, 300]) {
        const one = await validateFile(p, { maxProblems });
        const many = await validateFileInParallel(p, { maxProblems, workers: 2, chunkBytes: 700 });
        assert.deepEqual(many, one, `file ${file}, ${maxProblems} listed`);
      }
    }
  });

  it('gives the single-thread result on preference and KTO data (contradictions across ranges) and with a target trainer', async () => {
    for (const ds of [preferenceDataset({ count: 3000, duplicates: 300 }), ktoDataset({ count: 3000 })]) {
      const lines = ds.records.map((r) => JSON.stringify(r));
      // The same prompts again at the end with chosen and rejected swapped (or the label flipped).
      for (const r of ds.records.slice(0, 200) as Record<string, unknown>[]) {
        if ('chosen' in r) lines.push(JSON.stringify({ ...r, chosen: r.rejected, rejected: r.chosen }));
        else if ('label' in r) lines.push(JSON.stringify({ ...r, label: !r.label }));
      }
      const p = tmp.file(`${ds.name}-swapped.jsonl`, lines.join('\n') + '\n');
      const r = await assertSame(p, {}, [2, 3]);
      assert.ok((r.problemCounts['common/contradicting-preference'] ?? 0) >= 100, `${ds.name}: ${JSON.stringify(r.problemCounts)}`);
      await assertSame(p, { formatOptions: { trainer: 'trl' } }, [2]);
    }
  });

  it('cuts the list among duplicates and contradictions as the single thread does, and counts the findings past it', async () => {
    // Records found twice over (a duplicate, then contradicted), so findings of both stages meet
    // at the same place in a range; far more findings than the list holds.
    const ds = preferenceDataset({ count: 2000, duplicates: 400 });
    const lines = ds.records.map((r) => JSON.stringify(r));
    for (const r of ds.records.slice(0, 600) as Record<string, unknown>[]) {
      lines.push(JSON.stringify(r));
      lines.push(JSON.stringify({ ...r, chosen: r.rejected, rejected: r.chosen }));
    }
    const p = tmp.file('findings-capped.jsonl', lines.join('\n') + '\n');
    for (const maxProblems of [1, 37, 500, 1200]) {
      const r = await assertSame(p, { maxProblems }, [2, 3]);
      assert.ok(r.problemCounts['common/duplicate-record'] > 900 && r.problemCounts['common/contradicting-preference'] >= 600, JSON.stringify(r.problemCounts));
      assert.equal(r.problems.length, maxProblems);
    }
  });

  it('gives the single-thread result on a file with a problem in every record, the list cut early', async () => {
    // Every record is flagged (a ShareGPT tag as an OpenAI role), every 5th is also a duplicate.
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ messages: [{ role: 'human', content: `q ${i % 5 === 0 ? 0 : i}` }, { role: 'assistant', content: `a ${i % 5 === 0 ? 0 : i}` }] }));
    const p = tmp.file('every-record.jsonl', lines.join('\n') + '\n');
    for (const maxProblems of [0, 5, 100, 2000]) {
      const r = await assertSame(p, { maxProblems }, [2, 3]);
      assert.equal(r.problems.length, maxProblems);
      assert.ok(r.problemCounts['openai/sharegpt-role'] === 6000 && r.problemCounts['common/duplicate-record'] === 1199, JSON.stringify(r.problemCounts));
    }
  });

  it('a range lists only what the ranges before it leave room for, and counts the rest', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ messages: [{ role: 'human', content: `q ${i}` }, { role: 'assistant', content: `a ${i}` }] }));
    const p = tmp.file('room.jsonl', lines.join('\n') + '\n');
    const size = (await fsp.stat(p)).size;
    const detection = await detectAsValidation(p, size, {});
    const listedBy = new SharedArrayBuffer(12);
    const shared = new Int32Array(listedBy);
    const job = (rangeIndex: number) => ({ job: 'validateRange' as const, path: p, range: { start: 0, end: size }, detection, maxProblems: 100, listedBy, rangeIndex });
    // Ranges 0 and 1 have listed 60 and 25 so far: range 2 lists 15, range 1 (after range 0 only) 40.
    shared.set([60, 25, 0]);
    const third = await validateRange(job(2));
    assert.equal(third.problems.length, 15);
    assert.equal(third.bySeverity.error, 300, 'every problem counted');
    assert.equal(shared[2], 15, 'and what it listed told the others');
    const second = await validateRange(job(1));
    assert.equal(second.problems.length, 40);
    assert.deepEqual(second.problems.slice(0, 15), third.problems, 'a prefix of the same list');
    // The first range has nothing before it.
    assert.equal((await validateRange(job(0))).problems.length, 100);
  });

  it('gives the single-thread result for a forced format and for records of no known format', async () => {
    const p = tmp.file('forced.jsonl', mixedLines(3000).join('\n') + '\n');
    await assertSame(p, { format: 'alpaca' }, [2]);
    const unknown = tmp.file('unknown.jsonl', Array.from({ length: 3000 }, (_, i) => JSON.stringify({ a: i % 300, b: 'x'.repeat(i % 50) })).join('\n') + '\n');
    const r = await assertSame(unknown, {}, [2, 3]);
    assert.equal(r.format, undefined);
    assert.ok(r.problemCounts['format/unknown-format'] === 1 && r.problemCounts['common/duplicate-record'] > 2000);
  });

  it('detects the format from small reads as the validator does: records larger than a read, a sample cut by bytes', async () => {
    // 110 conversations of 160 KB: each larger than a detection read, the sample cut at 16 MB.
    const lines: string[] = [];
    for (let i = 0; i < 110; i++) lines.push(JSON.stringify({ conversations: [{ from: 'human', value: `Question ${i}` }, { from: 'gpt', value: 'answer '.repeat(23_000) }] }));
    const p = tmp.file('big-records.jsonl', lines.join('\n') + '\n');
    const { size } = await fsp.stat(p);
    const validated = await validateFile(p, { maxProblems: 0 });
    assert.equal(validated.detection.format, 'sharegpt');
    assert.deepEqual(await detectAsValidation(p, size, {}), validated.detection);
    // Curation's commands sample as the validator does (the same 53 records here).
    assert.deepEqual(await detectFileFormat(p), validated.detection);
  });

  it('the validator, statistics and curation sample the same records where 16 MB ends among padded, CRLF and non-ASCII lines', async () => {
    // Record weights differ between bytes and UTF-16 units (数据, é), and the trimmed bytes leave
    // out the padding (50 KB around every third record): the sample must end on the same record for all three.
    const lines: string[] = [];
    for (let i = 0; i < 150; i++) {
      const body = JSON.stringify({ instruction: `Q${i} 数据 é`, input: '', output: `${'数据 '.repeat(12000 + ((i * 37) % 900))}${'é'.repeat(i % 50)}` });
      lines.push(i % 3 === 0 ? `${' '.repeat(20_000)}${body}${' '.repeat(30_000)}\r` : i % 3 === 1 ? `${body}\t` : body);
    }
    const p = tmp.file('boundary.jsonl', lines.join('\n') + '\n');
    const { size } = await fsp.stat(p);
    const validated = await validateFile(p, { maxProblems: 0 });
    assert.match(validated.detection.evidence ?? '', /^\d+ of \d+ records look like alpaca$/);
    assert.ok(!/^150 of/.test(validated.detection.evidence ?? ''), 'the sample ends at 16 MB, before the last record');
    assert.deepEqual(await detectAsValidation(p, size, {}), validated.detection);
    assert.deepEqual(await detectFileFormat(p), validated.detection);
  });

  it('stops where the single thread stops on a binary file', async () => {
    const p = tmp.file('binary.jsonl', '{"a": 1}\n\u0000\u0001\u0002' + '\n{"b": 2}'.repeat(5000));
    await assertSame(p, {}, [2]);
  });

  it("gives the single-thread result on the project's own datasets", async () => {
    for (const ds of [...ownCorpus(), toolCallDataset({ count: 2000, duplicates: 100, nearDuplicates: 50 })]) {
      const p = writeDataset(tmp.dir, ds);
      if (!p.endsWith('.jsonl')) continue;
      await assertSame(p, {}, [2]);
    }
  });

  it('this thread and the workers take ranges in turn: progress adds up, and a cancel stops both sides', async () => {
    const lines = mixedLines(20000);
    const p = tmp.file('progress.jsonl', lines.join('\n') + '\n');
    const size = Buffer.byteLength(lines.join('\n') + '\n');
    // Ranges of about equal size, each cut at a line start.
    const ranges = await lineAlignedRanges(p, 3);
    assert.equal(ranges.length, 3);
    for (const r of ranges) assert.ok(Math.abs(r.end - r.start - size / 3) < 64 * 1024, JSON.stringify(ranges));
    const text = await fsp.readFile(p, 'utf8');
    for (const r of ranges.slice(1)) assert.equal(Buffer.from(text).subarray(r.start - 1, r.start).toString(), '\n');

    const seen: number[] = [];
    const r = await validateFileInParallel(p, { workers: 2, chunkBytes: 64 * 1024, onProgress: (bytes, total) => { assert.equal(total, size); seen.push(bytes); } });
    assert.equal(r.records, (await validateFile(p)).records);
    assert.equal(seen[seen.length - 1] <= size && Math.max(...seen), size, 'the last progress covers the whole file');

    const stop = new AbortController();
    await assert.rejects(
      validateFileInParallel(p, { workers: 2, chunkBytes: 64 * 1024, signal: stop.signal, onProgress: () => stop.abort() }),
      (e: Error) => e instanceof AbortedError,
    );
  });
});

