/**
 * What every Pairwise webview has in common on the host side: its panel, the typed channel to its
 * script (src/protocol/channel.ts) with the protocol guard at the door (webviewMessageGate.ts),
 * the registry of open panels of its kind with the one looked at last, and an `isDisposed` that
 * stays true. The labeling panel, the statistics report and the Dataset View session extend it;
 * each gives only its handler and its own state.
 */
import type * as vscode from 'vscode';
import { Channel } from '../protocol/channel';
import type { Guard } from '../protocol/messageChecks';
import { Disposable } from './disposable';
import type { PanelRegistry } from './panelRegistry';
import { WebviewMessageGate } from './webviewMessageGate';

export interface WebviewPanelOptions<In, P> {
  /** The protocol guard of what this webview may post. */
  guard: Guard<In>;
  /** The view as the user knows it, named in the log line of a dropped message. */
  viewName: string;
  registry: PanelRegistry<P>;
  /** Handle one message at a time, in order. */
  serialized?: boolean;
}

export abstract class WebviewPanelBase<In extends { type: string }, Out extends { type: string }, R = void> extends Disposable {
  protected readonly channel: Channel<In, Out, R>;
  private readonly registry: PanelRegistry<this>;
  private disposedFlag = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    options: WebviewPanelOptions<In, unknown>,
  ) {
    super();
    const gate = new WebviewMessageGate(options.guard, options.viewName);
    this.registry = options.registry as PanelRegistry<this>;
    this.registry.add(this);
    this.channel = new Channel<In, Out, R>(panel.webview, {
      admit: (m): m is In => gate.admit(m),
      handle: (m, fromPort) => this.onMessage(m, fromPort),
      serialized: options.serialized,
    });
    this._register(this.channel);
    this._register(panel.onDidChangeViewState((e) => e.webviewPanel.active && this.registry.activated(this)));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Acts on one admitted message from the webview (`fromPort` false: given directly by a test or script). */
  protected abstract onMessage(message: In, fromPort: boolean): R | Promise<R>;

  override dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.registry.delete(this);
    super.dispose();
    this.panel.dispose();
  }
}
