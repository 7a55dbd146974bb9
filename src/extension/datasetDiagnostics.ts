/**
 * Diagnostics of the formats engine for dataset documents: `.jsonl`, `.json` files that hold
 * records of a known format, and any file given a format by the user or by dataset_info.json.
 * A document is validated whole when it opens, then incrementally (only the records an edit
 * touched, debounced); diagnostics are capped per file (errors first) with one summary line, and
 * cleared when the file's tab closes. One instance per window, registered from `activate`.
 */
import * as vscode from 'vscode';
import type { FormatOptions } from '../core/formats';
import { hiddenSummary, IncrementalValidator, type DocumentLines, type TextChange } from '../core/validate';
import type { Problem, Severity } from '../core/base';
import { DatasetFormatOverrides, type DatasetFormatChoice } from './datasetFormatOverrides';
import { Disposable } from './disposable';
import { ruleUri } from './ruleDocs';

const DEBOUNCE_MS = 150;
export const DIAGNOSTIC_SOURCE = 'pairwise';
export const MORE_PROBLEMS_RULE = 'pairwise/more-problems';

export function isJsonlDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'jsonl' || doc.uri.path.endsWith('.jsonl');
}

function isJsonDocument(doc: vscode.TextDocument): boolean {
  return /\.json$/i.test(doc.uri.path);
}

export function toDiagnostic(p: Problem): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
  const severity =
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(range, p.message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: p.rule, target: ruleUri(p.rule) };
  return d;
}

/** The rule id of one of our diagnostics. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

export function maxDiagnosticsPerFile(): number {
  const n = vscode.workspace.getConfiguration('pairwise').get<number>('diagnostics.maxPerFile', 1000);
  return Math.max(2, Math.min(1000, Math.floor(n)));
}

/** Problems as diagnostics, capped (errors first) with one summary diagnostic for the rest. */
export function cappedDiagnostics(shown: readonly Problem[], hidden: Record<Severity, number>, fileName: string): vscode.Diagnostic[] {
  const out = shown.map(toDiagnostic);
  const summary = hiddenSummary(hidden, fileName);
  if (summary) {
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), summary, vscode.DiagnosticSeverity.Information);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: MORE_PROBLEMS_RULE, target: ruleUri(MORE_PROBLEMS_RULE) };
    out.push(d);
  }
  return out;
}

function linesOf(doc: vscode.TextDocument): DocumentLines {
  return {
    lineCount: doc.lineCount,
    eolLength: doc.eol === vscode.EndOfLine.CRLF ? 2 : 1,
    lineText: (line) => doc.lineAt(line).text,
    textBetween: (a, b) => doc.getText(new vscode.Range(doc.positionAt(a), doc.positionAt(b))),
    fullText: () => doc.getText(),
  };
}

function toChange(c: vscode.TextDocumentContentChangeEvent): TextChange {
  return {
    startLine: c.range.start.line,
    startCharacter: c.range.start.character,
    endLine: c.range.end.line,
    endCharacter: c.range.end.character,
    rangeOffset: c.rangeOffset,
    rangeLength: c.rangeLength,
    text: c.text,
  };
}

/** What the editor features (hover, quick fixes, status bar) know of a validated document. */
export interface DatasetState {
  readonly uri: vscode.Uri;
  readonly validator: IncrementalValidator;
  readonly choice: DatasetFormatChoice;
  /** Whether the document is treated as a dataset (diagnostics shown). */
  readonly isDataset: boolean;
  readonly formatOptions?: FormatOptions;
}

interface DocState extends DatasetState {
  validator: IncrementalValidator;
  choice: DatasetFormatChoice;
  isDataset: boolean;
  pending: TextChange[];
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped on every (re)configuration, so a slow format lookup cannot overwrite a newer one. */
  generation: number;
  /** The latest (re)configuration, settled once its format and target trainer are applied. */
  configured?: Promise<void>;
}

