import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FLOCK } from '../../support/codeServer';

/** Exit codes of `cmd args` run by each of `n` processes started at once. */
function atOnce(n: number, cmd: string, args: string[]): Promise<(number | null)[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<number | null>((resolve) => spawn(cmd, args, { stdio: 'ignore' }).on('exit', resolve))));
}

describe('test host: Debian packages for two test runs started at once', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs their apt-get one after the other (runLocked), where they failed on its lock', async function () {
    if (!fs.existsSync(FLOCK)) {
      console.log(`    (skipped: ${FLOCK} is missing; ensureDebianPackages then runs apt-get unlocked)`);
      this.skip();
    }
    // A stand-in for apt-get: fails (exit 9) when another copy holds its "lock", as apt-get does.
    const busy = path.join(dir, 'busy');
    const script = `mkdir '${busy}' 2>/dev/null || exit 9; sleep 0.4; rmdir '${busy}'`;
    // Started at once without runLocked, one of them fails: the check below can fail.
    const bare = await atOnce(2, 'sh', ['-c', script]);
    assert.ok(bare.includes(9), `unlocked: ${bare.join(', ')}`);
    // Through runLocked, in two processes as two test runs are: both succeed.
    const helper = require.resolve('../../support/codeServer');
    const child = `require(${JSON.stringify(helper)}).runLocked(${JSON.stringify(path.join(dir, 'lock'))}, 'sh', ['-c', ${JSON.stringify(script)}])`;
    const locked = await atOnce(3, process.execPath, ['-e', child]);
    assert.deepEqual(locked, [0, 0, 0]);
  });
});
