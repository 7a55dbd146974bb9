/**
 * Endpoint settings and the `openai` client made from them. Any OpenAI-compatible server works
 * (OpenAI, vLLM, Ollama, LM Studio, llama.cpp server, TGI).
 */
import { isIPv4 } from 'node:net';
import OpenAI from 'openai';
import type { RequestOptions } from 'openai/internal/request-options';
import type { Redactor } from './redact';
import type { FetchLike } from './nodeHttpFetch';
import * as l10n from '@vscode/l10n';

export interface EndpointConfig {
  /** Unique name shown in the UI and used as the key for the API key in secret storage. */
  name: string;
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1 */
  baseURL: string;
  models: string[];
  maxConcurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutSeconds: number;
  extraHeaders?: Record<string, string>;
  /** Offer OpenAI's Batch API for this endpoint (api.openai.com is offered it without the flag). */
  batch?: boolean;
  /**
   * Send the API key (and credential headers) even over plain http to a host that is not
   * loopback. Off by default: anyone on the network path reads such a key.
   */
  allowHttpKey?: boolean;
}

/** Header names whose values are credentials: added to the redactor and never logged. */
const SECRET_HEADER = /^(authorization|api-key|x-api-key|proxy-authorization|x-goog-api-key|cookie)$/i;

/** Problems with an endpoint's settings, as sentences; empty when it is usable. */
export function validateEndpointConfig(e: EndpointConfig): string[] {
  const out: string[] = [];
  if (!e.name || !e.name.trim()) out.push(l10n.t('endpoint name is empty'));
  let url: URL | undefined;
  try {
    url = new URL(e.baseURL);
  } catch {
    out.push(l10n.t('baseURL "{0}" is not a URL', e.baseURL));
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') out.push(l10n.t('baseURL must be http or https, not {0}', url.protocol));
  if (url && (url.username || url.password)) out.push(l10n.t('baseURL must not carry credentials; use the API key instead'));
  if (!Array.isArray(e.models)) out.push(l10n.t('models must be a list'));
  if (!Number.isInteger(e.maxConcurrency) || e.maxConcurrency < 1) out.push(l10n.t('maxConcurrency must be an integer ≥ 1'));
  if (e.requestsPerMinute !== undefined && !(e.requestsPerMinute >= 1)) out.push(l10n.t('requestsPerMinute must be ≥ 1'));
  if (e.tokensPerMinute !== undefined && !(e.tokensPerMinute >= 1)) out.push(l10n.t('tokensPerMinute must be ≥ 1'));
  if (!(e.timeoutSeconds > 0)) out.push(l10n.t('timeoutSeconds must be > 0'));
  return out;
}

/** 127.0.0.0/8, ::1 and localhost: traffic to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  return isIPv4(h) && h.startsWith('127.');
}

/**
 * True when the endpoint would send a credential in clear text over the network: plain http to a
 * host that is not loopback, with a key or a credential header, and no `allowHttpKey` opt-in.
 */
export function sendsKeyInClear(e: EndpointConfig, apiKey: string | undefined): boolean {
  if (e.allowHttpKey === true) return false;
  if (!(typeof apiKey === 'string' && apiKey.length > 0) && secretHeaderValues(e).length === 0) return false;
  let url: URL;
  try {
    url = new URL(e.baseURL);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/** Refusal to send a key over plain http; `optIn` says how this caller opts in (a flag, a setting). */
export class InsecureKeyTransportError extends Error {
  override name = 'InsecureKeyTransportError';
  constructor(endpoint: EndpointConfig, optIn: string) {
    let host = endpoint.baseURL;
    try {
      host = new URL(endpoint.baseURL).host;
    } catch {
      /* the base URL as it is */
    }
    super(
      l10n.t(
        'refusing to send the API key of endpoint "{0}" over plain http to {1}: anyone on the network path could read it. Use https, or, if this network is trusted, opt in for this endpoint: {2}',
        endpoint.name,
        host,
        optIn,
      ),
    );
  }
}

/** How to opt in, for a message that does not know its caller. */
export const ALLOW_HTTP_KEY_HINT = '"allowHttpKey": true (pairwise.endpoints), --allow-http-key (CLI)';

/** Values of credential-like extra headers, so the redactor removes them too. */
export function secretHeaderValues(e: EndpointConfig): string[] {
  return Object.entries(e.extraHeaders ?? {})
    .filter(([k]) => SECRET_HEADER.test(k))
    .map(([, v]) => v.replace(/^Bearer\s+/i, ''));
}

/**
 * The openai 6 client refuses to start without a key (and would read OPENAI_API_KEY from the
 * environment, sending the user's OpenAI key to a local server). For an endpoint without a key we
 * pass a placeholder, unset the Authorization header (explicit null), and strip it again in the
 * fetch wrapper in case anything re-adds it: a keyless endpoint never sees an Authorization header.
 */
const NO_KEY_PLACEHOLDER = 'pairwise-no-key';

/** Key of a per-request hook in `fetchOptions` that the client's fetch calls as it sends. */
export const ON_SEND = 'pairwiseOnSend';

/** Request options that make the client call `onSend` when the request is sent. */
export function onSendFetchOptions(onSend: () => void): RequestOptions['fetchOptions'] {
  return { [ON_SEND]: onSend } as RequestOptions['fetchOptions'];
}

export interface ClientOptions {
  redactor?: Redactor;
  /** Transport under the client (default: the platform's fetch). */
  fetch?: FetchLike;
  /** Receives the client's own warnings, already redacted. */
  log?: (line: string) => void;
}

export function createClient(endpoint: EndpointConfig, apiKey: string | undefined, options: ClientOptions = {}): OpenAI {
  // Callers check first with their own wording of the opt-in; this is the backstop for every path.
  if (sendsKeyInClear(endpoint, apiKey)) throw new InsecureKeyTransportError(endpoint, ALLOW_HTTP_KEY_HINT);
  const hasKey = typeof apiKey === 'string' && apiKey.length > 0;
  const redact = (s: string): string => (options.redactor ? options.redactor.redact(s) : s);
  const emit = (level: string, args: unknown[]): void => {
    options.log?.(redact(`[openai ${level}] ${args.map((a) => (typeof a === 'string' ? a : safeStringify(a))).join(' ')}`));
  };
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit & { [ON_SEND]?: () => void }): Promise<Response> => {
    // The request goes on the wire now: the rate window counts this moment (see rateScheduler.ts).
    init?.[ON_SEND]?.();
    if (!hasKey && init?.headers) {
      const h = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      h.delete('authorization');
      h.delete('api-key');
      init = { ...init, headers: h };
    }
    return (options.fetch ?? fetch)(input, init);
  };
  return new OpenAI({
    baseURL: endpoint.baseURL,
    apiKey: hasKey ? apiKey : NO_KEY_PLACEHOLDER,
    // Explicit nulls: never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY from the environment.
    organization: null,
    project: null,
    adminAPIKey: null,
    timeout: Math.max(1, Math.round(endpoint.timeoutSeconds * 1000)),
    // We retry ourselves so that every attempt passes the endpoint's limiter.
    maxRetries: 0,
    defaultHeaders: { ...(endpoint.extraHeaders ?? {}), ...(hasKey ? {} : { Authorization: null }) },
    fetch: guardedFetch,
    logLevel: 'warn',
    logger: {
      error: (...a: unknown[]) => emit('error', a),
      warn: (...a: unknown[]) => emit('warn', a),
      info: () => undefined,
      debug: () => undefined,
    },
  });
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
