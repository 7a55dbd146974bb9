/**
 * Dataset View on a large file (BENCH_SIZE_MB, default 1024 MB of chat JSONL under
 * bench/out/datasetView/), host side, in a fresh child process (cold module cache, its own RSS):
 *
 * 1. Time from opening the large-file index (FileRecordIndex.open) until the first window of 50
 *    records is available as cards, against reading the first 1 MB of the file raw.
 * 2. RSS when the first window is served, and peak RSS while the whole file is indexed and
 *    validated (sampled every 20 ms, plus the OS's max RSS).
 * 3. Time to index the whole file, and a streaming search over it (a word in 1 of 1000 records).
 */
import { forkChild, round } from './childRun';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './benchRow';
import { FileRecordIndex } from '../src/core/datasetIndex/fileRecordIndex';

const round2 = (x: number): number => round(x, 2);

const BENCH = 'datasetView';
const OUT = path.resolve(__dirname, '..', '..', 'bench', 'out', 'datasetView');
const CHILD_ENV = 'PW_DATASET_VIEW_BENCH_CHILD';
const WINDOW = 50;
const WORDS = 'the of and to in is that for it as with was on be by this are from at or an which have not but can all more one their will has been model answer data token train loss value'.split(' ');

async function ensureFile(sizeMb: number): Promise<{ file: string; bytes: number }> {
  await fsp.mkdir(OUT, { recursive: true });
  const file = path.join(OUT, `chat-${sizeMb}mb.jsonl`);
  const target = sizeMb * 1024 * 1024;
  try {
    const st = await fsp.stat(file);
    if (st.size >= target) return { file, bytes: st.size };
  } catch {
    /* not generated yet */
  }
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ');
  const ws = createWriteStream(file);
  let bytes = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const chunk = batch.join('');
    batch = [];
    batchBytes = 0;
    if (!ws.write(chunk)) await new Promise<void>((r) => ws.once('drain', () => r()));
  };
  for (let i = 0; bytes < target; i++) {
    const rec = {
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: `Question ${i}: ${text(20)}${i % 1000 === 500 ? ' zanzibar' : ''}?` },
        { role: 'assistant', content: text(80 + Math.floor(rnd() * 120)) },
      ],
    };
    const line = JSON.stringify(rec) + '\n';
    batch.push(line);
    batchBytes += line.length;
    bytes += Buffer.byteLength(line);
    if (batchBytes > 8 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { file, bytes };
}

interface ChildResult {
  rawFirstMbMs: number;
  firstWindowMs: number;
  rssAtFirstWindowMb: number;
  fullIndexMs: number;
  records: number;
  peakRssMb: number;
  maxRssMb: number;
  searchMs: number;
  searchMatches: number;
}

async function childMain(file: string): Promise<void> {
  const t0 = performance.now();
  const h = await fsp.open(file, 'r');
  const buf = Buffer.alloc(1024 * 1024);
  await h.read(buf, 0, buf.length, 0);
  await h.close();
  const rawFirstMbMs = performance.now() - t0;

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t1 = performance.now();
  const idx = FileRecordIndex.open(file);
  const cards = await idx.cards(Array.from({ length: WINDOW }, (_, i) => i));
  const firstWindowMs = performance.now() - t1;
  if (cards.length !== WINDOW || !cards[0].value) throw new Error('first window incomplete');
  const rssAtFirstWindowMb = process.memoryUsage().rss / 2 ** 20;
  await idx.completed;
  const fullIndexMs = performance.now() - t1;
  const s = idx.summary();
  if (s.indexing.error) throw new Error(s.indexing.error);
  const t2 = performance.now();
  const found = await idx.query({ search: 'zanzibar' });
  const searchMs = performance.now() - t2;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await idx.close();
  const res: ChildResult = {
    rawFirstMbMs,
    firstWindowMs,
    rssAtFirstWindowMb,
    fullIndexMs,
    records: s.records,
    peakRssMb: peak / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    searchMs,
    searchMatches: found.total,
  };
  process.send!(res);
}

function runChild(file: string): Promise<ChildResult> {
  return forkChild<ChildResult>(__filename, { [CHILD_ENV]: file });
}



export async function run(): Promise<BenchRow[]> {
  const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
  const { file, bytes } = await ensureFile(sizeMb);
  const c = await runChild(file);
  const mb = bytes / 2 ** 20;
  const size = `${Math.round(mb)} MB, ${c.records} records`;
  const peak = Math.max(c.peakRssMb, c.maxRssMb);
  return [
    {
      benchmark: BENCH,
      metric: `large file: time to first window of ${WINDOW} records (${size})`,
      value: round2(c.firstWindowMs),
      unit: 'ms',
      baseline: round2(c.rawFirstMbMs),
      baselineName: 'read the first 1 MB raw',
      ratio: round2(c.firstWindowMs / c.rawFirstMbMs),
      target: '< 1000 ms',
      pass: c.firstWindowMs < 1000,
    },
    { benchmark: BENCH, metric: 'RSS at first window (child process)', value: round2(c.rssAtFirstWindowMb), unit: 'MB', target: '< 300 MB', pass: c.rssAtFirstWindowMb < 300 },
    { benchmark: BENCH, metric: 'peak RSS while indexing and validating the whole file', value: round2(peak), unit: 'MB', target: '< 300 MB', pass: peak < 300 },
    { benchmark: BENCH, metric: 'full index with problems (all records filterable)', value: round2(c.fullIndexMs / 1000), unit: 's', baseline: round2(mb / (c.fullIndexMs / 1000)), baselineName: 'MB/s indexed' },
    { benchmark: BENCH, metric: `streaming search over the file (${c.searchMatches} matches)`, value: round2(c.searchMs / 1000), unit: 's', baseline: round2(mb / (c.searchMs / 1000)), baselineName: 'MB/s searched' },
  ];
}

if (process.env[CHILD_ENV]) {
  childMain(process.env[CHILD_ENV]!).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else if (require.main === module) {
  run().then((rows) => console.table(rows));
}
