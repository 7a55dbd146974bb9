/**
 * API keys in VS Code's SecretStorage (the OS keychain), one per endpoint name; never in settings,
 * files or logs. `OPENAI_API_KEY` from the environment is the fallback for an endpoint that
 * points at OpenAI itself (https://api.openai.com), and for no other host.
 */
import * as vscode from 'vscode';
import type { EndpointConfig } from '../core/generation';
import type { GenerationOutput } from './generationOutput';

const PREFIX = 'pairwise.apiKey.';

/** The SecretStorage key of an endpoint's API key. */
export function secretKeyOf(endpointName: string): string {
  return PREFIX + encodeURIComponent(endpointName);
}

/** True for OpenAI's own API host over https. */
export function isOpenAiHost(baseURL: string): boolean {
  try {
    const u = new URL(baseURL);
    return u.protocol === 'https:' && u.hostname.toLowerCase() === 'api.openai.com';
  } catch {
    return false;
  }
}

export function environmentKeyFor(endpoint: Pick<EndpointConfig, 'baseURL'>): string | undefined {
  return isOpenAiHost(endpoint.baseURL) ? process.env.OPENAI_API_KEY || undefined : undefined;
}

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly output: GenerationOutput,
  ) {}

  async stored(endpointName: string): Promise<string | undefined> {
    const key = (await this.secrets.get(secretKeyOf(endpointName))) || undefined;
    this.output.addSecret(key);
    return key;
  }

  async set(endpointName: string, key: string): Promise<void> {
    this.output.addSecret(key);
    await this.secrets.store(secretKeyOf(endpointName), key);
  }

  async clear(endpointName: string): Promise<void> {
    await this.secrets.delete(secretKeyOf(endpointName));
  }
}
