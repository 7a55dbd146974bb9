import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the fixture workspace open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

const pairwiseDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pairwise');

describe('JSONL syntax diagnostics', () => {
  const uri = workspaceFile('broken.jsonl');

  it('the extension activates when a JSONL file opens', async () => {
    const ext = vscode.extensions.getExtension('pairwise.pairwise');
    assert.ok(ext, 'pairwise.pairwise is loaded as the development extension');
    await vscode.workspace.openTextDocument(uri);
    await waitFor('activation through onLanguage:jsonl', () => ext.isActive);
  });

  it('marks each line that is not JSON at the exact line and column', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'jsonl');
    const diags = await waitFor(`two diagnostics`, () => {
      const d = pairwiseDiagnostics(uri);
      return d.length === 2 ? d : undefined;
    }).catch((e) => {
      throw new Error(`${e.message}; seen: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`);
    });
    diags.sort((a, b) => a.range.start.line - b.range.start.line);
    // Line 3: `{"instruction": "Add 1 and 1", "output": 2,}` — the trailing comma is what must go.
    assert.equal(diags[0].range.start.line, 2);
    assert.equal(diags[0].range.start.character, 42);
    assert.equal(doc.getText(diags[0].range), ',');
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diags[0].range.end.character, 43);
    assert.equal(diags[0].message, 'Not valid JSON: trailing comma (not allowed in JSON).');
    assert.equal((diags[0].code as { value: string }).value, 'jsonl/invalid-json');
    // Line 5: `{"instruction": "Sum", "output" "4"}` — the colon is missing before "4".
    assert.equal(diags[1].range.start.line, 4);
    assert.equal(doc.getText(diags[1].range), '"4"');
    assert.equal(diags[1].range.start.character, 32);
    assert.equal(diags[1].message, "Not valid JSON: expected ':' after the property name.");
    // Blank line 2 and valid lines 1 and 4 have nothing.
    assert.ok(diags.every((d) => ![0, 1, 3].includes(d.range.start.line)));
  });

  it('clears a diagnostic when its line is fixed by an edit', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.lineAt(2);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, line.range, '{"instruction": "Add 1 and 1", "output": "2"}');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const left = await waitFor('one diagnostic left', () => {
      const d = pairwiseDiagnostics(uri);
      return d.length === 1 ? d : undefined;
    });
    assert.equal(left[0].range.start.line, 4);
    await doc.save();
  });

  it('clears the diagnostics of a file when it is closed', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the remaining diagnostic', () => pairwiseDiagnostics(uri).length === 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('diagnostics cleared after close', () => pairwiseDiagnostics(uri).length === 0, 30_000);
  });
});
