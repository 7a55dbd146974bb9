/**
 * Status bar item for the active dataset: detected (or chosen) format, record count, error count.
 * Clicking it offers "Set Dataset Format": every format, or detection, stored per file.
 */
import * as vscode from 'vscode';
import { FORMAT_IDS, type FormatId, getFormat, isFormatId } from '../core/formats';
import type { DatasetDiagnostics, DatasetState } from './datasetDiagnostics';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { commandTarget, DatasetStatusItem } from './datasetStatusItem';

export class DatasetStatusBar extends DatasetStatusItem {

  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, formats: DatasetFormatOverrides): DatasetStatusBar {
    const bar = new DatasetStatusBar(diagnostics, formats);
    context.subscriptions.push(bar);
    return bar;
  }

  private constructor(
    diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super(diagnostics, { id: 'pairwise.dataset', name: vscode.l10n.t('Pairwise Dataset'), command: 'pairwise.setDatasetFormat', priority: 100 });
    this._register(vscode.commands.registerCommand('pairwise.setDatasetFormat', (uri?: vscode.Uri, format?: string) => this.pickFormat(uri, format)));
    this.refresh();
  }

  protected describe(_doc: vscode.TextDocument, state: DatasetState): { icon: string; text: string; tooltip: string; markdownTooltip: boolean } {
    const v = state.validator;
    const counts = v.counts();
    const format = v.format ?? vscode.l10n.t('unknown format');
    const how = state.choice.source === 'user' ? vscode.l10n.t(' (set)') : state.choice.source === 'dataset_info' ? ' (dataset_info.json)' : '';
    const n = v.recordCount.toLocaleString('en-US');
    const records = v.recordCount === 1 ? vscode.l10n.t('{0} record', n) : vscode.l10n.t('{0} records', n);
    const e = counts.error.toLocaleString('en-US');
    const errors = counts.error === 1 ? vscode.l10n.t('{0} error', e) : vscode.l10n.t('{0} errors', e);
    return {
      icon: counts.error > 0 ? 'error' : 'database',
      text: `${format}${how} · ${records} · ${errors}`,
      tooltip: vscode.l10n.t('Pairwise: {0}. Click to set the dataset format.', v.detection.evidence || vscode.l10n.t('no records')),
      markdownTooltip: true,
    };
  }

  /** `format` ('auto' or a format id) skips the quick pick, for keybindings and scripts. */
  private async pickFormat(uri?: vscode.Uri, format?: string): Promise<void> {
    const target = commandTarget(uri);
    if (!target) return;
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
