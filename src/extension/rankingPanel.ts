/**
 * Rank mode: a webview showing the candidates of one prompt as cards in a column, driven by a
 * RankingSession that lives here in the host. The order being built is sent here on every change
 * (like the pair panel's draft rationale), so hiding the panel, reloading the webview or reloading
 * the window (the serializer reopens input and log) shows the same prompt and the same order.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RankingSession, readRankingItems, type RankingState } from '../core/labeling';
import type { LabelingResume } from '../protocol/labeling';
import { isRankingToHost, type HostToRanking, type RankingToHost, type RankingViewState } from '../protocol/ranking';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { PanelRegistry } from './panelRegistry';
import { initPanelGrants, panelGrants } from './panelGrants';
import { WebviewPanelBase } from './webviewPanelBase';

function isResume(v: unknown): v is LabelingResume {
  const r = v as LabelingResume | undefined;
  return !!r && typeof r.logPath === 'string' && typeof r.annotator === 'string' && !!r.input && typeof r.input.path === 'string' && r.input.kind === 'candidates';
}

function isDraft(v: unknown): v is RankingViewState['draft'] {
  const d = v as RankingViewState['draft'] | undefined;
  return !!d && typeof d.key === 'string' && Number.isInteger(d.picked) && Array.isArray(d.order) && d.order.every((t) => Array.isArray(t) && t.every((i) => Number.isInteger(i) && i >= 0));
}

/** The identity order (every candidate its own tier, display order) for `n` candidates. */
function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i]);
}

/** Whether `order` places each of 0..n-1 exactly once in non-empty tiers. */
function isFullOrder(order: number[][], n: number): boolean {
  const flat = order.flat();
  return order.every((t) => t.length > 0) && flat.length === n && new Set(flat).size === n && flat.every((i) => i < n);
}

export class RankingPanel extends WebviewPanelBase<RankingToHost, HostToRanking> {
  static readonly viewType = 'pairwise.ranking';
  private static readonly panels = new PanelRegistry<RankingPanel>();

  private session: RankingSession | undefined;
  private readonly ready: Promise<void>;
  private draft: RankingViewState['draft'] = { order: [], picked: 0 };
  private message: RankingViewState['message'];
  private last: RankingViewState | undefined;

