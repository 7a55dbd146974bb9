/**
 * Labeling at scale. A generated candidates file (BENCH_SIZE_MB, default 1024 MB, 4 responses per
 * prompt, so 6 pairs per line with the `all` strategy) under bench/out/labeling/:
 *
 * 1. Time from opening the file to the first pair's session state ready, in a fresh child process
 *    (cold module cache, its own RSS), against reading and parsing the first line raw.
 * 2. Peak RSS of that child while it indexes the whole file (sampled every 20 ms, plus the OS's
 *    max RSS), and the time the full index takes (total pair count known).
 * 3. Decision latency: `decide()` until the decision is fsynced and the next pair's state is
 *    ready, median and p95 over 300 decisions once the file is indexed, and the median of the first
 *    100 decisions while the background index still runs; against a bare AppendLog append +
 *    fdatasync of the same records.
 */
import { forkChild } from './childRun';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './benchRow';
import { AppendLog } from '../src/core/jsonl/appendLog';
import { CandidatesPairQueue } from '../src/core/labeling/candidatesQueue';
import { LabelingSession } from '../src/core/labeling/session';
import { seededRandomFromString } from '../src/core/base/random';
import { makeDecision } from '../src/core/labeling/decisionLog';

const BENCH = 'labeling';
const OUT = path.resolve(__dirname, '..', '..', 'bench', 'out', 'labeling');
const CHILD_ENV = 'PW_LABELING_BENCH_CHILD';

const WORDS = 'the of and to in is that for it as with was on be by this are from at or an which have not but can all more one their will has been model answer data token train loss value'.split(' ');

/** Writes the candidates file unless one of at least the requested size is already there. */
async function ensureCandidates(sizeMb: number): Promise<{ file: string; bytes: number; lines: number }> {
  await fsp.mkdir(OUT, { recursive: true });
  const file = path.join(OUT, `candidates-${sizeMb}mb.jsonl`);
  const target = sizeMb * 1024 * 1024;
  const meta = file + '.lines';
  try {
    const st = await fsp.stat(file);
    if (st.size >= target) return { file, bytes: st.size, lines: Number(await fsp.readFile(meta, 'utf8')) };
  } catch {
    /* not generated yet */
  }
  const rnd = seededRandomFromString('labeling-bench');
  const text = (n: number) => {
    const w: string[] = [];
    for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(rnd() * WORDS.length)]);
    return w.join(' ');
  };
  const ws = createWriteStream(file);
  let bytes = 0;
  let lines = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const chunk = batch.join('');
    batch = [];
    batchBytes = 0;
    if (!ws.write(chunk)) await new Promise<void>((r) => ws.once('drain', () => r()));
  };
  while (bytes < target) {
    const rec = {
      id: `p${lines}`,
      prompt: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: `Question ${lines}: ${text(20)}?` },
      ],
      responses: ['model-a', 'model-b', 'model-c', 'model-d'].map((model) => ({ model, content: text(80 + Math.floor(rnd() * 80)), usage: { completion_tokens: 120 } })),
    };
    const line = JSON.stringify(rec) + '\n';
    batch.push(line);
    batchBytes += line.length;
    bytes += Buffer.byteLength(line);
    lines++;
    if (batchBytes > 8 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await fsp.writeFile(meta, String(lines));
  return { file, bytes, lines };
}

interface ChildResult {
  rawFirstLineMs: number;
  firstPairMs: number;
  rssAtFirstPairMb: number;
  fullIndexMs: number;
  pairs: number;
  peakRssMb: number;
  maxRssMb: number;
}

