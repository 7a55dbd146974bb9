import * as assert from 'node:assert/strict';
import { start, type TestServer } from '../../support/openaiTestServer';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import type { EndpointConfig } from '../../../src/core/generation/endpoint';
import { seededRandom } from '../../../src/core/base/random';
import { maxStartsInAnyWindow } from '../../../src/core/generation/rateScheduler';

const KEY = ['sk', 'test', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('-');
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 };

function endpoint(server: TestServer, over: Partial<EndpointConfig> = {}): EndpointConfig {
  return { name: 'local', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 4, timeoutSeconds: 5, ...over };
}

function chatRequests(server: TestServer) {
  return server.requests.filter((r) => r.url === '/v1/chat/completions');
}

describe('EndpointPool and servers that refuse a seed', () => {
  for (const style of ['openai', 'fastapi'] as const) {
    it(`sends the request again without \`seed\`, then never sends it to that endpoint (${style}-style refusal)`, async () => {
      const server = await start({ refuseParams: { names: ['seed'], style } });
      const logs: string[] = [];
      try {
        const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY, log: (l) => logs.push(l) });
        const ask = (seed?: number) => pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5, ...(seed !== undefined ? { seed } : {}) });
        const first = await ask(7);
        assert.ok(first.ok, JSON.stringify(first));
        assert.deepEqual(first.sentWithout, ['seed']);
        assert.deepEqual(chatRequests(server).map((r) => (r.body as { seed?: number }).seed), [7, undefined]);
        const second = await ask(8);
        assert.ok(second.ok && second.attempts === 1);
        assert.deepEqual(chatRequests(server).map((r) => (r.body as { seed?: number }).seed), [7, undefined, undefined]);
        assert.equal(pool.stats.retries, 0, 'a refused parameter is not a retry');
        assert.equal(logs.filter((l) => /refused `seed`/.test(l)).length, 1);
        // Without a seed to drop, a refusal is what it is.
        const plain = await ask();
        assert.ok(plain.ok && plain.sentWithout === undefined);
      } finally {
        await server.close();
      }
    });
  }

  it('fails a request whose refusal names no optional parameter, as before', async () => {
    const server = await start();
    try {
      const pool = new EndpointPool({ endpoints: [endpoint(server, { models: ['missing-model'] })], retry: FAST_RETRY });
      const r = await pool.chat('local', { model: 'missing-model', messages: [{ role: 'user', content: 'Hi' }], seed: 1 });
      assert.ok(!r.ok && r.kind === 'client' && r.status === 404);
      assert.equal(chatRequests(server).length, 1);
    } finally {
      await server.close();
    }
  });
});

