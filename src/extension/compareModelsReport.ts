/**
 * "Pairwise: Show Model Comparison Report": the report of a Compare Models run (or of any
 * candidates file with two models) in a webview: wins, ties and losses of the candidate against
 * the baseline per annotator and merged, the 95% Wilson interval and the sign test
 * (src/core/labeling/comparison.ts), and the prompts behind each number, each of which opens its
 * pair in the labeling panel. Read again from the logs when the panel comes back into view.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CandidatesJobStore } from '../core/generation';
import { armsOfCandidates, compareModels, pairIndexIn, type ComparisonArms, type ComparisonReport } from '../core/labeling';
import { isComparisonToHost, type ComparisonState, type ComparisonToHost, type HostToComparison } from '../protocol/comparison';
import { registerActiveWebviewFile, targetFile } from './commandSupport';
import { startLabeling } from './labelingCommands';
import { LabelingPanel } from './labelingPanel';
import { PanelRegistry } from './panelRegistry';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { WebviewPanelBase } from './webviewPanelBase';

/** The arms: the two targets of the job that wrote the file (baseline first), else its first record's two answers. */
async function armsOf(candidates: string): Promise<ComparisonArms | undefined> {
  const spec = await new CandidatesJobStore(candidates).readSpec();
  if (spec && spec.targets.length === 2) return { baseline: spec.targets[0].model, candidate: spec.targets[1].model };
  return armsOfCandidates(candidates);
}

export class ComparisonReportPanel extends WebviewPanelBase<ComparisonToHost, HostToComparison> {
  static readonly viewType = 'pairwise.comparisonReport';
  private static readonly panels = new PanelRegistry<ComparisonReportPanel>();
  private state: ComparisonState;
  private computing: Promise<void> = Promise.resolve();

  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.showComparisonReport', async (uri?: unknown) => {
        // From the palette over a labeling panel: the report of the file it labels.
        const labeling = LabelingPanel.current();
        const u = targetFile(uri) ?? (labeling?.panel.active ? vscode.Uri.file(labeling.resume.input.path) : undefined);
        if (!u || u.scheme !== 'file' || !/\.candidates\.jsonl$/i.test(u.fsPath)) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: open the answers file of a comparison (*.candidates.jsonl, written by Compare Models) first.'));
          return undefined;
        }
        const p = ComparisonReportPanel.show(context.extensionUri, u);
        await p.computing;
        return p.state.report;
      }),
      { dispose: () => ComparisonReportPanel.panels.disposeAll() },
      registerActiveWebviewFile(() => ComparisonReportPanel.panels.all().find((p) => p.panel.active)?.uri),
    );
  }

  static show(extensionUri: vscode.Uri, uri: vscode.Uri): ComparisonReportPanel {
    const existing = ComparisonReportPanel.panels.all().find((p) => p.uri.toString() === uri.toString());
    if (existing) {
      existing.panel.reveal();
      existing.recompute();
      return existing;
    }
    const title = vscode.l10n.t('Comparison: {0}', path.basename(uri.fsPath));
    const panel = vscode.window.createWebviewPanel(ComparisonReportPanel.viewType, title, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
    return new ComparisonReportPanel(extensionUri, panel, uri);
  }

  /** The report panel looked at last (for the tests). */
  static current(): ComparisonReportPanel | undefined {
    return ComparisonReportPanel.panels.current();
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
  ) {
    const fileName = path.basename(uri.fsPath);
    super(panel, { guard: isComparisonToHost, viewName: vscode.l10n.t('comparison report of {0}', fileName), registry: ComparisonReportPanel.panels });
    this.state = { fileName, status: 'computing' };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'comparison', vscode.l10n.t('Comparison: {0}', fileName));
    // Labels added in the panel beside it count as soon as the report is looked at again.
    this._register(panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.recompute()));
    this.recompute();
  }

  lastState(): ComparisonState {
    return this.state;
  }

  /** Resolves when the report under way has been computed. */
  whenComputed(): Promise<void> {
    return this.computing;
  }

  private recompute(): void {
    this.computing = this.computing.catch(() => undefined).then(() => this.compute());
  }

  private async compute(): Promise<void> {
    try {
      const arms = await armsOf(this.uri.fsPath);
      if (!arms) throw new Error(vscode.l10n.t('{0} has no record with two answers to compare', this.state.fileName));
      const report: ComparisonReport = await compareModels(this.uri.fsPath, arms);
      this.setState({ status: 'done', report, message: undefined });
    } catch (e) {
      this.setState({ status: 'failed', message: (e as Error).message });
    }
  }

  private setState(patch: Partial<ComparisonState>): void {
    this.state = { ...this.state, ...patch };
    if (!this.isDisposed) this.channel.post({ type: 'state', state: this.state });
  }

  /** A message as if the webview had sent it (the tests go through the same guard and handler). */
  async handleMessage(m: unknown): Promise<void> {
    await this.channel.receive(m);
  }

  protected async onMessage(m: ComparisonToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.channel.markReady();
        this.channel.post({ type: 'state', state: this.state });
        return;
      case 'refresh':
        this.recompute();
        return;
      case 'openPair':
        await this.openPair(m.pair);
        return;
    }
  }

  /** Opens the labeling panel of this file (this user's log) on the pair, beside the report. */
  private async openPair(pairId: string): Promise<void> {
    // The labeling panel's queue over the same file with the same strategy gives the same indexes.
    const index = await pairIndexIn(this.uri.fsPath, pairId);
    if (index < 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: that pair is no longer in {0}.', this.state.fileName));
      return;
    }
    const panel = await startLabeling(this.extensionUri, this.uri, { kind: 'candidates', strategy: 'all' }, false);
    if (panel && 'handleMessage' in panel) await panel.handleMessage({ type: 'jump', index });
  }
}
