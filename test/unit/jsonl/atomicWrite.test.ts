/** A whole-file output writes every byte it is given or fails: a short write is never committed. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AtomicFileWriter } from '../../../src/core/jsonl/atomicWrite';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('AtomicFileWriter', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-atomicwrite-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
    assert.equal(sha(fs.readFileSync(target)), whole.digest('hex'));
    assert.deepEqual(fs.readdirSync(dir), ['big.jsonl']);
  });

  it('fails on a short write (a file size limit, as a full disk) and leaves the old file and no temp', () => {
    // write(2) writes up to the limit and returns the part written; the next call fails (EFBIG, as
    // ENOSPC on a full disk). A writer that took the first call's answer as whole would commit a
    // shortened file.
    const target = path.join(dir, 'out.jsonl');
    fs.writeFileSync(target, 'the old output\n');
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
    assert.equal(fs.readFileSync(target, 'utf8'), 'the old output\n');
    assert.deepEqual(fs.readdirSync(dir), ['out.jsonl']);
  });
});
