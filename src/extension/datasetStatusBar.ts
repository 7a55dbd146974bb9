/**
 * Status bar item for the active dataset: detected (or chosen) format, record count, error count.
 * Clicking it offers "Set Dataset Format": every format, or detection, stored per file.
 */
import * as vscode from 'vscode';
import { FORMAT_IDS, type FormatId, getFormat, isFormatId } from '../core/formats';
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
    this.item.name = vscode.l10n.t('Pairwise Dataset');
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
    const format = v.format ?? vscode.l10n.t('unknown format');
    const how = state.choice.source === 'user' ? vscode.l10n.t(' (set)') : state.choice.source === 'dataset_info' ? ' (dataset_info.json)' : '';
    const n = v.recordCount.toLocaleString('en-US');
    const records = v.recordCount === 1 ? vscode.l10n.t('{0} record', n) : vscode.l10n.t('{0} records', n);
    const e = counts.error.toLocaleString('en-US');
    const errors = counts.error === 1 ? vscode.l10n.t('{0} error', e) : vscode.l10n.t('{0} errors', e);
    this.lastText = `${format}${how} · ${records} · ${errors}`;
    this.item.text = `$(${counts.error > 0 ? 'error' : 'database'}) ${this.lastText}`;
    this.item.tooltip = new vscode.MarkdownString(vscode.l10n.t('Pairwise: {0}. Click to set the dataset format.', v.detection.evidence || vscode.l10n.t('no records')));
    this.item.tooltip.isTrusted = false;
    this.item.show();
  }

  /** `format` ('auto' or a format id) skips the quick pick, for keybindings and scripts. */
  private async pickFormat(uri?: vscode.Uri, format?: string): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a dataset file first.'));
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
      { label: vscode.l10n.t('Detect automatically'), description: current ? '' : vscode.l10n.t('current'), detail: vscode.l10n.t('Decide from the records (and dataset_info.json when it names this file).') },
      ...FORMAT_IDS.map((id) => ({ label: id, description: id === current ? vscode.l10n.t('{0} · current', getFormat(id).title) : getFormat(id).title, format: id })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Set Dataset Format'), placeHolder: vscode.l10n.t('Check this file as…') });
    if (!pick) return;
    await this.formats.setUserFormat(target, pick.format);
  }
}
