/**
 * Trainer profiles in the real editor: xtuner's JSON Lines of bare message lists have no problem
 * while xtuner (their only reader) or no trainer is the target; once TRL is the target every line is
 * an error whose quick fix wraps it as {"messages": [...]}; and an ms-swift preference file is
 * recognised, with the status bar naming the target.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';
import { revertToDisk } from './workspaceFiles';

const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pairwise');

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

describe('trainer profiles in the editor', function () {
  this.timeout(60_000);
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the fixture workspace open');
  const dir = path.join(folder.uri.fsPath, 'profiles-tmp');
  const bare = vscode.Uri.file(path.join(dir, 'xtuner_sft.jsonl'));
  const swift = vscode.Uri.file(path.join(dir, 'swift_dpo.jsonl'));

  before(() => {
    fs.mkdirSync(dir, { recursive: true });
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify([{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }]));
    fs.writeFileSync(bare.fsPath, lines.join('\n') + '\n');
    const pairs = Array.from({ length: 3 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `Capital ${i}?` }, { role: 'assistant', content: `Paris ${i}.` }], rejected_response: i === 2 ? `Paris ${i}.` : `Lyon ${i}.` }));
    fs.writeFileSync(swift.fsPath, pairs.join('\n') + '\n');
  });

  after(async () => {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.fsPath.startsWith(dir)) await revertToDisk(doc);
    }
    await vscode.commands.executeCommand('pairwise.setTargetTrainer', bare, 'auto');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bare message lists: read as chat data with no problem; the status bar says the file has no target', async () => {
    const doc = await vscode.workspace.openTextDocument(bare);
    await vscode.window.showTextDocument(doc);
    const a = await api();
    // The tooltip names the detected format once the file has been validated.
    const status = await waitFor('the trainer status', () => (a.trainerStatus()?.tooltip.includes('openai-chat') ? a.trainerStatus() : undefined));
    assert.equal(status.text, 'any trainer');
    assert.deepEqual(ours(bare).map(ruleOf), []);
  });

  it('TRL as the target: every line is an error naming xtuner as its only reader; the quick fix wraps the list', async () => {
    await vscode.commands.executeCommand('pairwise.setTargetTrainer', bare, 'trl');
    await waitFor('12 bare-list errors', () => ours(bare).filter((d) => ruleOf(d) === 'xtuner/bare-message-list').length === 12);
    const d = ours(bare)[0];
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /^TRL cannot read this line: a bare list of messages is read by xtuner only/);
    const doc = await vscode.workspace.openTextDocument(bare);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', bare, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const wrap = actions.find((x) => /Wrap the list as/.test(x.title));
    assert.ok(wrap?.edit, `offered: ${actions.map((x) => x.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(wrap.edit));
    const line = doc.lineAt(d.range.start.line).text;
    assert.deepEqual(JSON.parse(line), { messages: [{ role: 'user', content: `Question ${d.range.start.line}?` }, { role: 'assistant', content: `Answer ${d.range.start.line}.` }] });
    await waitFor('11 bare-list errors left', () => ours(bare).filter((x) => ruleOf(x) === 'xtuner/bare-message-list').length === 11);
  });

  it('ms-swift preference data: recognised, and the row ms-swift deletes (rejected equals chosen) is an error on its line', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(swift));
    const a = await api();
    await waitFor('the format', () => a.trainerStatus()?.tooltip.includes('swift-preference'));
    await waitFor('one error', () => ours(swift).length === 1);
    const d = ours(swift)[0];
    assert.equal(ruleOf(d), 'ms-swift/rejected-equals-chosen');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error, 'ms-swift is the only reader of this layout');
    assert.equal(d.range.start.line, 2);
  });

  it('a trainer config in the workspace that names the file makes its trainer the target, with the config and line as the reason', async () => {
    const data = vscode.Uri.file(path.join(dir, 'swift_sft.jsonl'));
    // ms-swift deletes the thinking key: a warning with no target, an error once ms-swift is the target.
    const rec = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', thinking: 't' }] };
    fs.writeFileSync(data.fsPath, JSON.stringify(rec) + '\n');
    const swiftOf = () => ours(data).find((d) => ruleOf(d) === 'ms-swift/dropped-message-key');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(data));
    await waitFor('the ms-swift warning', () => swiftOf()?.severity === vscode.DiagnosticSeverity.Warning);
    const a = await api();
    const script = path.join(dir, 'train_swift.sh');
    fs.writeFileSync(script, ['#!/bin/sh', 'swift sft \\', '  --model Qwen/Qwen2.5-0.5B-Instruct \\', '  --dataset profiles-tmp/swift_sft.jsonl'].join('\n') + '\n');
    await waitFor('ms-swift as the target', () => a.trainerStatus()?.text === 'for ms-swift');
    assert.match(a.trainerStatus()!.tooltip, /named by profiles-tmp\/train_swift\.sh line 4 \(ms-swift\)/);
    await waitFor('the ms-swift error', () => swiftOf()?.severity === vscode.DiagnosticSeverity.Error);
    // A TRL script naming the same file: two trainers, so no target, and the tooltip says why.
    const trl = path.join(dir, 'train_trl.py');
    fs.writeFileSync(trl, 'from trl import SFTTrainer\nfrom datasets import load_dataset\nds = load_dataset("json", data_files="profiles-tmp/swift_sft.jsonl")\n');
    await waitFor('no target', () => a.trainerStatus()?.text === 'any trainer' && /Configs of different trainers name this file/.test(a.trainerStatus()!.tooltip));
    await waitFor('the ms-swift warning again', () => swiftOf()?.severity === vscode.DiagnosticSeverity.Warning);
    // The script no longer names the file: TRL alone.
    fs.writeFileSync(script, '#!/bin/sh\necho nothing to train\n');
    await waitFor('TRL as the target', () => a.trainerStatus()?.text === 'for TRL');
    assert.match(a.trainerStatus()!.tooltip, /named by profiles-tmp\/train_trl\.py line 3 \(TRL\)/);
  });
});
