/**
 * A workspace (a cloned repository) can set `pairwise.endpoints` and point an endpoint name the user
 * has a key for at its own server. Such a base URL gets the stored key only after the user says so
 * once in a modal; the answer is remembered per (name, baseURL) in globalState, so a different URL
 * asks again. The modal cannot be clicked from a test, so tests answer it through the GenerationTestApi;
 * that answer is honoured only when the extension runs its tests (ExtensionMode.Test).
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { ApiKeyStore, environmentKeyFor } from './apiKeyStore';
import type { ResolvedEndpoint } from './endpointSettings';

const STATE_KEY = 'pairwise.keyConsents';

export type ConsentAnswer = 'send' | 'withhold' | 'cancel';

/** The key to send to an endpoint, or `cancelled` when the user dismissed the question. */
export type KeyDecision = { key: string | undefined; source: 'stored' | 'environment' | 'none' | 'withheld' } | 'cancelled';

function consentId(name: string, baseURL: string): string {
  return createHash('sha256').update(JSON.stringify([name, baseURL.trim().replace(/\/+$/, '')])).digest('hex');
}

export class EndpointKeyConsent {
  /** Answers the modal instead of the user; set through setTestAnswer, in test mode only. */
  private testAnswer: ConsentAnswer | undefined;
  /** How many times the question was asked (shown or answered by the test answer). */
  asked = 0;

  constructor(
    private readonly state: vscode.Memento,
    private readonly keys: ApiKeyStore,
    /** True only under ExtensionMode.Test: nothing else may answer the modal instead of the user. */
    private readonly testMode = false,
  ) {}

  /** Answers the modal instead of the user (undefined shows the real modal again). Refused outside test mode. */
  setTestAnswer(answer: ConsentAnswer | undefined): void {
    if (!this.testMode) throw new Error('the key-consent answer can only be set when the extension runs its tests');
    this.testAnswer = answer;
  }

  isConfirmed(name: string, baseURL: string): boolean {
    return (this.state.get<string[]>(STATE_KEY) ?? []).includes(consentId(name, baseURL));
  }

  async confirm(name: string, baseURL: string): Promise<void> {
    const list = this.state.get<string[]>(STATE_KEY) ?? [];
    const id = consentId(name, baseURL);
    if (!list.includes(id)) await this.state.update(STATE_KEY, [...list, id]);
  }

  async forgetAll(): Promise<void> {
    await this.state.update(STATE_KEY, undefined);
  }

  async keyFor(endpoint: ResolvedEndpoint): Promise<KeyDecision> {
    const { name, baseURL } = endpoint.config;
    const stored = await this.keys.stored(name);
    const env = environmentKeyFor(endpoint.config);
    if (!stored) return env ? { key: env, source: 'environment' } : { key: undefined, source: 'none' };
    if (!endpoint.workspaceConfigured || this.isConfirmed(name, baseURL)) return { key: stored, source: 'stored' };
    this.asked++;
    const answer = this.testAnswer ?? (await this.ask(name, baseURL));
    if (answer === 'cancel') return 'cancelled';
    if (answer === 'send') {
      await this.confirm(name, baseURL);
      return { key: stored, source: 'stored' };
    }
    // The environment key only ever goes to OpenAI's own host, so it is safe to use here.
    return env ? { key: env, source: 'environment' } : { key: undefined, source: 'withheld' };
  }

  private async ask(name: string, baseURL: string): Promise<ConsentAnswer> {
    const send = vscode.l10n.t('Send Key');
    const withhold = vscode.l10n.t('Continue Without Key');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('The workspace configures endpoint {0} at {1}. Send your API key for {0} to it?', name, baseURL),
      { modal: true, detail: vscode.l10n.t('Only say yes if you trust this workspace and that server: whoever runs it receives your key. Your answer is remembered for this name and URL.') },
      send,
      withhold,
    );
    return pick === send ? 'send' : pick === withhold ? 'withhold' : 'cancel';
  }
}
