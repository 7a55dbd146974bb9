/**
 * One place through which every model call goes: a client and a RateScheduler per endpoint, and
 * our own retry loop, so that every attempt (first or retry) passes the endpoint's limits. Jobs
 * running at the same time share the pool and therefore the limits.
 */
import { shownPath } from '../base/shownPath';
import { setMaxListeners } from 'node:events';
import type OpenAI from 'openai';
import type { Message } from '../model';
import { createClient, onSendFetchOptions, secretHeaderValues, validateEndpointConfig, type EndpointConfig } from './endpoint';
import { estimateRequestTokens } from './cost';
import { createNodeHttpFetch, type NodeHttpFetch } from './nodeHttpFetch';
import { AbortedError } from '../base/cancellation';
import { sleep, RateScheduler, type Permit, type RateState } from './rateScheduler';
import { Redactor } from './redact';
import {
  AttemptTimeoutError,
  DEFAULT_RETRY_POLICY,
  MalformedResponseError,
  attemptsAllowed,
  backoffDelay,
  DROPPABLE_PARAMS,
  refusedParameter,
  type DroppableParam,
  classifyFailure,
  type FailureKind,
  type RetryPolicy,
} from './retryPolicy';
import type { RandomSource } from '../base/random';
import * as l10n from '@vscode/l10n';

export interface ChatParams {
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  n?: number;
  seed?: number;
}

export interface ChatRequest extends ChatParams {
  model: string;
  messages: Message[];
}

export interface ChatChoice {
  content: string;
  finishReason?: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type ChatOutcome =
  | { ok: true; choices: ChatChoice[]; usage?: ChatUsage; attempts: number; latencyMs: number; /** Optional parameters left out because the endpoint refused them. */ sentWithout?: DroppableParam[] }
  | { ok: false; kind: FailureKind; status?: number; reason: string; attempts: number };

export interface PoolOptions {
  endpoints: EndpointConfig[];
  /** API key per endpoint name; an endpoint without one sends no Authorization header. */
  apiKeys?: Record<string, string | undefined>;
  retry?: Partial<RetryPolicy>;
  random?: RandomSource;
  /** Rate window length (default 60 000 ms); tests shorten it. */
  windowMs?: number;
  marginMs?: number;
  /** Receives redacted diagnostic lines (retries, failures). */
  log?: (line: string) => void;
  /**
   * Receives redacted lines the user must see even without verbose output (a server that asks to
   * wait longer than a run waits); also given to `log`.
   */
  notice?: (line: string) => void;
  /** Keep every request start time per endpoint (tests, benchmarks). */
  recordStarts?: boolean;
  /**
   * `node-http` (default): keep-alive node:http/https under the client, several times cheaper in
   * CPU per request than `fetch`, the platform's undici fetch (see nodeHttpFetch.ts).
   */
  transport?: 'node-http' | 'fetch';
}

export interface PoolStats {
  /** Attempts sent (including retries). */
  requests: number;
  retries: number;
  tokensIn: number;
  tokensOut: number;
}

interface EndpointState {
  config: EndpointConfig;
  client: OpenAI;
  scheduler: RateScheduler;
  /** Optional parameters this endpoint refused once: never sent to it again in this run. */
  refused: Set<DroppableParam>;
  /** The long pause (its end) the user was told about. */
  noticedPause?: number;
}

/** A request waiting for a slot when the endpoint paused for longer than a run waits. */
class LongPauseError extends Error {}

function toApiMessage(m: Message): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: m.content, ...(m.name ? { name: m.name } : {}) };
    case 'user':
      return { role: 'user', content: m.content, ...(m.name ? { name: m.name } : {}) };
    case 'assistant':
      return {
        role: 'assistant',
        content: m.content,
        ...(m.name ? { name: m.name } : {}),
        ...(m.toolCalls && m.toolCalls.length
          ? { tool_calls: m.toolCalls.map((t, i) => ({ id: t.id ?? `call_${i}`, type: 'function' as const, function: { name: t.name, arguments: t.arguments } })) }
          : {}),
      };
    case 'tool':
      // `toolCallId` is being added to the canonical Message; read it without depending on that.
      return { role: 'tool', content: m.content, tool_call_id: (m as Message & { toolCallId?: string }).toolCallId ?? m.name ?? '' };
  }
}

