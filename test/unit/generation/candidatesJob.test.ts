import * as assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start, type TestServer } from '../../support/openaiTestServer';
import { lines, prompts } from '../../support/generationFixtures';
import { openFileHandles } from '../../support/openHandles';
import { EndpointPool } from '../../../src/core/generation/endpointPool';
import { candidatesJobPaths, retryFailures, runCandidatesJob, type CandidateTarget, type CandidatesLine, type FailureLine, type PromptRecord } from '../../../src/core/generation/candidatesJob';
import { type JobProgress } from '../../../src/core/generation/jobMeter';
import type { EndpointConfig } from '../../../src/core/generation/endpoint';
import { maxStartsInAnyWindow } from '../../../src/core/generation/rateScheduler';

const KEY = ['sk', 'proj', 'Zq81ycandidatesjobsecretkey0042'].join('-');

const TARGETS: CandidateTarget[] = [
  { endpoint: 'local', model: 'test-model-a', params: { temperature: 0.2, max_tokens: 64 } },
  { endpoint: 'local', model: 'test-model-b', params: { temperature: 1, max_tokens: 64, system: 'You are verbose.' } },
];

function chatCount(server: TestServer): number {
  return server.requests.filter((r) => r.url === '/v1/chat/completions').length;
}

describe('candidates job', () => {
  let server: TestServer;
  let dir: string;
  let out: string;
  let endpoints: EndpointConfig[];
  beforeEach(async () => {
    server = await start({ latencyMs: 2 });
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-gen-'));
    out = path.join(dir, 'run.candidates.jsonl');
    endpoints = [{ name: 'local', baseURL: server.baseURL, models: ['test-model-a', 'test-model-b'], maxConcurrency: 4, timeoutSeconds: 5 }];
  });
  afterEach(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writes one complete line per prompt, responses in target order with usage and params', async () => {
    const pool = new EndpointPool({ endpoints });
    const progress: JobProgress[] = [];
    const r = await runCandidatesJob({
      pool,
      prompts: prompts(5),
      targets: TARGETS,
      responsesPerTarget: 2,
      outputPath: out,
      prices: { 'test-model-a': { inputPerMTok: 1, outputPerMTok: 2 } },
      onProgress: (p) => progress.push(p),
    });
    assert.equal(r.cancelled, false);
    assert.deepEqual(r.warnings, []);
    const rows = await lines<CandidatesLine>(out);
    assert.deepEqual(rows.map((x) => x.id).sort(), ['p0', 'p1', 'p2', 'p3', 'p4']);
    for (const row of rows) {
      assert.equal(row.prompt[1].content, `Question number ${row.id.slice(1)}?`);
      assert.deepEqual(row.responses.map((x) => x.model), ['test-model-a', 'test-model-a', 'test-model-b', 'test-model-b']);
      assert.ok(row.responses.every((x) => x.usage && x.usage.prompt_tokens > 0 && x.usage.completion_tokens > 0));
      assert.deepEqual(row.responses[0].params, { temperature: 0.2, max_tokens: 64 });
      assert.deepEqual(row.responses[2].params, { temperature: 1, max_tokens: 64, system: 'You are verbose.' });
      // The test server answers identical requests identically (no seed given), so the two targets differ, not the samples.
      assert.equal(new Set(row.responses.map((x) => x.content)).size, 2);
    }
    // The target's system message replaced the prompt's own.
    const bReq = server.requests.find((q) => (q.body as { model: string }).model === 'test-model-b');
    assert.deepEqual((bReq?.body as { messages: unknown[] }).messages[0], { role: 'system', content: 'You are verbose.' });
    assert.equal((bReq?.body as { messages: unknown[] }).messages.length, 2);
    assert.equal(chatCount(server), 20);
    const last = progress[progress.length - 1];
    assert.equal(last.done, 20);
    assert.equal(last.total, 20);
    assert.equal(last.promptsWritten, 5);
    assert.ok(last.tokensIn > 0 && last.tokensOut > 0);
    assert.ok(last.cost !== undefined && last.cost > 0);
    assert.deepEqual(last.unpricedModels, ['test-model-b']);
    // A clean run leaves no journal behind; the spec stays to guard resumes.
    const paths = candidatesJobPaths(out);
    await assert.rejects(fsp.access(paths.journal));
    await fsp.access(paths.spec);
  });

  it('a prompt whose answers are too large for one candidates line fails, the job goes on, and a resume does not stop on it', async () => {
    // The test server's answers quote the question: a long question makes long answers.
    const ps = prompts(4);
    ps[1].prompt[1].content = `Question number 1? ${'Explain at length. '.repeat(40)}`;
    const run = () => runCandidatesJob({ pool: new EndpointPool({ endpoints }), prompts: ps, targets: TARGETS, responsesPerTarget: 2, outputPath: out, maxLineChars: 1500 });
    const r = await run();
    assert.deepEqual((await lines<CandidatesLine>(out)).map((x) => x.id).sort(), ['p0', 'p2', 'p3']);
    const failures = await lines<FailureLine>(candidatesJobPaths(out).failures);
    assert.deepEqual(failures.map((f) => [f.id, f.unit, f.kind]), [['p1', 'candidates-line', 'malformed']]);
    assert.match(failures[0].reason, /the answers to this prompt come to more than 1500 characters together, more than one candidates line holds/);
    assert.equal(r.progress.failures, 1);
    assert.ok(r.warnings.some((w) => w.startsWith('prompt p1: ')), r.warnings.join('\n'));
    // Resumed: the answers are in the journal, nothing is asked again, and the job still ends.
    const sent = chatCount(server);
    const again = await run();
    assert.equal(chatCount(server), sent);
    assert.equal(again.progress.failures, 1);
    assert.deepEqual((await lines<CandidatesLine>(out)).map((x) => x.id).sort(), ['p0', 'p2', 'p3']);
  });

  it('asks for n choices per request and splits responsesPerTarget into requests', async () => {
    const pool = new EndpointPool({ endpoints });
    await runCandidatesJob({ pool, prompts: prompts(2), targets: [{ endpoint: 'local', model: 'test-model-a', params: { temperature: 1, n: 2, seed: 7 } }], responsesPerTarget: 3, outputPath: out });
    const reqs = server.requests.map((q) => q.body as { n?: number; seed?: number; messages: { content: string }[] });
    assert.equal(reqs.length, 4);
    assert.deepEqual(reqs.map((b) => `${b.messages[1].content}|${b.n ?? 1}|${b.seed}`).sort(), [
      'Question number 0?|1|8',
      'Question number 0?|2|7',
      'Question number 1?|1|8',
      'Question number 1?|2|7',
    ]);
    const rows = await lines<CandidatesLine>(out);
    assert.ok(rows.every((row) => row.responses.length === 3));
    assert.equal(rows[0].responses[0].usage?.request_n, 2);
    assert.equal(rows[0].responses[2].usage?.request_n, undefined);
  });

  it('records the seed it sent, and no seed where the endpoint refused it', async () => {
    const refusing = await start({ refuseParams: { names: ['seed'], style: 'openai' } });
    try {
      const pool = new EndpointPool({ endpoints: [{ ...endpoints[0], baseURL: refusing.baseURL }] });
      const r = await runCandidatesJob({ pool, prompts: prompts(2), targets: [{ endpoint: 'local', model: 'test-model-a', params: { temperature: 1, seed: 7 } }], responsesPerTarget: 1, outputPath: out });
      assert.equal(r.progress.failures, 0);
      const rows = await lines<CandidatesLine>(out);
      assert.equal(rows.length, 2);
      assert.ok(rows.every((row) => row.responses[0].params?.seed === undefined && row.responses[0].params?.temperature === 1), JSON.stringify(rows[0].responses[0].params));
    } finally {
      await refusing.close();
    }
  });

  it('cancelled mid-run, then resumed: every unit requested once, nothing duplicated or lost', async () => {
    server.setLatency(25);
    const total = 16 * TARGETS.length;
    const ac = new AbortController();
    // Every request in flight listens on the signal, as in the CLI and the extension, which raise the limit too.
    setMaxListeners(0, ac.signal);
    const first = await runCandidatesJob({
      pool: new EndpointPool({ endpoints }),
      prompts: prompts(16),
      targets: TARGETS,
      outputPath: out,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 9) ac.abort();
      },
    });
    assert.equal(first.cancelled, true);
    const doneFirst = first.progress.done;
    assert.ok(doneFirst >= 9 && doneFirst < total, `done ${doneFirst}`);
    const journal = await lines<{ id: string; unit: string; responses: { model: string }[] }>(candidatesJobPaths(out).journal);
    const written = await lines<CandidatesLine>(out);
    // Everything the first run received is on disk: unfinished prompts in the journal, finished ones in the output.
    const onDisk = new Set([...journal.flatMap((j) => j.responses.map((r) => `${j.id}/${r.model}`)), ...written.flatMap((w) => w.responses.map((r) => `${w.id}/${r.model}`))]);
    assert.equal(onDisk.size, doneFirst);
    const serverBefore = chatCount(server);

    const second = await runCandidatesJob({ pool: new EndpointPool({ endpoints }), prompts: prompts(16), targets: TARGETS, outputPath: out });
    assert.equal(second.cancelled, false);
    assert.equal(second.progress.promptsSkipped, written.length);
    assert.equal(second.progress.total, total - doneFirst);
    assert.equal(chatCount(server) - serverBefore, total - doneFirst, 'the resumed run requested only what was missing');
    const rows = await lines<CandidatesLine>(out);
    assert.equal(rows.length, 16);
    assert.equal(new Set(rows.map((x) => x.id)).size, 16, 'one line per id');
    for (const row of rows) assert.deepEqual(row.responses.map((x) => x.model), ['test-model-a', 'test-model-b']);
    // Each response answers its own prompt: nothing was attached to the wrong id across the two runs.
    for (const row of rows) {
      for (const resp of row.responses) assert.ok(resp.content.includes(`re: Question number ${row.id.slice(1)}?`), `${row.id}: ${resp.content}`);
    }
    await assert.rejects(fsp.access(candidatesJobPaths(out).journal), 'journal removed after a complete run');
  });

  it('records failures with redacted reasons, resumes from the journal, and retryFailures re-runs only those', async () => {
    // Every request for model b fails hard (400 echoing the key); model a is fine.
    server.setFaults([{ kind: 'echo-auth', when: (q) => (q.body as { model?: string }).model === 'test-model-b' }]);
    const logs: string[] = [];
    const pool = () => new EndpointPool({ endpoints, apiKeys: { local: KEY }, log: (l) => logs.push(l) });
    const r1 = await runCandidatesJob({ pool: pool(), prompts: prompts(4), targets: TARGETS, outputPath: out, log: (l) => logs.push(l) });
    assert.equal(r1.progress.failures, 4);
    assert.equal(r1.progress.done, 4);
    assert.deepEqual(await lines(out), [], 'incomplete prompts are not written');
    const paths = candidatesJobPaths(out);
    const failures = await lines<{ id: string; reason: string; kind: string; status: number; prompt: unknown[] }>(paths.failures);
    assert.equal(failures.length, 4);
    for (const f of failures) {
      assert.equal(f.kind, 'client');
      assert.equal(f.status, 400);
      assert.match(f.reason, /request refused \(400\).*Bearer \[REDACTED\]/);
      assert.equal(f.prompt.length, 2);
    }
    // A torn line at the end of the journal (a crash mid-write) is reported, not fatal.
    await fsp.appendFile(paths.journal, '{"id":"p0","unit":"x');

    server.setFaults([]);
    const before = chatCount(server);
    const r2 = await retryFailures({ pool: pool(), outputPath: out, log: (l) => logs.push(l) });
    assert.equal(chatCount(server) - before, 4, 'only the four failed units were requested again');
    assert.equal(r2.progress.failures, 0);
    assert.ok(r2.warnings.some((w) => /damaged line/.test(w)), r2.warnings.join('\n'));
    const rows = await lines<CandidatesLine>(out);
    assert.equal(rows.length, 4);
    assert.ok(rows.every((row) => row.responses.length === 2 && row.responses[1].model === 'test-model-b'));

    // Nothing left to retry.
    const r3 = await retryFailures({ pool: pool(), outputPath: out });
    assert.equal(r3.progress.done, 0);
    assert.equal(chatCount(server) - before, 4);

    // The key appears in no file the job wrote and in no log line, though the server echoed it.
    for (const name of await fsp.readdir(dir)) {
      const text = await fsp.readFile(path.join(dir, name), 'utf8');
      assert.ok(!text.includes(KEY) && !text.includes(KEY.slice(8)), `${name} holds the key`);
    }
    assert.ok(logs.length > 0);
    assert.ok(logs.every((l) => !l.includes(KEY.slice(8))), logs.find((l) => l.includes(KEY.slice(8))));
  });

  it('keeps requestsPerMinute across runs: a rerun right after a run continues its window (state beside the job file)', async () => {
    const windowMs = 1500;
    const limited: EndpointConfig[] = [{ ...endpoints[0], requestsPerMinute: 6 }];
    const targets: CandidateTarget[] = [{ endpoint: 'local', model: 'test-model-a', params: {} }];
    const first = await runCandidatesJob({ pool: new EndpointPool({ endpoints: limited, windowMs }), prompts: prompts(6), targets, outputPath: out });
    assert.equal(first.progress.promptsWritten, 6);
    assert.ok((await fsp.stat(candidatesJobPaths(out).rate)).isFile());
    const second = await runCandidatesJob({ pool: new EndpointPool({ endpoints: limited, windowMs }), prompts: prompts(12), targets, outputPath: out });
    assert.equal(second.progress.promptsWritten, 6);
    assert.equal(server.arrivals.length, 12);
    assert.ok(maxStartsInAnyWindow(server.arrivals, windowMs) <= 6, `arrivals: ${server.arrivals.map((t) => t - server.arrivals[0]).join(',')}`);
  });

  it('refuses to resume an output made with other targets', async () => {
    const pool = new EndpointPool({ endpoints });
    await runCandidatesJob({ pool, prompts: prompts(1), targets: TARGETS.slice(0, 1), outputPath: out });
    await assert.rejects(runCandidatesJob({ pool, prompts: prompts(1), targets: TARGETS, outputPath: out }), /other targets/);
  });

  it('reports bad and duplicate input records instead of dropping them silently', async () => {
    const pool = new EndpointPool({ endpoints });
    const input = [...prompts(2), { id: 'p0', prompt: [{ role: 'user', content: 'again' }] }, { id: 'bad', prompt: [] }] as PromptRecord[];
    const r = await runCandidatesJob({ pool, prompts: input, targets: TARGETS.slice(0, 1), outputPath: out });
    assert.equal((await lines(out)).length, 2);
    assert.ok(r.warnings.some((w) => /second prompt with id p0/.test(w)));
    assert.ok(r.warnings.some((w) => /id bad/.test(w)));
  });

  it('a prompt stream that fails mid-way fails the job after the units in flight are written, with every log closed', async () => {
    const pool = new EndpointPool({ endpoints });
    async function* failing(): AsyncGenerator<PromptRecord> {
      yield* prompts(3);
      throw new Error('the disk holding the prompts went away');
    }
    const before = await openFileHandles();
    await assert.rejects(runCandidatesJob({ pool, prompts: failing(), targets: TARGETS, outputPath: out }), /the disk holding the prompts went away/);
    assert.deepEqual(await openFileHandles(), before, 'no log left open');
    // The three prompts read before the failure were answered and written in full.
    assert.equal((await lines(out)).length, 3);
  });

  it('accepts an async stream of prompts and reports the total at the end', async () => {
    const pool = new EndpointPool({ endpoints });
    async function* gen(): AsyncGenerator<PromptRecord> {
      yield* prompts(3);
    }
    const seen: (number | undefined)[] = [];
    const r = await runCandidatesJob({ pool, prompts: gen(), targets: TARGETS, outputPath: out, onProgress: (p) => seen.push(p.total) });
    assert.equal(seen[0], undefined);
    assert.equal(r.progress.total, 6);
    assert.equal((await lines(out)).length, 3);
  });
});
