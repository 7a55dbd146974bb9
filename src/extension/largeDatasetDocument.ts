/**
 * A dataset file opened without a text document: its record index is built by streaming the file
 * (FileRecordIndex), with progress in the window's status area and in the view's header.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileRecordIndex } from '../core/datasetIndex/fileRecordIndex';
import type { DatasetViewSource } from './datasetViewSession';
import { Disposable } from './disposable';

const PROGRESS_EVERY_MS = 300;

export class LargeDatasetDocument extends Disposable implements vscode.CustomDocument, DatasetViewSource {
  readonly readOnly = true;
  readonly fileName: string;
  readonly fileIndex: FileRecordIndex;
  private ver = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  private constructor(readonly uri: vscode.Uri) {
    super();
    this.fileName = path.basename(uri.fsPath);
    let last = 0;
    this.fileIndex = FileRecordIndex.open(uri.fsPath, {
      onProgress: () => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        this.changed.fire();
      },
    });
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Pairwise: indexing {0}', this.fileName) }, () => this.fileIndex.completed);
    void this.fileIndex.completed.then(() => {
      // Problems are mapped to records at the end: cached cards lack them.
      this.ver++;
      this.changed.fire();
    });
  }

  static open(uri: vscode.Uri): LargeDatasetDocument {
    return new LargeDatasetDocument(uri);
  }

  index(): FileRecordIndex {
    return this.fileIndex;
  }

  version(): number {
    return this.ver;
  }

  /** Opens the file's text at the record's line (VS Code may ask first, the file being large). */
  async reveal(index: number): Promise<void> {
    const line = this.fileIndex.lineOf(index);
    if (line === undefined) return;
    const pos = new vscode.Position(line - 1, 0);
    await vscode.commands.executeCommand('vscode.openWith', this.uri, 'default', { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos) });
  }

  override dispose(): void {
    void this.fileIndex.close();
    super.dispose();
  }
}
