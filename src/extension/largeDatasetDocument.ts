/**
 * A dataset file opened without a text document: its record index is built by streaming the file
 * (FileRecordIndex), with progress in the window's status area and in the view's header. The view
 * is read-only, so every change comes from elsewhere (a script regenerating the file, Generate
 * Synthetic Records appending to it): the file is watched and indexed again, since record offsets
 * of the old index would cut the new text anywhere.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileRecordIndex } from '../core/datasetIndex';
import { isParquetFileName } from '../core/jsonl';
import type { DatasetViewSource } from './datasetViewSession';
import { Disposable } from './disposable';

const PROGRESS_EVERY_MS = 300;
/** A file being written fires many changes: index again once they pause. */
const REINDEX_AFTER_MS = 500;
/** An index replaced while a window or a search may still read it is closed a little later. */
const CLOSE_REPLACED_AFTER_MS = 10_000;

export class LargeDatasetDocument extends Disposable implements vscode.CustomDocument, DatasetViewSource {
  readonly readOnly = true;
  readonly fileName: string;
  readonly readOnlyNote?: string;
  private fileIndex: FileRecordIndex;
  private ver = 0;
  private reindexTimer: ReturnType<typeof setTimeout> | undefined;
  /** Replaced indexes, each with the timer that closes it. */
  private readonly replaced = new Map<ReturnType<typeof setTimeout>, FileRecordIndex>();
  private closed = false;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  private constructor(readonly uri: vscode.Uri) {
    super();
    this.fileName = path.basename(uri.fsPath);
    if (isParquetFileName(uri.fsPath)) {
      this.readOnlyNote = vscode.l10n.t('A Parquet file is read-only here: its rows are the records ("line" is the row number). To edit it, convert it to JSON Lines (Pairwise: Convert Dataset Format, or pairwise convert).');
    }
    this.fileIndex = this.openIndex();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath))));
    // A delete alone leaves the last index on screen; the create of a replacement indexes it.
    this._register(watcher.onDidChange(() => this.scheduleReindex()));
    this._register(watcher.onDidCreate(() => this.scheduleReindex()));
  }

  private openIndex(): FileRecordIndex {
    let last = 0;
    const index = FileRecordIndex.open(this.uri.fsPath, {
      onProgress: () => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS || index !== this.fileIndex) return;
        last = now;
        this.changed.fire();
      },
    });
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Pairwise: indexing {0}', this.fileName) }, () => index.completed);
    void index.completed.then(() => {
      if (index !== this.fileIndex) return;
      // Problems are mapped to records at the end: cached cards lack them.
      this.ver++;
      this.changed.fire();
    });
    return index;
  }

  private scheduleReindex(): void {
    if (this.closed) return;
    if (this.reindexTimer) clearTimeout(this.reindexTimer);
    this.reindexTimer = setTimeout(() => {
      this.reindexTimer = undefined;
      if (this.closed) return;
      const old = this.fileIndex;
      this.fileIndex = this.openIndex();
      // Cards and counts of the old index are stale: the version change makes the view fetch again.
      this.ver++;
      this.changed.fire();
      const t = setTimeout(() => {
        this.replaced.delete(t);
        void old.close();
      }, CLOSE_REPLACED_AFTER_MS);
      this.replaced.set(t, old);
    }, REINDEX_AFTER_MS);
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
    // A Parquet file has no text to reveal a row in.
    if (this.readOnlyNote) {
      void vscode.window.showInformationMessage(this.readOnlyNote);
      return;
    }
    const pos = new vscode.Position(line - 1, 0);
    await vscode.commands.executeCommand('vscode.openWith', this.uri, 'default', { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos) });
  }

  override dispose(): void {
    this.closed = true;
    if (this.reindexTimer) clearTimeout(this.reindexTimer);
    for (const [t, old] of this.replaced) {
      clearTimeout(t);
      void old.close();
    }
    this.replaced.clear();
    void this.fileIndex.close();
    super.dispose();
  }
}
