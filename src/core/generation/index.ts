/** The generation core: what the VS Code commands and the CLI call. */
export { type EndpointConfig, validateEndpointConfig, createClient } from './endpoint';
export { EndpointPool, type PoolOptions, type ChatRequest, type ChatOutcome, type ChatUsage, type PoolStats } from './endpointPool';
export { RateScheduler, maxStartsInAnyWindow, type SchedulerOptions, type Permit } from './rateScheduler';
export { AbortedError } from '../base/cancellation';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, type FailureKind, parseRetryAfter, backoffDelay } from './retryPolicy';
export { Redactor, redact, REDACTED } from './redact';
export { seededRandom, type RandomSource } from '../base/random';
export { CostMeter, estimateRequestTokens, type PriceTable, type ModelPrice, type UsageTotals } from './cost';
export { runCandidatesJob, retryFailures, readOpenFailures, candidatesJobPaths, targetHash, type PromptRecord, type CandidateTarget, type GenerationParams, type CandidatesJobOptions, type CandidatesJobResult, type CandidatesLine, type CandidateResponseLine, type FailureLine, type RetryFailuresOptions } from './candidatesJob';
export { type JobProgress } from './jobMeter';
export { buildJudgeMessages, parseVerdict, combineVerdicts, unswap, DEFAULT_ASPECTS, type Verdict, type CombinedVerdict, type JudgeRubric } from './judge';
export { runJudgeJob, judgementsPathFor, pairIndexes, type JudgeJobOptions, type JudgeJobResult, type JudgementLine, type JudgeTarget } from './judgeJob';
export { listModels, testConnection, type ConnectionReport } from './endpointProbe';
