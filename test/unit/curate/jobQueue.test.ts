/**
 * The job queue behind parallel validation, dedupe and statistics: real worker threads and this
 * thread take ranges from one shared counter; every job runs exactly once, results arrive in job
 * order while later jobs run, and any failure or cancel stops every thread without a hang.
 */
import * as assert from 'node:assert/strict';
import { AbortedError } from '../../../src/core/base/cancellation';
import { dedupeRange, type DedupeRangeJob, type DedupeRangeResult } from '../../../src/core/curate/dedupeRange';
import { shrinkingRanges } from '../../../src/core/curate/fileRanges';
import { runJobQueue, runRangeJobs, type JobQueueOptions } from '../../../src/core/curate/jobQueue';
import { detectAsValidation } from '../../../src/core/curate/parallelStats';
import { validateRange, type ValidateRangeJob, type ValidateRangeResult } from '../../../src/core/curate/validateRange';
import { tempDir } from './tmpDir';

describe('curate: the job queue', function () {
  // A guard against a hang, not a time limit: each test starts worker threads on a busy machine.
  this.timeout(120_000);
  const tmp = tempDir('jobqueue');
  after(() => tmp.cleanup());

  const lines = Array.from({ length: 20000 }, (_, i) => JSON.stringify({ instruction: `Question ${i}`, output: `Answer ${i} ${'word '.repeat(i % 30)}` }));
  const text = lines.join('\n') + '\n';
  const size = Buffer.byteLength(text);

  /** A queue of validation jobs on one worker and this thread (validateRange, unless `local` says otherwise). */
  function validation(jobs: ValidateRangeJob[], opts: Partial<JobQueueOptions<ValidateRangeJob, ValidateRangeResult>> & Pick<JobQueueOptions<ValidateRangeJob, ValidateRangeResult>, 'onResult'>): Promise<void> {
    return runJobQueue<ValidateRangeJob, ValidateRangeResult>(jobs, {
      worker: 'validateWorker',
      workers: 1,
      jobBytes: (j) => j.range.end - j.range.start,
      totalBytes: size,
      local: (job, report, isStopped) => validateRange(job, report, isStopped),
      ...opts,
    });
  }

  async function jobsFor(file: string, minBytes: number): Promise<ValidateRangeJob[]> {
    const detection = await detectAsValidation(file, size, {});
    const ranges = await shrinkingRanges(file, 2, minBytes);
    return ranges.map((range) => ({ job: 'validateRange', path: file, range, detection, maxProblems: 100 }));
  }

  it('shrinkingRanges: shares of what is left down to the minimum, at line starts, covering the file', async () => {
    const file = tmp.file('ranges.jsonl', text);
    const ranges = await shrinkingRanges(file, 2, 16 * 1024);
    assert.equal(ranges[0].start, 0);
    assert.equal(ranges[ranges.length - 1].end, size);
    for (let i = 1; i < ranges.length; i++) {
      assert.equal(ranges[i].start, ranges[i - 1].end);
      assert.equal(text[Buffer.from(text).subarray(0, ranges[i].start).toString().length - 1], '\n');
    }
    const lengths = ranges.map((r) => r.end - r.start);
    // The first is about a quarter of the file (1 / (2 * threads)); they shrink to the minimum (give
    // or take the line a cut moves to).
    assert.ok(Math.abs(lengths[0] - size / 4) < 1024, JSON.stringify(lengths));
    for (let i = 1; i < lengths.length - 1; i++) assert.ok(lengths[i] <= lengths[i - 1] + 1024 && lengths[i] >= 15 * 1024, JSON.stringify(lengths));
  });

  it('shrinkingRanges: no range larger than the maximum, then shares of what is left', async () => {
    const file = tmp.file('capped.jsonl', text);
    const max = Math.floor(size / 10);
    const lengths = (await shrinkingRanges(file, 2, 16 * 1024, max)).map((r) => r.end - r.start);
    assert.equal(lengths.reduce((a, b) => a + b, 0), size);
    // Without the maximum the first would be a quarter of the file; with it, the first several are the maximum.
    for (const n of lengths) assert.ok(n < max + 1024, JSON.stringify(lengths));
    assert.ok(lengths.slice(0, 4).every((n) => Math.abs(n - max) < 1024), JSON.stringify(lengths));
    assert.ok(lengths.length > 10, JSON.stringify(lengths));
  });

  it('runs every job once on the workers and this thread, handing results over in job order', async () => {
    const file = tmp.file('order.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    assert.ok(jobs.length > 10, `${jobs.length} jobs`);
    const order: number[] = [];
    let records = 0;
    let local = 0;
    const progress: number[] = [];
    await runJobQueue<ValidateRangeJob, ValidateRangeResult>(jobs, {
      worker: 'validateWorker',
      workers: 2,
      jobBytes: (j) => j.range.end - j.range.start,
      totalBytes: size,
      onProgress: (bytes, total) => {
        assert.equal(total, size);
        progress.push(bytes);
      },
      local: async (job, report, isStopped) => {
        local++;
        // This thread is slow (as when it is busy elsewhere): the workers take the other jobs.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return validateRange(job, report, isStopped);
      },
      onResult: async (i, r) => {
        order.push(i);
        records += r.records;
        // A slow consumer holds the next result back, never reorders it.
        if (i % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    assert.deepEqual(order, jobs.map((_, i) => i));
    assert.equal(records, lines.length);
    assert.ok(local >= 1 && local < jobs.length, `this thread ran ${local} of ${jobs.length} jobs`);
    assert.equal(Math.max(...progress), size);
  });

  it('runRangeJobs: this thread and threads - 1 workers, or with onThisThread false the workers alone', async () => {
    const file = tmp.file('ranged.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    for (const onThisThread of [true, false]) {
      let local = 0;
      let records = 0;
      const order: number[] = [];
      await runRangeJobs<ValidateRangeJob, ValidateRangeResult>(jobs, {
        worker: 'validateWorker',
        threads: 2,
        totalBytes: size,
        run: { rangesOnThisThread: onThisThread },
        local: (job, report, isStopped) => {
          local++;
          return validateRange(job, report, isStopped);
        },
        onResult: (i, r) => {
          order.push(i);
          records += r.records;
        },
      });
      assert.deepEqual(order, jobs.map((_, i) => i));
      assert.equal(records, lines.length);
      if (onThisThread) assert.ok(local >= 1, `this thread ran ${local} of ${jobs.length} jobs`);
      else assert.equal(local, 0, 'this thread scanned no range');
    }
  });

  it('hands on every result that can go before this thread takes another job, however long the consumer takes', async () => {
    const file = tmp.file('merge-first.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    const events: string[] = [];
    await validation(jobs, {
      workers: 0,
      local: (job, report, isStopped) => {
        events.push(`scan ${jobs.indexOf(job)}`);
        return validateRange(job, report, isStopped);
      },
      onResult: async (i) => {
        events.push(`merge ${i}`);
        // A consumer that waits for I/O, as dedupe's writing of kept records does.
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`merged ${i}`);
      },
    });
    assert.ok(jobs.length > 3, String(jobs.length));
    const expected = jobs.flatMap((_, i) => [`scan ${i}`, `merge ${i}`, `merged ${i}`]);
    assert.deepEqual(events, expected);
  });

  it("a worker's failure rejects with its error and stops this thread's jobs", async () => {
    const file = tmp.file('fail.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    // The workers take jobs on a file that is not there; this thread's job waits until they have
    // failed (a fixed wait was too short for a worker's start on a loaded machine).
    const broken = jobs.map((j, i) => (i === 0 ? j : { ...j, path: `${file}.missing` }));
    let localAfterFailure = 0;
    let failed = false;
    await assert.rejects(
      validation(broken, {
        local: async (job, report, isStopped) => {
          if (failed) localAfterFailure++;
          for (const until = Date.now() + 60_000; job.path === file && !isStopped() && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 10));
          if (isStopped()) failed = true;
          // Finishes its job whatever happened meanwhile: only the queue keeps it from the next.
          return validateRange(job, report);
        },
        onResult: () => undefined,
      }),
      /ENOENT/,
    );
    assert.ok(failed, 'the worker failed while this thread ran its job');
    assert.equal(localAfterFailure, 0, 'no job is taken after the failure');
  });

  it('a cancel or a failure rejects while this thread waits for a consumer that never settles', async () => {
    const file = tmp.file('stuck.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    for (const onThisThread of [true, false]) {
      const ac = new AbortController();
      await assert.rejects(
        runRangeJobs<ValidateRangeJob, ValidateRangeResult>(jobs, {
          worker: 'validateWorker',
          threads: 2,
          totalBytes: size,
          run: { rangesOnThisThread: onThisThread, signal: ac.signal },
          local: (job, report, isStopped) => validateRange(job, report, isStopped),
          onResult: () => {
            setTimeout(() => ac.abort(), 20);
            // A write to a pipe nobody reads: never settles.
            return new Promise<void>(() => undefined);
          },
        }),
        AbortedError,
        `ranges on this thread: ${onThisThread}`,
      );
    }
    // A worker fails (its file is not there) while this thread waits for the first result's consumer.
    const broken = jobs.map((j, i) => (i === 0 ? j : { ...j, path: `${file}.missing` }));
    await assert.rejects(validation(broken, { onResult: () => new Promise<void>(() => undefined) }), /ENOENT/);
  });

  it('a cancel rejects with AbortedError and hands over no result after it', async () => {
    const file = tmp.file('cancel.jsonl', text);
    const jobs = await jobsFor(file, 16 * 1024);
    const stop = new AbortController();
    let after = 0;
    await assert.rejects(
      validation(jobs, {
        signal: stop.signal,
        onResult: (i) => {
          if (stop.signal.aborted) after++;
          if (i === 1) stop.abort();
        },
      }),
      (e: Error) => e instanceof AbortedError,
    );
    assert.equal(after, 0);
  });

  it('finishing while workers still load their script leaves them to load, then stops them', async () => {
    // This thread does every job of a small file before the workers are up, finishing at a later
    // moment of their loading each round: the run ends with every result and no worker left.
    const file = tmp.file('quick.jsonl', lines.slice(0, 200).join('\n') + '\n');
    const ranges = await shrinkingRanges(file, 2, 4096);
    const jobs: DedupeRangeJob[] = ranges.map((range) => ({ job: 'dedupeRange', path: file, range, format: 'alpaca', norm: {} }));
    for (let round = 0; round < 16; round++) {
      let records = 0;
      let first = true;
      await runJobQueue<DedupeRangeJob, DedupeRangeResult>(jobs, {
        worker: 'curateWorker',
        workers: 3,
        jobBytes: (j) => j.range.end - j.range.start,
        totalBytes: size,
        local: async (job) => {
          if (first) await new Promise((resolve) => setTimeout(resolve, 25 * round));
          first = false;
          return dedupeRange(job);
        },
        onResult: (_, r) => {
          records += r.hashes.length;
        },
      });
      assert.equal(records, 200);
    }
  });

  it('an error of the consumer rejects the run; no jobs resolves at once', async () => {
    const file = tmp.file('consumer.jsonl', text);
    const jobs = await jobsFor(file, 64 * 1024);
    await assert.rejects(
      validation(jobs, {
        onResult: (i) => {
          if (i === 2) throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    let called = false;
    await validation([], {
      workers: 2,
      onResult: () => {
        called = true;
      },
    });
    assert.equal(called, false);
  });
});
