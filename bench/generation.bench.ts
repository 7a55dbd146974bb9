/**
 * Generation throughput and rate limiting, against the OpenAI-compatible test server running in a
 * child process (so the CPU measured here is Pairwise's own: the openai client, scheduler, retry
 * loop, JSON and the fsync'd journal and candidates appends).
 *
 * 1. 2,000 requests at concurrency 32 with 100 ms server latency through the full candidates job
 *    (journal + candidates file written): wall time against the ideal 2000 / 32 × 0.1 s = 6.25 s.
 * 2. 600 requests per minute, window scaled to 6 s (the window length is injectable; a real minute
 *    would make this bench take minutes): 1,500 requests, and the largest number started in any
 *    6 s window, counted at the server (arrival times) and at the client (start times).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { BenchRow } from './benchRow';
import type { ChildCommand, ChildReply } from '../test/support/openaiTestServer';
import { EndpointPool } from '../src/core/generation/endpointPool';
import { runCandidatesJob, type PromptRecord } from '../src/core/generation/candidatesJob';
import { maxStartsInAnyWindow } from '../src/core/generation/rateScheduler';

const BENCH = 'generation';

interface ServerChild {
  baseURL: string;
  arrivals(): Promise<{ arrivals: number[]; cpuMicros: number }>;
  close(): Promise<void>;
}

async function startServerChild(latencyMs: number): Promise<ServerChild> {
  const script = path.resolve(__dirname, '..', 'test', 'support', 'openaiTestServer.js');
  const child: ChildProcess = fork(script, [], { env: { ...process.env, PAIRWISE_TEST_SERVER_LATENCY_MS: String(latencyMs) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: ChildReply['type']): Promise<ChildReply> =>
    new Promise((resolve, reject) => {
      const onMsg = (m: ChildReply) => {
        if (m.type !== type) return;
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`test server exited (${code})`));
      child.on('message', onMsg);
      child.once('exit', onExit);
    });
  const ready = (await next('ready')) as Extract<ChildReply, { type: 'ready' }>;
  const send = (m: ChildCommand) => child.send(m);
  return {
    baseURL: ready.baseURL,
    async arrivals() {
      const reply = next('arrivals');
      send({ type: 'arrivals' });
      const r = (await reply) as Extract<ChildReply, { type: 'arrivals' }>;
      return { arrivals: r.arrivals, cpuMicros: r.cpuMicros };
    },
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'close' });
      await exited;
    },
  };
}

function prompts(n: number, tag: string): PromptRecord[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${tag}-${i}`, prompt: [{ role: 'user', content: `Benchmark prompt ${i}: say something short.` }] }));
}

async function throughput(outDir: string): Promise<BenchRow[]> {
  const N = 2000;
  const C = 32;
  const LATENCY = 100;
  const server = await startServerChild(LATENCY);
  try {
    const output = path.join(outDir, 'throughput.candidates.jsonl');
    for (const suffix of ['', '.progress.jsonl', '.failures.jsonl', '.job.json']) await fsp.rm(output + suffix, { force: true });
    const pool = new EndpointPool({ endpoints: [{ name: 'bench', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: C, timeoutSeconds: 30 }] });
    // Warm up connections and the JIT outside the measurement, as a long job would be.
    await Promise.all(Array.from({ length: C }, (_, i) => pool.chat('bench', { model: 'test-model-a', messages: [{ role: 'user', content: `warm ${i}` }] })));
    // Baseline measured in the same run: a bare keep-alive node:http client (no openai client, no
    // scheduler, no files) doing the same requests — what this machine allows right now.
    const bare = await bareClient(server.baseURL, N, C);
    await server.arrivals();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runCandidatesJob({ pool, prompts: prompts(N, 't'), targets: [{ endpoint: 'bench', model: 'test-model-a', params: { max_tokens: 32 } }], outputPath: output });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    pool.close();
    const { arrivals } = await server.arrivals();
    if (r.progress.done !== N || r.progress.failures !== 0) throw new Error(`throughput run: ${r.progress.done} done, ${r.progress.failures} failed`);
    const ideal = (N / C) * (LATENCY / 1000);
    const ratio = wall / ideal;
    return [
      {
        benchmark: BENCH,
        metric: `candidates job, ${N} requests, concurrency ${C}, ${LATENCY} ms server latency: wall time`,
        value: round(wall, 3),
        unit: 's',
        baseline: ideal,
        baselineName: `ideal ${N}/${C} × ${LATENCY / 1000} s`,
        ratio: round(ratio, 3),
        target: '≤ 1.1× ideal',
        pass: ratio <= 1.1,
      },
      {
        benchmark: BENCH,
        metric: `candidates job wall time against a bare keep-alive node:http client doing the same ${N} requests in the same run`,
        value: round(wall, 3),
        unit: 's',
        baseline: round(bare.wall, 3),
        baselineName: 'bare node:http client, same machine load',
        ratio: round(wall / bare.wall, 3),
      },
      { benchmark: BENCH, metric: 'bare node:http client CPU per request (for comparison)', value: round(bare.cpuMicros / N, 1), unit: 'µs' },
      { benchmark: BENCH, metric: 'requests that reached the server', value: arrivals.length, unit: 'requests', baseline: N, baselineName: 'one per unit', ratio: arrivals.length / N, target: '= 1 (nothing requested twice)', pass: arrivals.length === N },
      { benchmark: BENCH, metric: 'throughput', value: round(N / wall, 1), unit: 'req/s', baseline: round(C / (LATENCY / 1000), 1), baselineName: 'ideal C / latency' },
      { benchmark: BENCH, metric: "Pairwise's CPU per request (client, server in a child process)", value: round((cpu.user + cpu.system) / N, 1), unit: 'µs' },
    ];
  } finally {
    await server.close();
  }
}

async function rateWindow(outDir: string): Promise<BenchRow[]> {
  const N = 1500;
  const RPM = 600;
  const WINDOW = 6000;
  const server = await startServerChild(100);
  try {
    const output = path.join(outDir, 'rate.candidates.jsonl');
    for (const suffix of ['', '.progress.jsonl', '.failures.jsonl', '.job.json']) await fsp.rm(output + suffix, { force: true });
    const pool = new EndpointPool({
      endpoints: [{ name: 'bench', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 32, requestsPerMinute: RPM, timeoutSeconds: 30 }],
      windowMs: WINDOW,
      recordStarts: true,
    });
    const t0 = performance.now();
    const r = await runCandidatesJob({ pool, prompts: prompts(N, 'r'), targets: [{ endpoint: 'bench', model: 'test-model-a', params: { max_tokens: 32 } }], outputPath: output });
    const wall = (performance.now() - t0) / 1000;
    pool.close();
    if (r.progress.done !== N) throw new Error(`rate run: ${r.progress.done} of ${N} done`);
    const { arrivals } = await server.arrivals();
    const atServer = maxStartsInAnyWindow(arrivals, WINDOW);
    const atClient = maxStartsInAnyWindow(pool.scheduler('bench').startLog ?? [], WINDOW);
    const scaled = `${RPM} per ${WINDOW / 1000} s window (per-minute limit with the window scaled 10×)`;
    return [
      { benchmark: BENCH, metric: `max requests arriving at the server in any window, ${scaled}, ${N} requests`, value: atServer, unit: 'requests', baseline: RPM, baselineName: 'limit', ratio: atServer / RPM, target: '≤ limit in every window', pass: atServer <= RPM },
      { benchmark: BENCH, metric: `max requests started by the client in any window, ${scaled}`, value: atClient, unit: 'requests', baseline: RPM, baselineName: 'limit', ratio: atClient / RPM, target: '≤ limit in every window', pass: atClient <= RPM },
      {
        benchmark: BENCH,
        metric: `rate-limited run wall time (${N} requests at ${RPM} per ${WINDOW / 1000} s)`,
        value: round(wall, 2),
        unit: 's',
        // Bursts of RPM every window + margin: the last burst starts after floor((N-1)/RPM) windows.
        baseline: Math.floor((N - 1) / RPM) * (WINDOW / 1000),
        baselineName: 'start of the last allowed burst',
      },
    ];
  } finally {
    await server.close();
  }
}

async function bareClient(baseURL: string, n: number, concurrency: number): Promise<{ wall: number; cpuMicros: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const one = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ model: 'test-model-a', messages: [{ role: 'user', content: `Benchmark prompt ${i}: say something short.` }], max_tokens: 32 });
      const req = http.request(`${baseURL}/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            JSON.parse(text);
            resolve();
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { wall, cpuMicros: cpu.user + cpu.system };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function run(): Promise<BenchRow[]> {
  const outDir = path.resolve(__dirname, '..', '..', 'bench', 'out', 'generation');
  await fsp.mkdir(outDir, { recursive: true });
  return [...(await throughput(outDir)), ...(await rateWindow(outDir))];
}

if (require.main === module) {
  run().then(
    (rows) => console.table(rows),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
