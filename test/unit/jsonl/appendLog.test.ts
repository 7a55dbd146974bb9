import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog } from '../../../src/core/jsonl/appendLog';
import { AtomicFileWriter, BACKGROUND_SYNC_BYTES, writeFileAtomic } from '../../../src/core/jsonl/atomicWrite';

describe('AppendLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-log-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('appends JSON lines in order, concurrent calls serialized', async () => {
    const p = path.join(dir, 'a.jsonl');
    const log = await AppendLog.open(p);
    await Promise.all([1, 2, 3, 4, 5].map((i) => log.append({ i })));
    await log.close();
    const lines = (await fsp.readFile(p, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l).i);
    assert.deepEqual(lines, [1, 2, 3, 4, 5]);
  });

  it('isolates a torn last line so the next record starts on its own line', async () => {
    const p = path.join(dir, 'torn.jsonl');
    await fsp.writeFile(p, '{"ok":1}\n{"torn":');
    const log = await AppendLog.open(p);
    await log.append({ ok: 2 });
    await log.close();
    assert.equal(await fsp.readFile(p, 'utf8'), '{"ok":1}\n{"torn":\n{"ok":2}\n');
  });

  /**
   * A child appends under a soft file size limit of 4 KB: write(2) writes what fits and returns its
   * length (an append that took that as whole resolved as durable). Then `between` runs here, the
   * limit is lifted from outside (prlimit) and the child appends again. Returns the file's text.
   */
  async function appendPastALimit(p: string, between: () => void, otherWriter = false): Promise<string> {
    // otherWriter: right after the short write, the child lifts its limit and appends a line as
    // another process would, before it looks at what its append left.
    const script = `
      const { AppendLog, appendLogTestHooks } = require(${JSON.stringify(require.resolve('../../../src/core/jsonl/appendLog'))});
      const readline = require('node:readline');
      if (${otherWriter}) appendLogTestHooks.beforeTakeBack = () => {
        require('node:child_process').spawnSync('prlimit', ['--pid', String(process.pid), '--fsize=unlimited']);
        require('node:fs').appendFileSync(${JSON.stringify(p)}, '{"other":1}\\n');
      };
      (async () => {
        const log = await AppendLog.open(${JSON.stringify(p)});
        await log.append({ ok: 1 });
        await log.append({ big: 'x'.repeat(8192) }).then(() => console.log('appended'), (e) => console.log('failed ' + e.code));
        await new Promise((resolve) => readline.createInterface({ input: process.stdin }).once('line', resolve));
        await log.append({ ok: 2 });
        await log.close();
        console.log('done');
        process.exit(0);
      })();`;
    const child = spawn('bash', ['-c', 'ulimit -S -f 4 && exec "$0" -e "$1"', process.execPath, script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (d.includes('failed') || d.includes('appended')) {
        between();
        assert.equal(spawnSync('prlimit', ['--pid', String(child.pid), '--fsize=unlimited']).status, 0);
        child.stdin.write('go\n');
      }
    });
    assert.equal(await exited, 0);
    assert.deepEqual(out.trim().split('\n'), ['failed EFBIG', 'done']);
    return fsp.readFile(p, 'utf8');
  }

  it('rejects a short append (a file size limit, as a full disk) and takes its written part back', async function () {
    this.timeout(30_000);
    // The log may be the user's own dataset (synthetic records): no torn record may stay in it.
    assert.equal(await appendPastALimit(path.join(dir, 'full.jsonl'), () => undefined), '{"ok":1}\n{"ok":2}\n');
  });

  it('after a short append that another writer appended behind, keeps their bytes and starts its next line anew', async function () {
    this.timeout(30_000);
    const p = path.join(dir, 'shared.jsonl');
    const lines = (await appendPastALimit(p, () => undefined, true)).split('\n');
    assert.equal(lines[0], '{"ok":1}');
    assert.ok(lines[1].startsWith('{"big":"xxx') && lines[1].endsWith('{"other":1}'), 'the part written stays: the file no longer ends with it');
    assert.deepEqual(lines.slice(2), ['', '{"ok":2}', '']);
  });

  it('rejects lines with newlines and appends after close', async () => {
    const log = await AppendLog.open(path.join(dir, 'x.jsonl'));
    await assert.rejects(log.appendLines(['a\nb']), /newline/);
    await log.close();
    await assert.rejects(log.append({}), /closed/);
  });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('atomic writes', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-atomic-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('replaces the target only on commit', async () => {
    const p = path.join(dir, 'out.jsonl');
    await fsp.writeFile(p, 'old\n');
    const w = await AtomicFileWriter.create(p);
    await w.write('new 1\n');
    assert.equal(await fsp.readFile(p, 'utf8'), 'old\n');
    await w.write(Buffer.from('new 2\n'));
    await w.commit();
    assert.equal(await fsp.readFile(p, 'utf8'), 'new 1\nnew 2\n');
    assert.deepEqual(await fsp.readdir(dir), ['out.jsonl']);
  });

  it('abort leaves the old file and no temp file', async () => {
    const p = path.join(dir, 'out.jsonl');
    await fsp.writeFile(p, 'old\n');
    const w = await AtomicFileWriter.create(p);
    await w.write('partial');
    await w.abort();
    assert.equal(await fsp.readFile(p, 'utf8'), 'old\n');
    assert.deepEqual(await fsp.readdir(dir), ['out.jsonl']);
  });

  it('writeFileAtomic creates a new file', async () => {
    const p = path.join(dir, 'n.json');
    await writeFileAtomic(p, '[]');
    assert.equal(await fsp.readFile(p, 'utf8'), '[]');
  });

  it('commits every byte of a large output in order, written in chunks', async () => {
    const target = path.join(dir, 'big.jsonl');
    const w = await AtomicFileWriter.create(target);
    const whole = createHash('sha256');
    const chunk = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < 6; i++) {
      chunk.fill(i + 1);
      chunk.write(`chunk ${i}\n`);
      whole.update(chunk);
      await w.write(chunk);
    }
    await w.write('the end\n');
    whole.update('the end\n');
    await w.commit();
    assert.equal(sha(readFileSync(target)), whole.digest('hex'));
    assert.deepEqual(readdirSync(dir), ['big.jsonl']);
  });

  /** FileHandle#datasync replaced for one test (the class is not exported; any handle has it). */
  async function withDatasync(replace: (original: () => Promise<void>) => () => Promise<void>, body: () => Promise<void>): Promise<void> {
    const probe = await fsp.open(__filename, 'r');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const original = proto.datasync;
    proto.datasync = replace(original);
    try {
      await body();
    } finally {
      proto.datasync = original;
    }
  }

  /** Writes `chunks` chunks of 8 MB, each filled with its number; returns their sha256. */
  async function writeChunks(w: AtomicFileWriter, chunks: number): Promise<string> {
    const whole = createHash('sha256');
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < chunks; i++) {
      chunk.fill(i + 1);
      whole.update(chunk);
      await w.write(chunk);
    }
    return whole.digest('hex');
  }

  it('writes a large output back in the background as it goes, and still commits every byte', async () => {
    const target = path.join(dir, 'big.jsonl');
    let syncs = 0;
    const chunks = Math.ceil((2.5 * BACKGROUND_SYNC_BYTES) / (8 * 1024 * 1024));
    await withDatasync(
      (original) =>
        function (this: unknown) {
          syncs++;
          return original.call(this);
        },
      async () => {
        const w = await AtomicFileWriter.create(target);
        const digest = await writeChunks(w, chunks);
        await w.commit();
        assert.equal(sha(readFileSync(target)), digest);
      },
    );
    // One every BACKGROUND_SYNC_BYTES (fewer when one is still running), the final fsync apart.
    assert.ok(syncs >= 1 && syncs <= 2, `${syncs} background syncs`);
    assert.deepEqual(readdirSync(dir), ['big.jsonl']);
  });

  it('a background writeback that failed fails the commit: the old file stays, and no temp', async () => {
    // Linux reports a failed writeback to one fsync only: the final fsync could succeed over lost pages.
    const target = path.join(dir, 'out.jsonl');
    await fsp.writeFile(target, 'old\n');
    await withDatasync(
      () => () => Promise.reject(Object.assign(new Error('i/o error, fdatasync'), { code: 'EIO' })),
      async () => {
        const w = await AtomicFileWriter.create(target);
        await writeChunks(w, Math.ceil(BACKGROUND_SYNC_BYTES / (8 * 1024 * 1024)) + 1);
        await assert.rejects(w.commit(), /EIO|i\/o error/);
        await w.abort();
      },
    );
    assert.equal(await fsp.readFile(target, 'utf8'), 'old\n');
    assert.deepEqual(await fsp.readdir(dir), ['out.jsonl']);
  });

  it('abort waits for a background writeback before it closes the file', async () => {
    const target = path.join(dir, 'out.jsonl');
    let running = 0;
    let closedWhileRunning = false;
    await withDatasync(
      (original) =>
        async function (this: { close: () => Promise<void> }) {
          running++;
          const close = this.close;
          this.close = () => {
            if (running > 0) closedWhileRunning = true;
            return close.call(this);
          };
          await new Promise((r) => setTimeout(r, 200));
          await original.call(this);
          running--;
        },
      async () => {
        const w = await AtomicFileWriter.create(target);
        await writeChunks(w, Math.ceil(BACKGROUND_SYNC_BYTES / (8 * 1024 * 1024)));
        assert.equal(running, 1);
        await w.abort();
      },
    );
    assert.equal(closedWhileRunning, false);
    assert.deepEqual(await fsp.readdir(dir), []);
  });

  it('removes its temp when the rename fails (a target another program holds open, on Windows)', async () => {
    const p = path.join(dir, 'stats.md');
    await fsp.writeFile(p, 'old\n');
    const rename = fsp.rename;
    // The promises object atomicWrite.ts calls through is this one: its next rename fails.
    fsp.rename = () => {
      fsp.rename = rename;
      return Promise.reject(Object.assign(new Error('operation not permitted, rename'), { code: 'EPERM' }));
    };
    try {
      await assert.rejects(writeFileAtomic(p, 'x'.repeat(1000)), /EPERM|not permitted/);
    } finally {
      fsp.rename = rename;
    }
    assert.deepEqual(await fsp.readdir(dir), ['stats.md']);
    assert.equal(await fsp.readFile(p, 'utf8'), 'old\n');
  });

  it('fails on a short write (a file size limit, as a full disk) and leaves the old file and no temp', () => {
    // write(2) writes up to the limit and returns the part written; the next call fails (EFBIG, as
    // ENOSPC on a full disk). A writer that took the first call's answer as whole would commit a
    // shortened file.
    const target = path.join(dir, 'out.jsonl');
    writeFileSync(target, 'the old output\n');
    const script = `
      const { AtomicFileWriter } = require(${JSON.stringify(require.resolve('../../../src/core/jsonl/atomicWrite'))});
      (async () => {
        const w = await AtomicFileWriter.create(${JSON.stringify(target)});
        try {
          await w.write(Buffer.alloc(300 * 1024, 0x61));
          await w.commit();
          console.log('committed');
        } catch (e) {
          await w.abort();
          console.log('failed ' + e.code);
        }
      })();`;
    // bash's ulimit -f counts 1024-byte blocks: 100 KB.
    const r = spawnSync('bash', ['-c', 'ulimit -f 100 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'failed EFBIG');
    assert.equal(readFileSync(target, 'utf8'), 'the old output\n');
    assert.deepEqual(readdirSync(dir), ['out.jsonl']);
  });
});
