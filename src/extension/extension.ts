/** Entry point: only wires the UI surfaces together; each registers itself. */
import type * as vscode from 'vscode';
import { DatasetDiagnostics } from './datasetDiagnostics';

export function activate(context: vscode.ExtensionContext): void {
  DatasetDiagnostics.register(context);
}

export function deactivate(): void {
  /* every surface is disposed through context.subscriptions */
}