/** The body sent for a chat request; the Batch API input lines carry exactly this body too. */
export function chatRequestBody(request: ChatRequest): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  return {
    model: request.model,
    messages: request.messages.map(toApiMessage),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}),
    ...(request.top_p !== undefined ? { top_p: request.top_p } : {}),
    ...(request.n !== undefined && request.n !== 1 ? { n: request.n } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
  };
}

/**
 * The choices and usage of a chat completion body; throws MalformedResponseError otherwise (also
 * used on Batch API output lines). Every choice's text passes `redact`: a server that echoes the
 * key in a 200 answer must not get it into a candidates file, a judgement or a dataset.
 */
export function validateCompletion(resp: unknown, redact: (text: string) => string = (t) => t): { choices: ChatChoice[]; usage?: ChatUsage } {
  // The client hands back the body as text when the server labels JSON `text/plain` (some
  // proxies and small servers do): such a body is taken for what it is when it parses.
  if (typeof resp === 'string') {
    try {
      resp = JSON.parse(resp) as unknown;
    } catch {
      /* reported below as not a JSON object */
    }
  }
  if (!resp || typeof resp !== 'object' || Array.isArray(resp)) {
    throw new MalformedResponseError(l10n.t('answer is not a JSON object ({0})', typeof resp === 'string' ? l10n.t('text: {0}', redact(resp).slice(0, 80)) : typeof resp));
  }
  const r = resp as { choices?: unknown; usage?: unknown };
  if (!Array.isArray(r.choices) || r.choices.length === 0) throw new MalformedResponseError(l10n.t('answer has no choices'));
  const choices: ChatChoice[] = [];
  for (const c of r.choices as { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown; index?: unknown }[]) {
    const content = c?.message?.content;
    if (typeof content !== 'string') throw new MalformedResponseError(l10n.t('a choice has no text content'));
    choices.push({ content: redact(content), finishReason: typeof c.finish_reason === 'string' ? c.finish_reason : undefined });
  }
  const u = r.usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  const usage = u && typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number' ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens } : undefined;
  return { choices, usage };
}

export class EndpointPool {
  readonly redactor: Redactor;
  readonly stats: PoolStats = { requests: 0, retries: 0, tokensIn: 0, tokensOut: 0 };
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly policy: RetryPolicy;
  private readonly random: RandomSource;
  private readonly log: (line: string) => void;
  private readonly notice: (line: string) => void;
  private readonly transport: NodeHttpFetch | undefined;
  private rateStatePath: string | undefined;

