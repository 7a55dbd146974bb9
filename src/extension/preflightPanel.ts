/**
 * "Pairwise: Pre-flight": the whole dataset rendered, tokenized and masked as its trainer will,
 * with the file's model (TrainerViews), in a report webview: totals, records over the length limit,
 * records whose trained tokens are all cut, what the template leaves out, template errors, and a
 * chart of lengths against the limit. Computed here in the host by core/chatTemplate preflightFile
 * (streamed, with progress and cancel) and sent whole to the webview.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { preflightFile, type PreflightReport } from '../core/chatTemplate';
import { isFormatId } from '../core/formats';
import { trainerName } from '../core/trainers';
import { isPreflightToHost, type HostToPreflight, type PreflightState, type PreflightToHost } from '../protocol/preflight';
import { registerActiveWebviewFile, targetFile, withCurationProgress } from './commandSupport';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { PanelRegistry } from './panelRegistry';
import type { TrainerViews } from './trainerViews';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { WebviewPanelBase } from './webviewPanelBase';

export class PreflightPanel extends WebviewPanelBase<PreflightToHost, HostToPreflight> {
  static readonly viewType = 'pairwise.preflight';
  private static readonly panels = new PanelRegistry<PreflightPanel>();
  private state: PreflightState;
  private running: Promise<void> = Promise.resolve();

  static register(context: vscode.ExtensionContext, views: TrainerViews, formats: DatasetFormatOverrides): void {
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.preflight', async (uri?: unknown) => {
        const u = targetFile(uri);
        if (!u || u.scheme !== 'file') {
          void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: open a dataset file (or pick one in the Explorer) first.'));
          return undefined;
        }
        const p = PreflightPanel.show(context.extensionUri, u, views, formats);
        await p.running;
        return p.state.report;
      }),
      { dispose: () => PreflightPanel.panels.disposeAll() },
      registerActiveWebviewFile(() => PreflightPanel.panels.all().find((p) => p.panel.active)?.uri),
    );
  }

  static show(extensionUri: vscode.Uri, uri: vscode.Uri, views: TrainerViews, formats: DatasetFormatOverrides): PreflightPanel {
    const existing = PreflightPanel.panels.all().find((p) => p.uri.toString() === uri.toString());
    if (existing) {
      existing.panel.reveal();
      existing.rerun();
      return existing;
    }
    const title = vscode.l10n.t('Pre-flight: {0}', path.basename(uri.fsPath));
    const panel = vscode.window.createWebviewPanel(PreflightPanel.viewType, title, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
    return new PreflightPanel(extensionUri, panel, uri, views, formats);
  }

  /** The panel the user looked at last (for the tests). */
  static current(): PreflightPanel | undefined {
    return PreflightPanel.panels.current();
  }

  private constructor(
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly views: TrainerViews,
    private readonly formats: DatasetFormatOverrides,
  ) {
    const fileName = path.basename(uri.fsPath);
    super(panel, { guard: isPreflightToHost, viewName: vscode.l10n.t('pre-flight report of {0}', fileName), registry: PreflightPanel.panels });
    this.state = { fileName, status: 'running' };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preflight', vscode.l10n.t('Pre-flight: {0}', fileName));
    this._register(views.onDidChange((u) => (!u || u.toString() === uri.toString()) && this.rerun()));
    this.rerun();
  }

  /** The state last sent to the webview. */
  lastState(): PreflightState {
    return this.state;
  }

  /** Resolves when the run under way (if any) has finished. */
  whenDone(): Promise<void> {
    return this.running;
  }

  private rerun(): void {
    this.running = this.running.catch(() => undefined).then(() => this.run());
  }

  private async run(): Promise<void> {
    this.setState({ status: 'running', message: undefined });
    const folder = this.views.modelFolder(this.uri);
    if (!folder) {
      this.setState({ status: 'failed', message: vscode.l10n.t('No model chosen for this file: choose a model folder (tokenizer.json and a chat template) with "Pairwise: Select Model".') });
      return;
    }
    const setup = await this.views.setupFor(this.uri);
    if (!setup) {
      this.setState({ status: 'failed', message: vscode.l10n.t('No target trainer for this file: choose the trainer that will read it with "Pairwise: Set Target Trainer".') });
      return;
    }
    try {
      const { model, name } = await this.views.load(folder);
      const choice = await this.formats.choiceFor(this.uri);
      const format = choice.format && isFormatId(choice.format) ? choice.format : undefined;
      this.setState({ model: name, trainer: trainerName(setup.trainer), optionsFrom: setup.optionsFrom });
      const report: PreflightReport | undefined = await withCurationProgress(
        vscode.l10n.t('Pairwise: pre-flight of {0}', this.state.fileName),
        (signal, onProgress) => preflightFile(this.uri.fsPath, model, { ...setup.options, format, formatOptions: choice.options, signal, onProgress }),
        vscode.l10n.t('cancelled.'),
      );
      if (!report) {
        this.setState({ status: 'cancelled', message: vscode.l10n.t('Cancelled.') });
        return;
      }
      this.setState({ status: 'done', report, message: undefined });
    } catch (e) {
      this.setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private setState(patch: Partial<PreflightState>): void {
    this.state = { ...this.state, ...patch };
    if (!this.isDisposed) this.channel.post({ type: 'state', state: this.state });
  }

  /** A message from the webview (the tests call this directly, as if the webview had sent it). */
  async handleMessage(m: unknown): Promise<void> {
    await this.channel.receive(m);
  }

  protected async onMessage(m: PreflightToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.channel.markReady();
        this.channel.post({ type: 'state', state: this.state });
        return;
      case 'reveal': {
        const doc = await vscode.workspace.openTextDocument(this.uri);
        const line = Math.min(Math.max(0, m.line - 1), doc.lineCount - 1);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(line, 0, line, 0) });
        return;
      }
      case 'rerun':
        this.rerun();
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('pairwise.selectModel', this.uri);
        return;
    }
  }
}
