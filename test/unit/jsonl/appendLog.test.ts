import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog } from '../../../src/core/jsonl/appendLog';
import { AtomicFileWriter, writeFileAtomic } from '../../../src/core/jsonl/atomicWrite';

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

  it('rejects lines with newlines and appends after close', async () => {
    const log = await AppendLog.open(path.join(dir, 'x.jsonl'));
    await assert.rejects(log.appendLines(['a\nb']), /newline/);
    await log.close();
    await assert.rejects(log.append({}), /closed/);
  });
});

describe('atomic writes', () => {
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
});
