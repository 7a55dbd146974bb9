import * as assert from 'node:assert/strict';
import { BufferedResponse } from '../../../src/core/generation/nodeHttpFetch';

const init = () => ({ status: 200, statusText: 'OK', headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'req_1' }) });
const bytes = () => Buffer.from(JSON.stringify({ choices: [{ message: { content: 'héllo 数据' } }] }), 'utf8');

describe('BufferedResponse (the node-http transport\'s in-memory body)', () => {
  it('is a Response with status and headers, answering json() and text() from its bytes', async () => {
    const r = new BufferedResponse(bytes(), init());
    assert.ok(r instanceof Response);
    assert.equal(r.status, 200);
    assert.equal(r.ok, true);
    assert.equal(r.headers.get('x-request-id'), 'req_1');
    assert.equal(r.bodyUsed, false);
    assert.deepEqual(await r.json(), { choices: [{ message: { content: 'héllo 数据' } }] });
    assert.equal(r.bodyUsed, true);
    await assert.rejects(() => r.text(), TypeError, 'a body is read once, as with any Response');
    assert.equal(await new BufferedResponse(bytes(), init()).text(), bytes().toString('utf8'));
    assert.deepEqual(new Uint8Array(await new BufferedResponse(bytes(), init()).arrayBuffer()), new Uint8Array(bytes()));
  });

  it('rejects json() on a body that is not JSON, like the platform', async () => {
    await assert.rejects(() => new BufferedResponse(Buffer.from('<html>'), init()).json(), SyntaxError);
  });

  it('streams its bytes through body, and clone() gives two readable copies', async () => {
    const r = new BufferedResponse(bytes(), init());
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    assert.equal(Buffer.concat(chunks).toString('utf8'), bytes().toString('utf8'));
    assert.equal(r.bodyUsed, true);

    const a = new BufferedResponse(bytes(), init());
    const b = a.clone();
    assert.equal(await b.text(), bytes().toString('utf8'));
    assert.deepEqual(await a.json(), JSON.parse(bytes().toString('utf8')));
  });
});
