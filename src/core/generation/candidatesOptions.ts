/** What a candidates job takes and returns. */
import type { PriceTable } from './cost';
import type { ChatOutcome, ChatRequest, EndpointPool } from './endpointPool';
import type { JobProgress } from './jobMeter';
import type { CandidateTarget, CandidatesJobPaths, PromptRecord } from './candidatesPlan';

export interface CandidatesJobOptions {
  pool: EndpointPool;
  prompts: Iterable<PromptRecord> | AsyncIterable<PromptRecord>;
  targets: CandidateTarget[];
  responsesPerTarget?: number;
  outputPath: string;
  prices?: PriceTable;
  /** Cancels at once: requests in flight are abandoned (and asked again on resume). */
  signal?: AbortSignal;
  /**
   * Stops gently: no new request starts, the ones in flight finish and are saved (Ctrl-C in the
   * CLI; `signal` is the second Ctrl-C). The result says `cancelled` either way.
   */
  stopSignal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** Redacted diagnostic lines. */
  log?: (line: string) => void;
  /** Most request units in flight (default: 2 × the pool's total concurrency). */
  maxInFlight?: number;
  /** Answers a unit instead of `pool.chat` (the Batch API merge answers from downloaded results). */
  chat?: UnitChat;
}

/** How a unit gets its answer; `unit` names it as in the journal (prompt id + unit key). */
export type UnitChat = (endpoint: string, request: ChatRequest, unit: { id: string; key: string }, signal?: AbortSignal) => Promise<ChatOutcome>;

export interface CandidatesJobResult {
  cancelled: boolean;
  progress: JobProgress;
  /** Redacted notes about input or files that were not as expected (duplicate ids, damaged lines). */
  warnings: string[];
  paths: CandidatesJobPaths;
}
