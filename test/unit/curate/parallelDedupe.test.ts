import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dedupeFile, type DedupeOptions } from '../../../src/core/curate/dedupe';
import { type DedupeResult } from '../../../src/core/curate/dedupeTypes';
import { lineAlignedRanges, scanRange } from '../../../src/core/curate/fileRanges';
import { runWorkers, workerCount, workerScript } from '../../../src/core/curate/workerPool';
import { corpusPath, needsCorpus } from '../../support/corpus';
import { alpacaZhDataset, ktoDataset, preferenceDataset, reasoningToolsDataset, textDataset, typedPartsDataset, type OwnRecord } from '../../support/ownDatasets';
import { tempDir } from './tmpDir';

/** Runs dedupe with `workers` threads into its own outputs; returns the result and both files' bytes. */
async function run(input: string, dir: string, workers: number, opts: DedupeOptions = {}): Promise<{ result: DedupeResult; out: Buffer; report: Buffer }> {
  const tag = `${path.basename(input)}.${workers}.${opts.chunkBytes ?? ''}.${opts.rangesOnThisThread ?? ''}.${JSON.stringify(opts.normalize ?? {})}`.replace(/[^\w.-]/g, '_');
  const out = path.join(dir, `${tag}.out.jsonl`);
  const report = path.join(dir, `${tag}.report.jsonl`);
  const result = await dedupeFile(input, { ...opts, workers, out, report });
  assert.equal(result.out, out);
  return { result: { ...result, out: undefined, report: undefined }, out: fs.readFileSync(out), report: fs.readFileSync(report) };
}

async function assertSameAsSingleThread(input: string, dir: string, opts: DedupeOptions = {}, counts = [2, 3, 4]): Promise<DedupeResult> {
  const one = await run(input, dir, 1, opts);
  // A range per worker or so (a small file), and many small ranges taken in turn (a large one).
  // Ranges on this thread too and, as the extension host runs it, on the workers alone.
  for (const [n, chunkBytes, rangesOnThisThread] of counts.flatMap((n): [number, number | undefined, boolean][] => [[n, undefined, true], [n, 4096, true], [n, 4096, false]])) {
    const many = await run(input, dir, n, { ...opts, chunkBytes, rangesOnThisThread });
    const what = `${path.basename(input)} with ${n} threads, ranges from ${chunkBytes ?? 'the default'} bytes${rangesOnThisThread ? '' : ', none on this thread'}`;
    assert.deepEqual(many.result, one.result, what);
    assert.ok(many.out.equals(one.out), `kept records of ${what}`);
    assert.ok(many.report.equals(one.report), `report of ${what}`);
  }
  return one.result;
}

/** Records as JSON Lines, twice over (so every record has a duplicate in another range). */
function twiceAsJsonl(name: string, records: unknown[], dir: string): string {
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const p = path.join(dir, name.replace(/\.jsonl?$/, '.twice.jsonl'));
  fs.writeFileSync(p, text + text);
  return p;
}

/** A JSON Lines file twice over: duplicates of every record, in another range than their first occurrence. */
async function assertSameOnJsonlTwice(name: string, text: Buffer, dir: string): Promise<void> {
  const p = path.join(dir, `${name}.twice.jsonl`);
  fs.writeFileSync(p, Buffer.concat([text, text.at(-1) === 0x0a ? Buffer.alloc(0) : Buffer.from('\n'), text]));
  const r = await assertSameAsSingleThread(p, dir, {}, [3]);
  assert.ok(r.exactDuplicates >= r.records / 2, `${name}: the second copy is all duplicates`);
}

const jsonlOf = (records: OwnRecord[]) => Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n');

