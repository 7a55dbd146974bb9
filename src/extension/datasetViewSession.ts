/**
 * One open Dataset View webview, for either variant (editor document or large file): answers the
 * webview's requests from the document's record index (windows of records, queries), applies its
 * edits through the variant, and re-sends the full state on `ready` and whenever the data changes.
 */
import * as vscode from 'vscode';
import { AbortedError } from '../core/base';
import type { DatasetIndex, QueryResult, RecordQuery } from '../core/datasetIndex';
import { RegexTimeLimitError } from '../core/curate';
import { isDatasetViewToHost, type DatasetState, type DatasetViewToHost, type HostToDatasetView } from '../protocol/datasetView';
import { PanelRegistry } from './panelRegistry';
import { WebviewPanelBase } from './webviewPanelBase';
import type { TrainerViews } from './trainerViews';

/** What a variant provides to its sessions. */
export interface DatasetViewSource {
  readonly uri: vscode.Uri;
  readonly fileName: string;
  readonly readOnly: boolean;
  /** Why it is read-only, shown in the view (a Parquet file: no text to edit). */
  readonly readOnlyNote?: string;
  index(): DatasetIndex;
  /** Changes whenever records may have changed. */
  version(): number;
  /** Brings the index up to date with pending edits before a request is answered. */
  flush?(): void;
  reveal(index: number): Promise<void>;
  edit?(m: Extract<DatasetViewToHost, { type: 'edit' }>): Promise<{ ok: boolean; message?: string }>;
  /** Fires when the data (or indexing progress) changed: the session re-sends its state. */
  readonly onDidChange: vscode.Event<void>;
}

const MAX_WINDOW = 500;
const sessions = new PanelRegistry<DatasetViewSession>();

export class DatasetViewSession extends WebviewPanelBase<DatasetViewToHost, HostToDatasetView, HostToDatasetView | undefined> {
  /** The query the view shows (the host's copy, re-sent on `ready`). */
  private query: RecordQuery = {};
  /** A command set the query before the webview was ready: it wins over the persisted one. */
  private queryFromCommand = false;
  private running?: AbortController;
  /** The last query answered, for tests and for other surfaces. */
  lastQuery?: { query: RecordQuery; result: QueryResult };

  constructor(
    panel: vscode.WebviewPanel,
    readonly source: DatasetViewSource,
    private readonly views?: TrainerViews,
  ) {
    super(panel, { guard: isDatasetViewToHost, viewName: vscode.l10n.t('Dataset View of {0}', source.fileName), registry: sessions });
    this._register(
      source.onDidChange(() => {
        if (this.channel.isReady) this.channel.post({ type: 'state', state: this.state() });
      }),
    );
    this._register({ dispose: () => this.running?.abort() });
    // A new model or trainer changes every record's view: the webview asks again.
    if (views) this._register(views.onDidChange((uri) => (!uri || uri.toString() === source.uri.toString()) && this.channel.isReady && this.channel.post({ type: 'state', state: this.state() })));
  }

  /** The open sessions of a file, most recent last. */
  static forUri(uri: vscode.Uri | string): DatasetViewSession[] {
    const key = uri.toString();
    return sessions.all().filter((s) => s.source.uri.toString() === key);
  }

  get ready(): boolean {
    return this.channel.isReady;
  }

  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  state(): DatasetState {
    this.source.flush?.();
    return { ...this.source.index().summary(), fileName: this.source.fileName, readOnly: this.source.readOnly, readOnlyNote: this.source.readOnlyNote, version: this.source.version(), query: this.query };
  }

  /** Replaces the view's query (the webview runs it and shows the result). */
  setQuery(q: RecordQuery): void {
    this.query = q;
    if (this.channel.isReady) this.channel.post({ type: 'setQuery', query: q });
    else this.queryFromCommand = true;
  }

  /**
   * Handles one webview message; returns (and posts) the reply, if the message asks for one. A
   * query from the webview cancels its previous one still running (a search typed further). A
   * message that is not a DatasetViewToHost is dropped.
   */
  async handle(m: unknown): Promise<HostToDatasetView | undefined> {
    return this.channel.receive(m);
  }

  protected async onMessage(m: DatasetViewToHost, fromWebview: boolean): Promise<HostToDatasetView | undefined> {
    const reply = await this.answer(m, fromWebview);
    if (reply) this.channel.post(reply);
    return reply;
  }

  private async answer(m: DatasetViewToHost, fromWebview: boolean): Promise<HostToDatasetView | undefined> {
    switch (m.type) {
      case 'ready': {
        if (!this.queryFromCommand && m.query) this.query = m.query;
        this.queryFromCommand = false;
        this.channel.markReady();
        return { type: 'state', state: this.state() };
      }
      case 'window': {
        this.source.flush?.();
        const version = this.source.version();
        const records = await this.source.index().cards(m.indexes.slice(0, MAX_WINDOW));
        return { type: 'records', id: m.id, version, records };
      }
      case 'query': {
        const ctl = new AbortController();
        if (fromWebview) {
          this.running?.abort();
          this.running = ctl;
          this.query = m.query;
        }
        this.source.flush?.();
        const version = this.source.version();
        let lastProgress = 0;
        try {
          const result = await this.source.index().query(m.query, {
            signal: ctl.signal,
            onProgress: (done, total) => {
              const now = Date.now();
              if (now - lastProgress < 250) return;
              lastProgress = now;
              this.channel.post({ type: 'queryProgress', id: m.id, done, total });
            },
          });
          if (ctl.signal.aborted) return undefined;
          if (fromWebview) this.lastQuery = { query: m.query, result };
          return { type: 'queryResult', id: m.id, version, ...result };
        } catch (e) {
          if (e instanceof AbortedError || ctl.signal.aborted) return undefined;
          if (e instanceof RegexTimeLimitError) return { type: 'queryResult', id: m.id, version, matches: [], total: 0, error: e.message };
          return { type: 'queryResult', id: m.id, version, matches: [], total: 0, error: vscode.l10n.t('The query failed: {0}', e instanceof Error ? e.message : String(e)) };
        } finally {
          if (this.running === ctl) this.running = undefined;
        }
      }
      case 'reveal':
        await this.source.reveal(m.index);
        return undefined;
      case 'trainerView': {
        this.source.flush?.();
        const version = this.source.version();
        const [card] = await this.source.index().cards([m.index]);
        if (!card?.value) return { type: 'trainerViewResult', id: m.id, index: m.index, version, error: vscode.l10n.t('This record is not a JSON object.') };
        if (!this.views) return { type: 'trainerViewResult', id: m.id, index: m.index, version, error: vscode.l10n.t('The trainer\'s view is not available here.') };
        const r = await this.views.viewOf(this.source.uri, card.value, this.source.index().summary().format);
        return { type: 'trainerViewResult', id: m.id, index: m.index, version, ...r };
      }
      case 'selectModel':
        await vscode.commands.executeCommand('pairwise.selectModel', this.source.uri);
        return undefined;
      case 'edit': {
        if (!this.source.edit) return { type: 'editResult', id: m.id, ok: false, message: vscode.l10n.t('This view is read-only: the file is too large to edit as a text document.') };
        const r = await this.source.edit(m);
        return { type: 'editResult', id: m.id, ...r };
      }
    }
    return undefined;
  }
}