/** In the child: baseline, then open → first pair state, then the whole index while sampling RSS. */
async function childMain(file: string): Promise<void> {
  const t0 = performance.now();
  const h = await fsp.open(file, 'r');
  const buf = Buffer.alloc(64 * 1024);
  const { bytesRead } = await h.read(buf, 0, buf.length, 0);
  const nl = buf.indexOf(0x0a);
  JSON.parse(buf.toString('utf8', 0, nl < 0 ? bytesRead : nl));
  await h.close();
  const rawFirstLineMs = performance.now() - t0;

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const logPath = path.join(OUT, `child-${process.pid}.labels.jsonl`);
  const t1 = performance.now();
  const queue = await CandidatesPairQueue.open(file);
  const session = await LabelingSession.open({ queue, logPath, annotator: 'bench' });
  const state = session.state();
  const firstPairMs = performance.now() - t1;
  if (!state.pair) throw new Error('no first pair');
  const rssAtFirstPairMb = process.memoryUsage().rss / 2 ** 20;
  const pairs = await queue.whenComplete();
  const fullIndexMs = performance.now() - t1;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await session.close();
  await queue.close();
  await fsp.rm(logPath, { force: true });
  const res: ChildResult = {
    rawFirstLineMs,
    firstPairMs,
    rssAtFirstPairMb,
    fullIndexMs,
    pairs,
    peakRssMb: peak / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.send!(res);
}

function runChild(file: string): Promise<ChildResult> {
  return forkChild<ChildResult>(__filename, { [CHILD_ENV]: file });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Decision latencies in the first moments after opening, while the background index still runs. */
async function latencyWhileIndexing(file: string, n: number): Promise<{ times: number[]; indexDoneFirst: boolean }> {
  const logPath = path.join(OUT, 'early.labels.jsonl');
  await fsp.rm(logPath, { force: true });
  const queue = await CandidatesPairQueue.open(file);
  const session = await LabelingSession.open({ queue, logPath, annotator: 'bench' });
  const times: number[] = [];
  for (let i = 0; i < n && session.current; i++) {
    const t = performance.now();
    await session.decide(i % 2 ? 'left' : 'right');
    session.state();
    times.push(performance.now() - t);
  }
  const indexDoneFirst = queue.complete;
  await session.close();
  await queue.close();
  await fsp.rm(logPath, { force: true });
  return { times, indexDoneFirst };
}

async function decisionLatency(file: string, n: number): Promise<{ decide: number[]; bare: number[] }> {
  const logPath = path.join(OUT, 'latency.labels.jsonl');
  const barePath = path.join(OUT, 'bare.labels.jsonl');
  await fsp.rm(logPath, { force: true });
  await fsp.rm(barePath, { force: true });
  const queue = await CandidatesPairQueue.open(file);
  await queue.whenComplete(); // steady state: the background index is not competing for the CPU
  const session = await LabelingSession.open({ queue, logPath, annotator: 'bench' });
  const choices = ['left', 'right', 'tie', 'left', 'right', 'both_bad'] as const;
  const decide: number[] = [];
  const records = [];
  for (let i = 0; i < n; i++) {
    const c = session.current!;
    records.push(makeDecision({ pair: c.pair, leftIsA: c.leftIsA, choice: choices[i % choices.length], annotator: 'bench', ms: 1000 }));
    const t = performance.now();
    await session.decide(choices[i % choices.length]);
    const st = session.state();
    decide.push(performance.now() - t);
    if (!st.pair) break;
  }
  await session.close();
  await queue.close();
  const bare: number[] = [];
  const log = await AppendLog.open(barePath);
  for (const r of records) {
    const t = performance.now();
    await log.append(r);
    bare.push(performance.now() - t);
  }
  await log.close();
  await fsp.rm(logPath, { force: true });
  await fsp.rm(barePath, { force: true });
  return { decide, bare };
}

export async function run(): Promise<BenchRow[]> {
  const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
  const { file, bytes, lines } = await ensureCandidates(sizeMb);
  const c = await runChild(file);
  const early = await latencyWhileIndexing(file, 100);
  const lat = await decisionLatency(file, 300);
  const size = `${Math.round(bytes / 2 ** 20)} MB, ${lines} prompts`;
  const med = quantile(lat.decide, 0.5);
  const bareMed = quantile(lat.bare, 0.5);
  return [
    {
      benchmark: BENCH,
      metric: `time to first pair state (${size})`,
      value: round(c.firstPairMs),
      unit: 'ms',
      baseline: round(c.rawFirstLineMs),
      baselineName: 'read + parse the first line raw',
      ratio: round(c.firstPairMs / c.rawFirstLineMs),
      target: '< 1000 ms',
      pass: c.firstPairMs < 1000,
    },
    { benchmark: BENCH, metric: 'RSS at first pair (child process)', value: round(c.rssAtFirstPairMb), unit: 'MB', target: '< 300 MB', pass: c.rssAtFirstPairMb < 300 },
    {
      benchmark: BENCH,
      metric: `peak RSS while indexing the whole file (${c.pairs} pairs)`,
      value: round(Math.max(c.peakRssMb, c.maxRssMb)),
      unit: 'MB',
      target: '< 300 MB',
      pass: Math.max(c.peakRssMb, c.maxRssMb) < 300,
    },
    { benchmark: BENCH, metric: 'full background index (total pair count known)', value: round(c.fullIndexMs / 1000), unit: 's', baseline: round(bytes / 2 ** 20 / (c.fullIndexMs / 1000)), baselineName: 'MB/s indexed' },
    {
      benchmark: BENCH,
      metric: `decide() → fsynced + next pair state, median of ${lat.decide.length}`,
      value: round(med),
      unit: 'ms',
      baseline: round(bareMed),
      baselineName: 'bare AppendLog append + fdatasync',
      ratio: round(med / bareMed),
      target: '< 50 ms',
      pass: med < 50,
    },
    {
      benchmark: BENCH,
      metric: `decide() median while the background index runs (first ${early.times.length} decisions${early.indexDoneFirst ? '; index finished before them' : ''})`,
      value: round(quantile(early.times, 0.5)),
      unit: 'ms',
      baseline: round(bareMed),
      baselineName: 'bare AppendLog append + fdatasync',
      ratio: round(quantile(early.times, 0.5) / bareMed),
      target: '< 50 ms',
      pass: quantile(early.times, 0.5) < 50,
    },
    { benchmark: BENCH, metric: 'decide() p95', value: round(quantile(lat.decide, 0.95)), unit: 'ms', baseline: round(quantile(lat.bare, 0.95)), baselineName: 'bare append + fdatasync p95', ratio: round(quantile(lat.decide, 0.95) / quantile(lat.bare, 0.95)) },
  ];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.env[CHILD_ENV]) {
  childMain(process.env[CHILD_ENV]!).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else if (require.main === module) {
  run().then((rows) => console.table(rows));
}
