/**
 * Models from the Hub: the real `@huggingface/hub` client against a loopback Hub (test/support/
 * hubTestServer.ts) that serves the project's own chat-template fixtures. Nothing leaves the machine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatTemplateRenderer, fetchHubModel, HubModelError, loadModelFolder, parseHubReference, resolveModelReference, trainerView, TemplateError, type HubReference, type TrainerView } from '../../../src/core/chatTemplate';
import type { Message } from '../../../src/core/model';
import { isCancellation } from '../../../src/core/base';
import { startHubTestServer, testSha, type HubTestRepo, type HubTestServer } from '../../support/hubTestServer';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');
const FAMILIES = ['chatml', 'llama3', 'nosystem', 'reasoning'];
const GOOD_TOKEN = 'hf_good_token_0123456789';
const GATED_TOKEN = 'hf_gated_reader_0123456789';
const BAD_TOKEN = 'hf_secret_bad_token_9876543210';

function fixtureFiles(family: string): Record<string, Buffer> {
  const dir = path.join(FIXTURES, family);
  const out: Record<string, Buffer> = {};
  // reference.json is the fixtures' own, not a model file; served anyway, as a Hub repo holds more than the cache needs.
  for (const f of fs.readdirSync(dir)) out[f] = fs.readFileSync(path.join(dir, f));
  return out;
}

function repoOf(family: string, extra: Partial<HubTestRepo> = {}): HubTestRepo {
  const sha = testSha(family);
  return { refs: { main: sha }, commits: { [sha]: fixtureFiles(family) }, ...extra };
}

function ref(s: string): HubReference {
  const r = parseHubReference(s);
  assert.ok(r, s);
  return r;
}

async function rejectsWith(p: Promise<unknown>, kind: string): Promise<HubModelError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof HubModelError, `a HubModelError, not ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`no error; expected ${kind}`);
}

const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8')) as { name: string; messages: Message[] }[];

function views(folder: string): (TrainerView | string)[] {
  const model = loadModelFolder(folder);
  const renderer = new ChatTemplateRenderer(model.chatTemplate);
  const special = { bos_token: model.bosToken, eos_token: model.eosToken };
  return cases.map((c) => {
    try {
      return trainerView({ type: 'sft', messages: c.messages }, renderer, model.tokenizer, { trainer: 'trl', assistantOnlyLoss: renderer.hasGenerationMarkers }, special);
    } catch (e) {
      if (e instanceof TemplateError) return `error: ${e.message}`;
      throw e;
    }
  });
}

describe('chatTemplate: models from the Hugging Face Hub (loopback Hub)', function () {
  this.timeout(20000);
  let server: HubTestServer;
  let cacheDir: string;
  const devSha = testSha('chatml-dev');

  beforeEach(async () => {
    const chatml = repoOf('chatml');
    // A second branch whose template is llama3's: a revision fetches other files.
    chatml.refs.dev = devSha;
    chatml.commits[devSha] = fixtureFiles('llama3');
    const noTokenizerFiles = fixtureFiles('chatml');
    delete noTokenizerFiles['tokenizer.json'];
    server = await startHubTestServer({
      knownTokens: [GOOD_TOKEN, GATED_TOKEN],
      repos: {
        'pw-test/chatml': chatml,
        'pw-test/llama3': repoOf('llama3'),
        'pw-test/nosystem': repoOf('nosystem'),
        'pw-test/reasoning': repoOf('reasoning'),
        'pw-test/gated': repoOf('chatml', { gated: true, allowedTokens: [GATED_TOKEN] }),
        'pw-test/slow-only': { refs: { main: testSha('slow') }, commits: { [testSha('slow')]: noTokenizerFiles } },
      },
    });
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-hub-cache-'));
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  for (const family of FAMILIES)
    it(`${family}: the fetched folder gives the trainer view of the local fixture folder`, async () => {
      const got = await fetchHubModel(ref(`pw-test/${family}`), { cacheDir, hubUrl: server.url });
      assert.equal(got.sha, testSha(family));
      assert.equal(got.cached, false);
      assert.equal(got.folder, path.join(cacheDir, `models--pw-test--${family}`, 'snapshots', testSha(family)));
      // Only the model files, byte for byte.
      const local = path.join(FIXTURES, family);
      const fetched = fs.readdirSync(got.folder).sort();
      assert.deepEqual(fetched, fs.readdirSync(local).filter((f) => f !== 'reference.json').sort());
      for (const f of fetched) assert.ok(fs.readFileSync(path.join(got.folder, f)).equals(fs.readFileSync(path.join(local, f))), f);
      assert.deepEqual(views(got.folder), views(local));
      // The files were asked for at the resolved commit, never at the moving branch.
      const resolves = server.requests.filter((r) => r.url.includes('/resolve/'));
      assert.ok(resolves.length > 0);
      assert.ok(resolves.every((r) => r.url.includes(`/resolve/${testSha(family)}/`)), JSON.stringify(resolves));
    });

  it('a second call is served from the cache without a request, and offline too', async () => {
    const first = await fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url });
    const n = server.requests.length;
    const again = await fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url });
    assert.deepEqual(again, { ...first, cached: true });
    assert.equal(server.requests.length, n);
    await server.close();
    const offline = await fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url, offline: true });
    assert.equal(offline.folder, first.folder);
    // By sha as well.
    assert.equal((await fetchHubModel(ref(`pw-test/chatml@${first.sha}`), { cacheDir, hubUrl: server.url, offline: true })).folder, first.folder);
  });

  it('offline without a cached copy: a clear error and no request', async () => {
    const e = await rejectsWith(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url, offline: true }), 'notCached');
    assert.match(e.message, /pw-test\/chatml@main/);
    assert.equal(server.requests.length, 0);
  });

  it('@revision: a branch resolves to its commit, kept apart from main; refresh asks again', async () => {
    const dev = await fetchHubModel(ref('pw-test/chatml@dev'), { cacheDir, hubUrl: server.url });
    const main = await fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url });
    assert.equal(dev.sha, devSha);
    assert.notEqual(dev.folder, main.folder);
    assert.equal(loadModelFolder(dev.folder).chatTemplate, fs.readFileSync(path.join(FIXTURES, 'llama3', 'chat_template.jinja'), 'utf8'));
    // The branch moves on the Hub: the cache keeps the old commit until a refresh.
    const repo = server.options.repos['pw-test/chatml'];
    repo.refs.dev = testSha('chatml');
    assert.equal((await fetchHubModel(ref('pw-test/chatml@dev'), { cacheDir, hubUrl: server.url })).sha, devSha);
    const refreshed = await fetchHubModel(ref('pw-test/chatml@dev'), { cacheDir, hubUrl: server.url, refresh: true });
    assert.equal(refreshed.sha, testSha('chatml'));
    assert.equal(refreshed.folder, main.folder);
    assert.equal((await fetchHubModel(ref('pw-test/chatml@dev'), { cacheDir, hubUrl: server.url, offline: true })).sha, testSha('chatml'));
  });

  it('a bad token: a clear error that does not carry the token, though the server echoes it', async () => {
    server.options.echoToken = true;
    const e = await rejectsWith(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url, token: BAD_TOKEN }), 'badToken');
    assert.ok(server.requests.some((r) => r.authorization === `Bearer ${BAD_TOKEN}`), 'the token was sent');
    assert.ok(!e.message.includes(BAD_TOKEN) && !String(e.stack).includes(BAD_TOKEN), e.message);
    assert.ok(!JSON.stringify(e).includes(BAD_TOKEN));
    // Nothing of the failed fetch stays in the cache.
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  it('an unknown repository: 401 without a token, 404 with one, "not found" either way', async () => {
    server.options.echoToken = true;
    await rejectsWith(fetchHubModel(ref('pw-test/none'), { cacheDir, hubUrl: server.url }), 'notFound');
    const e = await rejectsWith(fetchHubModel(ref('pw-test/none'), { cacheDir, hubUrl: server.url, token: GOOD_TOKEN }), 'notFound');
    assert.ok(!e.message.includes(GOOD_TOKEN));
    assert.deepEqual(
      server.requests.map((r) => r.url.split('?')[0]),
      ['/api/models/pw-test/none/revision/main', '/api/models/pw-test/none/revision/main'],
    );
    await rejectsWith(fetchHubModel(ref('pw-test/chatml@nope'), { cacheDir, hubUrl: server.url }), 'revisionNotFound');
  });

  it('a gated repository: "gated" without a token and with a token that has no access; fetched with one that has', async () => {
    server.options.echoToken = true;
    const none = await rejectsWith(fetchHubModel(ref('pw-test/gated'), { cacheDir, hubUrl: server.url }), 'gated');
    assert.match(none.message, /token/);
    const other = await rejectsWith(fetchHubModel(ref('pw-test/gated'), { cacheDir, hubUrl: server.url, token: GOOD_TOKEN }), 'gated');
    assert.ok(!other.message.includes(GOOD_TOKEN), other.message);
    const got = await fetchHubModel(ref('pw-test/gated'), { cacheDir, hubUrl: server.url, token: GATED_TOKEN });
    assert.ok(fs.existsSync(path.join(got.folder, 'tokenizer.json')));
    // No snapshot or staging folder of the failed attempts is left.
    assert.deepEqual(fs.readdirSync(path.dirname(got.folder)), [testSha('chatml')]);
  });

  it('a repository without tokenizer.json: a clear error before any file is fetched', async () => {
    const e = await rejectsWith(fetchHubModel(ref('pw-test/slow-only'), { cacheDir, hubUrl: server.url }), 'noTokenizer');
    assert.match(e.message, /tokenizer\.json/);
    assert.ok(!server.requests.some((r) => r.url.includes('/resolve/')));
  });

  it('the Hub out of reach: a network error that says a cached model works offline', async () => {
    const url = server.url;
    await server.close();
    const e = await rejectsWith(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: url }), 'network');
    assert.match(e.message, /ECONNREFUSED/);
  });

  it('cancelled: before the start, or between files; nothing half-written stays', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url, signal: before.signal }), isCancellation);
    assert.equal(server.requests.length, 0);
    const during = new AbortController();
    await assert.rejects(
      fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url, signal: during.signal, onProgress: (_f, i) => i === 1 && during.abort() }),
      isCancellation,
    );
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'models--pw-test--chatml', 'snapshots')), []);
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'models--pw-test--chatml', 'refs')), []);
  });

  it('writes through no link planted in the cache', async function () {
    if (process.platform === 'win32') this.skip();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-hub-elsewhere-'));
    try {
      fs.symlinkSync(elsewhere, path.join(cacheDir, 'models--pw-test--chatml'));
      await assert.rejects(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url }), /not a folder/);
      fs.unlinkSync(path.join(cacheDir, 'models--pw-test--chatml'));
      fs.mkdirSync(path.join(cacheDir, 'models--pw-test--chatml'));
      fs.symlinkSync(elsewhere, path.join(cacheDir, 'models--pw-test--chatml', 'snapshots'));
      await assert.rejects(fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url }), /not a folder/);
      assert.deepEqual(fs.readdirSync(elsewhere), []);
      // A planted ref link is replaced, not written through.
      fs.unlinkSync(path.join(cacheDir, 'models--pw-test--chatml', 'snapshots'));
      fs.mkdirSync(path.join(cacheDir, 'models--pw-test--chatml', 'refs'));
      const target = path.join(elsewhere, 'victim');
      fs.writeFileSync(target, 'keep');
      fs.symlinkSync(target, path.join(cacheDir, 'models--pw-test--chatml', 'refs', 'main'));
      await fetchHubModel(ref('pw-test/chatml'), { cacheDir, hubUrl: server.url });
      assert.equal(fs.readFileSync(target, 'utf8'), 'keep');
      assert.ok(!fs.lstatSync(path.join(cacheDir, 'models--pw-test--chatml', 'refs', 'main')).isSymbolicLink());
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('resolveModelReference: a folder is itself, an id is fetched, anything else is a clear error', async () => {
    const local = path.join(FIXTURES, 'chatml');
    assert.deepEqual(await resolveModelReference(local, { cacheDir, hubUrl: server.url }), { folder: local });
    const got = await resolveModelReference('pw-test/llama3', { cacheDir, hubUrl: server.url });
    assert.deepEqual(got.hub, { repo: 'pw-test/llama3', sha: testSha('llama3'), cached: false });
    await rejectsWith(resolveModelReference('no/such/folder', { cacheDir, hubUrl: server.url }), 'badReference');
    const e = await rejectsWith(resolveModelReference('models/none', { cacheDir, hubUrl: server.url }), 'notFound');
    assert.match(e.message, /no folder "models\/none"/);
  });
});

describe('chatTemplate: Hub model ids', () => {
  it('org/name with an optional @revision, as the Hub names repositories', () => {
    assert.deepEqual(parseHubReference('Qwen/Qwen2.5-0.5B-Instruct'), { repo: 'Qwen/Qwen2.5-0.5B-Instruct', org: 'Qwen', name: 'Qwen2.5-0.5B-Instruct', revision: undefined });
    assert.equal(parseHubReference('meta-llama/Llama-3.1-8B@refs/pr/12')?.revision, 'refs/pr/12');
    for (const bad of ['gpt2', 'a/b/c', '../x', 'a/..', 'a/b--c', '-a/b', 'a/b.', 'a/b@', 'a/b@../x', 'a/b@x//y', '/a/b', 'a/' + 'b'.repeat(97)]) assert.equal(parseHubReference(bad), undefined, bad);
  });
});
