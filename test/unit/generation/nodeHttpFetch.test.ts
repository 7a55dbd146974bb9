import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BufferedResponse, createNodeHttpFetch } from '../../../src/core/generation/nodeHttpFetch';

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

describe('createNodeHttpFetch: what a response may hold', () => {
  let server: http.Server;
  let base = '';
  before(async () => {
    // GET /<bytes>: that many bytes, sent in 64 KB chunks a few milliseconds apart (responses in
    // flight overlap); /slow/<bytes>: 50 ms apart.
    server = http.createServer((req, res) => {
      const slow = req.url?.startsWith('/slow/') ?? false;
      let left = Number((req.url ?? '/0').split('/').pop());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(left) });
      const send = (): void => {
        if (left <= 0 || res.destroyed) return void res.end();
        const n = Math.min(left, 64 * 1024);
        left -= n;
        res.write(Buffer.alloc(n, 0x61), () => setTimeout(send, slow ? 50 : 2));
      };
      send();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const causeOf = (e: unknown): string => String(((e as Error).cause as Error | undefined)?.message);

  it('fails a response past its own limit', async () => {
    const f = createNodeHttpFetch({ maxResponseBytes: 300_000 });
    try {
      assert.equal((await (await f.fetch(`${base}/200000`)).arrayBuffer()).byteLength, 200_000);
      await assert.rejects(f.fetch(`${base}/400000`), (e) => causeOf(e) === 'response larger than 300000 bytes');
    } finally {
      f.destroy();
    }
  });

  it('fails the responses that would take what all hold together past its limit, and frees what each held', async () => {
    // Five 600 KB responses at once under 1.5 MB together: some fail, the others arrive whole.
    const f = createNodeHttpFetch({ maxBufferedBytes: 1_500_000 });
    try {
      const got = await Promise.allSettled(Array.from({ length: 5 }, () => f.fetch(`${base}/600000`).then((r) => r.arrayBuffer())));
      const failed = got.filter((g) => g.status === 'rejected');
      assert.ok(failed.length >= 1 && failed.length <= 4, `${failed.length} of 5 failed`);
      for (const g of failed) assert.equal(causeOf((g as PromiseRejectedResult).reason), 'responses being read hold more than 1500000 bytes together');
      for (const g of got) if (g.status === 'fulfilled') assert.equal(g.value.byteLength, 600_000);
      // Failed and finished responses gave their bytes back: a response near the whole limit fits.
      assert.equal((await (await f.fetch(`${base}/1400000`)).arrayBuffer()).byteLength, 1_400_000);
    } finally {
      f.destroy();
    }
  });

  it('gives back what a cancelled response held', async () => {
    const f = createNodeHttpFetch({ maxBufferedBytes: 1_000_000 });
    try {
      const ac = new AbortController();
      const pending = f.fetch(`${base}/slow/900000`, { signal: ac.signal });
      setTimeout(() => ac.abort(), 120);
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
      assert.equal((await (await f.fetch(`${base}/900000`)).arrayBuffer()).byteLength, 900_000);
    } finally {
      f.destroy();
    }
  });
});
