/**
 * Generate Candidates as an OpenAI Batch API job, in the real extension host, against the real test
 * server (files + batches) through the real `openai` client: stop polling, resume without a second
 * batch, merge; and Cancel Batch at the server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { GenerationRunSummary } from '../../src/extension/generateCandidatesCommand';
import { start, type TestServer } from '../support/openaiTestServer';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

const KEY = ['sk', 'proj', 'BatchIntegrationKey93be51d07a'].join('-');

const config = () => vscode.workspace.getConfiguration('pairwise');

function count(server: TestServer, method: string, url: RegExp): number {
  return server.requests.filter((r) => r.method === method && url.test(r.url)).length;
}

describe('Generate Candidates with the Batch API', function () {
  this.timeout(120_000);
  let server: TestServer;
  let gen: PairwiseTestApi['generation'];
  const input = () => workspacePath('generation', 'two_prompts.jsonl');
  /** Stops the command's polling (like the notification's Cancel) once a new batch has been polled. */
  const abortOncePolled = (ac: AbortController): NodeJS.Timeout => {
    const known = new Set(server.batches.keys());
    return setInterval(() => {
      if ([...server.batches.values()].some((b) => !known.has(b.id) && b.polls >= 1)) ac.abort();
    }, 10);
  };

  before(async () => {
    server = await start();
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
    assert.ok(ext);
    gen = (await ext.activate()).generation;
    // `batch: true` marks a non-OpenAI endpoint as taking the Batch API.
    await config().update(
      'endpoints',
      [{ name: 'batchy', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 2, timeoutSeconds: 10, batch: true }],
      vscode.ConfigurationTarget.Global,
    );
    await waitFor('the endpoint in the settings', () => (config().get<{ name: string }[]>('endpoints') ?? []).some((e) => e.name === 'batchy'));
    assert.equal(await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'batchy', key: KEY }), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('pairwise.setApiKey', { endpoint: 'batchy', clear: true });
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('keeps an endpoint\'s batch flag when Manage Endpoints rewrites the list', async () => {
    const added = await vscode.commands.executeCommand('pairwise.manageEndpoints', { action: 'add', endpoint: { name: 'other', baseURL: server.baseURL, models: ['test-model-b'] } });
    assert.ok(added, 'the endpoint was added');
    const list = config().inspect<{ name: string; batch?: boolean }[]>('endpoints')?.globalValue ?? [];
    assert.deepEqual(list.map((e) => [e.name, e.batch]), [['batchy', true], ['other', undefined]]);
    assert.ok(await vscode.commands.executeCommand('pairwise.manageEndpoints', { action: 'remove', name: 'other' }));
    assert.deepEqual((config().inspect<{ name: string; batch?: boolean }[]>('endpoints')?.globalValue ?? []).map((e) => [e.name, e.batch]), [['batchy', true]]);
  });

  it('stops polling on cancel, resumes the same batch on the next run and merges it; Cancel Batch cancels at the server', async () => {
    const output = workspacePath('generation', 'two_prompts.batch.candidates.jsonl');
    const target = [{ endpoint: 'batchy', model: 'test-model-a' }];
    server.setBatch({ pollsToComplete: 1_000_000 });
    const ac = new AbortController();
    const timer = abortOncePolled(ac);
    const first = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', {
      input: input(),
      output,
      targets: target,
      responsesPerModel: 2,
      temperature: 0.5,
      seed: 4,
      batch: true,
      pollIntervalMs: 20,
      signal: ac.signal,
    });
    clearInterval(timer);
    assert.ok(first, `the command returns its summary; output:\n${gen.outputText()}`);
    assert.equal(first.batch?.state, 'pending');
    assert.equal(first.batch?.batchIds.length, 1);
    assert.ok(fs.existsSync(`${output}.batch.json`));
    assert.equal(fs.existsSync(output), false, 'nothing merged yet');

    // The batch finishes at its next poll; the rerun polls it instead of creating another.
    server.setBatch({ pollsToComplete: 0 });
    const second = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: input(), output, targets: [], pendingBatch: 'resume', pollIntervalMs: 20 });
    assert.ok(second);
    assert.equal(second.batch?.state, 'merged');
    assert.deepEqual(second.batch?.batchIds, first.batch?.batchIds);
    assert.equal(second.progress.promptsWritten, 2);
    assert.equal(count(server, 'POST', /^\/v1\/batches$/), 1, 'one batch');
    assert.equal(count(server, 'POST', /^\/v1\/chat\/completions$/), 0, 'no interactive request');
    const rows = fs.readFileSync(output, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { responses: { model: string }[] });
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.responses.length === 2 && r.responses.every((x) => x.model === 'test-model-a')));
    assert.equal(fs.existsSync(`${output}.batch.json`), false);
    assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
    for (const f of fs.readdirSync(path.dirname(output))) assert.ok(!fs.readFileSync(path.join(path.dirname(output), f), 'utf8').includes(KEY), `${f} holds the key`);

    // Cancel Batch on another output's pending batch.
    const other = workspacePath('generation', 'two_prompts.batch2.candidates.jsonl');
    server.setBatch({ pollsToComplete: 1_000_000 });
    const ac2 = new AbortController();
    const timer2 = abortOncePolled(ac2);
    const pending = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: input(), output: other, targets: target, batch: true, pollIntervalMs: 20, signal: ac2.signal });
    clearInterval(timer2);
    assert.equal(pending?.batch?.state, 'pending');
    const cancelled = await vscode.commands.executeCommand<GenerationRunSummary>('pairwise.generateCandidates', { input: input(), output: other, targets: [], pendingBatch: 'cancel' });
    assert.equal(cancelled?.batch?.state, 'cancel-requested');
    assert.deepEqual(cancelled?.batch?.batchIds, pending?.batch?.batchIds);
    assert.equal(count(server, 'POST', /^\/v1\/batches\/[^/]+\/cancel$/), 1);
    for (const f of fs.readdirSync(path.dirname(output)).filter((n) => n.startsWith('two_prompts.batch'))) fs.rmSync(path.join(path.dirname(output), f));
  });
});
