/**
 * The trainer's view in the real editor: a model chosen for a dataset (Select Model), the trainer
 * and its length limit from an Axolotl config naming the file, the Dataset View card's trainer's
 * view (trained tokens, the cut) and the pre-flight report.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { DatasetViewSession } from '../../src/extension/datasetViewSession';
import type { HostToDatasetView } from '../../src/protocol/datasetView';
import { waitFor } from './waitFor';
import { startHubTestServer, testSha } from '../support/hubTestServer';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0];
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

const MODEL = () => path.join(vscode.extensions.getExtension('pairwise.pairwise')!.extensionPath, 'test', 'fixtures', 'chatTemplates', 'chatml');

describe('the trainer\'s view of a dataset', function () {
  this.timeout(90_000);
  // In the workspace's top folder, which is watched from the start: files written into a folder
  // created a moment before can be missed by a recursive file watcher (inotify watches a new folder
  // only once it has seen it), and then no config would name the dataset.
  const data = workspaceFile('trainerview_chat.jsonl');
  const config = workspaceFile('trainerview_axolotl.yaml');
  const records = [
    { messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi there' }] },
    { messages: [{ role: 'system', content: 'be very brief.' }, { role: 'user', content: 'the sum of all the numbers in the list, please' }, { role: 'assistant', content: 'it is forty-two, as it always has been.' }] },
  ];

  before(() => {
    fs.writeFileSync(data.fsPath, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    // Axolotl trains this file with an 80-token limit: the second record is cut inside its answer.
    fs.writeFileSync(config.fsPath, 'base_model: some/model\nsequence_len: 80\ndatasets:\n  - path: trainerview_chat.jsonl\n    type: chat_template\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('pairwise.selectModel', data, '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(data.fsPath, { force: true });
    fs.rmSync(config.fsPath, { force: true });
  });

  it('Select Model sets the file\'s model; the status bar names it', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(data));
    const a = await api();
    await waitFor('the model status', () => a.modelStatus() === 'no model');
    await vscode.commands.executeCommand('pairwise.selectModel', data, MODEL());
    await waitFor('the model status', () => a.modelStatus() === 'chatml');
  });

  it('a Dataset View card\'s trainer\'s view: trained tokens, the cut at the config\'s limit, where the options came from', async () => {
    await vscode.commands.executeCommand('pairwise.selectModel', data, MODEL());
    await vscode.commands.executeCommand('pairwise.openDatasetView', data);
    const s = await waitFor('a Dataset View session', async () => (await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', data)) ?? undefined);
    await waitFor('the file indexed as openai-chat', () => s.state().format === 'openai-chat' && s.state().records === 2);
    let last: Extract<HostToDatasetView, { type: 'trainerViewResult' }> | undefined;
    const answer = await waitFor(
      'the trainer\'s view',
      async () => {
        last = (await s.handle({ type: 'trainerView', id: 7, index: 1 })) as Extract<HostToDatasetView, { type: 'trainerViewResult' }> | undefined;
        // The target trainer comes from the config once the workspace's configs are indexed.
        return last?.view?.trainer === 'Axolotl' ? last : undefined;
      },
      45_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last answer: ${JSON.stringify(last?.error ?? last?.view?.trainer)}`);
    });
    assert.equal(answer.id, 7);
    const view = answer.view!;
    assert.equal(view.model, 'chatml');
    assert.equal(view.maxLength, 80);
    assert.match(view.optionsFrom ?? '', /trainerview_axolotl\.yaml line 2/);
    const [c] = view.views;
    assert.ok(c.tokens > 80 && c.overBy === c.tokens - 80, `${c.tokens} tokens, ${c.overBy} over`);
    assert.ok(c.pieces.some((p) => p.trained && !p.pastCut), 'trained tokens before the cut');
    assert.ok(c.pieces.some((p) => p.pastCut), 'something past the cut');
    assert.ok(c.pieces.filter((p) => p.trained).map((p) => p.text).join('').startsWith('it is forty-two'), 'the answer is what is trained');
    assert.ok(c.trainedAfterCut < c.trainedTokens);
  });

  it('Pre-flight runs with progress and opens its report: the record over the limit, the totals, the histogram', async () => {
    await vscode.commands.executeCommand('pairwise.selectModel', data, MODEL());
    const report = await vscode.commands.executeCommand<{ records: number; maxLength?: number; overLimit: { line: number }[]; histogram: { counts: number[] } } | undefined>('pairwise.preflight', data);
    assert.ok(report, 'a report');
    assert.equal(report.records, 2);
    assert.equal(report.maxLength, 80);
    assert.deepEqual(report.overLimit.map((i) => i.line), [2]);
    assert.equal(report.histogram.counts.reduce((a, b) => a + b, 0), 2);
    const panel = (await api()).preflightPanelForTest();
    assert.ok(panel);
    assert.equal(panel.lastState().status, 'done');
    assert.equal(panel.lastState().trainer, 'Axolotl');
    // A message that is not the protocol's is dropped; reveal opens the record's line.
    await panel.handleMessage({ type: 'reveal', line: 2 });
    await waitFor('the record revealed', () => vscode.window.activeTextEditor?.document.uri.toString() === data.toString() && vscode.window.activeTextEditor.selection.active.line === 1);
  });

  it('hovering a record adds its real token count with the trainer\'s trained tokens and cut', async () => {
    await vscode.commands.executeCommand('pairwise.selectModel', data, MODEL());
    const doc = await vscode.workspace.openTextDocument(data);
    await vscode.window.showTextDocument(doc);
    const text = await waitFor('a hover with the trainer\'s line', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', data, new vscode.Position(1, 5));
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Axolotl with chatml/.test(all) ? all : undefined;
    });
    assert.match(text, /106 tokens, 38 trained, 26 over the limit of 80 \(12 trained tokens left\)/);
  });

  it('a Hugging Face Hub model id as the file\'s model: fetched once, then the same view as the local folder', async () => {
    const dir = MODEL();
    const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const sha = testSha('trainer-view');
    const server = await startHubTestServer({ repos: { 'pw-tv/chatml': { refs: { main: sha }, commits: { [sha]: files } } } });
    const saved = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = server.url;
    try {
      await vscode.commands.executeCommand('pairwise.selectModel', data, MODEL());
      const s = await waitFor('a Dataset View session', async () => {
        await vscode.commands.executeCommand('pairwise.openDatasetView', data);
        return (await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', data)) ?? undefined;
      });
      const ask = async (id: number) => (await s.handle({ type: 'trainerView', id, index: 1 })) as Extract<HostToDatasetView, { type: 'trainerViewResult' }>;
      const local = await ask(20);
      assert.ok(local.view, local.error);
      await vscode.commands.executeCommand('pairwise.selectModel', data, 'pw-tv/chatml');
      const hub = await ask(21);
      assert.ok(hub.view, hub.error);
      assert.equal(hub.view.model, 'pw-tv/chatml');
      assert.deepEqual(hub.view.views, local.view!.views);
      assert.ok(server.requests.length > 0, 'fetched from the Hub');
      const n = server.requests.length;
      await ask(22);
      assert.equal(server.requests.length, n, 'the second view comes from the cache');
    } finally {
      if (saved === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved;
      await server.close();
    }
  });

  it('without a model, the card and the report say how to choose one', async () => {
    await vscode.commands.executeCommand('pairwise.selectModel', data, '');
    await vscode.commands.executeCommand('pairwise.openDatasetView', data);
    const s = await waitFor('a Dataset View session', async () => (await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', data)) ?? undefined);
    const r = (await s.handle({ type: 'trainerView', id: 8, index: 0 })) as Extract<HostToDatasetView, { type: 'trainerViewResult' }>;
    assert.equal(r.view, undefined);
    assert.match(r.error ?? '', /Select Model/);
  });
});
