import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { DEFAULT_RETRY_POLICY, MAX_RETRY_AFTER_MS, MalformedResponseError, attemptsAllowed, backoffDelay, classifyFailure, parseRetryAfter } from '../../../src/core/generation/retryPolicy';
import { seededRandom } from '../../../src/core/base/random';

describe('retry policy', () => {
  it('reads retry-after-ms first, then Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' }), now), 2000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now), 500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now), 3000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '-4' }), now), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('a Retry-After beyond a day is a day: 10^12 s, 1e300 ms or a date centuries ahead stop nothing for good', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    for (const h of [{ 'retry-after': '1000000000000' }, { 'retry-after-ms': '1e300' }, { 'retry-after': 'Fri, 01 Jan 2500 00:00:00 GMT' }] as Record<string, string>[]) {
      assert.equal(parseRetryAfter(new Headers(h), now), MAX_RETRY_AFTER_MS, JSON.stringify(h));
    }
    assert.equal(MAX_RETRY_AFTER_MS, 86_400_000);
    // Hours, as a daily quota asks, are kept.
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '7200' }), now), 7_200_000);
  });

  it('backs off exponentially with full jitter, reproducibly from a seed, never under Retry-After', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    const a = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p, seededRandom(42)));
    const b = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p, seededRandom(42)));
    assert.deepEqual(a, b);
    [100, 200, 400, 800, 1000, 1000].forEach((cap, i) => assert.ok(a[i] >= 0 && a[i] <= cap, `retry ${i + 1}: ${a[i]} > ${cap}`));
    const rnd = seededRandom(3);
    const many = Array.from({ length: 200 }, () => backoffDelay(3, p, rnd));
    assert.ok(Math.min(...many) < 100 && Math.max(...many) > 300, 'jitter spreads over [0, cap]');
    assert.equal(backoffDelay(1, p, () => 0.5, 5000), 5000);
    assert.equal(backoffDelay(1, p, () => 0.5, 10 * 60_000), p.maxRetryAfterMs);
  });

  it('classifies the client errors and bounds the attempts per kind', () => {
    const h = new Headers({ 'retry-after': '1' });
    assert.deepEqual(classifyFailure(APIError.generate(429, { message: 'slow down' }, undefined, h)), { kind: 'rate-limit', status: 429, retryAfterMs: 1000 });
    assert.equal(classifyFailure(APIError.generate(503, undefined, 'busy', new Headers())).kind, 'server');
    assert.equal(classifyFailure(APIError.generate(408, undefined, 'timeout', new Headers())).kind, 'server');
    assert.equal(classifyFailure(APIError.generate(401, undefined, 'no', new Headers())).kind, 'client');
    assert.equal(classifyFailure(new APIConnectionTimeoutError()).kind, 'timeout');
    assert.equal(classifyFailure(new APIConnectionError({ message: 'reset' })).kind, 'connection');
    assert.equal(classifyFailure(new APIUserAbortError()).kind, 'aborted');
    assert.equal(classifyFailure(new SyntaxError('Unexpected end of JSON input')).kind, 'malformed');
    assert.equal(classifyFailure(new MalformedResponseError('no choices')).kind, 'malformed');
    assert.equal(attemptsAllowed('client', DEFAULT_RETRY_POLICY), 1);
    assert.equal(attemptsAllowed('rate-limit', DEFAULT_RETRY_POLICY), DEFAULT_RETRY_POLICY.maxAttempts);
    assert.equal(attemptsAllowed('timeout', DEFAULT_RETRY_POLICY), DEFAULT_RETRY_POLICY.maxTransientAttempts);
  });
});
