/**
 * Diagnostics for dataset files: re-checked when a document opens or changes (debounced), cleared
 * when it closes. One instance per window, registered from `activate`.
 */
import * as vscode from 'vscode';
import { jsonlSyntaxProblems } from '../core/syntax/jsonlSyntax';
import type { Problem } from '../core/validate/problem';
import { Disposable } from './disposable';

const DEBOUNCE_MS = 150;

export function isJsonlDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'jsonl' || doc.uri.path.endsWith('.jsonl');
}

export function toDiagnostic(p: Problem): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
  const severity =
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(range, p.message, severity);
  d.source = 'pairwise';
  d.code = p.rule;
  return d;
}

export class DatasetDiagnostics extends Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  static register(context: vscode.ExtensionContext): DatasetDiagnostics {
    const d = new DatasetDiagnostics();
    context.subscriptions.push(d);
    return d;
  }

  private constructor() {
    super();
    this.collection = this._register(vscode.languages.createDiagnosticCollection('pairwise'));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this.validateNow(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.cancel(doc.uri);
        this.collection.delete(doc.uri);
      }),
    );
    // onDidCloseTextDocument fires only when VS Code disposes the document, which can be minutes
    // after its tab closed; users expect the Problems panel to follow the tabs.
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.dropClosed()));
    this._register({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
    for (const doc of vscode.workspace.textDocuments) this.validateNow(doc);
  }

  private dropClosed(): void {
    const open = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) open.add(input.uri.toString());
        else if (input instanceof vscode.TabInputTextDiff) {
          open.add(input.original.toString());
          open.add(input.modified.toString());
        }
      }
    }
    this.collection.forEach((uri) => {
      if (!open.has(uri.toString())) {
        this.cancel(uri);
        this.collection.delete(uri);
      }
    });
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isJsonlDocument(doc)) return;
    this.cancel(doc.uri);
    this.pending.set(
      doc.uri.toString(),
      setTimeout(() => {
        this.pending.delete(doc.uri.toString());
        this.validateNow(doc);
      }, DEBOUNCE_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const t = this.pending.get(uri.toString());
    if (t) clearTimeout(t);
    this.pending.delete(uri.toString());
  }

  private validateNow(doc: vscode.TextDocument): void {
    if (!isJsonlDocument(doc) || doc.isClosed) return;
    this.collection.set(doc.uri, jsonlSyntaxProblems(doc.getText()).map(toDiagnostic));
  }
}