export class DatasetDiagnostics extends Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly docs = new Map<string, DocState>();
  private readonly updated = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires after a document's diagnostics were recomputed. */
  readonly onDidUpdate = this.updated.event;

  static register(context: vscode.ExtensionContext, formats: DatasetFormatOverrides): DatasetDiagnostics {
    const d = new DatasetDiagnostics(formats);
    context.subscriptions.push(d);
    return d;
  }

  private constructor(private readonly formats: DatasetFormatOverrides) {
    super();
    this.collection = this._register(vscode.languages.createDiagnosticCollection('pairwise'));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => void this.open(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.forget(doc.uri);
        this.collection.delete(doc.uri);
      }),
    );
    // onDidCloseTextDocument fires only when VS Code disposes the document, which can be minutes
    // after its tab closed; users expect the Problems panel to follow the tabs.
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.dropClosed()));
    this._register(formats.onDidChange((uri) => this.reconfigure(uri)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pairwise.diagnostics')) for (const s of this.docs.values()) this.publish(s);
      }),
    );
    this._register({ dispose: () => this.docs.forEach((s) => s.timer && clearTimeout(s.timer)) });
    for (const doc of vscode.workspace.textDocuments) void this.open(doc);
  }

  /** The state of a document, with pending edits applied first. */
  stateOf(doc: vscode.TextDocument): DatasetState | undefined {
    const s = this.docs.get(doc.uri.toString());
    if (!s) return undefined;
    this.flush(doc, s);
    return s;
  }

  /**
   * The state of a document once its format and target trainer are known and applied (the trainer
   * may wait on the workspace's configs): for commands that run right after opening a file.
   */
  async ready(doc: vscode.TextDocument): Promise<DatasetState | undefined> {
    if (!this.docs.has(doc.uri.toString())) await this.open(doc);
    await this.docs.get(doc.uri.toString())?.configured;
    return this.stateOf(doc);
  }

  /** Whether the diagnostics shown for `uri` come from the live document. */
  hasLiveDiagnostics(uri: vscode.Uri): boolean {
    return this.docs.get(uri.toString())?.isDataset === true;
  }

  private eligible(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
    return isJsonlDocument(doc) || isJsonDocument(doc) || this.formats.userFormat(doc.uri) !== undefined;
  }

  private async open(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed || !this.eligible(doc) || this.docs.has(doc.uri.toString())) return;
    const state: DocState = {
      uri: doc.uri,
      validator: new IncrementalValidator({ fileName: doc.uri.path }),
      choice: { source: 'detect' },
      isDataset: false,
      pending: [],
      generation: 0,
    };
    this.docs.set(doc.uri.toString(), state);
    await (state.configured = this.configure(doc, state));
  }

  private async configure(doc: vscode.TextDocument, state: DocState): Promise<void> {
    const generation = ++state.generation;
    const choice = await this.formats.choiceFor(doc.uri);
    if (generation !== state.generation || doc.isClosed || this.docs.get(doc.uri.toString()) !== state) return;
    state.choice = choice;
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    state.pending = [];
    // A file named like JSON Lines but not `.jsonl` (e.g. `.txt` marked by the user) is read as lines.
    const fileName = isJsonDocument(doc) || isJsonlDocument(doc) ? doc.uri.path : `${doc.uri.path}.jsonl`;
    state.validator = new IncrementalValidator({ fileName, format: choice.format, formatOptions: choice.options });
    state.validator.reset(doc.getText());
    this.publish(state);
  }

  private reconfigure(uri: vscode.Uri | undefined): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (uri && doc.uri.toString() !== uri.toString()) continue;
      const s = this.docs.get(doc.uri.toString());
      if (s) void (s.configured = this.configure(doc, s));
      else if (uri) void this.open(doc);
    }
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    const s = this.docs.get(e.document.uri.toString());
    if (!s || e.contentChanges.length === 0) return;
    for (const c of e.contentChanges) s.pending.push(toChange(c));
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (!e.document.isClosed) this.flush(e.document, s);
    }, DEBOUNCE_MS);
  }

  private flush(doc: vscode.TextDocument, s: DocState): void {
    if (s.pending.length === 0) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    const changes = s.pending;
    s.pending = [];
    s.validator.applyChanges(changes, linesOf(doc));
    this.publish(s);
  }

  private datasetVerdict(s: DocState): boolean {
    if (!/\.json$/i.test(s.uri.path)) return true;
    if (s.choice.source !== 'detect') return true;
    // A .json is a dataset when its records are of a known format: an array of them, or JSON Lines
    // of at least two (package.json and tsconfig.json are single objects and get nothing).
    const v = s.validator;
    if (v.format === undefined) return false;
    return v.readerMode === 'json' ? v.recordCount >= 1 && v.record(0)?.text.startsWith('{') === true : v.recordCount >= 2;
  }

  private publish(s: DocState): void {
    s.isDataset = this.datasetVerdict(s);
    if (!s.isDataset) this.collection.delete(s.uri);
    else {
      const shown = s.validator.display(maxDiagnosticsPerFile() - 1);
      const name = s.uri.path.split('/').pop() ?? 'FILE';
      this.collection.set(s.uri, cappedDiagnostics(shown.problems, shown.hidden, name));
    }
    this.updated.fire(s.uri);
  }

  private forget(uri: vscode.Uri): void {
    const s = this.docs.get(uri.toString());
    if (s?.timer) clearTimeout(s.timer);
    this.docs.delete(uri.toString());
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
    for (const [key, s] of [...this.docs]) {
      if (open.has(key)) continue;
      this.forget(s.uri);
      this.collection.delete(s.uri);
      // The workspace validation takes the file back (from disk).
      this.updated.fire(s.uri);
    }
    this.collection.forEach((uri) => {
      if (!open.has(uri.toString())) this.collection.delete(uri);
    });
    // A tab opened again on a document VS Code kept loaded fires no open event.
    for (const doc of vscode.workspace.textDocuments) if (open.has(doc.uri.toString()) && !this.docs.has(doc.uri.toString())) void this.open(doc);
  }
}
