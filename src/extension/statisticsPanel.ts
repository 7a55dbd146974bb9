/**
 * "Pairwise: Show Dataset Statistics": a webview report of one dataset file. The report is
 * computed here in the host by the curation core (one streaming pass, cancellable, with progress)
 * and sent whole to the webview, which draws it; the host keeps the per-record histogram bins so a
 * clicked bar becomes a Dataset View filter, and writes the Markdown export.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { computeStats, recordsInBin, type ChartId, type StatsOptions, type StatsResult, statsToMarkdown } from '../core/curate';
import type { PriceMap } from '../core/curate';
import { writeFileAtomic, refuseUnsafeOutputs } from '../core/jsonl';
import { CHART_IDS, isStatisticsToHost, type HostToStatistics, type StatisticsState, type StatisticsToHost, type StatsReport } from '../protocol/statistics';
import { registerActiveWebviewFile, targetFile, withCurationProgress } from './commandSupport';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { PanelRegistry } from './panelRegistry';
import { WebviewPanelBase } from './webviewPanelBase';

/** Overrides of the `pairwise.stats.*` settings (scripts and tests). */
export interface ShowStatisticsOptions {
  contextLimit?: number;
  epochs?: number;
  model?: string;
  /** Price per million training tokens, by model. */
  prices?: Record<string, number>;
}

function toPriceMap(v: unknown): PriceMap {
  const out: PriceMap = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [model, p] of Object.entries(v as Record<string, unknown>)) {
    if (typeof p === 'number' && Number.isFinite(p) && p >= 0) out[model] = { trainingPerMTok: p };
  }
  return out;
}

function statsOptions(o: ShowStatisticsOptions): StatsOptions {
  const cfg = vscode.workspace.getConfiguration('pairwise.stats');
  const limit = o.contextLimit ?? cfg.get<number>('contextLimit', 4096);
  const epochs = o.epochs ?? cfg.get<number>('epochs', 3);
  return {
    contextLimit: Number.isInteger(limit) && limit > 0 ? limit : 4096,
    epochs: Number.isInteger(epochs) && epochs > 0 ? epochs : 3,
    model: o.model ?? (cfg.get<string>('model') || undefined),
    prices: toPriceMap(o.prices ?? cfg.get('trainingPrices')),
  };
}

export class StatisticsPanel extends WebviewPanelBase<StatisticsToHost, HostToStatistics, unknown> {
  static readonly viewType = 'pairwise.statistics';
  private static readonly panels = new PanelRegistry<StatisticsPanel>();

