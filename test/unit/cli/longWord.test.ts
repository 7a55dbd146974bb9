/** `pairwise stats` on a 1 MB one-word record, the real bundle spawned: token counting is linear. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTokenCounter } from '../../../src/core/tokens/tokenCounter';
import { seededRandom } from '../../../src/core/base/random';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

describe('pairwise stats on a 1 MB one-word record', function () {
  // Completion is the assertion: the quadratic count ran for many minutes on this record (a 200k
  // word took 18 s, and the time grows with the square of the length); now it takes about a second.
  this.timeout(150000);
  let dir: string;

  before(() => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-longword-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finishes and counts the word with the same counter as the library core', () => {
    const rnd = seededRandom(16);
    const word = Array.from({ length: 1 << 20 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
    const f = path.join(dir, 'one-word.jsonl');
    fs.writeFileSync(f, JSON.stringify({ instruction: 'Repeat the word', input: '', output: word }) + '\n');
    const r = spawnSync(process.execPath, [cli, 'stats', '--json', f], { cwd: root, encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 24 });
    assert.equal(r.signal, null, 'pairwise stats was killed after 120 s');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { tokens: { mode: string }; tokensByRole: Record<string, { sum: number }> };
    assert.equal(report.tokens.mode, 'exact');
    assert.equal(report.tokensByRole.assistant.sum, createTokenCounter().count(word));
  });
});
