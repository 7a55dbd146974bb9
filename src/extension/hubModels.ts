/**
 * Models from the Hugging Face Hub in the editor: the access token in VS Code's SecretStorage (the
 * OS keychain; never in settings, files or logs), HF_TOKEN of the environment as the fallback, the
 * fetched files under the extension's global storage (`models/`), and the step the model setting
 * calls to turn a reference into a local folder: `resolveModelReference`, with a cancellable
 * progress notification while files are fetched. HF_ENDPOINT points at a mirror, as for the CLI.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HubModelError, resolveModelReference as resolveReference, type ResolvedModel } from '../core/chatTemplate';

export const HUB_TOKEN_SECRET = 'pairwise.huggingFaceToken';

export interface SetHubTokenArgs {
  /** Scripted use (tests, other extensions): store this token without asking. */
  readonly token?: string;
}

export interface ResolveModelOptions {
  readonly offline?: boolean;
  readonly refresh?: boolean;
}

let current: HubModels | undefined;

/**
 * A model reference (a folder, or org/name[@revision]) → a local model folder, fetching from the
 * Hub with a progress notification the user can cancel (then AbortedError). Throws HubModelError
 * with a sentence to show for a model that cannot be had.
 */
export function resolveModelReference(reference: string, opts: ResolveModelOptions = {}): Promise<ResolvedModel> {
  if (!current) throw new Error('the Pairwise extension is not active');
  return current.resolve(reference, opts);
}

export class HubModels {
  static register(context: vscode.ExtensionContext): HubModels {
    const h = new HubModels(context);
    current = h;
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.setHubToken', (args?: SetHubTokenArgs) => h.setToken(args)),
      vscode.commands.registerCommand('pairwise.clearHubToken', () => h.clearToken()),
      // Not in the palette: for the model setting's code paths, scripts and tests.
      vscode.commands.registerCommand('pairwise.resolveModelReference', async (reference: string, opts?: ResolveModelOptions) => (await h.resolve(reference, opts ?? {})).folder),
      { dispose: () => (current = current === h ? undefined : current) },
    );
    return h;
  }

  private constructor(private readonly context: vscode.ExtensionContext) {}

  get cacheDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'models');
  }

  private async token(): Promise<string | undefined> {
    return (await this.context.secrets.get(HUB_TOKEN_SECRET)) || process.env.HF_TOKEN || undefined;
  }

  async setToken(args?: SetHubTokenArgs): Promise<boolean> {
    let token = typeof args?.token === 'string' ? args.token.trim() : undefined;
    if (token === undefined) {
      token = (
        await vscode.window.showInputBox({
          title: vscode.l10n.t('Hugging Face access token'),
          prompt: vscode.l10n.t('For private and gated models. Stored in the secret storage of VS Code (the OS keychain), never in settings or files'),
          password: true,
          ignoreFocusOut: true,
          validateInput: (s) => (s.trim().startsWith('hf_') ? undefined : vscode.l10n.t('A Hugging Face token starts with hf_')),
        })
      )?.trim();
      if (!token) return false;
    }
    if (!token.startsWith('hf_')) {
      void vscode.window.showErrorMessage(vscode.l10n.t('A Hugging Face token starts with hf_'));
      return false;
    }
    await this.context.secrets.store(HUB_TOKEN_SECRET, token);
    void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token stored.'));
    return true;
  }

  async clearToken(): Promise<boolean> {
    await this.context.secrets.delete(HUB_TOKEN_SECRET);
    void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token cleared.'));
    return true;
  }

  async resolve(reference: string, opts: ResolveModelOptions): Promise<ResolvedModel> {
    const token = await this.token();
    const common = { cacheDir: this.cacheDir, token, hubUrl: process.env.HF_ENDPOINT || undefined, offline: opts.offline, refresh: opts.refresh };
    // A folder or a cached snapshot answers at once: no notification for it.
    if (!opts.refresh || opts.offline)
      try {
        return await resolveReference(reference, { ...common, offline: true });
      } catch (e) {
        if (opts.offline || !(e instanceof HubModelError && e.kind === 'notCached')) throw e;
      }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching {0} from the Hugging Face Hub', reference), cancellable: true },
      async (progress, cancel) => {
        const ac = new AbortController();
        const sub = cancel.onCancellationRequested(() => ac.abort());
        try {
          return await resolveReference(reference, {
            ...common,
            signal: ac.signal,
            onProgress: (file, i, n) => progress.report({ message: vscode.l10n.t('{0} ({1}/{2})', file, i + 1, n), increment: i === 0 ? 0 : 100 / n }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
  }
}
