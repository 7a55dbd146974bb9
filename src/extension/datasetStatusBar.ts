/**
 * Status bar item for the active dataset: detected (or chosen) format, record count, error count.
 * Clicking it offers "Set Dataset Format": every format, or detection, stored per file.
 */
import * as vscode from 'vscode';
import { FORMAT_IDS, type FormatId } from '../core/formats/formatModule';
import { getFormat, isFormatId } from '../core/formats/registry';
import type { DatasetDiagnostics } from './datasetDiagnostics';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { Disposable } from './disposable';

export class DatasetStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  /** The text last shown (undefined while hidden); read by the integration tests. */
  lastText: string | undefined;

  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, formats: DatasetFormatOverrides): DatasetStatusBar {
    const bar = new DatasetStatusBar(diagnostics, formats);
    context.subscriptions.push(bar);
    return bar;
  }

  private constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('pairwise.dataset', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Pairwise Dataset';
    this.item.command = 'pairwise.setDatasetFormat';
    this._register(vscode.commands.registerCommand('pairwise.setDatasetFormat', (uri?: vscode.Uri, format?: string) => this.pickFormat(uri, format)));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this._register(diagnostics.onDidUpdate((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && this.refresh()));
    this.refresh();
  }

  private refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = doc ? this.diagnostics.stateOf(doc) : undefined;
    if (!doc || !state?.isDataset) {
      this.item.hide();
      this.lastText = undefined;
      return;
    }
    const v = state.validator;
    const counts = v.counts();
    const format = v.format ?? 'unknown format';
    const how = state.choice.source === 'user' ? ' (set)' : state.choice.source === 'dataset_info' ? ' (dataset_info.json)' : '';
    const records = `${v.recordCount.toLocaleString('en-US')} record${v.recordCount === 1 ? '' : 's'}`;
    const errors = `${counts.error.toLocaleString('en-US')} error${counts.error === 1 ? '' : 's'}`;
    this.lastText = `${format}${how} · ${records} · ${errors}`;
    this.item.text = `$(${counts.error > 0 ? 'error' : 'database'}) ${this.lastText}`;
    this.item.tooltip = new vscode.MarkdownString(`Pairwise: ${v.detection.evidence || 'no records'}. Click to set the dataset format.`);
    this.item.tooltip.isTrusted = false;
    this.item.show();
  }

  /** `format` ('auto' or a format id) skips the quick pick, for keybindings and scripts. */
  private async pickFormat(uri?: vscode.Uri, format?: string): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a dataset file first.');
      return;
    }
    if (format !== undefined) {
      if (format !== 'auto' && !isFormatId(format)) throw new Error(`Unknown dataset format "${format}"`);
      await this.formats.setUserFormat(target, format === 'auto' ? undefined : format);
      return;
    }
    const current = this.formats.userFormat(target);
    type Item = vscode.QuickPickItem & { format?: FormatId };
    const items: Item[] = [
      { label: 'Detect automatically', description: current ? '' : 'current', detail: 'Decide from the records (and dataset_info.json when it names this file).' },
      ...FORMAT_IDS.map((id) => ({ label: id, description: `${getFormat(id).title}${id === current ? ' · current' : ''}`, format: id })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Set Dataset Format', placeHolder: 'Check this file as…' });
    if (!pick) return;
    await this.formats.setUserFormat(target, pick.format);
  }
}
