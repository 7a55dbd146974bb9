/** Files of the test workspace, as the integration suites read them. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** A path inside the first workspace folder. */
export function workspacePath(...parts: string[]): string {
  return path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, ...parts);
}

/** The records of a JSON Lines log (none when it is not there yet), each line complete. */
export function logLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'every line of the log is complete');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Reverts a document to its file. `workbench.action.files.revert` acts on the active editor, so the
 * document is shown first, and the revert is asked again until the document is clean: under load
 * the command once ran before the editor was active and left the document as it was, failing the
 * suites that read the file after.
 */
export async function revertToDisk(doc: vscode.TextDocument): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (doc.isDirty) {
    if (Date.now() > deadline) throw new Error(`timed out reverting ${path.basename(doc.uri.fsPath)}`);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    if (doc.isDirty) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
