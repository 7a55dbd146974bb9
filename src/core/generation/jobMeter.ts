/**
 * The request, token and cost figures every generation job reports. The pool is shared with other
 * jobs, so its request and retry totals are read as differences from when this job started.
 */
import { CostMeter, type PriceTable } from './cost';
import type { EndpointPool } from './endpointPool';

/** What every generation job reports as it goes (the progress line and notification show it). */
export interface JobProgress {
  /** Request units finished in this run (a unit = one request, n choices). */
  done: number;
  /** Units this run has to do; undefined while the prompt stream has not been read to its end. */
  total?: number;
  failures: number;
  promptsWritten: number;
  /** Prompts found complete in the output and skipped. */
  promptsSkipped: number;
  requests: number;
  retries: number;
  requestsPerSecond: number;
  tokensIn: number;
  tokensOut: number;
  /** Dollars for priced models; undefined when no model used so far has a price. */
  cost?: number;
  unpricedModels: string[];
  elapsedMs: number;
}

export class JobMeter {
  private readonly cost: CostMeter;
  private readonly startedAt = Date.now();
  private readonly requests0: number;
  private readonly retries0: number;

  constructor(
    private readonly pool: Pick<EndpointPool, 'stats'>,
    prices?: PriceTable,
  ) {
    this.cost = new CostMeter(prices);
    this.requests0 = pool.stats.requests;
    this.retries0 = pool.stats.retries;
  }

  /** Tokens of one answered request. */
  add(model: string, promptTokens: number, completionTokens: number): void {
    this.cost.add(model, promptTokens, completionTokens);
  }

  /** Brings the shared figures of `progress` up to date in place; returns a copy to hand to a listener. */
  update<P extends JobProgress>(progress: P): P {
    const t = this.cost.totals();
    progress.elapsedMs = Date.now() - this.startedAt;
    progress.requests = this.pool.stats.requests - this.requests0;
    progress.retries = this.pool.stats.retries - this.retries0;
    progress.requestsPerSecond = progress.elapsedMs > 0 ? progress.requests / (progress.elapsedMs / 1000) : 0;
    progress.tokensIn = t.tokensIn;
    progress.tokensOut = t.tokensOut;
    progress.cost = t.cost;
    progress.unpricedModels = t.unpricedModels;
    return { ...progress, unpricedModels: [...t.unpricedModels] };
  }
}

/** A job's progress before its first request. */
export function startingProgress(total?: number): JobProgress {
  return { done: 0, total, failures: 0, promptsWritten: 0, promptsSkipped: 0, requests: 0, retries: 0, requestsPerSecond: 0, tokensIn: 0, tokensOut: 0, cost: undefined, unpricedModels: [], elapsedMs: 0 };
}
