/**
 * "Pairwise: Manage Endpoints": add, edit, remove, test (a one-token chat request) and list the
 * models (`GET /models`) of the endpoints in `pairwise.endpoints`, writing the USER settings.
 * "Pairwise: Set API Key": a key per endpoint in SecretStorage, or clear it.
 * Both take an argument object for tests and automation (ManageEndpointsArgs, SetApiKeyArgs).
 */
import * as vscode from 'vscode';
import { validateEndpointConfig, type EndpointConfig, listModels, testConnection, type ConnectionReport } from '../core/generation';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, readEndpoints, readUserEndpoints, toEndpointConfig, writeUserEndpoints, type ResolvedEndpoint } from './endpointSettings';
import { allowHttpKeyHint, type GenerationServices } from './generationServices';

export type ManageEndpointsArgs =
  | { action: 'add'; endpoint: Partial<EndpointConfig> & { name: string; baseURL: string } }
  | { action: 'remove'; name: string }
  | { action: 'test'; name: string }
  | { action: 'listModels'; name: string };

export interface SetApiKeyArgs {
  endpoint: string;
  /** The key to store; omit with `clear: true` to delete it. */
  key?: string;
  clear?: boolean;
}

const EXAMPLES = 'https://api.openai.com/v1 · http://localhost:11434/v1 (Ollama) · http://localhost:8000/v1 (vLLM) · http://localhost:1234/v1 (LM Studio)';

