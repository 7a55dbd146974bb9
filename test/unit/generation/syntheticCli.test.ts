/** `pairwise synth` against the real OpenAI-compatible test server on loopback. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import { start, type TestServer } from '../../support/openaiTestServer';

const KEY = ['sk', 'proj', 'CliSynthSecret0123456789abcdefgh'].join('-');
const ENV = 'PAIRWISE_TEST_SYNTH_KEY';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

describe('pairwise synth (CLI)', () => {
  let server: TestServer;
  let dir: string;
  let file: string;
  beforeEach(async () => {
    server = await start({ synthetic: {} });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-synth-'));
    file = path.join(dir, 'qa.jsonl');
    fs.writeFileSync(
      file,
      [
        { instruction: 'What is the capital of France?', input: '', output: 'Paris.' },
        { instruction: 'Convert 3 km to metres.', input: '', output: '3000 m.' },
        { instruction: 'Spell "necessary".', input: '', output: 'n-e-c-e-s-s-a-r-y' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    process.env[ENV] = KEY;
  });
  afterEach(async () => {
    delete process.env[ENV];
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('appends N records, sends the key from the named variable, prints the counts; a rerun adds nothing', async () => {
    const args = ['synth', file, '--topic', 'geography quiz', '--count', '3', '--seeds', '2', '--base-url', server.baseURL, '--model', 'test-model-a', '--api-key-env', ENV];
    const r = await cli(...args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(alpaca\): 3\/3 records; this run: 3 added, 0 rejected as invalid, 0 exact and 0 near duplicate\(s\) dropped, 0 failed; 3 requests/);
    const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(rows.length, 6);
    const reqs = server.requests.filter((q) => q.url === '/v1/chat/completions');
    assert.equal(reqs.length, 3);
    for (const q of reqs) assert.equal(q.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!fs.readFileSync(path.join(dir, 'qa.synthetic.progress.jsonl'), 'utf8').includes(KEY));

    const again = await cli(...args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /3\/3 records \(3 from an earlier run\); this run: 0 added/);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 6);
    assert.equal(server.requests.filter((q) => q.url === '/v1/chat/completions').length, 3);
  });

  it('replies that carry the key reach the rejected report redacted', async () => {
    server.setSynthetic({ script: Array.from({ length: 3 }, (_, i) => `I cannot write that record (${i}). Your key is ${KEY}, by the way.`) });
    const r = await cli('synth', file, '--topic', 'geography quiz', '--count', '1', '--max-attempts', '3', '--base-url', server.baseURL, '--model', 'test-model-a', '--api-key-env', ENV, '--concurrency', '1');
    assert.match(r.stdout, /1 rejected as invalid/);
    const report = fs.readFileSync(path.join(dir, 'qa.synthetic.rejected.jsonl'), 'utf8');
    const line = JSON.parse(report.split('\n')[0]) as { attempts: { reply: string }[] };
    assert.deepEqual(
      line.attempts.map((a) => a.reply),
      [0, 1, 2].map((i) => `I cannot write that record (${i}). Your key is [REDACTED], by the way.`),
    );
    for (const f of fs.readdirSync(dir)) assert.ok(!fs.readFileSync(path.join(dir, f), 'utf8').includes(KEY), f);
  });

  it('bad usage: no topic, no count, -o, a key on the command line, two models', async () => {
    const base = ['synth', file, '--base-url', server.baseURL, '--model', 'test-model-a'];
    for (const [extra, re] of [
      [['--count', '2'], /--topic/],
      [['--topic', 'x'], /--count N is required/],
      [['--topic', 'x', '--count', '2', '-o', 'out.jsonl'], /does not apply/],
      [['--topic', 'x', '--count', '2', '--api-key', 'sk-abc'], /never taken on the command line/],
      [['--topic', 'x', '--count', '2', '--model', 'test-model-b'], /one model/],
      [['--topic', 'x', '--count', '0'], /--count must be an integer ≥ 1/],
    ] as const) {
      const r = await cli(...base, ...extra);
      assert.equal(r.code, 2, extra.join(' '));
      assert.match(r.stderr, re);
    }
    assert.equal(server.requests.length, 0);
  });
});
