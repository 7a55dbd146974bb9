/**
 * `pairwise preflight --model org/name[@rev]`: the CLI fetches from the Hub named by HF_ENDPOINT
 * (here a loopback Hub) with the token in HF_TOKEN, into $XDG_CACHE_HOME/pairwise/models.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';
import { modelCacheDir } from '../../../src/cli/modelReference';
import { startHubTestServer, testSha, type HubTestServer } from '../../support/hubTestServer';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');
const TOKEN = 'hf_cli_reader_0123456789';
const BAD_TOKEN = 'hf_cli_secret_bad_0123456789';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

function files(family: string): Record<string, Buffer> {
  const dir = path.join(FIXTURES, family);
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

describe('cli: pairwise preflight --model org/name (loopback Hub)', function () {
  this.timeout(20000);
  const ENV = ['HF_ENDPOINT', 'HF_TOKEN', 'HF_HUB_OFFLINE', 'XDG_CACHE_HOME'] as const;
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};
  let server: HubTestServer;
  let dir: string;
  let data: string;

  beforeEach(async () => {
    for (const k of ENV) saved[k] = process.env[k];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-hub-cli-'));
    data = path.join(dir, 'data.jsonl');
    fs.writeFileSync(data, [{ messages: [{ role: 'system', content: 'be brief.' }, { role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi' }] }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    server = await startHubTestServer({
      knownTokens: [TOKEN],
      echoToken: true,
      repos: {
        'pw-test/chatml': { refs: { main: testSha('chatml') }, commits: { [testSha('chatml')]: files('chatml') } },
        'pw-test/gated': { refs: { main: testSha('nosystem') }, commits: { [testSha('nosystem')]: files('nosystem') }, gated: true, allowedTokens: [TOKEN] },
      },
    });
    process.env.HF_ENDPOINT = server.url;
    process.env.XDG_CACHE_HOME = path.join(dir, 'cache');
    delete process.env.HF_TOKEN;
    delete process.env.HF_HUB_OFFLINE;
  });

  afterEach(async () => {
    for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the report of a Hub id is the report of the same model as a local folder; then offline from the cache', async () => {
    const local = await cli(['preflight', data, '--model', path.join(FIXTURES, 'chatml'), '--trainer', 'trl', '--json']);
    const hub = await cli(['preflight', data, '--model', 'pw-test/chatml', '--trainer', 'trl', '--json']);
    assert.equal(hub.code, local.code, hub.stderr);
    assert.deepEqual(JSON.parse(hub.stdout), JSON.parse(local.stdout));
    assert.match(hub.stderr, /fetching tokenizer\.json of pw-test\/chatml/);
    assert.ok(fs.existsSync(path.join(dir, 'cache', 'pairwise', 'models', 'models--pw-test--chatml', 'snapshots', testSha('chatml'), 'tokenizer.json')));
    await server.close();
    const offline = await cli(['preflight', data, '--model', `pw-test/chatml@${testSha('chatml')}`, '--trainer', 'trl', '--json', '--offline']);
    assert.equal(offline.code, local.code, offline.stderr);
    assert.deepEqual(JSON.parse(offline.stdout), JSON.parse(local.stdout));
    const notCached = await cli(['preflight', data, '--model', 'pw-test/other', '--trainer', 'trl', '--offline']);
    assert.equal(notCached.code, 2);
    assert.match(notCached.stderr, /not in the model cache/);
  });

  it('HF_TOKEN opens a gated model; a bad one is refused without being printed', async () => {
    const none = await cli(['preflight', data, '--model', 'pw-test/gated', '--trainer', 'trl']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /gated/);
    process.env.HF_TOKEN = BAD_TOKEN;
    const bad = await cli(['preflight', data, '--model', 'pw-test/gated', '--trainer', 'trl']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /refused the token/);
    assert.ok(!bad.stderr.includes(BAD_TOKEN) && !bad.stdout.includes(BAD_TOKEN), bad.stderr);
    process.env.HF_TOKEN = TOKEN;
    const ok = await cli(['preflight', data, '--model', 'pw-test/gated', '--trainer', 'trl', '--json']);
    // nosystem's template refuses the system prompt: a finding, so exit 1, and the model was read.
    assert.equal(ok.code, 1, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { counts: { templateErrors: number } }).counts.templateErrors, 1);
  });

  it('neither a folder nor an id is bad usage; the cache folder follows XDG_CACHE_HOME', async () => {
    const r = await cli(['preflight', data, '--model', path.join(dir, 'none'), '--trainer', 'trl']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /neither a model folder nor a Hugging Face model id/);
    assert.equal(modelCacheDir({ XDG_CACHE_HOME: '/x/c' }), path.join('/x/c', 'pairwise', 'models'));
    assert.equal(modelCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'pairwise', 'models'));
  });
});
