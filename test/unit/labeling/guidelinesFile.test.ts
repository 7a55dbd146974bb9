/**
 * The guidelines file of the labeling panel: a Markdown file is read; a device (/dev/zero, which
 * used to be read for 2 GiB), a pipe (which used to block forever), a folder, a file over the size
 * bound and a symbolic link leading out of the workspace folder are refused with a clear message,
 * quickly and without reading them.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GuidelinesFileError, MAX_GUIDELINES_BYTES, readGuidelinesFile } from '../../../src/core/labeling/guidelinesFile';

/** Rejects within `ms` (a read of /dev/zero or an open of a pipe would not). */
async function refusedQuickly(p: Promise<unknown>, pattern: RegExp, ms = 3000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still reading after ${ms} ms`)), ms)));
  try {
    await assert.rejects(Promise.race([p, timeout]), (e: Error) => {
      assert.ok(e instanceof GuidelinesFileError, `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  } finally {
    clearTimeout(timer);
  }
}

describe('labeling guidelines file', function () {
  this.timeout(20_000);
  let root: string;
  let ws: string;
  let outside: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-guidelines-'));
    ws = path.join(root, 'workspace');
    outside = path.join(root, 'elsewhere');
    fs.mkdirSync(path.join(ws, 'docs'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(ws, 'docs', 'guidelines.md'), '# Guidelines\n\nPrefer the **correct** answer.\n');
    fs.writeFileSync(path.join(outside, 'private.md'), 'not for the workspace');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads a Markdown file, relative to the workspace folder or absolute', async () => {
    assert.match(await readGuidelinesFile('docs/guidelines.md', { baseFolder: ws }), /Prefer the \*\*correct\*\* answer/);
    assert.match(await readGuidelinesFile(path.join(ws, 'docs', 'guidelines.md'), { baseFolder: ws }), /# Guidelines/);
    // A path outside the workspace folder that the user's own setting names is read.
    assert.equal(await readGuidelinesFile(path.join(outside, 'private.md'), { baseFolder: ws }), 'not for the workspace');
  });

  it('refuses /dev/zero without reading it', async () => {
    await refusedQuickly(readGuidelinesFile('/dev/zero', { baseFolder: ws }), /^\/dev\/zero is not a regular file \(a folder, a device or a pipe\); name a Markdown file$/);
  });

  it('refuses a named pipe without blocking on it', async () => {
    const fifo = path.join(ws, 'docs', 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    await refusedQuickly(readGuidelinesFile('docs/pipe.md', { baseFolder: ws }), /docs\/pipe\.md is not a regular file/);
  });

  it('refuses a folder', async () => {
    await refusedQuickly(readGuidelinesFile('docs', { baseFolder: ws }), /^docs is not a regular file/);
  });

  it(`refuses a file over ${MAX_GUIDELINES_BYTES >> 20} MB, and reads one at the bound`, async () => {
    fs.writeFileSync(path.join(ws, 'big.md'), Buffer.alloc(MAX_GUIDELINES_BYTES + 1, 'a'));
    await refusedQuickly(readGuidelinesFile('big.md', { baseFolder: ws }), /^big\.md is larger than 1 MB, the limit for a guidelines file$/);
    fs.writeFileSync(path.join(ws, 'edge.md'), Buffer.alloc(MAX_GUIDELINES_BYTES, 'b'));
    assert.equal((await readGuidelinesFile('edge.md', { baseFolder: ws })).length, MAX_GUIDELINES_BYTES);
  });

  it('follows a symbolic link that stays inside the workspace folder, refuses one that leaves it', async () => {
    fs.symlinkSync('docs/guidelines.md', path.join(ws, 'inside-link.md'));
    assert.match(await readGuidelinesFile('inside-link.md', { baseFolder: ws }), /# Guidelines/);
    fs.symlinkSync(path.join(outside, 'private.md'), path.join(ws, 'outside-link.md'));
    await refusedQuickly(readGuidelinesFile('outside-link.md', { baseFolder: ws }), /^outside-link\.md is a symbolic link to .*elsewhere\/private\.md, outside the workspace folder; it is not followed$/);
    // A link to a device is refused too, inside the workspace folder or not.
    fs.symlinkSync('/dev/zero', path.join(ws, 'zero.md'));
    await refusedQuickly(readGuidelinesFile('zero.md', { baseFolder: ws }), /zero\.md is a symbolic link to \/dev\/zero/);
    await refusedQuickly(readGuidelinesFile(path.join(ws, 'zero.md')), /zero\.md is not a regular file/);
    // A linked folder on the way out counts as well.
    fs.symlinkSync(outside, path.join(ws, 'linked-dir'));
    await refusedQuickly(readGuidelinesFile('linked-dir/private.md', { baseFolder: ws }), /outside the workspace folder/);
  });

  it('says so when the file does not exist', async () => {
    await refusedQuickly(readGuidelinesFile('missing.md', { baseFolder: ws }), /^file not found$/);
  });
});
