/** Entry point: only wires the UI surfaces together; each registers itself. */
import type * as vscode from 'vscode';
import { DatasetConversion } from './datasetConversion';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { DatasetFormatOverrides } from './datasetFormatOverrides';
import { DatasetHover } from './datasetHover';
import { DatasetStatusBar } from './datasetStatusBar';
import { DatasetQuickFixes } from './quickFixes';
import { RuleDocs } from './ruleDocs';
import { WorkspaceValidation, type WorkspaceValidationSummary } from './workspaceValidation';
import { DatasetViewProvider } from './datasetViewProvider';

export function activate(context: vscode.ExtensionContext): void {
  DatasetDiagnostics.register(context);
  // Also registers the large-file variant and the pairwise.openDatasetView / pairwise.datasetView.filter commands.
  DatasetViewProvider.register(context);
}

export function deactivate(): void {
  /* every surface is disposed through context.subscriptions */
}
