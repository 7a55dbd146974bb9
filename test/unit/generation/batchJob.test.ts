import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start, type TestServer } from '../../support/openaiTestServer';
import { lines, prompts } from '../../support/generationFixtures';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { candidatesJobPaths, retryFailures, runCandidatesJob, type CandidateTarget, type CandidatesLine, type FailureLine } from '../../../src/core/generation/candidatesJob';
import { batchJobPaths, batchPollingMeter, cancelBatchJob, readBatchState, runBatchJob, type BatchProgress } from '../../../src/core/generation/batchJob';
import type { EndpointConfig } from '../../../src/core/generation/endpoint';

const KEY = ['sk', 'proj', 'Bq72batchjobsecretkey00917xyz'].join('-');

const TARGETS: CandidateTarget[] = [
  { endpoint: 'local', model: 'test-model-a', params: { temperature: 0.2, max_tokens: 64, n: 2, seed: 3 } },
  { endpoint: 'local', model: 'test-model-b', params: { temperature: 1, max_tokens: 64, system: 'You are verbose.' } },
];

function count(server: TestServer, method: string, url: RegExp): number {
  return server.requests.filter((r) => r.method === method && url.test(r.url)).length;
}

/** Candidates lines sorted by id, as text: the interactive job writes them in arrival order. */
async function sortedCandidates(file: string): Promise<string> {
  return (await fsp.readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .sort((a, b) => ((JSON.parse(a) as CandidatesLine).id < (JSON.parse(b) as CandidatesLine).id ? -1 : 1))
    .join('\n');
}

describe('batch job (OpenAI Batch API)', () => {
  let server: TestServer;
  let dir: string;
  let out: string;
  let endpoints: EndpointConfig[];
  let logs: string[];
  const pool = (): EndpointPool => new EndpointPool({ endpoints, apiKeys: { local: KEY }, log: (l) => logs.push(l) });
  beforeEach(async () => {
    server = await start();
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-batch-'));
    out = path.join(dir, 'run.candidates.jsonl');
    endpoints = [{ name: 'local', baseURL: server.baseURL, models: ['test-model-a', 'test-model-b'], maxConcurrency: 4, timeoutSeconds: 5 }];
    logs = [];
  });
  afterEach(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('polling progress: requests the server finished, at the rate seen since the first poll of this run', () => {
    let t = 1_000;
    const meter = batchPollingMeter(() => t);
    const poll = (completed: number, failed: number) => meter({ phase: 'polling', batches: [], total: 100, completed, failed });
    t = 2_000;
    // A resumed batch: 40 finished before this run, which says nothing about the rate now.
    const first = poll(38, 2);
    assert.deepEqual([first.done, first.total, first.failures, first.requestsPerSecond, first.elapsedMs], [40, 100, 2, 0, 1_000]);
    t = 12_000;
    const later = poll(57, 3);
    assert.equal(later.done, 60);
    assert.equal(later.requestsPerSecond, 2, '20 more in 10 s');
    assert.equal(later.elapsedMs, 11_000);
  });

  it('uploads one line per unit with the interactive body, and merges into the same candidates file as an interactive run', async () => {
    // The interactive run against a second server of the same kind: the reference.
    const ref = await start();
    const refOut = path.join(dir, 'ref.candidates.jsonl');
    try {
      const refPool = new EndpointPool({ endpoints: [{ ...endpoints[0], baseURL: ref.baseURL }] });
      await runCandidatesJob({ pool: refPool, prompts: prompts(3), targets: TARGETS, responsesPerTarget: 3, outputPath: refOut });
      refPool.close();
    } finally {
      await ref.close();
    }
    const phases: BatchProgress['phase'][] = [];
    const p = pool();
    const r = await runBatchJob({ pool: p, prompts: prompts(3), targets: TARGETS, responsesPerTarget: 3, outputPath: out, pollIntervalMs: 5, onBatchProgress: (x) => phases.push(x.phase) });
    p.close();
    assert.equal(r.state, 'merged');
    assert.equal(r.resumed, false);
    assert.equal(r.batchIds.length, 2, 'one batch per model');
    assert.deepEqual([...new Set(phases)], ['uploading', 'polling', 'merging']);

    // Upload: a batch file per model, one line per unit, bodies exactly the interactive requests'.
    const uploads = [...server.files.values()].filter((f) => f.purpose === 'batch');
    assert.equal(uploads.length, 2);
    const batchLines = uploads.flatMap((f) => f.content.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: { model: string } }));
    // 3 prompts × (test-model-a: 3 responses at n=2 → 2 requests; test-model-b: 3 requests) = 15 units.
    assert.equal(batchLines.length, 15);
    assert.ok(batchLines.every((l) => l.method === 'POST' && l.url === '/v1/chat/completions'));
    assert.equal(new Set(batchLines.map((l) => l.custom_id)).size, 15);
    for (const f of uploads) assert.equal(new Set(f.content.split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { body: { model: string } }).body.model)).size, 1);
    const refBodies = ref.requests.filter((q) => q.url === '/v1/chat/completions').map((q) => q.rawBody).sort();
    assert.deepEqual(batchLines.map((l) => JSON.stringify(l.body)).sort(), refBodies);
    assert.equal(count(server, 'POST', /^\/v1\/chat\/completions$/), 0, 'no interactive request');

    // Merge: the same candidates file (line order aside: the interactive run writes in arrival order).
    assert.equal(await sortedCandidates(out), await sortedCandidates(refOut));
    assert.equal(r.merge?.progress.promptsWritten, 3);
    assert.equal(r.merge?.progress.failures, 0);
    // Done: no batch state, no input copies, no journal left behind.
    const left = (await fsp.readdir(dir)).sort();
    assert.deepEqual(left, ['ref.candidates.jsonl', 'ref.candidates.jsonl.job.json', 'run.candidates.jsonl', 'run.candidates.jsonl.job.json']);
  });

  it('resumes polling after a cancelled poll without creating a second batch; keys absent from every written file', async () => {
    server.setBatch({ pollsToComplete: 6 });
    const ac = new AbortController();
    const first = await runBatchJob({
      pool: pool(),
      prompts: prompts(4),
      targets: [TARGETS[1]],
      outputPath: out,
      pollIntervalMs: 5,
      signal: ac.signal,
      onBatchProgress: (x) => {
        if (x.phase === 'polling' && x.batches[0].status === 'in_progress') ac.abort();
      },
    });
    assert.equal(first.state, 'pending');
    const state = await readBatchState(out);
    assert.equal(state?.batches.length, 1);
    assert.equal(state?.batches[0].batchId, first.batchIds[0]);
    assert.equal(state?.batches[0].status, 'in_progress');
    // Everything on disk while the batch is pending, key-free.
    for (const name of await fsp.readdir(dir)) {
      const text = await fsp.readFile(path.join(dir, name), 'utf8');
      assert.ok(!text.includes(KEY.slice(8)), `${name} holds the key`);
    }

    const second = await runBatchJob({ pool: pool(), prompts: prompts(4), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5 });
    assert.equal(second.state, 'merged');
    assert.equal(second.resumed, true);
    assert.deepEqual(second.batchIds, first.batchIds);
    assert.equal(count(server, 'POST', /^\/v1\/batches$/), 1, 'one batch created');
    assert.equal(count(server, 'POST', /^\/v1\/files$/), 1, 'one upload');
    assert.deepEqual((await lines<CandidatesLine>(out)).map((l) => l.id).sort(), ['p0', 'p1', 'p2', 'p3']);
    // The key went to the server on every Batch API call, and nowhere else.
    const batchCalls = server.requests.filter((q) => /^\/v1\/(files|batches)/.test(q.url));
    assert.ok(batchCalls.length >= 4 && batchCalls.every((q) => q.headers.authorization === `Bearer ${KEY}`));
    for (const name of await fsp.readdir(dir)) {
      const text = await fsp.readFile(path.join(dir, name), 'utf8');
      assert.ok(!text.includes(KEY.slice(8)), `${name} holds the key`);
    }
    assert.ok(logs.every((l) => !l.includes(KEY.slice(8))));
  });

  it('error lines become failures; a rerun batches only those units; Retry Failed Generations fills them in interactively', async () => {
    server.setBatch({ pollsToComplete: 2, errorWhen: (id) => id.endsWith('|p1') });
    const r = await runBatchJob({ pool: pool(), prompts: prompts(3), targets: TARGETS, responsesPerTarget: 2, outputPath: out, pollIntervalMs: 5 });
    assert.equal(r.state, 'merged');
    // p1 has 2 units per target (test-model-a n=2 → 1 request, test-model-b → 2): 3 failures.
    assert.equal(r.merge?.progress.failures, 3);
    assert.deepEqual((await lines<CandidatesLine>(out)).map((l) => l.id).sort(), ['p0', 'p2']);
    const failures = await lines<FailureLine>(candidatesJobPaths(out).failures);
    assert.equal(failures.length, 3);
    assert.ok(failures.every((f) => f.id === 'p1' && f.status === 500 && f.kind === 'server' && /500/.test(f.reason)));

    // A second batch run asks for the failed units only.
    server.setBatch({ pollsToComplete: 2, errorWhen: () => false });
    const again = await runBatchJob({ pool: pool(), prompts: prompts(3), targets: TARGETS, responsesPerTarget: 2, outputPath: out, pollIntervalMs: 5 });
    assert.equal(again.merge?.progress.failures, 0);
    assert.equal(again.merge?.progress.promptsSkipped, 2);
    const uploads = [...server.files.values()].filter((f) => f.purpose === 'batch');
    const lastTwo = uploads.slice(-2).flatMap((f) => f.content.split('\n').filter((l) => l.trim()));
    assert.equal(lastTwo.length, 3);
    assert.ok(lastTwo.every((l) => (JSON.parse(l) as { custom_id: string }).custom_id.endsWith('|p1')));
    assert.deepEqual((await lines<CandidatesLine>(out)).map((l) => l.id).sort(), ['p0', 'p1', 'p2']);
  });

  it('an expired batch: answered lines merged, the rest recorded as retryable failures', async () => {
    server.setBatch({ pollsToComplete: 2, expire: true, expireAfterLines: 2 });
    const r = await runBatchJob({ pool: pool(), prompts: prompts(3), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5 });
    assert.equal(r.state, 'merged');
    assert.equal(r.merge?.progress.promptsWritten, 2);
    const failures = await lines<FailureLine>(candidatesJobPaths(out).failures);
    assert.equal(failures.length, 1);
    assert.equal(failures[0].kind, 'timeout');
    assert.match(failures[0].reason, /expired/);
    await assert.rejects(fsp.access(batchJobPaths(out).batch));
    // The existing retry path (interactive) completes the job.
    const retry = await retryFailures({ pool: pool(), outputPath: out });
    assert.equal(retry.progress.promptsWritten, 1);
    assert.equal(count(server, 'POST', /^\/v1\/chat\/completions$/), 1);
    assert.equal((await lines<CandidatesLine>(out)).length, 3);
  });

  it('splits a large job into batches of maxRequestsPerBatch; the requests missing from each batch become failures', async () => {
    server.setBatch({ pollsToComplete: 2, expire: true, expireAfterLines: 1 });
    const r = await runBatchJob({ pool: pool(), prompts: prompts(3), targets: [TARGETS[1]], responsesPerTarget: 2, outputPath: out, pollIntervalMs: 5, maxRequestsPerBatch: 2 });
    assert.equal(r.batchIds.length, 3);
    const uploads = [...server.files.values()].filter((f) => f.purpose === 'batch');
    assert.deepEqual(uploads.map((f) => f.content.split('\n').filter((l) => l.trim()).length), [2, 2, 2]);
    // Each batch answered its first line only: one unit per prompt in the journal, one failed.
    const failures = await lines<FailureLine>(candidatesJobPaths(out).failures);
    assert.deepEqual(failures.map((f) => f.id).sort(), ['p0', 'p1', 'p2']);
    assert.ok(failures.every((f) => f.kind === 'timeout'));
    assert.equal((await lines(candidatesJobPaths(out).journal)).length, 3);
    assert.equal((await lines(out)).length, 0);
    const retry = await retryFailures({ pool: pool(), outputPath: out });
    assert.equal(retry.progress.promptsWritten, 3);
    assert.equal(count(server, 'POST', /^\/v1\/chat\/completions$/), 3, 'only the expired requests are sent again');
  });

  it('Cancel Batch calls the cancel endpoint; the next run merges the cancelled batch as failures', async () => {
    server.setBatch({ pollsToComplete: 50 });
    const ac = new AbortController();
    const first = await runBatchJob({
      pool: pool(),
      prompts: prompts(2),
      targets: [TARGETS[1]],
      outputPath: out,
      pollIntervalMs: 5,
      signal: ac.signal,
      onBatchProgress: (x) => {
        if (x.phase === 'polling') ac.abort();
      },
    });
    assert.equal(first.state, 'pending');
    const cancelled = await cancelBatchJob(pool(), out);
    assert.deepEqual(cancelled, first.batchIds);
    assert.equal(count(server, 'POST', /^\/v1\/batches\/[^/]+\/cancel$/), 1);
    assert.equal((await readBatchState(out))?.batches[0].status, 'cancelling');
    const r = await runBatchJob({ pool: pool(), prompts: prompts(2), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5 });
    assert.equal(r.state, 'merged');
    const failures = await lines<FailureLine>(candidatesJobPaths(out).failures);
    assert.equal(failures.length, 2);
    assert.ok(failures.every((f) => f.kind === 'aborted' && /cancelled/.test(f.reason)));
    assert.equal(count(server, 'POST', /^\/v1\/batches$/), 1);
  });

  it('after a crash between creating the batch and recording it, the rerun finds that batch instead of creating another', async () => {
    server.setBatch({ pollsToComplete: 50 });
    const ac = new AbortController();
    await runBatchJob({ pool: pool(), prompts: prompts(2), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5, signal: ac.signal, onBatchProgress: (x) => x.phase === 'polling' && ac.abort() });
    // As if the process died right after POST /v1/batches: the state knows the upload, not the batch.
    const state = await readBatchState(out);
    assert.ok(state?.batches[0].inputFileId && state.batches[0].batchId);
    const created = state.batches[0].batchId;
    delete state.batches[0].batchId;
    delete state.batches[0].status;
    await fsp.writeFile(batchJobPaths(out).batch, JSON.stringify(state));
    server.setBatch({ pollsToComplete: 2 });
    const r = await runBatchJob({ pool: pool(), prompts: prompts(2), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5 });
    assert.equal(r.state, 'merged');
    assert.deepEqual(r.batchIds, [created]);
    assert.equal(count(server, 'POST', /^\/v1\/batches$/), 1);
    assert.equal(count(server, 'GET', /^\/v1\/batches\?/), 1, 'looked for it in the list');
    assert.equal((await lines<CandidatesLine>(out)).length, 2);
  });

  it('refuses to poll batches recorded for other targets, and a damaged state file', async () => {
    server.setBatch({ pollsToComplete: 50 });
    const ac = new AbortController();
    await runBatchJob({ pool: pool(), prompts: prompts(1), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5, signal: ac.signal, onBatchProgress: (x) => x.phase === 'polling' && ac.abort() });
    await assert.rejects(runBatchJob({ pool: pool(), prompts: prompts(1), targets: [TARGETS[0]], outputPath: out, pollIntervalMs: 5 }), /other targets/);
    await fsp.writeFile(batchJobPaths(out).batch, '{"version": 1, "batc');
    await assert.rejects(runBatchJob({ pool: pool(), prompts: prompts(1), targets: [TARGETS[1]], outputPath: out, pollIntervalMs: 5 }), /damaged/);
    assert.equal(count(server, 'POST', /^\/v1\/batches$/), 1);
  });
});
