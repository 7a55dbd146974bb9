/**
 * Per-endpoint admission control: a concurrency limit, a requests-per-window limit and a
 * tokens-per-window limit, served first come first served.
 *
 * Requests: a log of send times (not a token bucket). A token bucket of capacity `rpm` lets `rpm`
 * requests start at t=0 and then refill, so some 60 s window can hold almost 2×rpm starts. The log
 * admits a request only while (requests sent in the last `windowMs + marginMs`) + (requests
 * admitted but not yet sent) < rpm. A request's time is when it goes on the wire (`markSent`), not
 * when it was admitted: on a busy machine the two can be hundreds of milliseconds apart, and the
 * server counts arrivals. Proof sketch: in any window of send times, take the member admitted last;
 * when it was admitted every other member was either sent less than windowMs before (counted) or
 * not sent yet (counted as pending), so the window holds at most rpm requests. The margin absorbs
 * the remaining jitter between our send and the server's clock.
 * (The log costs one number per request in the window: 10 000 rpm → 80 kB.)
 *
 * Tokens: each start reserves an estimate (prompt + max_tokens × n, as OpenAI counts it) which is
 * corrected with the real `usage` when the response arrives. A request larger than the whole
 * budget still runs when the window is empty, otherwise it would wait forever.
 */
import { AbortedError } from '../base/cancellation';
import { MAX_RETRY_AFTER_MS } from './retryPolicy';

export interface SchedulerOptions {
  maxConcurrency: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Length of the rate window; 60 000 in production, shorter in tests. */
  windowMs?: number;
  /**
   * Extra spacing added to the window (default max(windowMs / 60, 250) ms: 1 s on a minute). A
   * request reaches the server some time after we start it — the first ones on a fresh connection
   * ~100 ms later, the next ones at once — so windows counted by the server can hold starts that
   * were a little more than a window apart for us.
   */
  marginMs?: number;
  now?: () => number;
}

export interface Permit {
  readonly startedAt: number;
  /** The request is going on the wire now: its time in the request window. Called at most once; release() implies it. */
  markSent(): void;
  /** Frees the concurrency slot and corrects the token reservation (actual prompt + completion tokens). */
  release(actualTokens?: number): void;
}

/**
 * What a later run against the same endpoint must honour (epoch milliseconds): the send times and
 * token reservations still inside the window, and a pause a server asked for.
 */
export interface RateState {
  sends: number[];
  /** [time, tokens] of each reservation. */
  tokens: [number, number][];
  pausedUntil?: number;
}

interface Waiter {
  tokens: number;
  resolve: (p: Permit) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface TokenEntry {
  ts: number;
  tokens: number;
  expired: boolean;
}

export class RateScheduler {
  readonly windowMs: number;
  readonly marginMs: number;
  private readonly now: () => number;
  private readonly queue: Waiter[] = [];
  private active = 0;
  /** Send times, sorted, of requests that may still be inside the window. */
  private starts: number[] = [];
  private startsHead = 0;
  /** Admitted, not yet sent: they count as sent "now" until they are. */
  private pendingSends = 0;
  private tokenLog: TokenEntry[] = [];
  private tokenHead = 0;
  private tokensInWindow = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** Every send time, for tests and benchmarks that check the window invariant (off by default). */
  readonly startLog: number[] | undefined;

  constructor(
    private readonly opts: SchedulerOptions,
    recordStarts = false,
  ) {
    if (!(opts.maxConcurrency >= 1)) throw new Error('maxConcurrency must be ≥ 1');
    this.windowMs = opts.windowMs ?? 60_000;
    this.marginMs = opts.marginMs ?? Math.max(this.windowMs / 60, 250);
    this.now = opts.now ?? Date.now;
    this.startLog = recordStarts ? [] : undefined;
  }

  get activeCount(): number {
    return this.active;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Holds every start until `t` (a 429 with Retry-After speaks for the whole endpoint). */
  pauseUntil(t: number): void {
    if (t > this.pausedUntil) this.pausedUntil = t;
  }

  /** Rejects every request still waiting for a slot with `error()` (the endpoint will not take them for a long time). */
  failQueued(error: () => Error): void {
    for (const w of this.queue.splice(0)) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(error());
    }
  }

  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** The window's sends, token reservations and pause, for a later run (see RateState). */
  exportState(): RateState {
    const t = this.now();
    this.prune(t);
    const tokens: [number, number][] = [];
    for (let i = this.tokenHead; i < this.tokenLog.length; i++) tokens.push([this.tokenLog[i].ts, this.tokenLog[i].tokens]);
    return { sends: this.starts.slice(this.startsHead), tokens, ...(this.pausedUntil > t ? { pausedUntil: this.pausedUntil } : {}) };
  }

