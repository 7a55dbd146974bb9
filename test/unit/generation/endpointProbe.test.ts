import * as assert from 'node:assert/strict';
import { start, type TestServer } from '../../support/openaiTestServer';
import { listModels, testConnection } from '../../../src/core/generation/endpointProbe';
import type { EndpointConfig } from '../../../src/core/generation/endpoint';

// A fake key, assembled at run time so secret scanners do not take the source for a leak.
const PROBE_KEY = ['sk', 'probe', '0123456789abcdef'].join('-');

describe('listModels and testConnection', () => {
  let server: TestServer;
  let ep: EndpointConfig;
  beforeEach(async () => {
    server = await start({ models: ['llama-3-8b', 'qwen2-7b'] });
    ep = { name: 'lm', baseURL: server.baseURL, models: [], maxConcurrency: 2, timeoutSeconds: 2 };
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists the models the server offers, without an Authorization header for a keyless endpoint', async () => {
    assert.deepEqual(await listModels(ep, undefined), ['llama-3-8b', 'qwen2-7b']);
    assert.equal(server.requests[0].url, '/v1/models');
    assert.equal(server.requests[0].headers.authorization, undefined);
  });

  it('testConnection sends one tiny chat request to the first model', async () => {
    const r = await testConnection(ep, PROBE_KEY);
    assert.equal(r.ok, true, r.message);
    assert.equal(r.model, 'llama-3-8b');
    assert.deepEqual(r.models, ['llama-3-8b', 'qwen2-7b']);
    const chat = server.requests.find((q) => q.url === '/v1/chat/completions');
    assert.equal((chat?.body as { max_tokens: number }).max_tokens, 1);
    assert.equal(chat?.headers.authorization, `Bearer ${PROBE_KEY}`);
  });

  it('reports a failure as redacted text, without retrying', async () => {
    server.setFaults([{ kind: 'echo-auth' }]);
    const key = PROBE_KEY;
    const r = await testConnection({ ...ep, models: ['qwen2-7b'] }, key);
    assert.equal(r.ok, false);
    assert.ok(r.message && !r.message.includes('0123456789abcdef') && /refused \(400\)/.test(r.message), r.message);
    assert.equal(server.requests.filter((q) => q.url === '/v1/chat/completions').length, 1);
  });

  it('reports an unreachable endpoint and a bad configuration', async () => {
    const port = server.port;
    await server.close();
    const down = await testConnection({ ...ep, models: ['x'], baseURL: `http://127.0.0.1:${port}/v1` }, undefined);
    assert.equal(down.ok, false);
    assert.match(down.message ?? '', /connection failed/);
    await assert.rejects(listModels({ ...ep, baseURL: 'ftp://example' }, undefined), /http or https/);
    server = await start();
  });
});
