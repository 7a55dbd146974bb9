/**
 * What the status bar items of the active dataset share (format and counts, target trainer, model):
 * an item shown only while a dataset is the active editor, refreshed when the editor or its
 * diagnostics change, and a command that acts on a file (its argument, else the active editor's).
 * Each item gives its text and tooltip.
 */
import * as vscode from 'vscode';
import type { DatasetDiagnostics, DatasetState } from './datasetDiagnostics';
import { Disposable } from './disposable';

export interface StatusItemSpec {
  id: string;
  name: string;
  command: string;
  /** Higher is further left on the right side: the dataset 100, the trainer 99, the model 98. */
  priority: number;
}

export abstract class DatasetStatusItem extends Disposable {
  protected readonly item: vscode.StatusBarItem;
  /** The text last shown (undefined while hidden); read by the integration tests. */
  lastText: string | undefined;
  /** The tooltip last shown, as text. */
  lastTooltip: string | undefined;

  protected constructor(
    protected readonly diagnostics: DatasetDiagnostics,
    spec: StatusItemSpec,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(spec.id, vscode.StatusBarAlignment.Right, spec.priority));
    this.item.name = spec.name;
    this.item.command = spec.command;
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this._register(diagnostics.onDidUpdate((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && this.refresh()));
  }

  /** The item's icon, text and tooltip for the active dataset. */
  protected abstract describe(doc: vscode.TextDocument, state: DatasetState): { icon: string; text: string; tooltip: string; markdownTooltip?: boolean };

  protected refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = doc ? this.diagnostics.stateOf(doc) : undefined;
    if (!doc || !state?.isDataset) {
      this.item.hide();
      this.lastText = this.lastTooltip = undefined;
      return;
    }
    const d = this.describe(doc, state);
    this.lastText = d.text;
    this.lastTooltip = d.tooltip;
    this.item.text = `$(${d.icon}) ${d.text}`;
    if (d.markdownTooltip) {
      const md = new vscode.MarkdownString(d.tooltip);
      md.isTrusted = false;
      this.item.tooltip = md;
    } else this.item.tooltip = d.tooltip;
    this.item.show();
  }
}

/** The file a status item's command acts on: its argument, else the active editor's; undefined (and a message) without one. */
export function commandTarget(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) void vscode.window.showInformationMessage(vscode.l10n.t('Open a dataset file first.'));
  return target;
}
