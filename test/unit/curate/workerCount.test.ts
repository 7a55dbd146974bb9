import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { dedupeWorkerCount, PARALLEL_DEDUPE_MIN_BYTES, PARALLEL_VALIDATE_MIN_BYTES, validationWorkerCount, workerCount } from '../../../src/core/curate/workerPool';

describe('curate: how many workers', () => {
  const saved = process.env.PAIRWISE_WORKERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PAIRWISE_WORKERS;
    else process.env.PAIRWISE_WORKERS = saved;
  });

  it('validation keeps one thread below 64 MB, and above uses a thread per core, the main one included', () => {
    delete process.env.PAIRWISE_WORKERS;
    const cores = os.availableParallelism();
    assert.equal(validationWorkerCount(PARALLEL_VALIDATE_MIN_BYTES - 1), 1);
    assert.equal(validationWorkerCount(200 * 1024 * 1024), Math.min(cores, 4));
    // Statistics and dedupe split from 8 MB up, on every core.
    assert.equal(workerCount(200 * 1024 * 1024), Math.min(cores, 4));
  });

  it('exact dedupe keeps one thread below 64 MB where this thread takes ranges; the extension host\'s workers split from 8 MB', () => {
    delete process.env.PAIRWISE_WORKERS;
    const cores = Math.min(os.availableParallelism(), 4);
    assert.equal(dedupeWorkerCount(20 * 1024 * 1024), 1);
    assert.equal(dedupeWorkerCount(PARALLEL_DEDUPE_MIN_BYTES - 1), 1);
    assert.equal(dedupeWorkerCount(PARALLEL_DEDUPE_MIN_BYTES), cores);
    // Ranges kept off this thread (the extension host): as every curation command, from 8 MB up.
    assert.equal(dedupeWorkerCount(20 * 1024 * 1024, undefined, false), cores);
    assert.equal(dedupeWorkerCount(1024 * 1024, undefined, false), 1);
    // Asked for, by argument or by PAIRWISE_WORKERS: whatever the size.
    assert.equal(dedupeWorkerCount(20 * 1024 * 1024, 2), 2);
    process.env.PAIRWISE_WORKERS = '2';
    assert.equal(dedupeWorkerCount(1000), 2);
  });

  it('PAIRWISE_WORKERS sets the count for every command; an explicit count wins; nonsense is ignored', () => {
    process.env.PAIRWISE_WORKERS = '3';
    assert.equal(workerCount(1000), 3);
    assert.equal(validationWorkerCount(1000), 3);
    assert.equal(validationWorkerCount(1000, 2), 2);
    process.env.PAIRWISE_WORKERS = 'many';
    assert.equal(workerCount(1000), 1);
    assert.equal(validationWorkerCount(1000), 1);
  });
});
