/** `pairwise generate --batch` against the real test server (files + batches) on loopback. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import { start, type TestServer } from '../../support/openaiTestServer';

const KEY = ['sk', 'proj', 'CliBatchSecret5566778899aabbccdd'].join('-');
const ENV = 'PAIRWISE_TEST_CLI_BATCH_KEY';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

describe('pairwise generate --batch (CLI)', () => {
  let server: TestServer;
  let dir: string;
  let input: string;
  beforeEach(async () => {
    server = await start({ batch: { pollsToComplete: 3 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cli-batch-'));
    input = path.join(dir, 'prompts.jsonl');
    fs.writeFileSync(input, ['{"prompt": "Why is the sky blue?"}', '{"prompt": "Name a colour"}', '{"prompt": "Say hi"}'].join('\n') + '\n');
    process.env[ENV] = KEY;
  });
  afterEach(async () => {
    delete process.env[ENV];
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, polls in the foreground and merges into OUT; a rerun finds everything done and creates no batch', async () => {
    const args = ['generate', input, '--base-url', server.baseURL, '--model', 'test-model-a', '-n', '2', '--seed', '1', '--api-key-env', ENV, '--batch', '--poll-interval', '0.01'];
    const r = await cli(...args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3 prompts \(trl-prompt-only\); 3 answered, 0 already done, 0 failed request\(s\); 6 requests/);
    const out = path.join(dir, 'prompts.candidates.jsonl');
    const rows = fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { responses: unknown[] });
    assert.equal(rows.length, 3);
    assert.ok(rows.every((x) => x.responses.length === 2));
    assert.equal(server.requests.filter((q) => q.method === 'POST' && q.url === '/v1/batches').length, 1);
    assert.equal(server.requests.filter((q) => q.url === '/v1/chat/completions').length, 0);
    assert.ok(server.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/v1/batches/')).length >= 3, 'polled until completed');
    assert.ok(!fs.existsSync(`${out}.batch.json`));
    const again = await cli(...args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 answered, 3 already done/);
    assert.equal(server.requests.filter((q) => q.method === 'POST' && q.url === '/v1/batches').length, 1);
    for (const f of fs.readdirSync(dir)) assert.ok(!fs.readFileSync(path.join(dir, f), 'utf8').includes(KEY), `${f} holds the key`);
  });
});