  static register(context: vscode.ExtensionContext): void {
    initPanelGrants(context.workspaceState);
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(RankingPanel.viewType, {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
          const persisted = state as { resume?: unknown; draft?: unknown } | undefined;
          // The page names its session; the files are those the session was opened on (panelGrants.ts).
          const resume = isResume(persisted?.resume) ? panelGrants().restore(RankingPanel.viewType, persisted.resume) : undefined;
          if (!resume) {
            panel.dispose();
            if (isResume(persisted?.resume)) void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: the labeling panel was not reopened: no labeling session on {0} was started in this workspace. Start it again from the command palette.', path.basename(persisted.resume.logPath)));
            return;
          }
          try {
            await fsp.access(resume.input.path);
          } catch {
            panel.dispose();
            return;
          }
          // The order in progress the page persisted: restored if it still fits the prompt on screen.
          const p = new RankingPanel(context.extensionUri, panel, resume, isDraft(persisted?.draft) ? persisted.draft : undefined);
          await p.ready.catch(() => undefined);
        },
      }),
      { dispose: () => RankingPanel.panels.disposeAll() },
    );
  }

  static async show(extensionUri: vscode.Uri, resume: LabelingResume): Promise<RankingPanel> {
    const existing = RankingPanel.panels.all().find((p) => p.resume.logPath === resume.logPath);
    if (existing) {
      existing.panel.reveal();
      await existing.ready;
      return existing;
    }
    await panelGrants().record(RankingPanel.viewType, resume);
    const panel = vscode.window.createWebviewPanel(RankingPanel.viewType, vscode.l10n.t('Rank: {0}', path.basename(resume.input.path)), vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    const p = new RankingPanel(extensionUri, panel, resume);
    await p.ready;
    return p;
  }

  static current(): RankingPanel | undefined {
    return RankingPanel.panels.current();
  }

  private constructor(
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    readonly resume: LabelingResume,
    draft?: RankingViewState['draft'],
  ) {
    // Serialized: a fast double Enter cannot commit two rankings of one prompt.
    super(panel, { guard: isRankingToHost, viewName: vscode.l10n.t('rank panel of {0}', path.basename(resume.input.path)), registry: RankingPanel.panels, serialized: true });
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'ranking', `Rank: ${path.basename(resume.input.path)}`);
    if (draft) this.draft = draft;
    this.ready = this.open();
  }

  private async open(): Promise<void> {
    try {
      const { items, problems } = await readRankingItems(this.resume.input.path);
      this.session = await RankingSession.open({ items, inputProblems: problems, logPath: this.resume.logPath, annotator: this.resume.annotator });
      if (this.isDisposed) {
        await this.closeSession();
        return;
      }
      if (this.resume.index !== undefined) await this.session.jump(this.resume.index).catch(() => undefined);
      if (items.length === 0) this.message = { kind: 'info', text: vscode.l10n.t('No prompt in this file has three or more different candidates to rank.') };
      this.post();
    } catch (e) {
      const msg = vscode.l10n.t('Pairwise: cannot open {0} for ranking: {1}', path.basename(this.resume.input.path), (e as Error).message);
      void vscode.window.showErrorMessage(msg);
      this.dispose();
      throw new Error(msg);
    }
  }

  lastState(): RankingViewState | undefined {
    return this.last;
  }

  /** A message as if the webview had posted it (tests and webview share the channel). */
  async handleMessage(m: unknown): Promise<void> {
    await this.channel.receive(m);
  }

  protected async onMessage(m: RankingToHost): Promise<void> {
    await this.ready.catch(() => undefined);
    const s = this.session;
    if (!s || this.isDisposed) return;
    this.message = undefined;
    try {
      switch (m.type) {
        case 'ready':
          break;
        case 'order': {
          const n = s.state().item?.candidates.length ?? 0;
          if (isFullOrder(m.order, n)) this.draft = { key: m.key, order: m.order, picked: Math.min(m.picked, n) };
          return; // the webview already shows it
        }
        case 'rank':
          await s.rank(m.order, { key: m.key });
          break;
        case 'undo':
          await s.undo();
          break;
        case 'redo':
          await s.redo();
          break;
        case 'next':
          await s.next();
          break;
        case 'previous':
          await s.previous();
          break;
        default:
          return;
      }
    } catch (e) {
      this.message = { kind: 'error', text: (e as Error).message };
    }
    this.post();
  }

  private viewState(state: RankingState): RankingViewState {
    const item = state.item;
    // An order in progress belongs to the prompt it was built for; a ranked prompt starts from its ranking.
    if (!item) this.draft = { order: [], picked: 0 };
    else if (this.draft.key !== item.key || !isFullOrder(this.draft.order, item.candidates.length)) {
      this.draft = item.ranking ? { key: item.key, order: item.ranking, picked: item.candidates.length } : { key: item.key, order: identity(item.candidates.length), picked: 0 };
    }
    return {
      title: path.basename(this.resume.input.path),
      session: state,
      draft: this.draft,
      message: this.message,
      resume: { ...this.resume, index: item?.index },
    };
  }

  private post(): void {
    if (!this.session || this.isDisposed) return;
    this.last = this.viewState(this.session.state());
    this.channel.post({ type: 'state', state: this.last });
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.close().catch(() => undefined);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    void this.channel.idle().then(() => this.closeSession());
    super.dispose();
  }

  async disposeAndWait(): Promise<void> {
    this.dispose();
    await this.channel.idle();
    await this.closeSession();
  }
}