  constructor(options: PoolOptions) {
    this.transport = (options.transport ?? 'node-http') === 'node-http' ? createNodeHttpFetch() : undefined;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...(options.retry ?? {}) };
    this.random = options.random ?? Math.random;
    this.redactor = new Redactor();
    for (const e of options.endpoints) {
      this.redactor.addSecret(options.apiKeys?.[e.name]);
      for (const v of secretHeaderValues(e)) this.redactor.addSecret(v);
    }
    const sink = options.log;
    this.log = (line) => sink?.(this.redactor.redact(line));
    const noticeSink = options.notice;
    this.notice = (line) => {
      this.log(line);
      noticeSink?.(this.redactor.redact(line));
    };
    for (const e of options.endpoints) {
      const problems = validateEndpointConfig(e);
      if (problems.length) throw new Error(this.redactor.redact(`endpoint "${e.name}": ${problems.join('; ')}`));
      if (this.endpoints.has(e.name)) throw new Error(l10n.t('two endpoints are named "{0}"', e.name));
      this.endpoints.set(e.name, {
        config: e,
        client: createClient(e, options.apiKeys?.[e.name], { redactor: this.redactor, log: this.log, fetch: this.transport?.fetch }),
        scheduler: new RateScheduler(
          { maxConcurrency: e.maxConcurrency, requestsPerMinute: e.requestsPerMinute, tokensPerMinute: e.tokensPerMinute, windowMs: options.windowMs, marginMs: options.marginMs },
          options.recordStarts,
        ),
        refused: new Set(),
      });
    }
  }

  /** Closes idle keep-alive connections (they never hold the process open; this just frees them now). */
  close(): void {
    this.transport?.destroy();
  }

  endpointNames(): string[] {
    return [...this.endpoints.keys()];
  }

  config(name: string): EndpointConfig {
    return this.state(name).config;
  }

  scheduler(name: string): RateScheduler {
    return this.state(name).scheduler;
  }

  client(name: string): OpenAI {
    return this.state(name).client;
  }

  /** Where a RateStateFile keeps this pool's windows and pauses between runs (named in the long-pause notice). */
  keepsRateStateIn(path: string): void {
    this.rateStatePath = path;
  }

  /** Requests on the wire or admitted to it now, over every endpoint. */
  activeRequests(): number {
    let n = 0;
    for (const e of this.endpoints.values()) n += e.scheduler.activeCount;
    return n;
  }

  /**
   * The limiters' state of every endpoint, keyed by name and base URL: what a later run against the
   * same endpoints must honour (see rateStateFile.ts).
   */
  exportRateState(): Record<string, RateState> {
    const out: Record<string, RateState> = {};
    for (const e of this.endpoints.values()) {
      const full = e.scheduler.exportState();
      // Only what a limit of this endpoint reads: no send log without requestsPerMinute, and so on.
      const st: RateState = {
        sends: e.config.requestsPerMinute !== undefined ? full.sends : [],
        tokens: e.config.tokensPerMinute !== undefined ? full.tokens : [],
        ...(full.pausedUntil ? { pausedUntil: full.pausedUntil } : {}),
      };
      if (st.sends.length || st.tokens.length || st.pausedUntil) out[rateKey(e.config)] = st;
    }
    return out;
  }

  /** Adds what an earlier run recorded (unknown endpoints and damaged entries are ignored). */
  importRateState(state: Record<string, unknown>): void {
    for (const e of this.endpoints.values()) {
      const st = state[rateKey(e.config)];
      if (st && typeof st === 'object') e.scheduler.importState(st as RateState);
    }
  }

  /** True when an endpoint keeps a window or a pause worth saving for a later run. */
  hasRateLimits(): boolean {
    for (const e of this.endpoints.values()) if (e.config.requestsPerMinute !== undefined || e.config.tokensPerMinute !== undefined || e.scheduler.pausedUntilMs > Date.now()) return true;
    return false;
  }

  /** Sum of the endpoints' concurrency: how many calls are worth keeping in flight. */
  totalConcurrency(): number {
    let s = 0;
    for (const e of this.endpoints.values()) s += e.config.maxConcurrency;
    return s;
  }

  private state(name: string): EndpointState {
    const s = this.endpoints.get(name);
    if (!s) throw new Error(l10n.t('unknown endpoint "{0}"', name));
    return s;
  }

  /**
   * One chat completion with limits and retries. Resolves with the choices or with a recorded
   * failure (redacted reason); rejects with AbortedError only when `signal` aborts, or when `stop`
   * aborts before an attempt is sent (waiting for a slot, or between retries). `stop` leaves an
   * attempt already on the wire alone: its answer is paid for, so it is received and returned.
   */
  async chat(endpointName: string, request: ChatRequest, signal?: AbortSignal, stop?: AbortSignal): Promise<ChatOutcome> {
    const st = this.state(endpointName);
    const waitSignal = stop ? (signal ? this.either(signal, stop) : stop) : signal;
    const timeoutMs = Math.max(1, Math.round(st.config.timeoutSeconds * 1000));
    const estimate = estimateRequestTokens(request.messages, request.max_tokens, request.n);
    const body = chatRequestBody(request);
    for (const p of st.refused) delete body[p];
    const counts = new Map<FailureKind, number>();
    let attempts = 0;
    for (;;) {
      const paused = this.longPause(endpointName, st);
      if (paused) return { ok: false, kind: 'rate-limit', status: 429, reason: paused, attempts };
      let permit;
      try {
        permit = await st.scheduler.acquire(estimate, waitSignal);
      } catch (e) {
        if (e instanceof LongPauseError) return { ok: false, kind: 'rate-limit', status: 429, reason: this.longPause(endpointName, st) ?? e.message, attempts };
        throw e;
      }
      attempts++;
      this.stats.requests++;
      const started = Date.now();
      // With the node-http transport the whole body is read inside fetch, so the client's own timeout
      // covers the attempt; the platform fetch returns at the headers, so a body that stalls needs our deadline.
      const deadline = this.transport ? undefined : new AbortController();
      const timer = deadline ? setTimeout(() => deadline.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs) : undefined;
      const combined = deadline ? (signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal) : signal;
      let failure: { kind: FailureKind; status?: number; retryAfterMs?: number; error: unknown };
      try {
        const resp: unknown = await st.client.chat.completions.create(body, { signal: combined, timeout: timeoutMs, fetchOptions: onSendFetchOptions(permit.markSent) });
        return this.answered(resp, permit, request, body, attempts, started);
      } catch (e) {
        if (signal?.aborted) {
          permit.release();
          throw new AbortedError();
        }
        const timedOut = deadline?.signal.aborted ?? false;
        const c = timedOut ? { kind: 'timeout' as const } : classifyFailure(e);
        failure = { ...c, error: timedOut ? deadline?.signal.reason : e };
        const refused = timedOut ? undefined : refusedParameter(e, body);
        if (refused) {
          // Sent again at once without it (not a retry: the request itself changed).
          permit.release();
          if (!st.refused.has(refused)) this.log(`[${endpointName}] the endpoint refused \`${refused}\`; requests to it go without \`${refused}\` from now on`);
          st.refused.add(refused);
          delete body[refused];
          continue;
        }
        // Pause before releasing the slot: release() hands it to the next waiter at once, which
        // would otherwise go on the wire before the endpoint's Retry-After took effect. A wait
        // longer than a run waits is honoured in full too: nothing is sent to the endpoint until
        // then (this run's requests fail at once, saying so; the pause is kept for the next run).
        if (failure.kind === 'rate-limit' && failure.retryAfterMs !== undefined) {
          st.scheduler.pauseUntil(Date.now() + failure.retryAfterMs);
          // Requests already waiting for a slot fail now too, rather than in an hour.
          if (failure.retryAfterMs > this.policy.maxRetryAfterMs) st.scheduler.failQueued(() => new LongPauseError('paused'));
        }
        permit.release();
      } finally {
        if (timer) clearTimeout(timer);
      }
      if (failure.kind === 'rate-limit' && failure.retryAfterMs !== undefined && failure.retryAfterMs > this.policy.maxRetryAfterMs) {
        return { ok: false, kind: 'rate-limit', status: failure.status, reason: this.longPause(endpointName, st) ?? describeKind('rate-limit'), attempts };
      }
      const n = (counts.get(failure.kind) ?? 0) + 1;
      counts.set(failure.kind, n);
      const reason = this.redactor.redact(`${describeKind(failure.kind, failure.status)}: ${this.redactor.describe(failure.error)}`);
      if (n >= attemptsAllowed(failure.kind, this.policy)) {
        this.log(`[${endpointName}] ${request.model}: giving up after ${attempts} attempt(s): ${reason}`);
        return { ok: false, kind: failure.kind, status: failure.status, reason: attempts === 1 ? l10n.t('{0} (after 1 attempt)', reason) : l10n.t('{0} (after {1} attempts)', reason, attempts), attempts };
      }
      const delay = backoffDelay(n, this.policy, this.random, failure.retryAfterMs);
      this.stats.retries++;
      this.log(`[${endpointName}] ${request.model}: ${reason}; retry in ${Math.round(delay)} ms`);
      await sleep(delay, waitSignal);
    }
  }

  /**
   * An attempt's answer as an outcome (throws on a malformed answer, which the caller counts as a
   * failed attempt): the slot released with the tokens it really used, the pool's totals updated,
   * and the optional parameters it was sent without.
   */
  private answered(resp: unknown, permit: Pick<Permit, 'release'>, request: ChatRequest, body: ReturnType<typeof chatRequestBody>, attempts: number, started: number): ChatOutcome {
    const { choices, usage } = validateCompletion(resp, (t) => this.redactor.redact(t));
    permit.release(usage ? usage.prompt_tokens + usage.completion_tokens : undefined);
    if (usage) {
      this.stats.tokensIn += usage.prompt_tokens;
      this.stats.tokensOut += usage.completion_tokens;
    }
    const sentWithout = DROPPABLE_PARAMS.filter((p) => request[p] !== undefined && body[p] === undefined);
    return { ok: true, choices, usage, attempts, latencyMs: Date.now() - started, ...(sentWithout.length ? { sentWithout } : {}) };
  }

  /** One signal for "either aborted", made once per pair: a job passes the same two to every call. */
  private readonly eitherCache = new WeakMap<AbortSignal, WeakMap<AbortSignal, AbortSignal>>();
  private either(a: AbortSignal, b: AbortSignal): AbortSignal {
    let byB = this.eitherCache.get(a);
    if (!byB) this.eitherCache.set(a, (byB = new WeakMap()));
    let s = byB.get(b);
    if (!s) {
      s = AbortSignal.any([a, b]);
      // Every request waiting for a slot listens on it.
      setMaxListeners(0, s);
      byB.set(b, s);
    }
    return s;
  }

  /**
   * When the endpoint is paused (Retry-After) for longer than a run waits: the reason every request
   * to it fails with until then, after one notice. Undefined otherwise.
   */
  private longPause(endpointName: string, st: EndpointState): string | undefined {
    const until = st.scheduler.pausedUntilMs;
    const waitMs = until - Date.now();
    if (waitMs <= this.policy.maxRetryAfterMs) return undefined;
    let reason = l10n.t(
      'rate limited (429): the server asks to wait {0} s (until {1}), longer than Pairwise waits within a run ({2} s); nothing is sent to it until then. Run the same command again after that time',
      Math.ceil(waitMs / 1000),
      new Date(until).toLocaleString(),
      Math.round(this.policy.maxRetryAfterMs / 1000),
    );
    // The pause outlives the run: say where, so that a user who knows better (another server now
    // behind the same name and URL) can lift it.
    if (this.rateStatePath !== undefined) reason += l10n.t('; the pause is kept for later runs in {0} (delete that file once this run has ended to send sooner)', shownPath(this.rateStatePath));
    // Requests in flight answered 429 together move the pause by milliseconds: one notice for them.
    if (st.noticedPause === undefined || Math.abs(until - st.noticedPause) > PAUSE_NOTICE_SLACK_MS) {
      st.noticedPause = until;
      this.notice(`[${endpointName}] ${reason}`);
    }
    return reason;
  }
}

/** Long pauses that end within this of the one already announced are the same pause. */
const PAUSE_NOTICE_SLACK_MS = 60_000;

/** The key of an endpoint's limiter state: a renamed endpoint or a new URL starts afresh. */
function rateKey(e: EndpointConfig): string {
  return `${e.name}|${e.baseURL.trim().replace(/\/+$/, '')}`;
}

function describeKind(kind: FailureKind, status?: number): string {
  switch (kind) {
    case 'rate-limit':
      return 'rate limited (429)';
    case 'server':
      return `server error (${status ?? '5xx'})`;
    case 'timeout':
      return 'timed out';
    case 'connection':
      return 'connection failed';
    case 'malformed':
      return 'malformed answer';
    case 'client':
      return `request refused (${status ?? '4xx'})`;
    case 'aborted':
      return 'cancelled';
  }
}