describe('parallel exact dedupe', function () {
  // A guard against a hang, not a time limit: every test starts several worker threads, each loading
  // the tokenizer, which takes seconds per thread on a busy two-core machine.
  this.timeout(180_000);
  const tmp = tempDir('pdedupe');
  after(() => tmp.cleanup());

  it('finds its worker script beside the module (out/ here, dist/ in the bundles)', () => {
    const script = workerScript();
    assert.ok(script && fs.existsSync(script), 'worker script present');
    assert.equal(workerCount(1000), 1, 'small files keep one thread');
    assert.equal(workerCount(1000, 3), 3);
  });

  it('cuts files into ranges at line starts that cover the file', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ i, pad: 'x'.repeat(i % 37) }));
    const p = tmp.file('ranges.jsonl', lines.join('\n'));
    const bytes = fs.readFileSync(p);
    const ranges = await lineAlignedRanges(p, 4);
    assert.equal(ranges.length, 4);
    assert.equal(ranges[0].start, 0);
    assert.equal(ranges[ranges.length - 1].end, bytes.length);
    for (let i = 1; i < ranges.length; i++) {
      assert.equal(ranges[i].start, ranges[i - 1].end);
      assert.equal(bytes[ranges[i].start - 1], 0x0a, 'a range starts after a newline');
    }
    // Every record once, across ranges, with its own bytes.
    let seen = 0;
    for (const r of ranges) {
      await scanRange(p, r, {
        record: (rec, b) => {
          assert.equal(Buffer.from(b).toString('utf8'), lines[seen]);
          assert.equal(rec.byteOffset, bytes.indexOf(lines[seen]));
          seen++;
        },
      });
    }
    assert.equal(seen, lines.length);
    // A file of one line cannot be cut.
    const one = tmp.file('one.jsonl', JSON.stringify({ a: 'y'.repeat(20000) }));
    assert.deepEqual(await lineAlignedRanges(one, 4), [{ start: 0, end: fs.statSync(one).size }]);
  });

  it('gives every range its own records when scans on one thread follow or overlap each other (they pass a read buffer on)', async () => {
    // About 6 MB a range, so that scans turn the event loop mid-range and interleave; one line of
    // 5 MB grows its scan's buffer past what is passed on.
    const lines: string[] = [];
    for (let i = 0; i < 24000; i++) lines.push(JSON.stringify({ i, text: `${'abcdefgh'.repeat(120 + (i % 13))} ${i}` }));
    lines.splice(12000, 0, JSON.stringify({ big: 'z'.repeat(5 * 1024 * 1024) }));
    const p = tmp.file('spare.jsonl', lines.join('\n') + '\n');
    const ranges = await lineAlignedRanges(p, 4);
    const scan = async (r: { start: number; end: number }) => {
      const got: string[] = [];
      await scanRange(p, r, { record: (_rec, b) => got.push(Buffer.from(b).toString('utf8')) });
      return got;
    };
    const inTurn: string[][] = [];
    for (const r of ranges) inTurn.push(await scan(r));
    assert.deepEqual(inTurn.flat(), lines);
    const together = await Promise.all(ranges.map(scan));
    assert.deepEqual(together, inTurn);
    // And again, after the scans above left a buffer behind.
    assert.deepEqual((await Promise.all([...ranges].reverse().map(scan))).reverse(), inTurn);
  });

  it('writes byte-identical outputs and reports on JSON Lines files of the demo shapes (text, typed parts, reasoning and tools)', async () => {
    for (const ds of [textDataset(), typedPartsDataset(), reasoningToolsDataset()]) await assertSameOnJsonlTwice(ds.name, jsonlOf(ds.records), tmp.dir);
  });

  it('writes byte-identical outputs on JSON array data as JSON Lines, with and without normalisation', async () => {
    for (const ds of [alpacaZhDataset(), preferenceDataset(), ktoDataset()]) {
      const p = twiceAsJsonl(ds.name, ds.records, tmp.dir);
      await assertSameAsSingleThread(p, tmp.dir, {}, [3]);
      await assertSameAsSingleThread(p, tmp.dir, { normalize: { whitespace: false, case: false } }, [2]);
    }
  });

  it('writes byte-identical outputs and reports on the corpus JSON Lines files', async function () {
    needsCorpus(this);
    const dir = corpusPath('llama-factory');
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) await assertSameOnJsonlTwice(name, fs.readFileSync(path.join(dir, name)), tmp.dir);
  });

  it('writes byte-identical outputs on corpus JSON array data as JSON Lines, with and without normalisation', async function () {
    needsCorpus(this);
    for (const name of ['alpaca_zh_demo.json', 'dpo_en_demo.json', 'kto_en_demo.json']) {
      const p = twiceAsJsonl(`corpus-${name}`, JSON.parse(fs.readFileSync(corpusPath('llama-factory', name), 'utf8')) as unknown[], tmp.dir);
      await assertSameAsSingleThread(p, tmp.dir, {}, [3]);
      await assertSameAsSingleThread(p, tmp.dir, { normalize: { whitespace: false, case: false } }, [2]);
    }
  });

  it('matches the single thread on BOM, CRLF, blank, padded, invalid and non-object lines with duplicates across ranges', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      // Every 5th record repeats one of 40 early ones, differing in case and spacing.
      const k = i % 5 === 0 ? i % 40 : i;
      const rec = JSON.stringify({ instruction: i % 2 ? `Question ${k}` : `QUESTION   ${k}`, input: '', output: `Ünïcode answer ${k} 数据` });
      lines.push(i % 3 === 0 ? rec + '\r' : i % 11 === 0 ? `  \t${rec}  ` : rec);
      if (i % 97 === 0) lines.push('');
      if (i % 89 === 0) lines.push(' \r');
      if (i % 401 === 0) lines.push('{"instruction": "cut off');
      if (i % 409 === 0) lines.push('[1, 2]');
      if (i % 419 === 0) lines.push('"a string"');
    }
    const p = tmp.file('mixed.jsonl', '\ufeff' + lines.join('\n') + '\n\n');
    const r = await assertSameAsSingleThread(p, tmp.dir, {}, [2, 4, 7]);
    assert.ok(r.exactDuplicates > 700 && r.comparedAsText > 20, JSON.stringify({ d: r.exactDuplicates, t: r.comparedAsText }));
    await assertSameAsSingleThread(p, tmp.dir, { normalize: { whitespace: true, case: false } }, [3]);
    // Without a trailing newline, and with the format forced.
    const q = tmp.file('mixed-noeol.jsonl', lines.join('\r\n'));
    await assertSameAsSingleThread(q, tmp.dir, { format: 'alpaca' }, [3]);
  });

  it('copies long runs of kept records across its read window as the single thread writes them, as JSON Lines and as a JSON array', async () => {
    // 12 MB: runs of kept records longer than a block (1 MB) and than the read window (8 MB), cut by
    // sparse duplicates, a CRLF stretch, a padded line and a blank one (which must not be joined).
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const k = i % 9_000 === 8_999 ? i % 50 : i;
      const rec = JSON.stringify({ instruction: `Question ${k}`, input: '', output: `answer ${k} `.repeat(12) });
      lines.push(i >= 30_000 && i < 30_400 ? rec + '\r' : i === 41_234 ? `  ${rec}` : rec);
      if (i === 50_500) lines.push('');
    }
    const p = tmp.file('long-runs.jsonl', lines.join('\n'));
    const r = await assertSameAsSingleThread(p, tmp.dir, {}, [2]);
    assert.deepEqual([r.records, r.exactDuplicates], [60_000, 6]);
    const one = await dedupeFile(p, { workers: 1, out: path.join(tmp.dir, 'runs.1.json'), report: path.join(tmp.dir, 'runs.1.r.jsonl') });
    const two = await dedupeFile(p, { workers: 2, out: path.join(tmp.dir, 'runs.2.json'), report: path.join(tmp.dir, 'runs.2.r.jsonl') });
    assert.equal(two.kept, one.kept);
    const array = fs.readFileSync(path.join(tmp.dir, 'runs.2.json'));
    assert.ok(array.equals(fs.readFileSync(path.join(tmp.dir, 'runs.1.json'))), 'the JSON array output of two threads');
    assert.equal((JSON.parse(array.toString('utf8')) as unknown[]).length, 60_000 - 6);
  });

  it('keeps the single-thread answer on a binary file', async () => {
    const bin = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bin.length; i++) bin[i] = i % 251 === 0 ? 0x0a : (i * 7) & 0xff;
    const p = path.join(tmp.dir, 'binary.jsonl');
    fs.writeFileSync(p, bin);
    const r = await assertSameAsSingleThread(p, tmp.dir, {}, [3]);
    assert.equal(r.records, 0);
  });

  it('reports progress up to the file size, and cancels by terminating the workers', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 30000; i++) lines.push(JSON.stringify({ instruction: `q${i % 1000}`, input: '', output: 'a '.repeat(40) }));
    const p = tmp.file('big.jsonl', lines.join('\n') + '\n');
    const size = fs.statSync(p).size;
    let last = 0;
    const r = await dedupeFile(p, { workers: 3, dryRun: true, onProgress: (b, total) => {
      assert.equal(total, size);
      assert.ok(b >= last && b <= size);
      last = b;
    } });
    assert.equal(last, size);
    assert.deepEqual([r.records, r.kept], [30000, 1000]);

    const ac = new AbortController();
    const outDir = path.join(tmp.dir, 'cancel');
    fs.mkdirSync(outDir);
    const pending = dedupeFile(p, { workers: 3, out: path.join(outDir, 'o.jsonl'), report: path.join(outDir, 'r.jsonl'), signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.deepEqual(fs.readdirSync(outDir), [], 'no output or temporary file left');
  });

  it('fails with the worker error instead of hanging', async () => {
    await assert.rejects(runWorkers([{ job: 'no-such-job' }], { totalBytes: 0 }), /unknown curation job no-such-job/);
    const missing = path.join(tmp.dir, 'missing.jsonl');
    await assert.rejects(runWorkers([{ job: 'dedupeRange', path: missing, range: { start: 0, end: 10 }, norm: {} }], { totalBytes: 10 }), /ENOENT/);
  });
});
