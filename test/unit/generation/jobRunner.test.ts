import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { startingProgress } from '../../../src/core/generation/jobMeter';
import { JobRun, withRedactedErrors } from '../../../src/core/generation/jobRunner';
import { AbortedError } from '../../../src/core/base/cancellation';

const KEY = ['sk', 'proj', 'Yk42jobrunnersecretkey0099'].join('-');

describe('JobRun and withRedactedErrors (what every generation job shares)', () => {
  let dir: string;
  // No request is sent: the pool is only the redactor and the request counters here.
  const pool = (): EndpointPool => new EndpointPool({ endpoints: [{ name: 'local', baseURL: 'http://127.0.0.1:9/v1', models: ['m'], maxConcurrency: 1, timeoutSeconds: 1 }], apiKeys: { local: KEY } });
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-jobrun-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('an error leaving a job is redacted; a cancellation stays one, and any error raised after the cancel is one too', async () => {
    const p = pool();
    await assert.rejects(
      withRedactedErrors(p, undefined, () => Promise.reject(new Error(`upstream said: bad key ${KEY}`))),
      (e: Error) => !e.message.includes(KEY) && /bad key/.test(e.message),
    );
    const aborted = new AbortedError();
    await assert.rejects(withRedactedErrors(p, undefined, () => Promise.reject(aborted)), (e) => e === aborted);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(withRedactedErrors(p, ac.signal, () => Promise.reject(new Error('stream closed'))), (e) => e instanceof AbortedError);
    assert.equal(await withRedactedErrors(p, undefined, () => Promise.resolve(42)), 42);
  });

  it('warnings and log lines are redacted; a warning can stay out of the log', () => {
    const logs: string[] = [];
    const run = new JobRun({ pool: pool(), log: (l) => logs.push(l) }, startingProgress());
    run.warn(`line 3 holds ${KEY}`);
    run.warn(`quiet ${KEY}`, false);
    run.log(`sent ${KEY}`);
    assert.equal(run.warnings.length, 2);
    for (const s of [...run.warnings, ...logs]) assert.ok(!s.includes(KEY), s);
    assert.equal(logs.length, 2, 'the quiet warning is not logged');
  });

  it('reports progress with the figures the job keeps and the meter adds', () => {
    const seen: number[] = [];
    const run = new JobRun({ pool: pool(), onProgress: (p) => seen.push(p.done) }, startingProgress(5), (p) => {
      p.done = 3;
    });
    run.addUsage('m', { prompt_tokens: 10, completion_tokens: 4 });
    run.report();
    assert.deepEqual(seen, [3]);
    assert.equal(run.progress.tokensIn, 10);
    assert.equal(run.progress.tokensOut, 4);
  });

  it('a lazy log creates no file until its first line; closeFiles closes every file even when one fails, and returns that error', async () => {
    const run = new JobRun({ pool: pool() }, startingProgress());
    const unused = run.lazyLog(path.join(dir, 'failures.jsonl'));
    const used = run.lazyLog(path.join(dir, 'journal.jsonl'));
    const eager = await run.openLog(path.join(dir, 'out.jsonl'));
    let closedAfterFailure = false;
    run.keep({ close: () => Promise.reject(new Error('close failed')) });
    run.keep({
      close: async () => {
        closedAfterFailure = true;
      },
    });
    await used.append({ a: 1 });
    await eager.append({ b: 2 });
    const closing = await run.closeFiles();
    assert.equal((closing?.error as Error).message, 'close failed');
    assert.equal(closedAfterFailure, true);
    assert.equal(unused.path, path.join(dir, 'failures.jsonl'));
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['journal.jsonl', 'out.jsonl']);
    assert.equal(await fsp.readFile(path.join(dir, 'journal.jsonl'), 'utf8'), '{"a":1}\n');
  });
});
