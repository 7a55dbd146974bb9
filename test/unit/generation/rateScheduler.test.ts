import * as assert from 'node:assert/strict';
import { RateScheduler, maxStartsInAnyWindow, type Permit } from '../../../src/core/generation/rateScheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RateScheduler', () => {
  it('never runs more than maxConcurrency at once and serves waiters first come first served', async () => {
    const s = new RateScheduler({ maxConcurrency: 3 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const p = await s.acquire(1);
        order.push(i);
        active++;
        peak = Math.max(peak, active);
        await sleep(5 + (i % 3));
        active--;
        p.release();
      }),
    );
    assert.equal(peak, 3);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(s.activeCount, 0);
  });

  it('a burst at t=0 still respects the limit in every sliding window (not a bucket that refills)', async () => {
    const s = new RateScheduler({ maxConcurrency: 100, requestsPerMinute: 5, windowMs: 200, marginMs: 0 }, true);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 17 }, () => s.acquire(0).then((p) => p.release())));
    const starts = s.startLog ?? [];
    assert.equal(starts.length, 17);
    assert.ok(maxStartsInAnyWindow(starts, 200) <= 5, `max ${maxStartsInAnyWindow(starts, 200)}`);
    // 17 starts at 5 per 200 ms: the last group cannot start before 3 windows have passed.
    assert.ok(Date.now() - t0 >= 600);
  });

  it('holds requests while the token budget of the window is spent, and corrects it with real usage', async () => {
    const s = new RateScheduler({ maxConcurrency: 10, tokensPerMinute: 1000, windowMs: 300, marginMs: 0 });
    const a = await s.acquire(600);
    let bStarted = false;
    const b = s.acquire(600).then((p) => {
      bStarted = true;
      return p;
    });
    await sleep(30);
    assert.equal(bStarted, false, '600 + 600 > 1000 within the window');
    // The first request really used 100 tokens: the second fits now.
    a.release(100);
    (await b).release(600);
    assert.equal(bStarted, true);
    // 100 + 600 used: a third of 600 must wait for the window to pass.
    const t = Date.now();
    (await s.acquire(600)).release();
    assert.ok(Date.now() - t >= 250, `waited ${Date.now() - t} ms`);
  });

  it('lets a request larger than the whole budget run when the window is empty', async () => {
    const s = new RateScheduler({ maxConcurrency: 1, tokensPerMinute: 100, windowMs: 10_000 });
    const p = await s.acquire(5000);
    p.release();
  });

  it('pauseUntil holds every start until then', async () => {
    const s = new RateScheduler({ maxConcurrency: 4 });
    const t = Date.now();
    s.pauseUntil(t + 120);
    (await s.acquire(1)).release();
    assert.ok(Date.now() - t >= 115);
  });

  it('an aborted waiter leaves the queue and the next one proceeds', async () => {
    const s = new RateScheduler({ maxConcurrency: 1 });
    const first = await s.acquire(1);
    const ac = new AbortController();
    const cancelled = s.acquire(1, ac.signal);
    const next = s.acquire(1);
    ac.abort();
    await assert.rejects(cancelled, { name: 'AbortError' });
    assert.equal(s.queuedCount, 1);
    first.release();
    const p: Permit = await next;
    p.release();
    assert.equal(s.activeCount, 0);
    await assert.rejects(s.acquire(1, ac.signal), { name: 'AbortError' });
  });

  it('counts admitted-but-unsent requests, and times the window from when they are sent', async () => {
    const s = new RateScheduler({ maxConcurrency: 10, requestsPerMinute: 2, windowMs: 150, marginMs: 0 }, true);
    const a = await s.acquire(0);
    const b = await s.acquire(0);
    let third: Permit | undefined;
    const c = s.acquire(0).then((p) => (third = p));
    // Neither is sent yet: both still count, however long they wait.
    await sleep(200);
    assert.equal(third, undefined);
    const sentAt = Date.now();
    a.markSent();
    b.markSent();
    await sleep(60);
    assert.equal(third, undefined, 'the window runs from the sends, not from admission');
    (await c).release();
    assert.ok(Date.now() - sentAt >= 150);
    a.release();
    b.release();
    assert.equal(s.startLog?.length, 3);
  });

  it('maxStartsInAnyWindow counts a closed window', () => {
    assert.equal(maxStartsInAnyWindow([0, 100, 1000, 1001], 1000), 3);
    assert.equal(maxStartsInAnyWindow([0, 1001, 2002], 1000), 1);
    assert.equal(maxStartsInAnyWindow([], 1000), 0);
  });
});
