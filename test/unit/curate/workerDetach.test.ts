import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { detachOnce } from '../../../src/core/curate/workerMain';

/**
 * Whether a function that reads a typed array, optimized by V8, is still optimized after a buffer
 * is detached (as a worker's first transferred result detaches its buffers), with or without
 * workerMain's detachOnce before it was optimized.
 */
function survivesFirstTransfer(detachFirst: boolean): boolean {
  const workerMain = require.resolve('../../../src/core/curate/workerMain');
  const script = `
    const { detachOnce } = require(${JSON.stringify(workerMain)});
    if (${detachFirst}) detachOnce();
    function read(a) { return a[0] + a[1]; }
    const a = new Uint8Array(8);
    %PrepareFunctionForOptimization(read); read(a); read(a); %OptimizeFunctionOnNextCall(read); read(a);
    const OPTIMIZED = 16;
    if (!(%GetOptimizationStatus(read) & OPTIMIZED)) throw new Error('V8 did not optimize the reader');
    const b = new ArrayBuffer(8);
    structuredClone(b, { transfer: [b] });
    process.stdout.write(String(Boolean(%GetOptimizationStatus(read) & OPTIMIZED)));`;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout === 'true';
}

describe('worker start (workerMain.ts)', () => {
  it('detachOnce detaches the buffer it is given', () => {
    const b = new ArrayBuffer(8);
    detachOnce(b);
    assert.equal(b.byteLength, 0);
  });

  it("keeps V8's typed-array code through the first transfer when it ran first (which otherwise throws that code away)", () => {
    assert.equal(survivesFirstTransfer(false), false);
    assert.equal(survivesFirstTransfer(true), true);
  });
});
