import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('README reference', () => {
  it('lists every setting as package.json declares it and describes every command', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'readme-reference.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /README reference is current/);
  });
});
