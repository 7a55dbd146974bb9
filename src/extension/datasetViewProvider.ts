/**
 * The Dataset View: a custom editor (opened with "Reopen Editor With…" or Pairwise: Open Dataset
 * View) that shows the records of a `.jsonl` or `.json` dataset as cards, with their problems, over
 * the same text document as the text editor. Edits made in the view are minimal WorkspaceEdits on
 * that document (undo, save, dirty state and git work as for any text edit); edits made in the text
 * re-index only the records they touched. Files above the large-file threshold open in the
 * read-only variant (largeDatasetEditorProvider.ts) instead.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { stringTokenEdit, TextRecordIndex } from '../core/datasetIndex';
import { isParquetFileName } from '../core/jsonl';
import type { DatasetViewFilterArgs, DatasetViewToHost } from '../protocol/datasetView';
import { DatasetViewSession, type DatasetViewSource } from './datasetViewSession';
import type { TrainerViews } from './trainerViews';
import { Disposable } from './disposable';
import { LargeDatasetEditorProvider, largeFileThresholdBytes } from './largeDatasetEditorProvider';
import { webviewHtml, webviewOptions } from './webviewHtml';

const REFRESH_DEBOUNCE_MS = 120;

/** The record index of one open text document, shared by every Dataset View on it. */
class TextDatasetModel extends Disposable implements DatasetViewSource {
  readonly readOnly = false;
  readonly fileName: string;
  private idx: TextRecordIndex;
  private ver = 0;
  private pending = false;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  users = 0;

  constructor(readonly document: vscode.TextDocument) {
    super();
    this.fileName = path.basename(document.uri.path);
    this.idx = TextRecordIndex.build(document.getText(), document.uri.path);
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.document || e.contentChanges.length === 0) return;
        // Later changes first, so that shifting the records after one change leaves the others' offsets valid.
        const changes = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
        for (const c of changes) {
          this.idx.noteChange({ offset: c.rangeOffset, removedLength: c.rangeLength, insertedText: c.text, removedLineBreaks: c.range.end.line - c.range.start.line, line: c.range.start.line + 1 });
        }
        this.pending = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, REFRESH_DEBOUNCE_MS);
      }),
    );
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  index(): TextRecordIndex {
    return this.idx;
  }

  version(): number {
    return this.ver;
  }

  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.idx.refresh(this.document.getText());
    this.ver++;
    this.changed.fire();
  }

  async reveal(index: number): Promise<void> {
    this.flush();
    const line = this.idx.lineOf(index);
    if (line === undefined) return;
    const pos = new vscode.Position(line - 1, 0);
    await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos) });
  }

  async edit(m: Extract<DatasetViewToHost, { type: 'edit' }>): Promise<{ ok: boolean; message?: string }> {
    this.flush();
    const range = this.idx.range(m.index);
    const text = this.idx.recordText(m.index);
    if (!range || text === undefined) return { ok: false, message: vscode.l10n.t('There is no record #{0} any more.', m.index + 1) };
    const t = stringTokenEdit(text, m.path, m.newValue, m.oldValue);
    if ('error' in t) return { ok: false, message: t.error };
    const doc = this.document;
    const at = range.start + t.offset;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + t.length)), t.newText);
    const ok = await vscode.workspace.applyEdit(edit);
    return ok ? { ok } : { ok, message: vscode.l10n.t('VS Code refused the edit (is the file read-only?).') };
  }
}

export class DatasetViewProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'pairwise.datasetView';
  private readonly models = new Map<string, TextDatasetModel>();

  static register(context: vscode.ExtensionContext, views?: TrainerViews): void {
    const provider = new DatasetViewProvider(context.extensionUri, views);
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(DatasetViewProvider.viewType, provider, { webviewOptions: { retainContextWhenHidden: false } }),
      vscode.commands.registerCommand('pairwise.openDatasetView', async (uri?: vscode.Uri) => {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
        if (!target) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Open a .jsonl or .json dataset first.'));
          return;
        }
        await openDatasetView(target);
      }),
      vscode.commands.registerCommand('pairwise.datasetView.filter', (args: DatasetViewFilterArgs) => filterDatasetView(args)),
    );
    if (context.extensionMode === vscode.ExtensionMode.Test) {
      // Integration tests reach the host side of an open view through this; it exists only while the
      // extension runs its tests (and is not in package.json, so never in the palette).
      context.subscriptions.push(vscode.commands.registerCommand('pairwise.datasetView.sessionForTest', (uri: vscode.Uri | string) => DatasetViewSession.forUri(uri).at(-1)));
    }
    LargeDatasetEditorProvider.register(context, views);
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly views?: TrainerViews,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const key = document.uri.toString();
    let model = this.models.get(key);
    if (!model) this.models.set(key, (model = new TextDatasetModel(document)));
    model.users++;
    const m = model;
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'datasetView', vscode.l10n.t('Dataset View: {0}', m.fileName));
    const session = new DatasetViewSession(panel, m, this.views);
    panel.onDidDispose(() => {
      session.dispose();
      if (--m.users === 0) {
        this.models.delete(key);
        m.dispose();
      }
    });
  }
}

function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
}

/** Opens the Dataset View on a file: the read-only large-file variant when the file is above the threshold. */
export async function openDatasetView(uri: vscode.Uri): Promise<string> {
  let size = 0;
  try {
    size = uri.scheme === 'file' ? (await fsp.stat(uri.fsPath)).size : (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    /* let the editor report a missing file */
  }
  const viewType = isParquetFileName(uri.path)
    ? LargeDatasetEditorProvider.parquetViewType
    : size > largeFileThresholdBytes()
      ? LargeDatasetEditorProvider.viewType
      : DatasetViewProvider.viewType;
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  return viewType;
}

/**
 * `pairwise.datasetView.filter`: opens (or reveals) the Dataset View of a file and shows only the
 * given records and/or the records with a problem of the given rule.
 */
export async function filterDatasetView(args: DatasetViewFilterArgs): Promise<boolean> {
  if (!args?.uri) throw new Error('pairwise.datasetView.filter needs { uri, recordIndexes?, rule? }');
  const uri = toUri(args.uri);
  let session = DatasetViewSession.forUri(uri).at(-1);
  if (session) session.panel.reveal();
  else {
    await openDatasetView(uri);
    const deadline = Date.now() + 15_000;
    while (!(session = DatasetViewSession.forUri(uri).at(-1)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!session) return false;
  }
  session.setQuery({
    ...(args.recordIndexes ? { recordIndexes: args.recordIndexes.filter((i) => Number.isInteger(i) && i >= 0) } : {}),
    ...(args.rule ? { rule: args.rule } : {}),
  });
  return true;
}

function toUri(u: DatasetViewFilterArgs['uri']): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  if (typeof u === 'string') return vscode.Uri.parse(u);
  // A Uri that crossed a serialization boundary arrives as its plain components.
  const c = u as Partial<Record<'scheme' | 'authority' | 'path' | 'query' | 'fragment', string>>;
  if (typeof c.scheme === 'string' && typeof c.path === 'string') return vscode.Uri.from({ scheme: c.scheme, authority: c.authority, path: c.path, query: c.query, fragment: c.fragment });
  return vscode.Uri.parse(u.toString());
}
