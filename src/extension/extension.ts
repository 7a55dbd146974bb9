/** Entry point: only wires the UI surfaces together; each registers itself. */
import type * as vscode from 'vscode';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { DatasetViewProvider } from './datasetViewProvider';

export function activate(context: vscode.ExtensionContext): void {
  DatasetDiagnostics.register(context);
  // Also registers the large-file variant and the pairwise.openDatasetView / pairwise.datasetView.filter commands.
  DatasetViewProvider.register(context);
}

export function deactivate(): void {
  /* every surface is disposed through context.subscriptions */
}
