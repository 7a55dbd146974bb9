/**
 * The `pairwise.endpoints`, `pairwise.prices` and `pairwise.generation.*` settings. Endpoints are
 * read with `inspect()` so that we know which ones a WORKSPACE configured: such a base URL must not
 * receive the user's stored key without consent (see endpointKeyConsent.ts). Edits from "Manage
 * Endpoints" always go to the user (global) settings.
 */
import * as vscode from 'vscode';
import { validateEndpointConfig, type EndpointConfig } from '../core/generation';
import type { PriceTable } from '../core/generation';

export const DEFAULT_MAX_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_SECONDS = 120;

export interface ResolvedEndpoint {
  config: EndpointConfig;
  /** The effective entry comes from workspace or folder settings and the user settings do not name the same (name, baseURL). */
  workspaceConfigured: boolean;
  /** Why the entry cannot be used (empty when it can). */
  problems: string[];
}

export interface GenerationDefaults {
  temperature: number;
  maxTokens: number;
  responsesPerModel: number;
  /** Response j of a model is asked with seed + j: different yet reproducible samples. */
  seed?: number;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** A settings entry as an EndpointConfig, with defaults for what it leaves out; undefined when it is not an object. */
export function toEndpointConfig(raw: unknown): EndpointConfig | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const headers: Record<string, string> = {};
  if (r.extraHeaders && typeof r.extraHeaders === 'object' && !Array.isArray(r.extraHeaders)) {
    for (const [k, v] of Object.entries(r.extraHeaders as Record<string, unknown>)) if (typeof v === 'string') headers[k] = v;
  }
  return {
    name: typeof r.name === 'string' ? r.name.trim() : '',
    baseURL: typeof r.baseURL === 'string' ? r.baseURL.trim() : '',
    models: Array.isArray(r.models) ? r.models.filter((m): m is string => typeof m === 'string' && m.trim() !== '') : [],
    maxConcurrency: typeof r.maxConcurrency === 'number' ? r.maxConcurrency : DEFAULT_MAX_CONCURRENCY,
    requestsPerMinute: positive(r.requestsPerMinute),
    tokensPerMinute: positive(r.tokensPerMinute),
    timeoutSeconds: positive(r.timeoutSeconds) ?? DEFAULT_TIMEOUT_SECONDS,
    ...(Object.keys(headers).length ? { extraHeaders: headers } : {}),
    ...(r.batch === true ? { batch: true } : {}),
    ...(r.allowHttpKey === true ? { allowHttpKey: true } : {}),
  };
}

/** Same endpoint for key purposes: same name and same base URL (trailing slashes ignored). */
export function sameEndpoint(a: { name: string; baseURL: string }, b: { name: string; baseURL: string }): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '');
  return a.name === b.name && norm(a.baseURL) === norm(b.baseURL);
}

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('pairwise');
}

/** The endpoints in effect, each marked with whether a workspace configured it. */
export function readEndpoints(): ResolvedEndpoint[] {
  const info = section().inspect<unknown[]>('endpoints');
  const userLevel = (Array.isArray(info?.globalValue) ? info.globalValue : Array.isArray(info?.defaultValue) ? info.defaultValue : [])
    .map(toEndpointConfig)
    .filter((e): e is EndpointConfig => e !== undefined);
  // Arrays are not merged across levels: the most specific level that sets the key wins, as in VS Code.
  const wsValue = Array.isArray(info?.workspaceFolderValue) ? info.workspaceFolderValue : Array.isArray(info?.workspaceValue) ? info.workspaceValue : undefined;
  const effective = wsValue ?? userLevel;
  const out: ResolvedEndpoint[] = [];
  const names = new Set<string>();
  for (const raw of effective) {
    const config = toEndpointConfig(raw);
    if (!config) continue;
    const problems = validateEndpointConfig(config);
    if (names.has(config.name)) problems.push(vscode.l10n.t('another endpoint is also named "{0}"', config.name));
    names.add(config.name);
    const user = userLevel.find((u) => sameEndpoint(u, config));
    const workspaceConfigured = wsValue !== undefined && !user;
    // Sending a key in clear text is the user's choice alone: a workspace cannot opt in for them,
    // neither on its own endpoint nor on a copy of one from the user settings.
    if (wsValue !== undefined) {
      delete config.allowHttpKey;
      if (user?.allowHttpKey) config.allowHttpKey = true;
    }
    out.push({ config, workspaceConfigured, problems });
  }
  return out;
}

/** The endpoints of the user settings (or the defaults while the user has none), for editing. */
export function readUserEndpoints(): EndpointConfig[] {
  const info = section().inspect<unknown[]>('endpoints');
  const list = Array.isArray(info?.globalValue) ? info.globalValue : Array.isArray(info?.defaultValue) ? info.defaultValue : [];
  return list.map(toEndpointConfig).filter((e): e is EndpointConfig => e !== undefined);
}

/** Writes the user (global) endpoint list; never a key (keys live in SecretStorage). */
export async function writeUserEndpoints(list: EndpointConfig[]): Promise<void> {
  const clean = list.map((e) => ({
    name: e.name,
    baseURL: e.baseURL,
    models: e.models,
    maxConcurrency: e.maxConcurrency,
    ...(e.requestsPerMinute !== undefined ? { requestsPerMinute: e.requestsPerMinute } : {}),
    ...(e.tokensPerMinute !== undefined ? { tokensPerMinute: e.tokensPerMinute } : {}),
    timeoutSeconds: e.timeoutSeconds,
    ...(e.extraHeaders ? { extraHeaders: e.extraHeaders } : {}),
    // Kept through an edit in Manage Endpoints (the Batch API choice reads it).
    ...(e.batch ? { batch: true } : {}),
    ...(e.allowHttpKey ? { allowHttpKey: true } : {}),
  }));
  await section().update('endpoints', clean, vscode.ConfigurationTarget.Global);
}

export function readPrices(): PriceTable {
  const raw = section().get<unknown>('prices');
  const out: PriceTable = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [model, p] of Object.entries(raw as Record<string, unknown>)) {
    const q = p as { input?: unknown; output?: unknown } | undefined;
    if (q && typeof q.input === 'number' && typeof q.output === 'number' && q.input >= 0 && q.output >= 0) out[model] = { inputPerMTok: q.input, outputPerMTok: q.output };
  }
  return out;
}

export function generationDefaults(): GenerationDefaults {
  const c = vscode.workspace.getConfiguration('pairwise.generation');
  const num = (key: string, fallback: number, ok: (n: number) => boolean): number => {
    const v = c.get<unknown>(key);
    return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
  };
  return {
    temperature: num('temperature', 1, (n) => n >= 0 && n <= 2),
    maxTokens: num('maxTokens', 1024, (n) => Number.isInteger(n) && n >= 1),
    responsesPerModel: num('responsesPerModel', 2, (n) => Number.isInteger(n) && n >= 1),
    ...(Number.isInteger(c.get<unknown>('seed')) ? { seed: c.get<number>('seed') } : {}),
  };
}