  private result: StatsResult | undefined;
  /** sourceStamp() of what `result` was computed from. */
  private resultStamp: string | undefined;
  private state: StatisticsState;
  private computing: Promise<void> = Promise.resolve();

  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.showStatistics', async (uri?: unknown, opts?: ShowStatisticsOptions) => {
        const u = targetFile(uri);
        if (!u || u.scheme !== 'file') {
          void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: open a dataset file (or pick one in the Explorer) first.'));
          return undefined;
        }
        const p = StatisticsPanel.show(context.extensionUri, u, opts && typeof opts === 'object' && !Array.isArray(opts) ? opts : {});
        await p.computing;
        return p.lastReport();
      }),
      { dispose: () => StatisticsPanel.panels.disposeAll() },
      // With a report in front, the curation commands act on its file (the report has no text editor).
      registerActiveWebviewFile(() => StatisticsPanel.panels.all().find((p) => p.panel.active)?.uri),
    );
  }

  /** Opens a report of the file (or reveals and recomputes the one already open). */
  static show(extensionUri: vscode.Uri, uri: vscode.Uri, opts: ShowStatisticsOptions = {}): StatisticsPanel {
    const existing = StatisticsPanel.panels.all().find((p) => p.uri.toString() === uri.toString());
    if (existing) {
      existing.opts = opts;
      existing.panel.reveal();
      existing.recompute();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(StatisticsPanel.viewType, vscode.l10n.t('Statistics: {0}', path.basename(uri.fsPath)), vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    return new StatisticsPanel(extensionUri, panel, uri, opts);
  }

  /** The panel the user looked at last (for the tests). */
  static current(): StatisticsPanel | undefined {
    return StatisticsPanel.panels.current();
  }

  private constructor(
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private opts: ShowStatisticsOptions,
  ) {
    const fileName = path.basename(uri.fsPath);
    super(panel, { guard: isStatisticsToHost, viewName: vscode.l10n.t('statistics report of {0}', fileName), registry: StatisticsPanel.panels });
    this.state = { fileName, status: 'computing' };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'statistics', vscode.l10n.t('Statistics: {0}', this.state.fileName));
    this.recompute();
  }

  /** The report last computed (undefined while the first computation runs). */
  lastReport(): StatsReport | undefined {
    return this.result?.report;
  }

  /** The state last sent to the webview. */
  lastState(): StatisticsState {
    return this.state;
  }

  /** Resolves when the computation under way (if any) has finished. */
  whenComputed(): Promise<void> {
    return this.computing;
  }

  private recompute(): void {
    // compute() reports its failures in the panel; the catch keeps one odd rejection from stopping every later run.
    this.computing = this.computing.catch(() => undefined).then(() => this.compute());
  }

  /**
   * What the report was computed from: the unsaved document's version, or the saved file's size
   * and time. A bar maps to record indexes, so a click after an edit would filter other records.
   */
  private async sourceStamp(): Promise<string> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (doc?.isDirty) return `unsaved:${doc.version}`;
    try {
      const st = await fsp.stat(this.uri.fsPath);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  private async compute(): Promise<void> {
    this.setState({ status: 'computing', message: undefined });
    const stamp = await this.sourceStamp();
    let cleanup = async (): Promise<void> => undefined;
    try {
      const file = await this.inputFile();
      cleanup = file.cleanup;
      const input = file.path;
      const opts = statsOptions(this.opts);
      const r = await withCurationProgress(
        vscode.l10n.t('Pairwise: statistics of {0}', this.state.fileName),
        // Ranges go to workers only: this is the extension host, which other extensions share.
        (signal, onProgress) => computeStats(input, { ...opts, signal, onProgress, rangesOnThisThread: false }),
        vscode.l10n.t('cancelled.'),
      );
      if (!r) {
        this.setState({ status: 'cancelled', message: vscode.l10n.t('Cancelled.') });
        return;
      }
      r.report.path = this.uri.fsPath;
      this.result = r;
      this.resultStamp = stamp;
      this.setState({ status: 'done', report: r.report, message: undefined });
    } catch (e) {
      this.setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      await cleanup();
    }
  }

  /**
   * The file to read: the saved file, or the editor's unsaved text copied to a temporary file
   * (the Dataset View shows the document, so bar clicks must count its records).
   */
  private async inputFile(): Promise<{ path: string; cleanup: () => Promise<void> }> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (!doc?.isDirty) return { path: this.uri.fsPath, cleanup: async () => undefined };
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pairwise-stats-'));
    const file = path.join(tmp, `input${path.extname(this.uri.fsPath) || '.jsonl'}`);
    const cleanup = () => fsp.rm(tmp, { recursive: true, force: true });
    try {
      await fsp.writeFile(file, doc.getText(), { flag: 'wx' });
    } catch (e) {
      await cleanup();
      throw e;
    }
    return { path: file, cleanup };
  }

  private setState(patch: Partial<StatisticsState>): void {
    this.state = { ...this.state, ...patch };
    if (!this.isDisposed) this.channel.post({ type: 'state', state: this.state });
  }

  /** A message from the webview (the tests call this directly, as if the webview had sent it); one that is not a StatisticsToHost is dropped. */
  handleMessage(m: unknown): Promise<unknown> {
    return this.channel.receive(m);
  }

  protected async onMessage(m: StatisticsToHost): Promise<unknown> {
    switch (m.type) {
      case 'ready':
        this.setState({});
        return undefined;
      case 'filterBin':
        return this.filterBin(m.chart, m.bin);
      case 'saveMarkdown':
        return this.saveMarkdown();
      case 'recompute':
        this.recompute();
        return this.computing;
      default:
        return undefined;
    }
  }

  /** Shows the records behind one bar in the Dataset View; returns their indexes. */
  async filterBin(chart: ChartId, bin: number): Promise<number[] | undefined> {
    const r = this.result;
    if (!r || !CHART_IDS.includes(chart) || !Number.isInteger(bin) || bin < 0 || bin >= r.report.histograms[chart].bins.length) return undefined;
    if ((await this.sourceStamp()) !== this.resultStamp) {
      // The file changed since: compute again rather than filter by indexes of the old text.
      this.recompute();
      void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: {0} changed since these statistics were computed; they are being computed again. Click the bar again when they are.', this.state.fileName));
      return undefined;
    }
    const recordIndexes = recordsInBin(r, chart, bin);
    const ok = await vscode.commands.executeCommand<boolean>('pairwise.datasetView.filter', { uri: this.uri, recordIndexes });
    if (!ok) void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: the Dataset View of {0} did not open.', this.state.fileName));
    return recordIndexes;
  }

  /** Writes the report as Markdown (charts as SVG) to `target`, or where the save dialog says. */
  async saveMarkdown(target?: string): Promise<string | undefined> {
    const report = this.result?.report;
    if (!report) return undefined;
    let file = target;
    if (!file) {
      const base = path.basename(this.uri.fsPath, path.extname(this.uri.fsPath));
      const picked = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save Dataset Statistics as Markdown'),
        defaultUri: vscode.Uri.file(path.join(path.dirname(this.uri.fsPath), `${base}.stats.md`)),
        filters: { Markdown: ['md'] },
      });
      if (!picked) return undefined;
      file = picked.fsPath;
    }
    try {
      // The dataset itself is never the report's file; a link or a folder is refused by the writer.
      refuseUnsafeOutputs([this.uri.fsPath], [file]);
      await writeFileAtomic(file, statsToMarkdown(report));
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: cannot save the statistics: {0}', e instanceof Error ? e.message : String(e)));
      // A caller that named the file (a script, a test) gets the failure itself.
      if (target) throw e;
      return undefined;
    }
    this.setState({ message: vscode.l10n.t('Saved {0}.', path.basename(file)) });
    return file;
  }
}
