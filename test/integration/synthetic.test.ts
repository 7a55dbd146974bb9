/**
 * "Generate Synthetic Records" in the real extension host, against the real OpenAI-compatible test
 * server (synthetic mode: it answers with a new record shaped like the first example it is shown)
 * through the real `openai` client. Arguments skip the pickers, as in generation.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { SyntheticRunSummary } from '../../src/extension/generateSyntheticRecordsCommand';
import { validateFile } from '../../src/core/validate/pipeline';
import { start, type TestServer } from '../support/openaiTestServer';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

function recordLines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
}

const config = () => vscode.workspace.getConfiguration('pairwise');

describe('Generate Synthetic Records command', function () {
  this.timeout(120_000);
  let server: TestServer;
  let gen: PairwiseTestApi['generation'];
  const dataset = () => workspacePath('synthetic', 'qa.jsonl');
  const target = { endpoint: 'synth-local', model: 'test-model-a' };

  before(async () => {
    server = await start({ synthetic: { fenced: true } });
    gen = (await api()).generation;
    const endpoints = config().get<unknown[]>('endpoints') ?? [];
    await config().update('endpoints', [...endpoints, { name: 'synth-local', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 2, timeoutSeconds: 10 }], vscode.ConfigurationTarget.Global);
    await waitFor('the endpoint in the settings', () => (config().get<{ name: string }[]>('endpoints') ?? []).some((e) => e.name === 'synth-local'));
  });

  after(async () => {
    const rest = (config().get<{ name: string }[]>('endpoints') ?? []).filter((e) => e.name !== 'synth-local');
    await config().update('endpoints', rest.length ? rest : undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('appends validated new records to the dataset; the same job run again adds nothing', async () => {
    const before = recordLines(dataset());
    const args = { input: dataset(), topic: 'general knowledge quiz', count: 4, seedCount: 2, target, temperature: 0.8, maxTokens: 300, seed: 5 };
    const r = await vscode.commands.executeCommand<SyntheticRunSummary>('pairwise.generateSyntheticRecords', args);
    assert.ok(r, 'the command returns its summary');
    assert.equal(r.cancelled, false);
    assert.equal(r.format, 'alpaca');
    assert.equal(r.progress.accepted, 4);
    assert.equal(r.progress.rejected + r.progress.duplicatesExact + r.progress.duplicatesNear + r.progress.failures, 0);
    const after = recordLines(dataset());
    assert.equal(after.length, before.length + 4);
    assert.deepEqual(after.slice(0, before.length), before, 'existing lines untouched');
    const v = await validateFile(dataset());
    assert.equal(v.bySeverity.error, 0, JSON.stringify(v.problems.slice(0, 3)));
    const chats = server.requests.filter((q) => q.url === '/v1/chat/completions');
    assert.equal(chats.length, 4);
    assert.ok(chats.every((q) => q.headers.authorization === undefined), 'no key set: no Authorization header');
    assert.match(gen.outputText(), /synthetic records: 4 for .*qa\.jsonl from synth-local\/test-model-a/);

    const again = await vscode.commands.executeCommand<SyntheticRunSummary>('pairwise.generateSyntheticRecords', args);
    assert.ok(again);
    assert.equal(again.progress.acceptedBefore, 4);
    assert.equal(again.progress.accepted, 0);
    assert.equal(recordLines(dataset()).length, before.length + 4);
    assert.equal(server.requests.filter((q) => q.url === '/v1/chat/completions').length, 4, 'nothing requested again');
  });

  it('refuses while the dataset has unsaved edits, and writes nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(dataset());
    const editor = await vscode.window.showTextDocument(doc);
    const size = fs.statSync(dataset()).size;
    const sent = server.requests.length;
    try {
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), ' '));
      assert.ok(doc.isDirty);
      const r = await vscode.commands.executeCommand<SyntheticRunSummary | undefined>('pairwise.generateSyntheticRecords', { input: dataset(), topic: 'more quiz', count: 2, target });
      assert.equal(r, undefined);
      assert.equal(fs.statSync(dataset()).size, size);
      assert.equal(server.requests.length, sent);
      assert.match(gen.outputText(), /qa\.jsonl has unsaved changes; save it first/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
