/** Entry point: only wires the UI surfaces together; each registers itself. */
import * as vscode from 'vscode';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { DatasetViewProvider } from './datasetViewProvider';

export function activate(context: vscode.ExtensionContext): void {
  DatasetDiagnostics.register(context);
  DatasetViewProvider.register(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('pairwise.openDatasetView', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Open a .jsonl or .json dataset first.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, DatasetViewProvider.viewType);
    }),
  );
}

export function deactivate(): void {
  /* every surface is disposed through context.subscriptions */
}
