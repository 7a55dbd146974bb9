import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0];
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

describe('Dataset View', () => {
  it('opens as a custom editor on a JSON-array dataset', async () => {
    const uri = workspaceFile('dpo_en_excerpt.json');
    await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
    const tab = await waitFor('a Dataset View tab', () =>
      vscode.window.tabGroups.activeTabGroup.tabs.find(
        (t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'pairwise.datasetView' && t.input.uri.toString() === uri.toString(),
      ),
    );
    assert.equal(tab.label, 'dpo_en_excerpt.json');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is offered only as an option: a .jsonl still opens in the text editor by default', async () => {
    const uri = workspaceFile('broken.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('a tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputText, 'the default editor is the text editor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
