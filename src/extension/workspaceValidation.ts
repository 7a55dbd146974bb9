/**
 * "Pairwise: Validate Workspace Datasets": streams every dataset of the workspace (`**\/*.jsonl`,
 * `**\/*.json` holding records) through the core validator, straight from disk (so files too large
 * to open as documents are checked too), into their own diagnostic collection, which closing tabs
 * does not clear. A file open in an editor shows the live diagnostics instead.
 */
import * as vscode from 'vscode';
import { AbortedError } from '../core/jsonl/readRecords';
import { capProblems } from '../core/validate/displayCap';
import { validateFile, type ValidationResult } from '../core/validate/pipeline';
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

  private constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super();
    this.collection = this._register(vscode.languages.createDiagnosticCollection('pairwise-workspace'));
    this._register(vscode.commands.registerCommand('pairwise.validateWorkspace', () => this.run()));
    // The live diagnostics of an open document supersede the saved-file ones.
    this._register(diagnostics.onDidUpdate((uri) => this.diagnostics.hasLiveDiagnostics(uri) && this.collection.delete(uri)));
  }

  /** Whether a file validated from disk is a dataset (a .json must hold records of a known format). */
  private static isDataset(uri: vscode.Uri, r: ValidationResult, configured: boolean): boolean {
    if (!/\.json$/i.test(uri.path) || configured) return true;
    return r.format !== undefined && !r.problems.some((p) => p.rule === 'json/not-an-array') && r.records >= 1;
  }

  /** `signal` cancels like the notification's Cancel button (for callers other than the command). */
  async run(signal?: AbortSignal): Promise<WorkspaceValidationSummary> {
    const files = await vscode.workspace.findFiles('**/*.{jsonl,json}', '{**/node_modules/**,**/.git/**}');
    files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const summary: WorkspaceValidationSummary = { files: files.length, datasets: 0, errors: 0, warnings: 0, cancelled: false };
    this.collection.clear();
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
            const choice = await this.formats.choiceFor(uri);
            let r: ValidationResult;
            try {
              r = await validateFile(uri.fsPath, { format: choice.format, formatOptions: choice.options, signal: abort.signal, maxProblems: 20000 });
            } catch (e) {
              if (e instanceof AbortedError || abort.signal.aborted) break;
              const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t('Pairwise could not read this file: {0}', e instanceof Error ? e.message : String(e)), vscode.DiagnosticSeverity.Error);
              d.source = 'pairwise';
              this.collection.set(uri, [d]);
              continue;
            }
            if (!WorkspaceValidation.isDataset(uri, r, choice.source !== 'detect')) continue;
            summary.datasets++;
            summary.errors += r.bySeverity.error;
            summary.warnings += r.bySeverity.warning;
            const capped = capProblems(r.problems, r.bySeverity, maxDiagnosticsPerFile() - 1);
            const name = uri.path.split('/').pop() ?? 'FILE';
            // Yielding between files lets the Problems panel and cancellation keep up.
            this.collection.set(uri, cappedDiagnostics(capped.shown, capped.hidden, name));
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
