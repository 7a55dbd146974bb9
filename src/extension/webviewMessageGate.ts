/**
 * Where every message a Pairwise webview posts enters the extension host. A webview shows dataset
 * text and model output; were a flaw in its rendering ever to let that text run script, the script
 * could post anything. So each message must pass its protocol guard (src/protocol) before the host
 * acts on it: one that does not is dropped, and the first one dropped per webview is written to
 * the "Pairwise" output channel (a flood would otherwise fill it).
 */
import * as vscode from 'vscode';
import type { Guard } from '../protocol/messageChecks';

const KEEP_LINES = 200;

/** The "Pairwise" output channel, created on the first line written. */
export class PairwiseLog {
  private static channel: vscode.LogOutputChannel | undefined;
  private static kept: string[] = [];

  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push({
      dispose: () => {
        PairwiseLog.channel?.dispose();
        PairwiseLog.channel = undefined;
      },
    });
  }

  static warn(line: string): void {
    PairwiseLog.channel ??= vscode.window.createOutputChannel('Pairwise', { log: true });
    PairwiseLog.channel.warn(line);
    PairwiseLog.kept.push(line);
    if (PairwiseLog.kept.length > KEEP_LINES) PairwiseLog.kept.splice(0, PairwiseLog.kept.length - KEEP_LINES);
  }

  /** The lines written so far (for the integration tests). */
  static lines(): readonly string[] {
    return PairwiseLog.kept;
  }
}

/** The guard of one webview's messages (one gate per panel, so each panel logs its first drop). */
export class WebviewMessageGate<T> {
  private dropped = 0;

  constructor(
    private readonly guard: Guard<T>,
    /** The view as the user knows it, e.g. "labeling panel (chat.jsonl)". */
    private readonly view: string,
  ) {}

  /** True when `message` may be acted on; otherwise it is dropped (and logged, the first time). */
  admit(message: unknown): message is T {
    const problem = this.guard.problem(message);
    if (problem === undefined) return true;
    if (this.dropped++ === 0) {
      PairwiseLog.warn(vscode.l10n.t('A message from the {0} was dropped: {1}. Further malformed messages from this view are dropped without a note.', this.view, problem));
    }
    return false;
  }

  /** Messages dropped so far. */
  get droppedCount(): number {
    return this.dropped;
  }
}
