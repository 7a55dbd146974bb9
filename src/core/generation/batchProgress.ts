/** What a Batch API job reports while it waits: the batches' counts, and the same in the progress line's terms. */
import type { JobProgress } from './jobMeter';
import type { BatchState, BatchStatus } from './batchState';

export interface BatchProgress {
  phase: 'uploading' | 'polling' | 'merging';
  batches: { batchId?: string; model: string; status?: BatchStatus; total: number; completed: number; failed: number }[];
  total: number;
  completed: number;
  failed: number;
}

/**
 * Turns polling reports into the progress line's terms: requests the server has finished, and
 * their rate since the first poll of this run (a resumed batch may have finished many before).
 */
export function batchPollingMeter(now: () => number = Date.now): (b: BatchProgress) => JobProgress {
  const started = now();
  let first: { t: number; done: number } | undefined;
  return (b) => {
    const t = now();
    const done = b.completed + b.failed;
    first ??= { t, done };
    const seconds = (t - first.t) / 1000;
    return {
      done,
      total: b.total,
      failures: b.failed,
      promptsWritten: 0,
      promptsSkipped: 0,
      requests: 0,
      retries: 0,
      requestsPerSecond: seconds > 0 ? (done - first.done) / seconds : 0,
      tokensIn: 0,
      tokensOut: 0,
      unpricedModels: [],
      elapsedMs: t - started,
    };
  };
}

export function progressOf(state: BatchState, phase: BatchProgress['phase']): BatchProgress {
  const batches = state.batches.map((b) => ({
    batchId: b.batchId,
    model: b.model,
    status: b.status,
    total: b.requestCounts?.total || b.units,
    completed: b.requestCounts?.completed ?? 0,
    failed: b.requestCounts?.failed ?? 0,
  }));
  return {
    phase,
    batches,
    total: batches.reduce((s, b) => s + b.total, 0),
    completed: batches.reduce((s, b) => s + b.completed, 0),
    failed: batches.reduce((s, b) => s + b.failed, 0),
  };
}
