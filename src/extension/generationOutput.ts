/**
 * The "Pairwise Generation" output channel. Every line passes a Redactor that knows every API key
 * the extension has loaded, so a key echoed by a server, a proxy or an exception never reaches the
 * channel. The redacted text is also kept in memory (bounded) for the integration tests to read.
 */
import * as vscode from 'vscode';
import { Redactor } from '../core/generation';

const KEEP_CHARS = 1 << 20;

export class GenerationOutput implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Pairwise Generation');
  private readonly redactor = new Redactor();
  private kept = '';

  /** Registers a secret to remove verbatim from everything written from now on. */
  addSecret(secret: string | undefined): void {
    this.redactor.addSecret(secret);
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** A redacted one-line description of anything thrown. */
  describe(error: unknown): string {
    return this.redactor.describe(error);
  }

  appendLine(line: string): void {
    const safe = `[${new Date().toISOString().slice(11, 19)}] ${this.redactor.redact(line)}`;
    this.channel.appendLine(safe);
    this.kept += safe + '\n';
    if (this.kept.length > KEEP_CHARS) this.kept = this.kept.slice(this.kept.length - KEEP_CHARS / 2);
  }

  show(): void {
    this.channel.show(true);
  }

  /** Everything written (redacted), for tests. */
  text(): string {
    return this.kept;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