  /**
   * Counts the sends and reservations of an earlier run as if made here (a rerun continues the
   * window instead of starting a fresh one). Times in the future (a clock set back) count as now.
   */
  importState(state: RateState): void {
    const t = this.now();
    const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    const sends = Array.isArray(state.sends) ? state.sends.filter(num).map((x) => Math.min(x, t)) : [];
    if (sends.length) {
      this.starts = [...this.starts.slice(this.startsHead), ...sends].sort((a, b) => a - b);
      this.startsHead = 0;
    }
    const tokens = Array.isArray(state.tokens) ? state.tokens.filter((e): e is [number, number] => Array.isArray(e) && num(e[0]) && num(e[1]) && e[1] >= 0) : [];
    if (tokens.length) {
      const entries: TokenEntry[] = tokens.map(([ts, n]) => ({ ts: Math.min(ts, t), tokens: n, expired: false }));
      this.tokenLog = [...this.tokenLog.slice(this.tokenHead), ...entries].sort((a, b) => a.ts - b.ts);
      this.tokenHead = 0;
      this.tokensInWindow += entries.reduce((sum, e) => sum + e.tokens, 0);
    }
    // A saved pause no longer than a server may ask for (a file written before that bound, or by hand).
    if (num(state.pausedUntil)) this.pauseUntil(Math.min(state.pausedUntil, t + MAX_RETRY_AFTER_MS));
    this.prune(t);
    this.pump();
  }

  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { tokens: Math.max(0, estimatedTokens), resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new AbortedError());
          this.pump();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  private prune(t: number): void {
    const horizon = this.windowMs + this.marginMs;
    // Strictly older than the horizon: two starts exactly a window apart both count, so even a
    // closed window [a, a + windowMs] holds at most rpm starts.
    while (this.startsHead < this.starts.length && t - this.starts[this.startsHead] > horizon) this.startsHead++;
    if (this.startsHead > 1024 && this.startsHead * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.startsHead);
      this.startsHead = 0;
    }
    while (this.tokenHead < this.tokenLog.length && t - this.tokenLog[this.tokenHead].ts > horizon) {
      const e = this.tokenLog[this.tokenHead++];
      e.expired = true;
      this.tokensInWindow -= e.tokens;
    }
    if (this.tokenHead > 1024 && this.tokenHead * 2 > this.tokenLog.length) {
      this.tokenLog = this.tokenLog.slice(this.tokenHead);
      this.tokenHead = 0;
    }
  }

  /** Milliseconds until the head waiter may start (0 = now). */
  private waitFor(w: Waiter, t: number): number {
    const horizon = this.windowMs + this.marginMs;
    let wait = Math.max(0, this.pausedUntil - t);
    const rpm = this.opts.requestsPerMinute;
    const sent = this.starts.length - this.startsHead;
    const counted = sent + this.pendingSends;
    if (rpm !== undefined && counted >= rpm) {
      const mustExpire = counted - rpm + 1;
      // Pending sends cannot expire: wait for them to be sent (markSent pumps) before a timer helps.
      if (mustExpire > sent) return Infinity;
      wait = Math.max(wait, this.starts[this.startsHead + mustExpire - 1] + horizon + 1 - t);
    }
    const tpm = this.opts.tokensPerMinute;
    if (tpm !== undefined && this.tokensInWindow > 0 && this.tokensInWindow + w.tokens > tpm) {
      let sum = this.tokensInWindow;
      for (let i = this.tokenHead; i < this.tokenLog.length; i++) {
        sum -= this.tokenLog[i].tokens;
        if (sum <= 0 || sum + w.tokens <= tpm) {
          wait = Math.max(wait, this.tokenLog[i].ts + horizon + 1 - t);
          break;
        }
      }
    }
    return wait;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.active < this.opts.maxConcurrency) {
      const t = this.now();
      this.prune(t);
      const head = this.queue[0];
      const wait = this.waitFor(head, t);
      if (wait > 0) {
        if (wait !== Infinity) this.wakeAt(t + wait);
        return;
      }
      this.queue.shift();
      if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
      head.resolve(this.grant(head, t));
    }
  }

  private recordSend(t: number): void {
    this.pendingSends--;
    // Sends come nearly in admission order: insert from the end to keep the log sorted.
    let i = this.starts.length;
    while (i > this.startsHead && this.starts[i - 1] > t) i--;
    if (i === this.starts.length) this.starts.push(t);
    else this.starts.splice(i, 0, t);
    this.startLog?.push(t);
  }

  private grant(w: Waiter, t: number): Permit {
    this.active++;
    this.pendingSends++;
    const entry: TokenEntry = { ts: t, tokens: w.tokens, expired: false };
    this.tokenLog.push(entry);
    this.tokensInWindow += entry.tokens;
    let released = false;
    let sent = false;
    const markSent = (): void => {
      if (sent) return;
      sent = true;
      this.recordSend(this.now());
      this.pump();
    };
    return {
      startedAt: t,
      markSent,
      release: (actualTokens?: number) => {
        if (released) return;
        released = true;
        // Never marked: we cannot tell whether it reached the wire, so count it as sent now.
        if (!sent) {
          sent = true;
          this.recordSend(this.now());
        }
        this.active--;
        if (actualTokens !== undefined && actualTokens >= 0 && !entry.expired) {
          this.tokensInWindow += actualTokens - entry.tokens;
          entry.tokens = actualTokens;
        }
        this.pump();
      },
    };
  }

  private wakeAt(at: number): void {
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    // pump() re-checks on waking, so a timer that fires early only costs another timer.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(1, Math.ceil(at - this.now())));
  }
}

/** The largest number of times found in any window of `windowMs` (closed interval), for checks. */
export function maxStartsInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] > windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Waits `ms`; rejects with AbortedError as soon as the signal aborts (shared by retries and batch polling). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
