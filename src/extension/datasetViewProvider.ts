/**
 * The Dataset View: a custom editor (opened with "Reopen Editor With…") that shows the records of
 * a `.jsonl` or `.json` dataset as cards, with their problems, over the same text document as the
 * text editor, so it follows every edit.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateText } from '../core/validate/pipeline';
import type { DatasetState, DatasetViewToHost, HostToDatasetView, RecordCard } from '../protocol/datasetView';
import { webviewHtml, webviewOptions } from './webviewHtml';

const UPDATE_DEBOUNCE_MS = 200;

export function datasetState(doc: vscode.TextDocument): DatasetState {
  const cards: RecordCard[] = [];
  const result = validateText(doc.getText(), {
    fileName: doc.uri.path,
    onRecord: (rec) => {
      cards.push({ index: rec.index, line: rec.line, value: rec.value, text: rec.value ? undefined : rec.text, problems: [] });
    },
  });
  const fileProblems: RecordCard['problems'] = [];
  for (const p of result.problems) {
    const brief = { line: p.line, column: p.column, severity: p.severity, rule: p.rule, message: p.message };
    const card = p.record !== undefined ? cards[p.record] : undefined;
    if (card) card.problems.push(brief);
    else fileProblems.push(brief);
  }
  return {
    fileName: path.basename(doc.uri.path),
    format: result.format,
    evidence: result.detection.evidence,
    records: cards,
    fileProblems,
  };
}

export class DatasetViewProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'pairwise.datasetView';

  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(DatasetViewProvider.viewType, new DatasetViewProvider(context.extensionUri), {
        webviewOptions: { retainContextWhenHidden: false },
      }),
    );
  }

  private constructor(private readonly extensionUri: vscode.Uri) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'datasetView', `Dataset View: ${path.basename(document.uri.path)}`);
    const post = (m: HostToDatasetView) => void webview.postMessage(m);
    const sendState = () => post({ type: 'state', state: datasetState(document) });

    let timer: ReturnType<typeof setTimeout> | undefined;
    const subscriptions: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== document.uri.toString()) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(sendState, UPDATE_DEBOUNCE_MS);
      }),
      webview.onDidReceiveMessage((m: DatasetViewToHost) => {
        switch (m.type) {
          case 'ready':
            sendState();
            break;
          case 'reveal':
            void this.reveal(document, m.line);
            break;
        }
      }),
    ];
    panel.onDidDispose(() => {
      if (timer) clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
    });
  }

  private async reveal(document: vscode.TextDocument, line: number): Promise<void> {
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos) });
  }
}
