/**
 * "Pairwise: Validate Workspace Datasets": streams every dataset of the workspace (`**\/*.jsonl`,
 * `**\/*.json` holding records) through the core validator, straight from disk (so files too large
 * to open as documents are checked too), into their own diagnostic collection, which closing tabs
 * does not clear. A file open in an editor shows the live diagnostics instead. A Parquet file (no
 * text document, so no live diagnostics) is validated here when its Dataset View opens; its
 * problems sit on "line" = row number.
 */
import * as vscode from 'vscode';
import { AbortedError } from '../core/base';
import { validateFileInParallel } from '../core/curate';
import { isParquetFileName } from '../core/jsonl';
import { capProblems, type ValidationResult } from '../core/validate';
import { cappedDiagnostics, maxDiagnosticsPerFile, type DatasetDiagnostics } from './datasetDiagnostics';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { Disposable } from './disposable';

export interface WorkspaceValidationSummary {
  files: number;
  datasets: number;
  errors: number;
  warnings: number;
  cancelled: boolean;
}

export class WorkspaceValidation extends Disposable {
  private readonly collection: vscode.DiagnosticCollection;

  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, formats: DatasetFormatOverrides): WorkspaceValidation {
    const w = new WorkspaceValidation(diagnostics, formats);
    context.subscriptions.push(w);
    return w;
  }

  /** The files the last run looked at (dataset_info.json aside). */
  private covered = new Set<string>();

  private constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super();
    this.collection = this._register(vscode.languages.createDiagnosticCollection('pairwise-workspace'));
    this._register(vscode.commands.registerCommand('pairwise.validateWorkspace', () => this.run()));
    // The live diagnostics of an open document supersede the saved-file ones; once the document is
    // closed, a file the last run covered is validated again from disk (it may have been edited).
    this._register(
      diagnostics.onDidUpdate((uri) => {
        if (this.diagnostics.hasLiveDiagnostics(uri)) this.collection.delete(uri);
        else if (this.covered.has(uri.toString())) void this.validateOne(uri);
      }),
    );
    this._register(vscode.window.tabGroups.onDidChangeTabs((e) => this.validateOpenedParquet(e.opened)));
    this.validateOpenedParquet(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
  }

  /** A Parquet file shown in a tab (the Dataset View) gets its problems in the Problems panel. */
  private validateOpenedParquet(tabs: readonly vscode.Tab[]): void {
    for (const t of tabs) {
      const uri = t.input instanceof vscode.TabInputCustom ? t.input.uri : undefined;
      if (!uri || uri.scheme !== 'file' || !isParquetFileName(uri.path)) continue;
      this.covered.add(uri.toString());
      void this.validateOne(uri);
    }
  }

  /** Whether a file validated from disk is a dataset (a .json must hold records of a known format). */
  private static isDataset(uri: vscode.Uri, r: ValidationResult, configured: boolean): boolean {
    if (!/\.json$/i.test(uri.path) || configured) return true;
    return r.format !== undefined && !r.problems.some((p) => p.rule === 'json/not-an-array') && r.records >= 1;
  }

  /**
   * Validates one file from disk into the collection: its result when it is a dataset, undefined
   * when it is not one (or could not be read: then that is the file's one problem).
   */
  private async validateOne(uri: vscode.Uri, signal?: AbortSignal): Promise<ValidationResult | undefined | 'aborted'> {
    const choice = await this.formats.choiceFor(uri);
    let r: ValidationResult;
    try {
      // Ranges go to workers only: this is the extension host, which other extensions share.
      r = await validateFileInParallel(uri.fsPath, { format: choice.format, formatOptions: choice.options, signal, maxProblems: 20000, rangesOnThisThread: false });
    } catch (e) {
      if (e instanceof AbortedError || signal?.aborted) return 'aborted';
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.collection.delete(uri);
        return undefined;
      }
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t('Pairwise could not read this file: {0}', e instanceof Error ? e.message : String(e)), vscode.DiagnosticSeverity.Error);
      d.source = 'pairwise';
      this.collection.set(uri, [d]);
      return undefined;
    }
    if (!WorkspaceValidation.isDataset(uri, r, choice.source !== 'detect')) {
      this.collection.delete(uri);
      return undefined;
    }
    // Opened while it was read: the live diagnostics win.
    if (this.diagnostics.hasLiveDiagnostics(uri)) return r;
    const capped = capProblems(r.problems, r.bySeverity, maxDiagnosticsPerFile() - 1);
    const name = uri.path.split('/').pop() ?? 'FILE';
    this.collection.set(uri, cappedDiagnostics(capped.shown, capped.hidden, name));
    return r;
  }

  /** `signal` cancels like the notification's Cancel button (for callers other than the command). */
  async run(signal?: AbortSignal): Promise<WorkspaceValidationSummary> {
    const files = await vscode.workspace.findFiles('**/*.{jsonl,json,parquet}', '{**/node_modules/**,**/.git/**}');
    files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const summary: WorkspaceValidationSummary = { files: files.length, datasets: 0, errors: 0, warnings: 0, cancelled: false };
    this.collection.clear();
    this.covered = new Set(files.filter((u) => !u.path.endsWith('/dataset_info.json')).map((u) => u.toString()));
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pairwise: validating workspace datasets'), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const onAbort = () => abort.abort();
        signal?.addEventListener('abort', onAbort);
        if (signal?.aborted) abort.abort();
        try {
          for (let i = 0; i < files.length; i++) {
            if (abort.signal.aborted) break;
            const uri = files[i];
            progress.report({ message: `${i + 1}/${files.length} ${vscode.workspace.asRelativePath(uri)}`, increment: 100 / files.length });
            if (uri.path.endsWith('/dataset_info.json') || this.diagnostics.hasLiveDiagnostics(uri)) continue;
            const r = await this.validateOne(uri, abort.signal);
            if (r === 'aborted') break;
            if (!r) continue;
            summary.datasets++;
            summary.errors += r.bySeverity.error;
            summary.warnings += r.bySeverity.warning;
            // Yielding between files lets the Problems panel and cancellation keep up.
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          summary.cancelled = token.isCancellationRequested || abort.signal.aborted;
          sub.dispose();
          signal?.removeEventListener('abort', onAbort);
        }
      },
    );
    const what = vscode.l10n.t(
      '{0}: {1}, {2}',
      summary.datasets === 1 ? vscode.l10n.t('{0} dataset', summary.datasets) : vscode.l10n.t('{0} datasets', summary.datasets),
      summary.errors === 1 ? vscode.l10n.t('{0} error', summary.errors) : vscode.l10n.t('{0} errors', summary.errors),
      summary.warnings === 1 ? vscode.l10n.t('{0} warning', summary.warnings) : vscode.l10n.t('{0} warnings', summary.warnings),
    );
    void vscode.window.showInformationMessage(summary.cancelled ? vscode.l10n.t('Pairwise: validation cancelled after {0}.', what) : vscode.l10n.t('Pairwise: validated {0}.', what));
    return summary;
  }

}
