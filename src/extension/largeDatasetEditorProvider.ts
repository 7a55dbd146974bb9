/**
 * The read-only Dataset View for files too large to be text documents (VS Code does not sync
 * files above 50 MB to extensions): a custom editor over Pairwise's own streaming index of the
 * file (largeDatasetDocument.ts), same webview, same protocol, no editing. A Parquet file opens in
 * it too, under a view type of its own whose priority is "default" (VS Code has no text view of
 * Parquet); its records are read by row group (FileRecordIndex, ParquetRowSource).
 */
import * as vscode from 'vscode';
import { DatasetViewSession } from './datasetViewSession';
import { LargeDatasetDocument } from './largeDatasetDocument';
import type { TrainerViews } from './trainerViews';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** VS Code gives extensions no text document above 50 MB: the text-document view cannot open more. */
const MAX_THRESHOLD_MB = 50;

/**
 * Files above this size open in the large-file variant (`pairwise.datasetView.largeFileThresholdMB`).
 * A setting can lower it, never raise it past MAX_THRESHOLD_MB: a cloned workspace's settings must
 * not send a 2 GB file to a view that reads it as one text document.
 */
export function largeFileThresholdBytes(): number {
  const mb = vscode.workspace.getConfiguration('pairwise.datasetView').get<number>('largeFileThresholdMB', MAX_THRESHOLD_MB);
  return (Number.isFinite(mb) && mb >= 0 ? Math.min(mb, MAX_THRESHOLD_MB) : MAX_THRESHOLD_MB) * 1024 * 1024;
}

export class LargeDatasetEditorProvider implements vscode.CustomReadonlyEditorProvider<LargeDatasetDocument> {
  static readonly viewType = 'pairwise.datasetViewLarge';
  static readonly parquetViewType = 'pairwise.datasetViewParquet';

  static register(context: vscode.ExtensionContext, views?: TrainerViews): void {
    const provider = new LargeDatasetEditorProvider(context.extensionUri, views);
    for (const viewType of [LargeDatasetEditorProvider.viewType, LargeDatasetEditorProvider.parquetViewType]) {
      context.subscriptions.push(
        vscode.window.registerCustomEditorProvider(viewType, provider, {
          webviewOptions: { retainContextWhenHidden: false },
          supportsMultipleEditorsPerDocument: true,
        }),
      );
    }
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly views?: TrainerViews,
  ) {}

  openCustomDocument(uri: vscode.Uri): LargeDatasetDocument {
    if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('The large-file Dataset View reads files on disk only.'));
    return LargeDatasetDocument.open(uri);
  }

  resolveCustomEditor(document: LargeDatasetDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'datasetView', vscode.l10n.t('Dataset View: {0}', document.fileName));
    new DatasetViewSession(panel, document, this.views);
  }
}
