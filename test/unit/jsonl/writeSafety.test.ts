/**
 * No write of Pairwise follows a link or lands on anything but the regular file it meant to write:
 * appends (label logs, candidates, judgements) and whole-file replaces refuse a planted symbolic
 * link, a folder, a FIFO and (appends) a hard-linked file, naming the path and leaving the link's
 * target untouched. A replace keeps the replaced file's mode; a new log's folder is fsynced; temps
 * of killed runs are removed by the next write into their folder, never a live writer's.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog } from '../../../src/core/jsonl/appendLog';
import { AtomicFileWriter, writeFileAtomic } from '../../../src/core/jsonl/atomicWrite';
import { OutputPathError } from '../../../src/core/jsonl/outputPaths';
import { HOST_TAG } from '../../../src/core/jsonl/tempFiles';
import { ensureOutputDir } from '../../../src/core/jsonl/writeTargets';

const isLink = /is a symbolic link; Pairwise never writes through a link/;
const notRegular = /is not a regular file; Pairwise writes only regular files/;

describe('write safety: no write follows a link or lands on a non-file', () => {
  let dir: string;
  let outside: string;
  let secret: string;
  const SECRET = 'export PATH=/usr/bin\n';
  beforeEach(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-writesafety-'));
    dir = path.join(root, 'workspace');
    outside = path.join(root, 'home');
    fs.mkdirSync(dir);
    fs.mkdirSync(outside);
    secret = path.join(outside, '.bashrc');
    fs.writeFileSync(secret, SECRET);
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  const refusedNaming = (file: string, kind: RegExp) => (e: Error) => e instanceof OutputPathError && kind.test(e.message) && e.message.includes(file);

  it('AppendLog refuses a link to an existing file, a dangling link, a folder, a FIFO and a hard link; the targets stay as they were', async () => {
    const link = path.join(dir, 'p.candidates.jsonl');
    fs.symlinkSync(secret, link);
    await assert.rejects(AppendLog.open(link), refusedNaming(link, isLink));
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);

    const dangling = path.join(dir, 'x.labels.jsonl');
    const created = path.join(outside, 'created-by-append.jsonl');
    fs.symlinkSync(created, dangling);
    await assert.rejects(AppendLog.open(dangling), refusedNaming(dangling, isLink));
    assert.equal(fs.existsSync(created), false, 'a dangling link does not create its target');

    const folder = path.join(dir, 'folder.jsonl');
    fs.mkdirSync(folder);
    await assert.rejects(AppendLog.open(folder), refusedNaming(folder, notRegular));

    const fifo = path.join(dir, 'fifo.jsonl');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // Without O_NONBLOCK (or with a plain open for writing) this would hang with no reader.
    await assert.rejects(AppendLog.open(fifo), refusedNaming(fifo, notRegular));

    const hard = path.join(dir, 'hard.labels.jsonl');
    fs.linkSync(secret, hard);
    await assert.rejects(AppendLog.open(hard), (e: Error) => e instanceof OutputPathError && /has other hard links/.test(e.message) && e.message.includes(hard));
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
  });

  it('AppendLog still creates and appends to a regular file, and fsyncs the folder of a new log', async () => {
    const file = path.join(dir, 'new.labels.jsonl');
    const opened: string[] = [];
    const synced: string[] = [];
    const open = fs.promises.open;
    // Records which paths are opened and which handles are fsynced (not a fake: the calls go through).
    fs.promises.open = (async (...args: Parameters<typeof open>) => {
      const h = await open(...args);
      const p = String(args[0]);
      opened.push(p);
      const sync = h.sync.bind(h);
      h.sync = async () => {
        synced.push(p);
        return sync();
      };
      return h;
    }) as typeof open;
    let log: AppendLog;
    try {
      log = await AppendLog.open(file);
    } finally {
      fs.promises.open = open;
    }
    assert.ok(synced.includes(dir), `the folder of the new log was fsynced (opened: ${opened.join(', ')})`);
    await log.append({ a: 1 });
    await log.close();
    const again = await AppendLog.open(file);
    await again.append({ a: 2 });
    await again.close();
    assert.equal(fs.readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n');
  });

  it('a whole-file replace refuses a link, a dangling link and a FIFO, leaving no temp and the target untouched', async () => {
    const link = path.join(dir, 'data.train.jsonl');
    fs.symlinkSync(secret, link);
    await assert.rejects(writeFileAtomic(link, 'new\n'), refusedNaming(link, isLink));
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link itself is not replaced either');

    const dangling = path.join(dir, 'report.jsonl');
    fs.symlinkSync(path.join(outside, 'new.txt'), dangling);
    await assert.rejects(AtomicFileWriter.create(dangling), refusedNaming(dangling, isLink));

    const fifo = path.join(dir, 'fifo.md');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    await assert.rejects(writeFileAtomic(fifo, 'x'), refusedNaming(fifo, notRegular));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['data.train.jsonl', 'fifo.md', 'report.jsonl']);
    assert.deepEqual(fs.readdirSync(outside), ['.bashrc']);
  });

  it('a link planted while the output is written is refused at the rename', async () => {
    const target = path.join(dir, 'out.jsonl');
    const w = await AtomicFileWriter.create(target);
    await w.write('new\n');
    fs.symlinkSync(secret, target);
    await assert.rejects(w.commit(), refusedNaming(target, isLink));
    await w.abort();
    assert.ok(fs.lstatSync(target).isSymbolicLink());
    assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
    assert.deepEqual(fs.readdirSync(dir), ['out.jsonl']);
  });

  it('a replace keeps the mode of the file it replaces; a new file gets the umask default', async () => {
    const priv = path.join(dir, 'private.jsonl');
    fs.writeFileSync(priv, 'old\n');
    fs.chmodSync(priv, 0o600);
    await writeFileAtomic(priv, 'new\n');
    assert.equal(fs.statSync(priv).mode & 0o777, 0o600);
    const shared = path.join(dir, 'shared.jsonl');
    fs.writeFileSync(shared, 'old\n');
    fs.chmodSync(shared, 0o664);
    await writeFileAtomic(shared, 'new\n');
    assert.equal(fs.statSync(shared).mode & 0o777, 0o664, 'wider than the umask allows, as the user set it');
    const fresh = path.join(dir, 'fresh.jsonl');
    await writeFileAtomic(fresh, 'x\n');
    const umask = process.umask();
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o666 & ~umask);
  });

  it('ensureOutputDir creates missing folders, and refuses a folder that is a link or would be created inside one', async () => {
    await ensureOutputDir(path.join(dir, 'a', 'b'));
    assert.ok(fs.statSync(path.join(dir, 'a', 'b')).isDirectory());
    await ensureOutputDir(path.join(dir, 'a', 'b'));
    const linked = path.join(dir, 'exports');
    fs.symlinkSync(outside, linked);
    await assert.rejects(ensureOutputDir(linked), refusedNaming(linked, isLink));
    await assert.rejects(ensureOutputDir(path.join(linked, 'new', 'deeper')), refusedNaming(linked, isLink));
    assert.deepEqual(fs.readdirSync(outside), ['.bashrc']);
  });

  it('the next write into a folder removes temps of killed runs, never a live process’s or another host’s', async () => {
    // A process that has exited: its pid names a killed run's temp.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const name = (target: string, pid: number, host = HOST_TAG) => `.${target}.${pid}.${host}0123abcd.tmp`;
      const stale = name('data.train.jsonl', gone);
      const staleBreak = name('x\u2028y.jsonl', gone);
      const alive = name('data.validation.jsonl', live.pid!);
      const otherHost = name('data.test.jsonl', gone, HOST_TAG === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa');
      const oldStyle = `.data.train.jsonl.${gone}.0123abcd.tmp`;
      for (const n of [stale, staleBreak, alive, otherHost, oldStyle]) fs.writeFileSync(path.join(dir, n), 'partial');
      await writeFileAtomic(path.join(dir, 'other.jsonl'), 'x\n');
      assert.deepEqual(fs.readdirSync(dir).sort(), [alive, oldStyle, otherHost, 'other.jsonl'].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });
});
