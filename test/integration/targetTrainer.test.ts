/**
 * The trainer that will read a dataset, in the real editor: the status bar item beside the format
 * says which one and why (the file's choice, the folder's setting, or a dataset_info.json naming the
 * file), and the Problems panel's severities follow it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the fixture workspace open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const SEVERITY = ['error', 'warning', 'info', 'hint'];
/** Our diagnostics of `uri` as sorted "severity rule" lines. */
const seen = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'pairwise')
    .map((d) => `${SEVERITY[d.severity]} ${ruleOf(d)}`)
    .sort();

async function severitiesBecome(uri: vscode.Uri, want: string[]): Promise<void> {
  try {
    await waitFor(`diagnostics ${want.join(', ')}`, () => JSON.stringify(seen(uri)) === JSON.stringify(want));
  } catch (e) {
    throw new Error(`${(e as Error).message}; seen: ${JSON.stringify(seen(uri))}`);
  }
}

describe('the target trainer of a dataset', function () {
  this.timeout(60_000);
  const file = workspaceFile('editing/trl_tools.jsonl');

  after(async () => {
    await vscode.workspace.getConfiguration('pairwise.validation').update('trainer', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('pairwise.setTargetTrainer', file, 'auto');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('with no target, TRL tool-calling data that OpenAI would reject gets warnings naming both sides, and the status says "any trainer"', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await severitiesBecome(file, ['warning ms-swift/dropped-message-key', 'warning openai/unknown-message-key', 'warning tools/arguments-object']);
    const a = await api();
    const status = await waitFor('the trainer status', () => a.trainerStatus());
    assert.equal(status.text, 'any trainer');
    assert.match(status.tooltip, /every reader of openai-chat \(OpenAI fine-tuning, TRL, Axolotl, torchtune, LLaMA-Factory, ms-swift, xtuner\)/);
    const message = vscode.languages.getDiagnostics(file).find((d) => ruleOf(d) === 'tools/arguments-object')!.message;
    assert.match(message, /OpenAI fine-tuning wants the arguments of call "convert_units" as a JSON string; TRL, Axolotl, torchtune, LLaMA-Factory and xtuner take the object as it is/);
  });

  it('Set Target Trainer for the file: OpenAI makes them errors; the status says so and why', async () => {
    await vscode.commands.executeCommand('pairwise.setTargetTrainer', file, 'openai');
    // Two examples are also under OpenAI's 10-example minimum, said on the first record.
    await severitiesBecome(file, ['error openai/too-few-examples', 'error openai/unknown-message-key', 'error tools/arguments-object', 'warning ms-swift/dropped-message-key']);
    const a = await api();
    const status = await waitFor('the status names OpenAI', () => (a.trainerStatus()?.text === 'for OpenAI fine-tuning' ? a.trainerStatus() : undefined));
    assert.match(status.tooltip, /chosen for this file/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.setTargetTrainer', file, 'hf')), /Unknown trainer "hf"/);
  });

  it("the folder's pairwise.validation.trainer applies once the file's own choice is cleared", async () => {
    await vscode.commands.executeCommand('pairwise.setTargetTrainer', file, 'auto');
    await severitiesBecome(file, ['warning ms-swift/dropped-message-key', 'warning openai/unknown-message-key', 'warning tools/arguments-object']);
    await vscode.workspace.getConfiguration('pairwise.validation').update('trainer', 'openai', vscode.ConfigurationTarget.Workspace);
    // Two examples are also under OpenAI's 10-example minimum, said on the first record.
    await severitiesBecome(file, ['error openai/too-few-examples', 'error openai/unknown-message-key', 'error tools/arguments-object', 'warning ms-swift/dropped-message-key']);
    const a = await api();
    const status = await waitFor('the status names the setting', () => (a.trainerStatus()?.tooltip.includes('pairwise.validation.trainer') ? a.trainerStatus() : undefined));
    assert.equal(status.text, 'for OpenAI fine-tuning');
    await vscode.workspace.getConfiguration('pairwise.validation').update('trainer', 'trl', vscode.ConfigurationTarget.Workspace);
    await severitiesBecome(file, ['warning ms-swift/dropped-message-key', 'warning openai/unknown-message-key', 'warning tools/arguments-object']);
    await waitFor('the status names TRL', () => a.trainerStatus()?.text === 'for TRL');
    await vscode.workspace.getConfiguration('pairwise.validation').update('trainer', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a dataset_info.json naming the file makes LLaMA-Factory the target, and the status says why', async () => {
    // No folder setting left by an earlier test: the setting would come before the inference.
    await vscode.workspace.getConfiguration('pairwise.validation').update('trainer', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('editing/registry/custom_tags.jsonl')));
    const a = await api();
    const status = await waitFor('the status names LLaMA-Factory', () => (a.trainerStatus()?.text === 'for LLaMA-Factory' ? a.trainerStatus() : undefined));
    assert.match(status.tooltip, /a dataset_info\.json beside the file names it, so LLaMA-Factory reads it/);
  });
});
