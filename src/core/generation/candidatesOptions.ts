/** What a candidates job takes and returns. */
import type { JobRunOptions } from './jobRunner';
import type { ChatOutcome, ChatRequest } from './endpointPool';
import type { JobProgress } from './jobMeter';
import type { CandidateTarget, CandidatesJobPaths, PromptRecord } from './candidatesPlan';

export interface CandidatesJobOptions extends JobRunOptions<JobProgress> {
  prompts: Iterable<PromptRecord> | AsyncIterable<PromptRecord>;
  targets: CandidateTarget[];
  responsesPerTarget?: number;
  outputPath: string;
  /** Most request units in flight (default: 2 × the pool's total concurrency). */
  maxInFlight?: number;
  /** Answers a unit instead of `pool.chat` (the Batch API merge answers from downloaded results). */
  chat?: UnitChat;
  /** The most characters a prompt's candidates line may hold; MAX_CANDIDATES_LINE_CHARS unless a test asks for less. */
  maxLineChars?: number;
}

/**
 * The most characters a prompt's answers (and its prompt) may come to in its candidates line.
 * Pairwise's readers take records of up to 256 MiB, and V8 strings end near 512 MiB: a line past
 * them could not be written (JSON.stringify throws) or read back. A server answering 60 MiB nine
 * times stopped the job on that prompt at every resume.
 */
export const MAX_CANDIDATES_LINE_CHARS = 32 * 1024 * 1024;

/** How a unit gets its answer; `unit` names it as in the journal (prompt id + unit key). */
export type UnitChat = (endpoint: string, request: ChatRequest, unit: { id: string; key: string }, signal?: AbortSignal) => Promise<ChatOutcome>;

export interface CandidatesJobResult {
  cancelled: boolean;
  progress: JobProgress;
  /** Redacted notes about input or files that were not as expected (duplicate ids, damaged lines). */
  warnings: string[];
  paths: CandidatesJobPaths;
}