describe('EndpointPool against a real OpenAI-compatible server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends model, messages and parameters, the bearer key and extra headers', async () => {
    const pool = new EndpointPool({ endpoints: [endpoint(server, { extraHeaders: { 'X-Team': 'red' } })], apiKeys: { local: KEY } });
    const r = await pool.chat('local', {
      model: 'test-model-a',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Name a colour.' },
      ],
      temperature: 0.7,
      max_tokens: 64,
      top_p: 0.9,
      seed: 11,
    });
    assert.ok(r.ok);
    const [req] = chatRequests(server);
    assert.equal(req.method, 'POST');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req.headers['x-team'], 'red');
    assert.equal(req.headers['openai-organization'], undefined);
    const body = req.body as Record<string, unknown>;
    assert.equal(body.model, 'test-model-a');
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Name a colour.' },
    ]);
    assert.equal(body.temperature, 0.7);
    assert.equal(body.max_tokens, 64);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.seed, 11);
    assert.equal(body.n, undefined);
    assert.match(r.choices[0].content, /^\[test-model-a#[0-9a-f]{8}\] re: Name a colour\./);
    assert.ok(r.usage && r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0);
    assert.equal(pool.stats.tokensIn, r.usage.prompt_tokens);
  });

  for (const transport of ['node-http', 'fetch'] as const) {
    it(`sends no Authorization header at all when the endpoint has no key, even with OPENAI_API_KEY set (${transport} transport)`, async () => {
      const saved = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = ['sk', 'from', 'environment-should-not-leak-123456'].join('-');
      try {
        const pool = new EndpointPool({ endpoints: [endpoint(server, { extraHeaders: { 'X-Team': 'blue' } })], transport });
        const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
        assert.ok(r.ok);
        pool.close();
      } finally {
        if (saved === undefined) delete process.env.OPENAI_API_KEY;
        else process.env.OPENAI_API_KEY = saved;
      }
      const [req] = chatRequests(server);
      assert.equal(req.headers.authorization, undefined);
      assert.equal(req.headers['x-team'], 'blue');
      assert.ok(!req.rawBody.includes('should-not-leak'));
      assert.ok(!JSON.stringify(req.headers).includes('should-not-leak'));
    });
  }

  it('with the fetch transport too, sends the key when there is one and survives a dropped connection', async () => {
    server.setFaults([{ kind: 'drop', count: 1 }]);
    const pool = new EndpointPool({ endpoints: [endpoint(server)], apiKeys: { local: KEY }, transport: 'fetch', retry: FAST_RETRY });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(r.ok && r.attempts === 2);
    assert.ok(chatRequests(server).every((q) => q.headers.authorization === `Bearer ${KEY}`));
  });

  it('returns n choices from one request', async () => {
    const pool = new EndpointPool({ endpoints: [endpoint(server)] });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }], n: 3, temperature: 1 });
    assert.ok(r.ok);
    assert.equal(r.choices.length, 3);
    assert.equal(new Set(r.choices.map((c) => c.content)).size, 3);
    assert.equal((chatRequests(server)[0].body as { n: number }).n, 3);
  });

  it('retries 429 honouring retry-after-ms, and Retry-After in seconds, then succeeds', async () => {
    server.setFaults([
      { kind: 'rate-limit', count: 1, retryAfterMs: 150 },
      { kind: 'rate-limit', count: 1, retryAfterSeconds: 0.3 },
    ]);
    const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY, random: seededRandom(1) });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(r.ok);
    assert.equal(r.attempts, 3);
    const t = chatRequests(server).map((q) => q.arrivedAt);
    assert.ok(t[1] - t[0] >= 140, `second attempt after ${t[1] - t[0]} ms, asked 150`);
    assert.ok(t[2] - t[1] >= 290, `third attempt after ${t[2] - t[1]} ms, asked 300`);
  });

  it('takes a JSON answer labelled text/plain for what it is, in both transports', async () => {
    for (const transport of ['node-http', 'fetch'] as const) {
      server.setFaults([{ kind: 'text-plain' }]);
      const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY, transport });
      const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.equal(r.attempts, 1);
      assert.match(r.choices[0].content, /^\[test-model-a#[0-9a-f]{8}\] re: hi/);
      assert.ok(r.usage && r.usage.prompt_tokens > 0);
      pool.close();
    }
  });

  it('a Retry-After longer than a run waits fails at once, saying until when; nothing more is sent, and the pause outlives the pool', async () => {
    server.setFaults([{ kind: 'rate-limit', count: 1, retryAfterSeconds: 3600 }]);
    const notices: string[] = [];
    const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY, notice: (l) => notices.push(l) });
    const ask = (p: EndpointPool) => p.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
    const t0 = Date.now();
    const r = await ask(pool);
    assert.ok(Date.now() - t0 < 2_000, 'not held for an hour, nor for 120 s');
    assert.ok(!r.ok && r.kind === 'rate-limit' && r.attempts === 1);
    assert.match(!r.ok ? r.reason : '', /the server asks to wait (3600|3599) s \(until .+\), longer than Pairwise waits within a run \(120 s\); nothing is sent to it until then\. Run the same command again after that time/);
    const again = await ask(pool);
    assert.ok(!again.ok && again.attempts === 0, 'not sent');
    assert.equal(chatRequests(server).length, 1);
    assert.equal(notices.length, 1, 'said once');
    assert.match(notices[0], /^\[local\] rate limited \(429\): the server asks to wait/);
    // A later run (a new pool given the saved state) honours the same pause.
    const state = pool.exportRateState();
    const paused = (state[`local|${server.baseURL}`] as { pausedUntil?: number }).pausedUntil ?? 0;
    assert.ok(Math.abs(paused - (t0 + 3_600_000)) < 5_000, String(paused - t0));
    const later = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY });
    later.importRateState(JSON.parse(JSON.stringify(state)) as Record<string, unknown>);
    const third = await ask(later);
    assert.ok(!third.ok && third.attempts === 0);
    assert.equal(chatRequests(server).length, 1);
    // A saved pause beyond what a server may ask for (a day) is cut to a day.
    const forever = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY });
    forever.importRateState({ [`local|${server.baseURL}`]: { sends: [], tokens: [], pausedUntil: 1e300 } });
    const cut = (forever.exportRateState()[`local|${server.baseURL}`] as { pausedUntil?: number }).pausedUntil ?? 0;
    assert.ok(cut <= Date.now() + 86_400_000 && cut > Date.now() + 86_000_000, String(cut - Date.now()));
  });

  it('requests in flight that all get a long Retry-After give one notice, not one each', async () => {
    server.setFaults([{ kind: 'rate-limit', count: 3, retryAfterSeconds: 3600 }]);
    const notices: string[] = [];
    const pool = new EndpointPool({ endpoints: [endpoint(server, { maxConcurrency: 3 })], retry: FAST_RETRY, notice: (l) => notices.push(l) });
    const rs = await Promise.all([1, 2, 3].map((i) => pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: `q${i}` }] })));
    assert.ok(rs.every((r) => !r.ok && r.kind === 'rate-limit'));
    assert.equal(notices.length, 1, notices.join('\n'));
    pool.close();
  });

  it('a 429 with Retry-After holds back the other requests to that endpoint', async () => {
    server.setFaults([{ kind: 'rate-limit', count: 1, retryAfterMs: 300 }]);
    const pool = new EndpointPool({ endpoints: [endpoint(server, { maxConcurrency: 1 })], retry: FAST_RETRY });
    const first = pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'one' }] });
    await new Promise((r) => setTimeout(r, 50));
    const second = pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'two' }] });
    assert.ok((await first).ok && (await second).ok);
    const t = chatRequests(server).map((q) => q.arrivedAt);
    assert.equal(t.length, 3);
    assert.ok(t[1] - t[0] >= 290 && t[2] - t[0] >= 290, `requests after the 429 came at +${t[1] - t[0]} and +${t[2] - t[0]} ms`);
  });

  for (const status of [500, 503]) {
    it(`retries a ${status} and succeeds`, async () => {
      server.setFaults([{ kind: 'server-error', status, count: 2 }]);
      const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY });
      const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
      assert.ok(r.ok);
      assert.equal(r.attempts, 3);
    });
  }

  it('gives up on persistent 5xx after maxAttempts with a clear reason', async () => {
    server.setFaults([{ kind: 'server-error', status: 503 }]);
    const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: { ...FAST_RETRY, maxAttempts: 4 } });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.kind === 'server' && r.status === 503 && r.attempts === 4);
    assert.ok(!r.ok && /server error \(503\).*after 4 attempts/.test(r.reason), !r.ok ? r.reason : '');
    assert.equal(chatRequests(server).length, 4);
  });

  it('recovers from a stall past the timeout, a dropped connection, invalid JSON and a missing choices list', async () => {
    server.setFaults([
      { kind: 'stall', count: 1, stallMs: 5000 },
      { kind: 'drop', count: 1 },
      { kind: 'invalid-json', count: 1 },
      { kind: 'no-choices', count: 1 },
    ]);
    const logs: string[] = [];
    const pool = new EndpointPool({ endpoints: [endpoint(server, { timeoutSeconds: 0.3 })], retry: { ...FAST_RETRY, maxTransientAttempts: 3 }, log: (l) => logs.push(l) });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'a' }] });
    assert.ok(r.ok, !r.ok ? r.reason : '');
    // Each kind has its own budget of 3 attempts; malformed twice (invalid JSON, no choices) is within it.
    assert.equal(r.attempts, 5);
    assert.equal(chatRequests(server).length, 5);
    for (const re of [/timed out/, /connection failed/, /malformed answer/, /answer has no choices/]) {
      assert.ok(logs.some((l) => re.test(l)), `${re} in\n${logs.join('\n')}`);
    }
  });

  it('records timeouts, resets and malformed answers as failures once the budget is spent', async () => {
    const cases: [Parameters<TestServer['setFaults']>[0][number], RegExp][] = [
      [{ kind: 'stall', stallMs: 5000 }, /^timed out/],
      [{ kind: 'drop' }, /^connection failed/],
      [{ kind: 'truncate' }, /^connection failed/],
      [{ kind: 'invalid-json' }, /^malformed answer/],
      [{ kind: 'no-choices' }, /^malformed answer: answer has no choices/],
    ];
    for (const [fault, re] of cases) {
      server.setFaults([fault]);
      const before = chatRequests(server).length;
      const pool = new EndpointPool({ endpoints: [endpoint(server, { timeoutSeconds: 0.2 })], retry: { ...FAST_RETRY, maxTransientAttempts: 2 } });
      const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(r.ok, false);
      assert.ok(!r.ok && re.test(r.reason), `${fault.kind}: ${!r.ok ? r.reason : ''}`);
      assert.equal(chatRequests(server).length - before, 2, fault.kind);
    }
  });

  it('does not retry a 400 or an unknown model', async () => {
    server.setFaults([{ kind: 'status', status: 400, count: 1 }]);
    const pool = new EndpointPool({ endpoints: [endpoint(server)], retry: FAST_RETRY });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(!r.ok && r.kind === 'client' && r.status === 400 && r.attempts === 1);
    const m = await pool.chat('local', { model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(!m.ok && m.status === 404 && /no-such-model/.test(m.reason));
    assert.equal(chatRequests(server).length, 2);
  });

  it('redacts the key when a server echoes it back in an error', async () => {
    server.setFaults([{ kind: 'echo-auth' }]);
    const logs: string[] = [];
    const pool = new EndpointPool({ endpoints: [endpoint(server)], apiKeys: { local: KEY }, log: (l) => logs.push(l) });
    const r = await pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(!r.ok);
    assert.equal(chatRequests(server)[0].headers.authorization, `Bearer ${KEY}`, 'the server did see the key');
    assert.ok(!r.ok && r.reason.includes('Bearer [REDACTED]'), !r.ok ? r.reason : '');
    assert.ok(!r.ok && !r.reason.includes(KEY.slice(3)));
    assert.ok(logs.length > 0 && logs.every((l) => !l.includes(KEY.slice(3))));
  });

  it('cancels at once: a waiting call rejects and a running one is aborted', async () => {
    server.setLatency(2000);
    const pool = new EndpointPool({ endpoints: [endpoint(server, { maxConcurrency: 1 })] });
    const ac = new AbortController();
    const running = pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'x' }] }, ac.signal);
    const waiting = pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: 'y' }] }, ac.signal);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    ac.abort();
    await Promise.all([assert.rejects(running, { name: 'AbortError' }), assert.rejects(waiting, { name: 'AbortError' })]);
    assert.ok(Date.now() - t0 < 500);
    assert.equal(pool.scheduler('local').activeCount, 0);
  });

  it('never starts more than requestsPerMinute requests in any window (window shortened to 1 s)', async () => {
    server.setLatency(100);
    const pool = new EndpointPool({ endpoints: [endpoint(server, { maxConcurrency: 8, requestsPerMinute: 10 })], windowMs: 1000, recordStarts: true });
    const t0 = Date.now();
    const all = await Promise.all(Array.from({ length: 25 }, (_, i) => pool.chat('local', { model: 'test-model-a', messages: [{ role: 'user', content: `q${i}` }] })));
    assert.ok(all.every((r) => r.ok));
    const starts = pool.scheduler('local').startLog ?? [];
    assert.equal(starts.length, 25);
    assert.ok(maxStartsInAnyWindow(starts, 1000) <= 10);
    // The window counts send times, taken as the client sends, not when the answer came back
    // 100 ms later: the i-th send is not after the i-th arrival at the server.
    const sends = [...starts].sort((a, b) => a - b);
    const arrivals = chatRequests(server).map((r) => r.arrivedAt).sort((a, b) => a - b);
    sends.forEach((t, i) => assert.ok(t <= arrivals[i] + 1, `send ${i} at ${t}, arrival ${arrivals[i]}`));
    // (Whether arrivals at the server also respect the window depends on scheduling jitter; the benchmark reports it.)
    // 25 requests at 10 per second: the third batch cannot start before 2 s.
    assert.ok(Date.now() - t0 >= 2000);
  });
});