function checkUrl(s: string): string | undefined {
  try {
    const u = new URL(s.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return vscode.l10n.t('Use an http or https URL');
    if (u.username || u.password) return vscode.l10n.t('No credentials in the URL: set the API key with "Pairwise: Set API Key"');
    return undefined;
  } catch {
    return vscode.l10n.t('Not a URL (e.g. {0})', EXAMPLES);
  }
}

export class ManageEndpointsCommand {
  static register(context: vscode.ExtensionContext, services: GenerationServices): void {
    const c = new ManageEndpointsCommand(services);
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.manageEndpoints', (args?: ManageEndpointsArgs) => c.run(args)),
      vscode.commands.registerCommand('pairwise.setApiKey', (args?: SetApiKeyArgs) => c.setApiKey(args)),
    );
  }

  private constructor(private readonly services: GenerationServices) {}

  async run(args?: ManageEndpointsArgs): Promise<unknown> {
    if (!this.services.ensureTrusted()) return undefined;
    try {
      if (args && typeof args === 'object' && 'action' in args) return await this.scripted(args);
      await this.interactive();
      return undefined;
    } catch (e) {
      const msg = this.services.output.describe(e);
      this.services.output.appendLine(`manage endpoints: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Manage Endpoints: {0}', msg));
      return undefined;
    }
  }

  private async scripted(args: ManageEndpointsArgs): Promise<unknown> {
    switch (args.action) {
      case 'add':
        return this.add(args.endpoint);
      case 'remove':
        return this.remove(args.name);
      case 'test':
        return this.test(this.resolve(args.name));
      case 'listModels':
        return this.models(this.resolve(args.name));
    }
  }

  private resolve(name: string): ResolvedEndpoint {
    const e = readEndpoints().find((x) => x.config.name === name);
    if (!e) throw new Error(vscode.l10n.t('no endpoint named "{0}"', name));
    return e;
  }

  private async add(partial: Partial<EndpointConfig>): Promise<EndpointConfig> {
    const e = toEndpointConfig({ maxConcurrency: DEFAULT_MAX_CONCURRENCY, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, models: [], ...partial });
    if (!e) throw new Error(vscode.l10n.t('not an endpoint'));
    const problems = validateEndpointConfig(e);
    if (problems.length) throw new Error(problems.join('; '));
    const list = readUserEndpoints();
    const i = list.findIndex((x) => x.name === e.name);
    if (i >= 0) list[i] = e;
    else list.push(e);
    await writeUserEndpoints(list);
    this.services.output.appendLine(`endpoint ${e.name} saved in the user settings (${e.baseURL}, models: ${e.models.join(', ') || 'none'})`);
    return e;
  }

  private async remove(name: string): Promise<boolean> {
    const list = readUserEndpoints();
    const next = list.filter((x) => x.name !== name);
    if (next.length === list.length) return false;
    await writeUserEndpoints(next);
    this.services.output.appendLine(`endpoint ${name} removed from the user settings`);
    return true;
  }

  /** The key for a probe, through the same consent as a job; undefined when the user cancelled. */
  private async keyFor(e: ResolvedEndpoint): Promise<{ key: string | undefined } | undefined> {
    const d = await this.services.consent.keyFor(e);
    return d === 'cancelled' ? undefined : { key: d.key };
  }

  private async test(e: ResolvedEndpoint): Promise<ConnectionReport | undefined> {
    const k = await this.keyFor(e);
    if (!k) return undefined;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing {0}…', e.config.name), cancellable: true }, (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return testConnection(e.config, k.key, { signal: ac.signal, allowHttpKeyHint: allowHttpKeyHint() });
    });
    const text = r.ok
      ? `${e.config.name}: works (${r.model}, ${r.latencyMs} ms)${r.models ? `; lists ${r.models.length} model(s)` : ''}${r.message ? `. ${r.message}` : ''}`
      : `${e.config.name}: ${r.message ?? 'failed'}`;
    this.services.output.appendLine(`test connection: ${text}`);
    return r;
  }

  private async models(e: ResolvedEndpoint): Promise<string[] | undefined> {
    const k = await this.keyFor(e);
    if (!k) return undefined;
    const ids = await listModels(e.config, k.key, { allowHttpKeyHint: allowHttpKeyHint() });
    this.services.output.appendLine(`${e.config.name} lists ${ids.length} model(s)`);
    return ids;
  }

  private async interactive(): Promise<void> {
    const endpoints = readEndpoints();
    type Item = vscode.QuickPickItem & { endpoint?: ResolvedEndpoint; add?: boolean };
    const items: Item[] = endpoints.map((e) => ({
      label: e.config.name,
      description: e.workspaceConfigured ? vscode.l10n.t('{0} · from workspace settings', e.config.baseURL) : e.config.baseURL,
      detail: e.problems.length ? `$(warning) ${e.problems.join('; ')}` : e.config.models.join(', ') || vscode.l10n.t('no models listed'),
      endpoint: e,
    }));
    items.push({ label: `$(add) ${vscode.l10n.t('Add Endpoint…')}`, add: true });
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Pairwise: Manage Endpoints'), placeHolder: vscode.l10n.t('Choose an endpoint or add one') });
    if (!pick) return;
    if (pick.add) return this.addInteractive();
    if (pick.endpoint) return this.endpointActions(pick.endpoint);
  }

  private async addInteractive(): Promise<void> {
    const title = vscode.l10n.t('Add Endpoint');
    const taken = new Set(readUserEndpoints().map((e) => e.name));
    const name = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Name (shown in pickers; the API key is stored under it)'), validateInput: (s) => (!s.trim() ? vscode.l10n.t('Enter a name') : taken.has(s.trim()) ? vscode.l10n.t('An endpoint has this name') : undefined) });
    if (!name) return;
    const baseURL = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Base URL of the OpenAI-compatible API (e.g. {0})', EXAMPLES), placeHolder: 'http://localhost:11434/v1', validateInput: checkUrl });
    if (!baseURL) return;
    const models = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Models, separated by commas (leave empty to pick from the list the endpoint offers)'), value: '' });
    if (models === undefined) return;
    const e = await this.add({ name: name.trim(), baseURL: baseURL.trim(), models: models.split(',').map((m) => m.trim()).filter(Boolean) });
    const resolved = readEndpoints().find((x) => x.config.name === e.name);
    if (!resolved) {
      // The workspace sets its own pairwise.endpoints, which replaces the user list (arrays are not merged).
      void vscode.window.showWarningMessage(vscode.l10n.t('Endpoint {0} was saved in your user settings, but this workspace sets its own "pairwise.endpoints", which replaces the user list: add the endpoint there to use it in this workspace.', e.name));
      return;
    }
    const setKey = vscode.l10n.t('Set API Key');
    const chooseModels = vscode.l10n.t('Choose Models');
    const testConnection = vscode.l10n.t('Test Connection');
    const next = await vscode.window.showInformationMessage(vscode.l10n.t('Endpoint {0} added to your user settings.', e.name), setKey, chooseModels, testConnection);
    if (next === setKey) await this.setApiKey({ endpoint: e.name });
    else if (next === chooseModels) await this.chooseModels(resolved);
    else if (next === testConnection) await this.testAndShow(resolved);
  }

  private async endpointActions(e: ResolvedEndpoint): Promise<void> {
    const ws = e.workspaceConfigured;
    const actions = [
      { label: `$(debug-start) ${vscode.l10n.t('Test Connection')}`, id: 'test' },
      { label: `$(list-unordered) ${vscode.l10n.t('Choose Models from the Endpoint’s List')}`, id: 'models', hide: ws },
      { label: `$(edit) ${vscode.l10n.t('Edit Base URL')}`, id: 'url', hide: ws },
      { label: `$(edit) ${vscode.l10n.t('Edit Models')}`, id: 'editModels', hide: ws },
      { label: `$(dashboard) ${vscode.l10n.t('Edit Limits (concurrency, requests and tokens per minute, timeout)')}`, id: 'limits', hide: ws },
      { label: `$(key) ${vscode.l10n.t('Set API Key')}`, id: 'key' },
      { label: `$(trash) ${vscode.l10n.t('Remove')}`, id: 'remove', hide: ws },
    ].filter((a) => !a.hide);
    const pick = await vscode.window.showQuickPick(actions, {
      title: vscode.l10n.t('Endpoint {0}', e.config.name),
      placeHolder: ws ? vscode.l10n.t('Defined in the workspace settings: edit it there') : e.config.baseURL,
    });
    if (!pick) return;
    const save = async (patch: Partial<EndpointConfig>): Promise<void> => {
      await this.add({ ...e.config, ...patch });
    };
    switch (pick.id) {
      case 'test':
        return this.testAndShow(e);
      case 'models':
        return this.chooseModels(e);
      case 'url': {
        const url = await vscode.window.showInputBox({ title: vscode.l10n.t('Base URL of {0}', e.config.name), value: e.config.baseURL, validateInput: checkUrl });
        if (url) await save({ baseURL: url.trim() });
        return;
      }
      case 'editModels': {
        const m = await vscode.window.showInputBox({ title: vscode.l10n.t('Models of {0}', e.config.name), prompt: vscode.l10n.t('Separated by commas'), value: e.config.models.join(', ') });
        if (m !== undefined) await save({ models: m.split(',').map((x) => x.trim()).filter(Boolean) });
        return;
      }
      case 'limits':
        return this.editLimits(e, save);
      case 'key':
        await this.setApiKey({ endpoint: e.config.name });
        return;
      case 'remove': {
        const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Remove endpoint {0} from your user settings?', e.config.name), { modal: true }, vscode.l10n.t('Remove'));
        if (ok) await this.remove(e.config.name);
        return;
      }
    }
  }

  private async editLimits(e: ResolvedEndpoint, save: (patch: Partial<EndpointConfig>) => Promise<void>): Promise<void> {
    const ask = async (prompt: string, value: number | undefined, optional: boolean): Promise<number | undefined | null> => {
      const s = await vscode.window.showInputBox({
        title: vscode.l10n.t('Limits of {0}', e.config.name),
        prompt: optional ? vscode.l10n.t('{0} (empty: no limit)', prompt) : prompt,
        value: value === undefined ? '' : String(value),
        validateInput: (t) => (t.trim() === '' && optional ? undefined : Number(t) > 0 ? undefined : vscode.l10n.t('A positive number')),
      });
      if (s === undefined) return null;
      return s.trim() === '' ? undefined : Number(s);
    };
    const maxConcurrency = await ask(vscode.l10n.t('Requests in flight at most'), e.config.maxConcurrency, false);
    if (maxConcurrency === null) return;
    const requestsPerMinute = await ask(vscode.l10n.t('Requests per minute'), e.config.requestsPerMinute, true);
    if (requestsPerMinute === null) return;
    const tokensPerMinute = await ask(vscode.l10n.t('Tokens per minute'), e.config.tokensPerMinute, true);
    if (tokensPerMinute === null) return;
    const timeoutSeconds = await ask(vscode.l10n.t('Timeout per request, in seconds'), e.config.timeoutSeconds, false);
    if (timeoutSeconds === null) return;
    await save({ maxConcurrency: Math.round(maxConcurrency ?? DEFAULT_MAX_CONCURRENCY), requestsPerMinute, tokensPerMinute, timeoutSeconds: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS });
  }

  private async testAndShow(e: ResolvedEndpoint): Promise<void> {
    const r = await this.test(e);
    if (!r) return;
    if (r.ok) void vscode.window.showInformationMessage(vscode.l10n.t('{0} works: {1} answered in {2} ms.', e.config.name, r.model ?? '', r.latencyMs ?? 0) + (r.message ? ` ${r.message}` : ''));
    else void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', e.config.name, r.message ?? vscode.l10n.t('the test request failed')));
  }

  private async chooseModels(e: ResolvedEndpoint): Promise<void> {
    const ids = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing the models of {0}…', e.config.name) }, () => this.models(e));
    if (!ids) return;
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} lists no models; enter them with "Edit Models".', e.config.name));
      return;
    }
    const picks = await vscode.window.showQuickPick(
      ids.map((id) => ({ label: id, picked: e.config.models.includes(id) })),
      { title: vscode.l10n.t('Models of {0}', e.config.name), canPickMany: true, placeHolder: vscode.l10n.t('Models to offer in Generate Candidates and Judge Pairs') },
    );
    if (picks) await this.add({ ...e.config, models: picks.map((p) => p.label) });
  }

  async setApiKey(args?: SetApiKeyArgs): Promise<boolean> {
    if (!this.services.ensureTrusted()) return false;
    const keys = this.services.keys;
    try {
      if (args && typeof args === 'object' && args.endpoint && (args.key !== undefined || args.clear)) {
        if (args.clear) await keys.clear(args.endpoint);
        else await keys.set(args.endpoint, args.key!.trim());
        this.services.output.appendLine(`API key for ${args.endpoint} ${args.clear ? 'cleared' : 'stored in the secret storage'}`);
        return true;
      }
      let name = args?.endpoint;
      if (!name) {
        const pick = await vscode.window.showQuickPick(
          readEndpoints().map((e) => ({ label: e.config.name, description: e.config.baseURL })),
          { title: vscode.l10n.t('Pairwise: Set API Key'), placeHolder: vscode.l10n.t('Endpoint') },
        );
        if (!pick) return false;
        name = pick.label;
      }
      const has = (await keys.stored(name)) !== undefined;
      let action = 'set';
      if (has) {
        const pick = await vscode.window.showQuickPick(
          [
            { label: `$(key) ${vscode.l10n.t('Replace the Key…')}`, id: 'set' },
            { label: `$(trash) ${vscode.l10n.t('Clear the Key')}`, id: 'clear' },
          ],
          { title: vscode.l10n.t('API key of {0}', name), placeHolder: vscode.l10n.t('A key is stored for this endpoint') },
        );
        if (!pick) return false;
        action = pick.id;
      }
      if (action === 'clear') {
        await keys.clear(name);
        this.services.output.appendLine(`API key for ${name} cleared`);
        void vscode.window.showInformationMessage(vscode.l10n.t('API key for {0} cleared.', name));
        return true;
      }
      const key = await vscode.window.showInputBox({
        title: vscode.l10n.t('API key of {0}', name),
        prompt: vscode.l10n.t('Stored in the secret storage of VS Code (the OS keychain), never in settings or files'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (s) => (s.trim() ? undefined : vscode.l10n.t('Enter the key, or press Escape')),
      });
      if (!key) return false;
      await keys.set(name, key.trim());
      this.services.output.appendLine(`API key for ${name} stored in the secret storage`);
      void vscode.window.showInformationMessage(vscode.l10n.t('API key for {0} stored.', name));
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Set API Key: {0}', this.services.output.describe(e)));
      return false;
    }
  }
}
