/**
 * `pairwise generate | judge | synth` as separate processes of the real bundle (dist/cli.js), against
 * the real OpenAI-compatible test server in this process: two writers on one output, SIGKILL and
 * Ctrl-C (a real SIGINT) in the middle of a run. The server counts what was asked, so "nothing
 * requested twice" is checked where it is paid for.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start, type RecordedRequest, type TestServer } from '../../support/openaiTestServer';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const KEY = ['sk', 'proj', 'ProcessTestSecret0123456789abcdef'].join('-');
const ENV = 'PAIRWISE_TEST_PROCESS_KEY';

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; endedAt: number }>;
  stderr(): string;
}

function pairwise(...args: string[]): Run {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, PAIRWISE_LANG: 'en', [ENV]: KEY } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; endedAt: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, endedAt: Date.now() })),
  );
  return { child, done, stderr: () => stderr };
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function chats(server: TestServer): RecordedRequest[] {
  return server.requests.filter((r) => r.url === '/v1/chat/completions');
}

function jsonl(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The request bodies that were asked more than once. */
function askedTwice(server: TestServer): string[] {
  const seen = new Map<string, number>();
  for (const q of chats(server)) seen.set(q.rawBody, (seen.get(q.rawBody) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([b]) => b.slice(0, 120));
}

describe('generation CLI processes: one writer per output, kills and Ctrl-C', function () {
  this.timeout(90_000);
  let server: TestServer;
  let dir: string;
  let prompts: string;

  before(() => {
    if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newest(path.join(root, 'src'))) {
      execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    }
  });

  beforeEach(async () => {
    server = await start({ latencyMs: 100, synthetic: {} });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-procs-'));
    prompts = path.join(dir, 'prompts.jsonl');
    fs.writeFileSync(prompts, Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `Question ${i}?` })).join('\n') + '\n');
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const endpoint = () => ['--base-url', server.baseURL, '--api-key-env', ENV];

  it('two generate runs started at once on one output: the second is refused naming the first; nothing is requested twice', async () => {
    // Slow enough that the first run is still going when the second (started at the same time) gets there.
    server.setLatency(250);
    const out = path.join(dir, 'out.candidates.jsonl');
    const args = ['generate', prompts, ...endpoint(), '--model', 'test-model-a', '--concurrency', '4', '-o', out];
    const [a, b] = [pairwise(...args), pairwise(...args)];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const [winner, loser, loserRun] = ra.code === 0 ? [ra, rb, b] : [rb, ra, a];
    assert.equal(winner.code, 0, winner.stderr);
    assert.equal(loser.code, 2, loser.stderr);
    const holder = loserRun === a ? b : a;
    assert.match(loser.stderr, new RegExp(`is being written by another Pairwise process \\(pid ${holder.child.pid} on .+, since \\d{4}-\\d\\d-\\d\\dT[^:]+:\\d\\d:[\\d.]+Z: pairwise generate .*prompts\\.jsonl`));
    assert.equal(chats(server).length, 40, 'each prompt asked once');
    assert.deepEqual(askedTwice(server), []);
    assert.equal(jsonl(out).length, 40);
    assert.ok(!fs.existsSync(`${out}.lock`), 'the lock is gone with its holder');
  });

  it('two judge runs at once: one judges, the other is refused', async () => {
    const out = path.join(dir, 'c.candidates.jsonl');
    server.setLatency(0);
    const g = await pairwise('generate', prompts, ...endpoint(), '--model', 'test-model-a', '--model', 'test-model-b', '-o', out).done;
    assert.equal(g.code, 0, g.stderr);
    server.requests.length = 0;
    server.setLatency(150);
    server.setJudge({ marker: 'alpha' });
    const args = ['judge', out, ...endpoint(), '--model', 'judge-model', '--concurrency', '4'];
    const results = await Promise.all([pairwise(...args).done, pairwise(...args).done]);
    assert.deepEqual(results.map((r) => r.code).sort(), [0, 2], results.map((r) => r.stderr).join('\n'));
    assert.match(results.find((r) => r.code === 2)!.stderr, /judgements\.jsonl is being written by another Pairwise process \(pid \d+ .*pairwise judge/);
    const judgements = jsonl(path.join(dir, 'c.candidates.judgements.jsonl'));
    assert.equal(judgements.length, 40);
    assert.equal(new Set(judgements.map((j) => j.pair)).size, 40);
    assert.equal(chats(server).length, 80, 'each pair asked in both orders, once');
  });

  it('two synth --count 10 at once add 10 records, not 20', async () => {
    const file = path.join(dir, 'qa.jsonl');
    const seeds = [
      { instruction: 'What is the capital of France?', input: '', output: 'Paris.' },
      { instruction: 'Convert 3 km to metres.', input: '', output: '3000 m.' },
      { instruction: 'Spell "necessary".', input: '', output: 'n-e-c-e-s-s-a-r-y' },
    ];
    fs.writeFileSync(file, seeds.map((r) => JSON.stringify(r)).join('\n') + '\n');
    server.setLatency(400);
    const args = ['synth', file, '--topic', 'geography quiz', '--count', '10', ...endpoint(), '--model', 'test-model-a', '--concurrency', '2'];
    const results = await Promise.all([pairwise(...args).done, pairwise(...args).done]);
    assert.deepEqual(results.map((r) => r.code).sort(), [0, 2], results.map((r) => r.stderr).join('\n'));
    assert.match(results.find((r) => r.code === 2)!.stderr, /qa\.jsonl is being written by another Pairwise process \(pid \d+ .*pairwise synth/);
    assert.equal(jsonl(file).length, 3 + 10);
    assert.equal(chats(server).length, 10);
  });

  it('the lock of a generate run killed with SIGKILL is taken over by the next run, which completes the output', async () => {
    const out = path.join(dir, 'k.candidates.jsonl');
    const args = ['generate', prompts, ...endpoint(), '--model', 'test-model-a', '--concurrency', '2', '-o', out];
    const first = pairwise(...args);
    await until('a few answers', () => chats(server).length >= 6);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(fs.existsSync(`${out}.lock`), 'a killed holder leaves its lock behind');
    const second = await pairwise(...args).done;
    assert.equal(second.code, 0, second.stderr);
    assert.equal(jsonl(out).length, 40);
    assert.ok(!fs.existsSync(`${out}.lock`));
  });

  it('Ctrl-C waits for the requests in flight and saves them; the resumed run asks only the rest', async () => {
    server.setLatency(400);
    const out = path.join(dir, 'i.candidates.jsonl');
    const args = ['generate', prompts, ...endpoint(), '--model', 'test-model-a', '--concurrency', '4', '-o', out];
    const first = pairwise(...args);
    // Four requests on the wire, none answered yet.
    await until('four requests in flight', () => chats(server).length >= 4);
    const sentAtSigint = chats(server).length;
    const sigintAt = Date.now();
    first.child.kill('SIGINT');
    const r = await first.done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /cancelling generation: no new requests; waiting for the 4 in flight to be answered and saved \(at most 60 s; Ctrl-C again to quit now\)/);
    assert.match(r.stderr, /cancelled; run the same command again to resume/);
    assert.ok(r.endedAt - sigintAt >= 250, `exited ${r.endedAt - sigintAt} ms after Ctrl-C, with 400 ms requests in flight`);
    assert.equal(chats(server).length, sentAtSigint, 'nothing new was sent after Ctrl-C');
    assert.match(r.stdout, new RegExp(`; ${sentAtSigint} answered, 0 already done, 0 failed request\\(s\\); ${sentAtSigint} requests`));
    assert.equal(jsonl(out).length, sentAtSigint, 'every answer in flight was saved');

    server.setLatency(0);
    const second = await pairwise(...args).done;
    assert.equal(second.code, 0, second.stderr);
    assert.equal(chats(server).length, 40, 'the resumed run asked only what was missing');
    assert.deepEqual(askedTwice(server), []);
    assert.equal(jsonl(out).length, 40);
  });

  it('a second Ctrl-C quits at once, and the next run takes the lock', async () => {
    server.setLatency(5_000);
    const out = path.join(dir, 'j.candidates.jsonl');
    const args = ['generate', prompts, ...endpoint(), '--model', 'test-model-a', '--concurrency', '2', '-o', out];
    const first = pairwise(...args);
    await until('two requests in flight', () => chats(server).length >= 2);
    first.child.kill('SIGINT');
    await until('the first Ctrl-C heard', () => /cancelling generation/.test(first.stderr()));
    const at = Date.now();
    first.child.kill('SIGINT');
    const r = await first.done;
    assert.equal(r.code, 130);
    assert.ok(r.endedAt - at < 2_000, `quit ${r.endedAt - at} ms after the second Ctrl-C`);
    assert.ok(!fs.existsSync(`${out}.lock`), 'the lock went with the process');
  });

  it('synth killed with requests in flight: the resumed run never sends a request seed again', async () => {
    server.setLatency(150);
    const file = path.join(dir, 'qa.jsonl');
    fs.writeFileSync(file, JSON.stringify({ instruction: 'What is the capital of France?', input: '', output: 'Paris.' }) + '\n');
    const args = ['synth', file, '--topic', 'geography quiz', '--count', '12', '--seeds', '1', ...endpoint(), '--model', 'test-model-a', '--concurrency', '3'];
    const first = pairwise(...args);
    // Answers have come back and three more are on the wire.
    await until('answers and requests in flight', () => chats(server).length >= 6 && jsonl(file).length >= 3);
    first.child.kill('SIGKILL');
    await first.done;
    const second = await pairwise(...args).done;
    assert.equal(second.code, 0, second.stderr);
    assert.equal(jsonl(file).length, 1 + 12);
    const seeds = chats(server).map((q) => (q.body as { seed: number }).seed);
    assert.equal(new Set(seeds).size, seeds.length, `seeds sent: ${seeds.join(',')}`);
  });
});
