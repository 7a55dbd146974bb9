/** The lock beside an output: one writer across processes, stale locks taken over, planted ones refused. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockPathFor, OutputBusyError, OutputLock, withOutputLocks, type LockOwner } from '../../../src/core/jsonl/outputLock';

function owner(over: Partial<LockOwner>): LockOwner {
  return { pid: 1, host: os.hostname(), startedAt: '2024-05-01T10:00:00.000Z', command: 'pairwise generate other.jsonl', token: 'feedfacecafebeef', ...over };
}

/** A pid that belonged to a process that has exited (and so is gone). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('output lock', () => {
  let dir: string;
  let out: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-lock-'));
    out = path.join(dir, 'data.candidates.jsonl');
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  async function plant(o: LockOwner | string, ageMs = 0): Promise<void> {
    await fsp.writeFile(lockPathFor(out), typeof o === 'string' ? o : JSON.stringify(o));
    if (ageMs) {
      const t = new Date(Date.now() - ageMs);
      await fsp.utimes(lockPathFor(out), t, t);
    }
  }

  it('names its holder; a second writer is refused with pid, host, start time and command; release frees it', async () => {
    const lock = await OutputLock.acquire(out, { command: 'pairwise generate data.jsonl' });
    const text = JSON.parse(await fsp.readFile(`${out}.lock`, 'utf8')) as LockOwner;
    assert.equal(text.pid, process.pid);
    assert.equal(text.host, os.hostname());
    assert.equal(text.command, 'pairwise generate data.jsonl');
    await assert.rejects(OutputLock.acquire(out, { command: 'second' }), (e: Error) => {
      assert.ok(e instanceof OutputBusyError);
      assert.match(e.message, new RegExp(`data\\.candidates\\.jsonl is being written by another Pairwise process \\(pid ${process.pid} on .+, since ${text.startedAt}: pairwise generate data\\.jsonl\\)`));
      assert.match(e.message, /delete .*data\.candidates\.jsonl\.lock/);
      return true;
    });
    await lock.release();
    await assert.rejects(fsp.stat(`${out}.lock`), { code: 'ENOENT' });
    (await OutputLock.acquire(out, { command: 'third' })).releaseSync();
    await assert.rejects(fsp.stat(`${out}.lock`), { code: 'ENOENT' });
  });

  it('takes over the lock of a process that is gone from this host, at once', async () => {
    await plant(owner({ pid: deadPid() }));
    const lock = await OutputLock.acquire(out, { command: 'me' });
    assert.equal((JSON.parse(await fsp.readFile(lockPathFor(out), 'utf8')) as LockOwner).pid, process.pid);
    await lock.release();
  });

  it('refuses while a live process on this host holds it; takes it over once its heartbeat is older than staleMs', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await plant(owner({ pid: child.pid! }));
      await assert.rejects(OutputLock.acquire(out, { command: 'me', staleMs: 60_000 }), (e: Error) => e instanceof OutputBusyError && e.message.includes(`pid ${child.pid}`));
      // Not touched for two minutes: a holder that stopped beating (suspended) or a pid reused by another program.
      await plant(owner({ pid: child.pid! }), 120_000);
      const lock = await OutputLock.acquire(out, { command: 'me', staleMs: 60_000 });
      await lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a lock from another host counts by its heartbeat alone', async () => {
    await plant(owner({ host: 'some-other-host', pid: deadPid() }));
    await assert.rejects(OutputLock.acquire(out, { command: 'me' }), /pid \d+ on some-other-host/);
    await plant(owner({ host: 'some-other-host' }), 120_000);
    await (await OutputLock.acquire(out, { command: 'me', staleMs: 60_000 })).release();
  });

  it('an unreadable lock is refused while fresh and taken over when old; its text is shown without control characters', async () => {
    await plant('');
    await assert.rejects(OutputLock.acquire(out, { command: 'me' }), /its lock .* does not say which/);
    await plant('', 120_000);
    await (await OutputLock.acquire(out, { command: 'me', staleMs: 60_000 })).release();
    await plant(owner({ host: 'other', command: 'pairwise generate \u001b]0;pwned\u0007 x\nsecond line' }));
    await assert.rejects(OutputLock.acquire(out, { command: 'me' }), (e: Error) => {
      assert.ok(![...e.message].some((c) => c.charCodeAt(0) < 0x20), JSON.stringify(e.message));
      assert.match(e.message, /pairwise generate \?\]0;pwned\? x\?second line/);
      return true;
    });
  });

  it('appears whole: twenty takers at once, each slow to write, one wins, every other is refused naming it; no temp is left', async () => {
    // Every file write waits 50 ms first, as on a loaded machine: a lock created empty and written
    // after was read empty by the others, who then could not say who holds it.
    const open = fsp.open;
    fsp.open = (async (...args: Parameters<typeof open>) => {
      const h = await open(...args);
      const write = h.writeFile.bind(h);
      h.writeFile = async (...a: Parameters<typeof write>) => {
        await new Promise((r) => setTimeout(r, 50));
        return write(...a);
      };
      return h;
    }) as typeof open;
    let tries: PromiseSettledResult<OutputLock>[];
    try {
      tries = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => OutputLock.acquire(out, { command: `taker ${i}` })));
    } finally {
      fsp.open = open;
    }
    const won = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
    assert.equal(won.length, 1);
    for (const t of tries) {
      if (t.status === 'fulfilled') continue;
      assert.ok(t.reason instanceof OutputBusyError, String(t.reason));
      // Created empty and written after, the lock was read empty by some of them: no holder named.
      assert.equal(t.reason.owner?.token, won[0].owner.token, t.reason.message);
    }
    assert.deepEqual(await fsp.readdir(dir), [path.basename(lockPathFor(out))]);
    await won[0].release();
    assert.deepEqual(await fsp.readdir(dir), []);
  });

  it('on a file system without hard links, is created in place and still names its holder', async () => {
    // The promises object outputLock.ts calls through is this one.
    const link = fsp.link;
    fsp.link = () => Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    try {
      const lock = await OutputLock.acquire(out, { command: 'no links' });
      await assert.rejects(OutputLock.acquire(out, { command: 'second' }), (e: Error) => e instanceof OutputBusyError && e.owner?.token === lock.owner.token);
      assert.deepEqual(await fsp.readdir(dir), [path.basename(lockPathFor(out))]);
      await lock.release();
    } finally {
      fsp.link = link;
    }
  });

  it('leaves no temp and no half-written lock when the disk refuses the write (a file size limit of 0)', () => {
    const script = `
      const { withOutputLocks } = require(${JSON.stringify(require.resolve('../../../src/core/jsonl/outputLock'))});
      withOutputLocks([${JSON.stringify(out)}], { command: 'full disk' }, async () => {}).then(() => console.log('locked'), (e) => console.log('failed ' + e.code));`;
    const r = spawnSync('bash', ['-c', 'ulimit -f 0 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'failed EFBIG', r.stderr);
    return fsp.readdir(dir).then((names) => assert.deepEqual(names, []));
  });

  it('refuses a lock path that is a symbolic link and leaves its target alone', async () => {
    const target = path.join(dir, 'precious.txt');
    await fsp.writeFile(target, 'keep me\n');
    await fsp.symlink(target, lockPathFor(out));
    await assert.rejects(OutputLock.acquire(out, { command: 'me' }), /is a symbolic link, not a lock Pairwise wrote; remove it/);
    assert.equal(await fsp.readFile(target, 'utf8'), 'keep me\n');
    assert.ok((await fsp.lstat(lockPathFor(out))).isSymbolicLink());
  });

  it('puts the lock beside the output even when a link is planted under the output\'s name, never beside its target', async () => {
    const elsewhere = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-lock-target-'));
    try {
      await fsp.writeFile(path.join(elsewhere, 'bashrc'), 'keep me\n');
      await fsp.symlink(path.join(elsewhere, 'bashrc'), out);
      const lock = await OutputLock.acquire(out, { command: 'me' });
      assert.equal(lock.path, `${await fsp.realpath(dir)}/data.candidates.jsonl.lock`);
      assert.deepEqual(await fsp.readdir(elsewhere), ['bashrc']);
      await lock.release();
    } finally {
      await fsp.rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('keeps its lock alive with a heartbeat, and says so when another process took it over', async () => {
    // Planted two minutes old, as if the holder had stopped beating.
    const lock = await OutputLock.acquire(out, { command: 'me', heartbeatMs: 20 });
    const old = new Date(Date.now() - 120_000);
    await fsp.utimes(lockPathFor(out), old, old);
    // Timers run late on a busy machine: poll, with a bound.
    const soon = async (what: string, check: () => Promise<boolean>): Promise<void> => {
      for (const end = Date.now() + 10_000; !(await check()); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() > end) assert.fail(`no ${what} within 10 s`);
      }
    };
    await soon('heartbeat', async () => Date.now() - (await fsp.stat(lockPathFor(out))).mtimeMs < 60_000);
    assert.equal(lock.lost.aborted, false);
    // A lock caught between another writer's truncate and write reads empty: no verdict from that.
    await fsp.writeFile(lockPathFor(out), '');
    const beats = Date.now();
    await soon('five beats', async () => Date.now() - beats > 100);
    assert.equal(lock.lost.aborted, false, String(lock.lost.reason));
    // Another process judged it stale (this one was suspended) and holds it now.
    await fsp.writeFile(lockPathFor(out), JSON.stringify(owner({ host: 'elsewhere', token: '0123456789abcdef' })));
    await soon('notice of the loss', async () => lock.lost.aborted);
    assert.match(String((lock.lost.reason as Error).message), /pid 1 on elsewhere/);
    await lock.release();
    assert.match(await fsp.readFile(lockPathFor(out), 'utf8'), /elsewhere/, "the new holder's lock is left alone");
  });

  it('withOutputLocks holds every output for the job, the same file reached by two paths once, and frees them after a failure', async () => {
    const other = path.join(dir, 'b.jsonl');
    await fsp.symlink(dir, path.join(dir, 'via'));
    await assert.rejects(
      withOutputLocks([out, other, path.join(dir, 'via', 'data.candidates.jsonl')], { command: 'me' }, async () => {
        assert.ok((await fsp.readdir(dir)).filter((n) => n.endsWith('.lock')).length === 2);
        await assert.rejects(OutputLock.acquire(other, { command: 'x' }), OutputBusyError);
        throw new Error('job failed');
      }),
      /job failed/,
    );
    assert.deepEqual((await fsp.readdir(dir)).filter((n) => n.endsWith('.lock')), []);
  });
});
