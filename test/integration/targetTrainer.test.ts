/**
 * The trainer that will read a dataset, in the real editor: the status bar item beside the format
 * says which one and why (the file's choice, the folder's setting, a trainer config naming the file,
 * or a dataset_info.json naming it), and the Problems panel's severities follow it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

describe('the target trainer from a trainer config in the workspace', function () {
  this.timeout(60_000);
  const dir = workspaceFile('configs-tmp').fsPath;
  const data = vscode.Uri.file(path.join(dir, 'chat.jsonl'));
  const config = vscode.Uri.file(path.join(dir, 'train.yaml'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-outside-'));
  // ms-swift deletes an assistant's `thinking` key: an error when ms-swift is the target, a warning otherwise.
  const swiftRule = () => vscode.languages.getDiagnostics(data).find((d) => d.source === 'pairwise' && ruleOf(d) === 'ms-swift/dropped-message-key');

  before(() => {
    fs.mkdirSync(dir, { recursive: true });
    const rec = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', thinking: 't' }] };
    fs.writeFileSync(data.fsPath, JSON.stringify(rec) + '\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('an Axolotl config naming the file makes Axolotl the target with the config and line as the reason; editing it into an ms-swift config makes ms-swift the target', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(data));
    await waitFor('the ms-swift warning with no target', () => swiftRule()?.severity === vscode.DiagnosticSeverity.Warning);
    fs.writeFileSync(config.fsPath, ['base_model: Qwen/Qwen2.5-0.5B', 'datasets:', '  - path: configs-tmp/chat.jsonl', '    type: chat_template', 'output_dir: ./out'].join('\n') + '\n');
    const a = await api();
    await waitFor('Axolotl as the target', () => a.trainerStatus()?.text === 'for Axolotl');
    assert.match(a.trainerStatus()!.tooltip, /named by configs-tmp\/train\.yaml line 3 \(Axolotl\)/);
    assert.equal(swiftRule()?.severity, vscode.DiagnosticSeverity.Warning, 'ms-swift is not the target: a warning');
    // The user rewrites the config in the editor for ms-swift and saves it.
    const doc = await vscode.workspace.openTextDocument(config);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(config, new vscode.Range(0, 0, doc.lineCount, 0), ['model: Qwen/Qwen2.5-0.5B-Instruct', 'train_type: lora', 'dataset:', '  - AI-ModelScope/alpaca-gpt4-data-en#500', '  - configs-tmp/chat.jsonl#100'].join('\n') + '\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(data));
    await waitFor('ms-swift as the target', () => a.trainerStatus()?.text === 'for ms-swift');
    assert.match(a.trainerStatus()!.tooltip, /named by configs-tmp\/train\.yaml line 5 \(ms-swift\)/);
    await waitFor('the ms-swift error', () => swiftRule()?.severity === vscode.DiagnosticSeverity.Error);
  });

  it('a config reached through a folder linked outside the workspace is not read', async () => {
    // Outside the workspace: an Axolotl config naming the dataset, which would make a conflict with ms-swift if read.
    fs.writeFileSync(path.join(outside, 'planted.yaml'), ['datasets:', `  - path: ${data.fsPath}`, '    type: chat_template'].join('\n') + '\n');
    fs.symlinkSync(outside, path.join(dir, 'linked'), 'dir');
    // A LLaMA-Factory config whose dataset is not registered yet; registering it in a new
    // dataset_info.json makes the index read the whole workspace again (file search follows linked
    // folders), and once the config names other.jsonl that full read is done.
    const other = vscode.Uri.file(path.join(dir, 'other.jsonl'));
    fs.writeFileSync(other.fsPath, JSON.stringify({ instruction: 'q', input: '', output: 'a' }) + '\n');
    fs.writeFileSync(path.join(dir, 'lf.yaml'), ['stage: sft', 'dataset: other', 'dataset_dir: configs-tmp'].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'dataset_info.json'), JSON.stringify({ other: { file_name: 'other.jsonl' } }) + '\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other));
    const a = await api();
    await waitFor('the LLaMA-Factory config read again', () => a.trainerStatus()?.text === 'for LLaMA-Factory' && /named by configs-tmp\/lf\.yaml line 2 \(LLaMA-Factory\)/.test(a.trainerStatus()!.tooltip));
    // The linked config would have made a conflict with ms-swift ("any trainer").
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(data));
    try {
      await waitFor('ms-swift alone', () => a.trainerStatus()?.text === 'for ms-swift');
    } catch (e) {
      throw new Error(`${(e as Error).message}; status: ${JSON.stringify(a.trainerStatus())}`);
    }
    assert.doesNotMatch(a.trainerStatus()!.tooltip, /planted|Axolotl/);
  });
});
