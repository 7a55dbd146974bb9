/**
 * What every generation command shares: the redacting output channel, the key store, the
 * workspace-key consent, the running jobs (so a test can cancel one the way the notification's
 * Cancel button does), the trust guard and the pool built from the chosen endpoints.
 */
import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import type { JobProgress } from '../core/generation';
import { InsecureKeyTransportError, sendsKeyInClear, EndpointPool, progressLine } from '../core/generation';
import { withOutputLocks, OutputClaims } from '../core/jsonl';
import { ApiKeyStore } from './apiKeyStore';
import { EndpointKeyConsent } from './endpointKeyConsent';
import { readEndpoints, type ResolvedEndpoint } from './endpointSettings';
import { GenerationOutput } from './generationOutput';

/** How a user opts in to sending an endpoint's key over plain http, for the refusal. */
export const allowHttpKeyHint = (): string => vscode.l10n.t('set "allowHttpKey": true on this endpoint in your user settings (pairwise.endpoints)');

export const untrustedMessage = (): string =>
  vscode.l10n.t('Pairwise generation is disabled in Restricted Mode: it sends dataset text (and your API key) to the endpoints in the settings, which an untrusted workspace could redirect. Trust the workspace to use it.');

export class GenerationServices implements vscode.Disposable {
  readonly output = new GenerationOutput();
  /** The files running generation jobs write (candidates, judgements, the dataset synthetic records go to). */
  readonly outputs = new OutputClaims();
  readonly keys: ApiKeyStore;
  readonly consent: EndpointKeyConsent;
  private readonly running = new Set<AbortController>();
  /** Progress of the job that reported last (tests read it). */
  lastProgress: JobProgress | undefined;

  constructor(context: vscode.ExtensionContext) {
    this.keys = new ApiKeyStore(context.secrets, this.output);
    this.consent = new EndpointKeyConsent(context.globalState, this.keys, context.extensionMode === vscode.ExtensionMode.Test);
  }

  /**
   * Runs `job` as the only writer of `files`: among this window's jobs (OutputClaims) and across
   * processes (a lock beside each file, see outputLock.ts), so a CLI run or another window on the
   * same output is refused, naming the process that holds it. `lost` aborts if another process
   * takes a lock over (this window was taken for dead, e.g. after a long suspend).
   */
  holdOutputs<T>(files: readonly string[], command: string, job: (lost: AbortSignal) => Promise<T>): Promise<T> {
    return this.outputs.with(files, () =>
      withOutputLocks(files, { command: `${command} (VS Code)` }, (lost) => {
        lost.addEventListener('abort', () => this.output.appendLine(`stopped: ${this.output.describe(lost.reason)}`), { once: true });
        return job(lost);
      }),
    );
  }

  /** False (after explaining why) in an untrusted workspace. */
  ensureTrusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(untrustedMessage(), vscode.l10n.t('Manage Workspace Trust')).then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }

  /** Endpoints in effect, by name. */
  endpoints(): Map<string, ResolvedEndpoint> {
    return new Map(readEndpoints().map((e) => [e.config.name, e]));
  }

  /**
   * A pool over the named endpoints with their keys (asking consent for workspace-configured ones);
   * undefined when the user cancelled. Throws a readable error for unknown or broken endpoints.
   */
  async openPool(names: Iterable<string>): Promise<EndpointPool | undefined> {
    const all = this.endpoints();
    const chosen: ResolvedEndpoint[] = [];
    for (const name of new Set(names)) {
      const e = all.get(name);
      if (!e) throw new Error(vscode.l10n.t('no endpoint named "{0}" in the pairwise.endpoints setting', name));
      if (e.problems.length) throw new Error(vscode.l10n.t('endpoint "{0}": {1}', name, e.problems.join('; ')));
      chosen.push(e);
    }
    const apiKeys: Record<string, string | undefined> = {};
    for (const e of chosen) {
      const d = await this.consent.keyFor(e);
      if (d === 'cancelled') return undefined;
      if (sendsKeyInClear(e.config, d.key)) throw new InsecureKeyTransportError(e.config, allowHttpKeyHint());
      apiKeys[e.config.name] = d.key;
      this.output.addSecret(d.key);
      this.output.appendLine(`endpoint ${e.config.name} (${e.config.baseURL}): ${describeKeySource(d.source)}`);
    }
    return new EndpointPool({
      endpoints: chosen.map((e) => e.config),
      apiKeys,
      log: (l) => this.output.appendLine(l),
      // A server that asks to wait longer than a run waits: the run's requests fail at once, and the user is told why.
      notice: (l) => void vscode.window.showWarningMessage(this.output.redact(l)),
    });
  }

  /**
   * Runs a job under a cancellable progress notification. The job's signal aborts on the
   * notification's Cancel, on `external` and on cancelRunning().
   */
  async withProgress<T>(title: string, unit: string, external: AbortSignal | undefined, run: (signal: AbortSignal, report: (p: JobProgress) => void) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    // Each request in flight listens on the signal.
    setMaxListeners(0, ac.signal);
    const onExternal = (): void => ac.abort();
    if (external?.aborted) ac.abort();
    external?.addEventListener('abort', onExternal, { once: true });
    this.running.add(ac);
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => ac.abort());
        let reported = 0;
        return run(ac.signal, (p) => {
          this.lastProgress = p;
          const fraction = p.total ? Math.min(1, p.done / p.total) : 0;
          const increment = Math.max(0, fraction * 100 - reported);
          reported += increment;
          progress.report({ message: progressLine(p, unit), increment });
        });
      });
    } finally {
      external?.removeEventListener('abort', onExternal);
      this.running.delete(ac);
    }
  }

  /** Cancels every running job, as the notification's Cancel button does. Returns how many. */
  cancelRunning(): number {
    const n = this.running.size;
    for (const ac of this.running) ac.abort();
    return n;
  }

  runningCount(): number {
    return this.running.size;
  }

  dispose(): void {
    this.cancelRunning();
    this.output.dispose();
  }
}

function describeKeySource(source: 'stored' | 'environment' | 'none' | 'withheld'): string {
  switch (source) {
    case 'stored':
      return 'using the stored API key';
    case 'environment':
      return 'using OPENAI_API_KEY from the environment';
    case 'none':
      return 'no API key set; sending requests without one';
    case 'withheld':
      return 'the stored API key was NOT sent (workspace-configured URL not confirmed)';
  }
}
