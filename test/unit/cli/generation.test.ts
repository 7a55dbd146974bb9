/** `pairwise generate` and `pairwise judge` against the real OpenAI-compatible test server on loopback. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import { start, type TestServer } from '../../support/openaiTestServer';

const KEY = ['sk', 'proj', 'CliGenerationSecret0123456789abcdef'].join('-');
const ENV = 'PAIRWISE_TEST_CLI_KEY';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function chats(server: TestServer): number {
  return server.requests.filter((r) => r.url === '/v1/chat/completions').length;
}

/** Every file under dir, recursively, as text. */
function allText(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('pairwise generate / judge (CLI)', () => {
  let server: TestServer;
  let dir: string;
  let input: string;
  beforeEach(async () => {
    server = await start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-gen-'));
    input = path.join(dir, 'chat.jsonl');
    fs.writeFileSync(
      input,
      [
        { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name a colour' }, { role: 'assistant', content: 'Blue' }] },
        { id: 'fixed-id', messages: [{ role: 'user', content: 'Add one and one' }, { role: 'assistant', content: 'Two' }] },
        { messages: [{ role: 'user', content: 'Say hi' }, { role: 'assistant', content: 'hi' }, { role: 'user', content: 'again' }, { role: 'assistant', content: 'hi' }] },
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

  it('writes INPUT.candidates.jsonl with n responses per model, prompts up to the last user turn, the key only in the header', async () => {
    const r = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '--model', 'test-model-b', '-n', '2', '--temperature', '0.7', '--max-tokens', '32', '--seed', '5', '--api-key-env', ENV);
    assert.equal(r.code, 0, r.stderr);
    const out = path.join(dir, 'chat.candidates.jsonl');
    assert.match(r.stdout, /3 prompts \(openai-chat\); 3 answered, 0 already done, 0 failed/);
    const rows = readLines(out);
    assert.equal(rows.length, 3);
    const byId = new Map(rows.map((x) => [x.id as string, x]));
    assert.ok(byId.has('fixed-id'), 'an id field is kept');
    const again = rows.find((x) => (x.prompt as { content: string }[]).some((m) => m.content === 'again'))!;
    assert.match(again.id as string, /^p-[0-9a-f]{16}$/, 'a record without id gets a stable hash id');
    assert.deepEqual(
      (again.prompt as { role: string; content: string }[]).map((m) => [m.role, m.content]),
      [
        ['user', 'Say hi'],
        ['assistant', 'hi'],
        ['user', 'again'],
      ],
    );
    for (const row of rows) {
      const responses = row.responses as { model: string; params: Record<string, unknown> }[];
      assert.deepEqual(responses.map((x) => x.model), ['test-model-a', 'test-model-a', 'test-model-b', 'test-model-b']);
      assert.equal(responses[0].params.temperature, 0.7);
      assert.equal(responses[0].params.max_tokens, 32);
    }
    assert.equal(chats(server), 12);
    assert.ok(server.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`));
    assert.ok(!allText(dir).includes(KEY) && !r.stdout.includes(KEY) && !r.stderr.includes(KEY));

    // The same command again: everything is done, nothing is requested.
    const again2 = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '--model', 'test-model-b', '-n', '2', '--temperature', '0.7', '--max-tokens', '32', '--seed', '5', '--api-key-env', ENV);
    assert.equal(again2.code, 0);
    assert.match(again2.stdout, /0 answered, 3 already done/);
    assert.equal(chats(server), 12);

    // Judge the pairs: 4 distinct responses per prompt -> 6 pairs, each asked in both orders.
    server.setJudge({ marker: 'alpha' });
    const j = await cli('judge', out, '--base-url', server.baseURL, '--model', 'judge-model', '--api-key-env', ENV);
    assert.equal(j.code, 0, j.stderr);
    const judgements = readLines(path.join(dir, 'chat.candidates.judgements.jsonl'));
    assert.equal(judgements.length, 18);
    assert.match(j.stdout, /18 pair\(s\) judged, 0 failed/);
    assert.ok(judgements.every((x) => typeof x.pair === 'string' && ['A', 'B', 'tie', 'uncertain'].includes(x.verdict as string)));
    assert.equal(chats(server), 12 + 36);
  });

  it('exit 1 when requests fail, and the same command retries exactly the failed ones', async () => {
    server.setFaults([{ kind: 'status', status: 400, count: 1 }]);
    const args = ['generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '-o', path.join(dir, 'out.jsonl'), '--concurrency', '1'];
    const r = await cli(...args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /1 request\(s\) failed/);
    assert.equal(readLines(path.join(dir, 'out.jsonl')).length, 2);
    assert.equal(chats(server), 3);
    assert.equal(readLines(path.join(dir, 'out.jsonl.failures.jsonl')).length, 1);
    const r2 = await cli(...args);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(readLines(path.join(dir, 'out.jsonl')).length, 3);
    assert.equal(chats(server), 4, 'only the failed prompt is asked again');
    assert.ok(!fs.existsSync(path.join(dir, 'out.jsonl.failures.jsonl')), 'the failure the retry resolved is gone');
  });

  it('a server asking to wait an hour: the run ends at once and says until when; a rerun before then sends nothing', async () => {
    server.setFaults([{ kind: 'rate-limit', retryAfterSeconds: 3600 }]);
    const args = ['generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '--concurrency', '1', '--api-key-env', ENV];
    const t0 = Date.now();
    const r = await cli(...args);
    assert.ok(Date.now() - t0 < 5_000);
    assert.equal(r.code, 1);
    assert.equal(chats(server), 1);
    const said = r.stderr.match(/the server asks to wait \d+ s \(until [^)]+\), longer than Pairwise waits within a run \(120 s\)/g) ?? [];
    assert.equal(said.length, 1, r.stderr);
    assert.match(r.stderr, /3 request\(s\) failed/);
    // The notice names the file that keeps the pause, so that it can be lifted.
    const kept = /; the pause is kept for later runs in (.+\.rate\.json) \(delete that file once this run has ended to send sooner\)/.exec(r.stderr);
    assert.ok(kept, r.stderr);
    assert.ok(fs.existsSync(kept[1]), kept[1]);
    const again = await cli(...args);
    assert.equal(again.code, 1);
    assert.equal(chats(server), 1, 'the pause is kept beside the output for the next run');
    assert.match(again.stderr, /the server asks to wait/);
    fs.rmSync(kept[1]);
    await cli(...args);
    assert.equal(chats(server), 2, 'without the file, a rerun asks the server again');
  });

  it('--verbose prints the endpoint pool\'s log: retries and a refused seed', async () => {
    const refusing = await start({ refuseParams: { names: ['seed'], style: 'openai' } });
    try {
      refusing.setFaults([{ kind: 'server-error', status: 503, count: 1 }]);
      const args = ['generate', input, '--base-url', refusing.baseURL, '--model', 'test-model-a', '--seed', '3', '--concurrency', '1', '--api-key-env', ENV];
      const quiet = await cli(...args, '-o', path.join(dir, 'quiet.jsonl'));
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.doesNotMatch(quiet.stderr, /retry in|refused/);
      refusing.setFaults([{ kind: 'server-error', status: 503, count: 1 }]);
      const loud = await cli(...args, '-o', path.join(dir, 'loud.jsonl'), '--verbose');
      assert.equal(loud.code, 0, loud.stderr);
      assert.match(loud.stderr, /server error \(503\).*; retry in \d+ ms/);
      assert.match(loud.stderr, /the endpoint refused `seed`; requests to it go without `seed` from now on/);
      assert.ok(!loud.stderr.includes(KEY));
    } finally {
      await refusing.close();
    }
  });

  it('a key that a hostile server echoes back is redacted in what the CLI prints', async () => {
    server.setFaults([{ kind: 'echo-auth' }]);
    const r = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '--api-key-env', ENV);
    assert.equal(r.code, 1);
    assert.ok(!r.stderr.includes(KEY) && !r.stdout.includes(KEY));
    assert.ok(!allText(dir).includes(KEY));
    assert.match(fs.readFileSync(path.join(dir, 'chat.candidates.jsonl.failures.jsonl'), 'utf8'), /REDACTED/);
  });

  it('a key echoed in a 200 answer is redacted in the candidates file, and in a judge reply cut at 200 characters', async () => {
    server.setFaults([{ kind: 'echo-key-ok', when: (q) => (q.body as { model?: string }).model === 'test-model-b' }]);
    const r = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '--model', 'test-model-b', '--api-key-env', ENV);
    assert.equal(r.code, 0, r.stderr);
    const out = path.join(dir, 'chat.candidates.jsonl');
    const rows = readLines(out);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal((row.responses as { content: string }[])[1].content, 'Your key is [REDACTED] — thanks.');
    assert.ok(!allText(dir).includes(KEY));

    // The judge's reply names no verdict and carries the key from its 194th character: a reason
    // cut to 200 characters before redaction kept "sk-proj", too short for the redactor to see.
    server.setFaults([{ kind: 'echo-key-ok', echoPrefix: 'x'.repeat(193) }]);
    const j = await cli('judge', out, '--base-url', server.baseURL, '--model', 'judge-model', '--api-key-env', ENV);
    assert.equal(j.code, 1, j.stderr);
    const failures = fs.readFileSync(path.join(dir, 'chat.candidates.judgements.failures.jsonl'), 'utf8');
    assert.match(failures, /no verdict in the judge's reply/);
    assert.ok(!failures.includes(KEY.slice(0, 7)), failures.slice(0, 600));
    assert.ok(!allText(dir).includes(KEY) && !j.stderr.includes(KEY) && !j.stdout.includes(KEY));
  });

  it('sends a key over plain http only to loopback, or to another host with --allow-http-key', async () => {
    // A server on this machine reached through an address that is not loopback stands for a remote host.
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const open = await start({ host: '0.0.0.0' });
    try {
      for (const host of ['127.0.0.2', 'localhost']) {
        const r = await cli('generate', input, '--base-url', `http://${host}:${open.port}/v1`, '--model', 'test-model-a', '--api-key-env', ENV, '-o', path.join(dir, `${host}.jsonl`));
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(chats(open), 6);
      assert.ok(open.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`));
      if (!lan) return; // no address but loopback on this machine: nothing more to try
      const remote = `http://${lan}:${open.port}/v1`;
      const refused = await cli('generate', input, '--base-url', remote, '--model', 'test-model-a', '--api-key-env', ENV, '-o', path.join(dir, 'lan.jsonl'));
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, new RegExp(`refusing to send the API key of endpoint "${lan.replace(/\./g, '\\.')}:${open.port}" over plain http .*--allow-http-key`));
      assert.equal(chats(open), 6, 'nothing was sent');
      assert.ok(!fs.existsSync(path.join(dir, 'lan.jsonl')));
      // Without a key nothing secret travels: allowed.
      delete process.env[ENV];
      const keyless = await cli('generate', input, '--base-url', remote, '--model', 'test-model-a', '--api-key-env', ENV, '-o', path.join(dir, 'lan-keyless.jsonl'));
      assert.equal(keyless.code, 0, keyless.stderr);
      process.env[ENV] = KEY;
      const optedIn = await cli('generate', input, '--base-url', remote, '--model', 'test-model-a', '--api-key-env', ENV, '-o', path.join(dir, 'lan.jsonl'), '--allow-http-key');
      assert.equal(optedIn.code, 0, optedIn.stderr);
      assert.equal(chats(open), 12);
      assert.equal(open.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
      for (const command of ['judge', 'synth']) {
        const extra = command === 'synth' ? ['--topic', 't', '--count', '1'] : [];
        const r = await cli(command, path.join(dir, 'lan.jsonl'), ...extra, '--base-url', remote, '--model', 'test-model-a', '--api-key-env', ENV);
        assert.equal(r.code, 2, `${command}: ${r.stderr}`);
        assert.match(r.stderr, /over plain http/);
      }
      assert.equal(chats(open), 12);
    } finally {
      await open.close();
    }
  });

  it('refuses a key on the command line and bad options with exit 2', async () => {
    const k = await cli('generate', input, '--base-url', server.baseURL, '--model', 'm', '--api-key', KEY);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /never taken on the command line/);
    assert.ok(!k.stderr.includes(KEY));
    assert.equal((await cli('generate', input, '--model', 'm')).code, 2);
    assert.equal((await cli('generate', input, '--base-url', server.baseURL, '--model', 'm', '-n', '0')).code, 2);
    assert.equal((await cli('generate', path.join(dir, 'missing.jsonl'), '--base-url', server.baseURL, '--model', 'm')).code, 2);
    assert.equal((await cli('judge', path.join(dir, 'missing.jsonl'), '--base-url', server.baseURL, '--model', 'm')).code, 2);
    // An output made with other settings is refused, not mixed.
    const out = path.join(dir, 'o.jsonl');
    assert.equal((await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '-o', out)).code, 0);
    const other = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-b', '-o', out);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /other targets/);
    assert.equal(chats(server), 3);
  });

  it('refuses an output that is the input (generate -o INPUT, judge --out CANDIDATES): exit 2, no request, the file unchanged', async () => {
    const before = fs.readFileSync(input, 'utf8');
    const g = await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '-o', input);
    assert.equal(g.code, 2);
    assert.match(g.stderr, /is an input; inputs are never overwritten/);
    const out = path.join(dir, 'c.jsonl');
    assert.equal((await cli('generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '-n', '2', '-o', out)).code, 0);
    const requests = chats(server);
    const candidates = fs.readFileSync(out, 'utf8');
    const j = await cli('judge', out, '--base-url', server.baseURL, '--model', 'test-model-a', '--out', out);
    assert.equal(j.code, 2);
    assert.match(j.stderr, /is an input; inputs are never overwritten/);
    assert.equal(chats(server), requests);
    assert.equal(fs.readFileSync(input, 'utf8'), before);
    assert.equal(fs.readFileSync(out, 'utf8'), candidates);
  });

  it('reads prompt-only JSONL ({"prompt": ...}) that no format module claims', async () => {
    const po = path.join(dir, 'prompts.jsonl');
    fs.writeFileSync(po, '{"prompt":"Why is the sky blue?"}\n{"prompt":[{"role":"user","content":"Hello"}],"id":7}\n{"text":"no prompt here"}\n');
    const r = await cli('generate', po, '--base-url', server.baseURL, '--model', 'test-model-a');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /prompts\.jsonl:3: skipped: /);
    const rows = readLines(path.join(dir, 'prompts.candidates.jsonl'));
    assert.deepEqual(rows.map((x) => x.id).sort(), ['7', rows.find((x) => x.id !== '7')!.id].sort());
    assert.equal(rows.length, 2);
  });
});
