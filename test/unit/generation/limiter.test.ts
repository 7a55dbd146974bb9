import * as assert from 'node:assert/strict';
import { Limiter } from '../../../src/core/generation/limiter';

/** A task the test finishes by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Limiter (bounded concurrency of a job)', () => {
  it('queue() returns only once fewer than max tasks run, so a feeder never has more than max in flight', async () => {
    const limiter = new Limiter(2);
    const tasks = [deferred(), deferred(), deferred()];
    await limiter.queue(tasks[0].promise);
    let third = false;
    const queued = limiter.queue(tasks[1].promise).then(() => {
      third = true;
    });
    await tick();
    assert.equal(limiter.size, 2);
    assert.equal(third, false, 'the feeder waits while 2 tasks run');
    tasks[0].resolve();
    await queued;
    assert.equal(third, true);
    assert.equal(limiter.size, 1);
    tasks[1].resolve();
    await limiter.whenIdle();
    assert.equal(limiter.size, 0);
  });

  it('keeps the first error of a task without rejecting the feeder, drops ignored ones, and calls settled after each task', async () => {
    let settled = 0;
    const limiter = new Limiter(4, { ignore: (e) => e instanceof RangeError, settled: () => settled++ });
    const ignored = deferred();
    const first = deferred();
    const second = deferred();
    await limiter.queue(ignored.promise);
    await limiter.queue(first.promise);
    await limiter.queue(second.promise);
    ignored.reject(new RangeError('cancelled'));
    await tick();
    assert.equal(limiter.failed, false, 'an ignored error is not a failure');
    first.reject(new Error('disk full'));
    await tick();
    second.reject(new Error('later'));
    await limiter.whenIdle();
    assert.equal(limiter.failed, true);
    assert.equal((limiter.error as Error).message, 'disk full');
    assert.equal(settled, 3);
  });

  it('fail() records an error from outside the tasks; the first one wins', async () => {
    const limiter = new Limiter(1);
    limiter.fail(new Error('prompts unreadable'));
    await limiter.queue(Promise.reject(new Error('write failed')));
    await limiter.whenIdle();
    assert.equal((limiter.error as Error).message, 'prompts unreadable');
  });

  it('whenAny() resolves when one task ends (at once when none runs)', async () => {
    const limiter = new Limiter(3);
    await limiter.whenAny();
    const a = deferred();
    const b = deferred();
    limiter.start(a.promise);
    limiter.start(b.promise);
    let woke = false;
    const any = limiter.whenAny().then(() => {
      woke = true;
    });
    await tick();
    assert.equal(woke, false);
    b.resolve();
    await any;
    assert.equal(limiter.size, 1);
    a.resolve();
    await limiter.whenIdle();
  });
});
