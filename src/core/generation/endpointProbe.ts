/**
 * For "Manage Endpoints": which models an endpoint offers, and whether a tiny chat request works.
 * Errors come back redacted, as text for the user, never thrown.
 */
import { EndpointPool } from './endpointPool';
import { ALLOW_HTTP_KEY_HINT, createClient, InsecureKeyTransportError, secretHeaderValues, sendsKeyInClear, validateEndpointConfig, type EndpointConfig } from './endpoint';
import { Redactor } from './redact';
import * as l10n from '@vscode/l10n';

export interface ProbeOptions {
  signal?: AbortSignal;
  /** How the caller's user opts in to a key over plain http (a setting, a flag), for the refusal. */
  allowHttpKeyHint?: string;
}

/** Model ids the endpoint lists at GET /models. Throws a redacted Error on failure. */
export async function listModels(endpoint: EndpointConfig, apiKey: string | undefined, options: ProbeOptions = {}): Promise<string[]> {
  const redactor = new Redactor([apiKey, ...secretHeaderValues(endpoint)]);
  const problems = validateEndpointConfig(endpoint);
  if (problems.length) throw new Error(redactor.redact(problems.join('; ')));
  if (sendsKeyInClear(endpoint, apiKey)) throw new InsecureKeyTransportError(endpoint, options.allowHttpKeyHint ?? ALLOW_HTTP_KEY_HINT);
  const client = createClient(endpoint, apiKey, { redactor });
  try {
    const ids: string[] = [];
    for await (const m of client.models.list({ signal: options.signal })) {
      if (m && typeof m.id === 'string') ids.push(m.id);
      if (ids.length >= 10_000) break; // a hostile server cannot make us page forever
    }
    return ids;
  } catch (e) {
    throw new Error(l10n.t('could not list the models of "{0}": {1}', endpoint.name, redactor.describe(e)));
  }
}

export interface ConnectionReport {
  ok: boolean;
  /** Models listed by the endpoint, when it lists any. */
  models?: string[];
  /** The model the tiny chat request used. */
  model?: string;
  latencyMs?: number;
  /** Redacted reason when not ok, or a note (e.g. GET /models unsupported). */
  message?: string;
}

/**
 * Lists models (optional on many local servers) and sends a one-token chat request to the first
 * configured model (or the first listed one), with no retries.
 */
export async function testConnection(endpoint: EndpointConfig, apiKey: string | undefined, options: ProbeOptions = {}): Promise<ConnectionReport> {
  const redactor = new Redactor([apiKey, ...secretHeaderValues(endpoint)]);
  const problems = validateEndpointConfig(endpoint);
  if (problems.length) return { ok: false, message: redactor.redact(problems.join('; ')) };
  if (sendsKeyInClear(endpoint, apiKey)) return { ok: false, message: new InsecureKeyTransportError(endpoint, options.allowHttpKeyHint ?? ALLOW_HTTP_KEY_HINT).message };
  let models: string[] | undefined;
  let note: string | undefined;
  try {
    models = await listModels(endpoint, apiKey, options);
  } catch (e) {
    note = redactor.describe(e);
  }
  const model = endpoint.models[0] ?? models?.[0];
  if (!model) return { ok: false, models, message: note ?? l10n.t('no model configured and the endpoint lists none') };
  const pool = new EndpointPool({
    endpoints: [{ ...endpoint, requestsPerMinute: undefined, tokensPerMinute: undefined }],
    apiKeys: { [endpoint.name]: apiKey },
    retry: { maxAttempts: 1, maxTransientAttempts: 1 },
  });
  const started = Date.now();
  const r = await pool.chat(endpoint.name, { model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1, temperature: 0 }, options.signal);
  if (!r.ok) return { ok: false, models, model, message: redactor.redact(r.reason) };
  return { ok: true, models, model, latencyMs: Date.now() - started, ...(note ? { message: l10n.t('chat works; listing models failed: {0}', note) } : {}) };
}
