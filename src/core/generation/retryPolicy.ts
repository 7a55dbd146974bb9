/**
 * What to do after a failed attempt: which failures are worth another try, how long to wait
 * (exponential backoff with full jitter, never less than the server's Retry-After), and when to
 * give up and record the failure.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { RandomSource } from '../base/random';
import * as l10n from '@vscode/l10n';

export type FailureKind =
  | 'rate-limit' // 429
  | 'server' // 5xx, 408, 409
  | 'timeout'
  | 'connection' // reset, refused, dropped
  | 'malformed' // invalid JSON, no choices, no content
  | 'client' // other 4xx: bad request, auth, unknown model — retrying cannot help
  | 'aborted'; // the user cancelled

export interface RetryPolicy {
  /** Attempts in all for 429 and 5xx answers. */
  maxAttempts: number;
  /** Attempts in all for timeouts, connection failures and malformed answers. */
  maxTransientAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it (a server asking for an hour gets a failure sooner). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxTransientAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export interface ClassifiedFailure {
  kind: FailureKind;
  status?: number;
  /** From `retry-after-ms` or `Retry-After` (seconds or HTTP date). */
  retryAfterMs?: number;
}

export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

export class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(l10n.t('no answer within {0} s', Math.round(ms / 100) / 10));
    this.name = 'AttemptTimeoutError';
  }
}

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The longest pause a server's Retry-After can impose, kept across runs (rateStateFile.ts). Daily
 * quotas ask for hours; a value beyond a day is a broken or hostile server (a proxy writing
 * milliseconds where seconds go, 10^12 s): honoured in full, it stopped every later run on that
 * output for good.
 */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export function parseRetryAfter(headers: HeaderBag, nowMs = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.min(Number(ms), MAX_RETRY_AFTER_MS);
  const ra = header(headers, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.min(Number(ra) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(ra);
  if (Number.isFinite(date)) return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
  return undefined;
}

export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof AttemptTimeoutError || error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof APIConnectionError) return { kind: 'connection' };
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) return { kind: 'malformed' };
  if (error instanceof APIError) {
    const status = error.status;
    const retryAfterMs = parseRetryAfter(error.headers as HeaderBag);
    if (status === 429) return { kind: 'rate-limit', status, retryAfterMs };
    if (status !== undefined && (status >= 500 || status === 408 || status === 409)) return { kind: 'server', status, retryAfterMs };
    if (status !== undefined) return { kind: 'client', status };
    return { kind: 'connection' };
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return { kind: 'aborted' };
  // fetch failures that escaped the client (a body cut off mid-read: "terminated").
  if (error instanceof TypeError) return { kind: 'connection' };
  return { kind: 'malformed' };
}

/**
 * Optional request parameters a server may refuse (Mistral's API, older proxies): a refusal that
 * names one is answered by sending the request again without it.
 */
export const DROPPABLE_PARAMS = ['seed'] as const;
export type DroppableParam = (typeof DROPPABLE_PARAMS)[number];

/**
 * The optional parameter a 400/422 refusal names (its `param`, or its message), if the request sent
 * it. A 422 whose body the client could not read (FastAPI-style `{"detail": …}` or Mistral's
 * `{"message": {"detail": …}}` bodies have no `error` member) is taken to refuse `seed` when one was
 * sent: the other fields of our requests are ones every OpenAI-compatible server reads.
 */
export function refusedParameter(error: unknown, sent: Readonly<Partial<Record<DroppableParam, unknown>>>): DroppableParam | undefined {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return undefined;
  const body = error.error as { param?: unknown } | undefined;
  if (body === undefined && error.status === 422) return DROPPABLE_PARAMS.find((p) => sent[p] !== undefined);
  const text = `${typeof body?.param === 'string' ? body.param : ''} ${error.message}`;
  return DROPPABLE_PARAMS.find((p) => sent[p] !== undefined && new RegExp(`\\b${p}\\b`, 'i').test(text));
}

export function isRetryable(kind: FailureKind): boolean {
  return kind !== 'client' && kind !== 'aborted';
}

/** Attempts allowed for this kind of failure. */
export function attemptsAllowed(kind: FailureKind, policy: RetryPolicy): number {
  if (kind === 'rate-limit' || kind === 'server') return policy.maxAttempts;
  if (kind === 'timeout' || kind === 'connection' || kind === 'malformed') return policy.maxTransientAttempts;
  return 1;
}

/**
 * Delay before retry number `retry` (1 = first retry): full jitter, uniform in
 * [0, min(max, base·2^(retry-1))], but never shorter than what the server asked for.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: RandomSource, retryAfterMs?: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jitter = random() * cap;
  if (retryAfterMs === undefined) return jitter;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jitter);
}
