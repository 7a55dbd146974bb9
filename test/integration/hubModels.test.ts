/**
 * Hub models in the real editor: Set / Clear Hugging Face Token keep the token in SecretStorage,
 * and the reference → folder step fetches a gated model from a loopback Hub (HF_ENDPOINT) with it,
 * into the extension's global storage.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import { startHubTestServer, testSha, type HubTestServer } from '../support/hubTestServer';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'chatTemplates');
const TOKEN = 'hf_integration_reader_0123456789';

describe('Hub models (token in SecretStorage, reference → folder)', function () {
  this.timeout(60000);
  let server: HubTestServer;
  const saved = { endpoint: process.env.HF_ENDPOINT, token: process.env.HF_TOKEN };

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
    assert.ok(ext);
    await ext.activate();
    const dir = path.join(FIXTURES, 'chatml');
    const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const sha = testSha('integration-gated');
    server = await startHubTestServer({ knownTokens: [TOKEN], echoToken: true, repos: { 'pw-it/gated': { refs: { main: sha, dev: testSha('integration-dev') }, commits: { [sha]: files, [testSha('integration-dev')]: files }, gated: true, allowedTokens: [TOKEN] } } });
    process.env.HF_ENDPOINT = server.url;
    delete process.env.HF_TOKEN;
  });

  after(async () => {
    await vscode.commands.executeCommand('pairwise.clearHubToken');
    if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved.endpoint;
    if (saved.token !== undefined) process.env.HF_TOKEN = saved.token;
    await server.close();
  });

  it('without a token a gated model is refused; with the stored token it is fetched into global storage; cleared, it is asked again', async () => {
    await vscode.commands.executeCommand('pairwise.clearHubToken');
    await assert.rejects(async () => vscode.commands.executeCommand('pairwise.resolveModelReference', 'pw-it/gated'), /gated model/);
    assert.ok(!server.requests.some((r) => r.authorization !== undefined));

    assert.equal(await vscode.commands.executeCommand('pairwise.setHubToken', { token: TOKEN }), true);
    const folder = await vscode.commands.executeCommand<string>('pairwise.resolveModelReference', 'pw-it/gated');
    assert.equal(path.basename(folder), testSha('integration-gated'));
    assert.ok(fs.existsSync(path.join(folder, 'tokenizer.json')));
    assert.ok(server.requests.some((r) => r.authorization === `Bearer ${TOKEN}`), 'the stored token was sent');
    // The snapshot is in the extension's storage, and holds no token.
    assert.match(folder, /models--pw-it--gated/);
    for (const f of fs.readdirSync(folder)) assert.ok(!fs.readFileSync(path.join(folder, f), 'utf8').includes(TOKEN), f);

    await vscode.commands.executeCommand('pairwise.clearHubToken');
    const n = server.requests.length;
    // The cached copy stays usable without a token or a request…
    assert.equal(await vscode.commands.executeCommand<string>('pairwise.resolveModelReference', 'pw-it/gated'), folder);
    assert.equal(server.requests.length, n);
    // …while files not fetched yet are refused, and the error does not carry a token.
    await assert.rejects(async () => vscode.commands.executeCommand('pairwise.resolveModelReference', 'pw-it/gated@dev'), (e: Error) => /gated model/.test(e.message) && !e.message.includes(TOKEN));
  });

  it('a token that does not start with hf_ is not stored', async () => {
    assert.equal(await vscode.commands.executeCommand('pairwise.setHubToken', { token: 'not-a-token' }), false);
  });
});
