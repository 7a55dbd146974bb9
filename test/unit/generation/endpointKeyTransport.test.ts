/** A key goes over https or to loopback only, unless the endpoint opts in (allowHttpKey). */
import * as assert from 'node:assert/strict';
import { isLoopbackHost, sendsKeyInClear, type EndpointConfig } from '../../../src/core/generation/endpoint';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { listModels, testConnection } from '../../../src/core/generation/endpointProbe';

const KEY = ['sk', 'test', 'transportkey0123456789abcdef'].join('-');

function endpoint(baseURL: string, over: Partial<EndpointConfig> = {}): EndpointConfig {
  return { name: 'e', baseURL, models: ['m'], maxConcurrency: 1, timeoutSeconds: 1, ...over };
}

describe('API keys over plain http', () => {
  it('knows loopback: 127.0.0.0/8, ::1 and localhost, nothing else', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '[::1]', '::1', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['128.0.0.1', '10.0.0.1', '192.168.1.2', 'localhost.example.com', '127.0.0.1.nip.io', 'example.com', '[::2]', '0.0.0.0']) assert.ok(!isLoopbackHost(h), h);
    // The URL parser's normal forms of loopback spellings.
    assert.ok(isLoopbackHost(new URL('http://127.1:80/').hostname));
    assert.ok(isLoopbackHost(new URL('http://0x7f.0.0.1/').hostname));
  });

  it('refuses a key or a credential header over http to another host, unless the endpoint opts in', () => {
    assert.equal(sendsKeyInClear(endpoint('http://10.1.2.3:8000/v1'), KEY), true);
    assert.equal(sendsKeyInClear(endpoint('http://gpu-box.lan/v1', { extraHeaders: { 'api-key': 'azure-secret-123' } }), undefined), true);
    assert.equal(sendsKeyInClear(endpoint('http://gpu-box.lan/v1', { extraHeaders: { 'x-trace': 'abc' } }), undefined), false, 'nothing secret to send');
    assert.equal(sendsKeyInClear(endpoint('http://10.1.2.3:8000/v1'), undefined), false);
    assert.equal(sendsKeyInClear(endpoint('https://10.1.2.3:8000/v1'), KEY), false);
    assert.equal(sendsKeyInClear(endpoint('http://127.0.0.1:11434/v1'), KEY), false);
    assert.equal(sendsKeyInClear(endpoint('http://[::1]:8000/v1'), KEY), false);
    assert.equal(sendsKeyInClear(endpoint('http://10.1.2.3:8000/v1', { allowHttpKey: true }), KEY), false);
  });

  it('every path that builds a client refuses, before any request: the pool, listModels, testConnection', async () => {
    const e = endpoint('http://10.255.255.1:9/v1');
    assert.throws(() => new EndpointPool({ endpoints: [e], apiKeys: { e: KEY } }), /refusing to send the API key of endpoint "e" over plain http to 10\.255\.255\.1:9/);
    await assert.rejects(listModels(e, KEY, { allowHttpKeyHint: 'THE HINT' }), /over plain http .*THE HINT/);
    const r = await testConnection(e, KEY);
    assert.equal(r.ok, false);
    assert.match(r.message ?? '', /over plain http.*allowHttpKey/);
    assert.ok(!(r.message ?? '').includes(KEY));
    // Opted in, the pool is built (no request is made here).
    new EndpointPool({ endpoints: [{ ...e, allowHttpKey: true }], apiKeys: { e: KEY } }).close();
  });
});
