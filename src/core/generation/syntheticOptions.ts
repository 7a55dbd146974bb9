/** What a synthetic-records job takes and returns, and its options with their defaults, checked. */
import type { JobRunOptions } from './jobRunner';
import * as l10n from '@vscode/l10n';
import type { FormatId, FormatOptions } from '../formats/formatModule';
import type { JobProgress } from './jobMeter';
import type { SyntheticJobPaths } from './syntheticFiles';

export interface SyntheticJobOptions extends JobRunOptions<SyntheticProgress> {
  /** The dataset: JSONL, or a `.json` file holding one array. It must exist. */
  datasetPath: string;
  /** Detected from the dataset's records when absent. */
  format?: FormatId;
  formatOptions?: FormatOptions;
  topic: string;
  /** Accepted records wanted (in total, across resumed runs of the same job). */
  count: number;
  /** Seed records shown per request (default 3; 0 shows the format's example record). */
  seedCount?: number;
  /** Seed records to show instead of ones picked from the dataset. */
  seeds?: Record<string, unknown>[];
  endpoint: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** Seeds the seed-record choice and the request seeds (request r is sent seed + r). Default 1. */
  seed?: number;
  /** Jaccard similarity (MinHash estimate) at or above which a record is a near duplicate (default 0.8). */
  nearThreshold?: number;
  /** Requests per record while replies are invalid (default 3). */
  maxAttempts?: number;
  /** Stop after this many record requests in a row that gave no record (invalid, duplicate, failed); default max(20, 2 × count). */
  maxUnproductive?: number;
  /**
   * A `.json` array is rewritten for each batch of new records; above this size (default 64 MiB)
   * the job refuses and asks for JSONL instead.
   */
  maxArrayRewriteBytes?: number;
  /** Ignore earlier runs of the same job: generate `count` more. */
  restart?: boolean;
}

/** JobProgress (so the shared progress line and notification show it) plus the record outcomes. */
export interface SyntheticProgress extends JobProgress {
  /** The target. */
  requested: number;
  /** Accepted by earlier runs of this job (found in the dataset). */
  acceptedBefore: number;
  /** Accepted by this run. */
  accepted: number;
  /** Records given up after `maxAttempts` invalid replies. */
  rejected: number;
  duplicatesExact: number;
  duplicatesNear: number;
}

export interface SyntheticJobResult {
  cancelled: boolean;
  /** Set when the job stopped before the target because too many requests gave no record. */
  stoppedEarly?: string;
  progress: SyntheticProgress;
  format: FormatId;
  layout: 'jsonl' | 'json-array';
  jobId: string;
  paths: SyntheticJobPaths;
  warnings: string[];
}

/** The options with their defaults, checked. */
export function settingsOf(options: SyntheticJobOptions) {
  const count = options.count;
  const s = {
    topic: options.topic.trim(),
    count,
    seedCount: options.seedCount ?? 3,
    seed: options.seed ?? 1,
    temperature: options.temperature ?? 1,
    maxTokens: options.maxTokens ?? 1024,
    threshold: options.nearThreshold ?? 0.8,
    maxAttempts: options.maxAttempts ?? 3,
    maxUnproductive: options.maxUnproductive ?? Math.max(20, 2 * count),
  };
  if (!s.topic) throw new Error(l10n.t('the topic is empty: describe what the new records should be about'));
  if (!Number.isInteger(count) || count < 1) throw new Error(l10n.t('the number of records must be an integer ≥ 1, not {0}', String(count)));
  if (!Number.isInteger(s.seedCount) || s.seedCount < 0 || s.seedCount > 20) throw new Error(l10n.t('the seed count must be an integer from 0 to 20, not {0}', String(s.seedCount)));
  if (!(s.threshold > 0 && s.threshold <= 1)) throw new Error(l10n.t('the near-duplicate threshold must be in (0, 1], not {0}', String(s.threshold)));
  if (!Number.isInteger(s.maxAttempts) || s.maxAttempts < 1) throw new Error(l10n.t('maxAttempts must be an integer ≥ 1'));
  if (!options.pool.endpointNames().includes(options.endpoint)) throw new Error(l10n.t('unknown endpoint "{0}"', options.endpoint));
  if (!options.model) throw new Error(l10n.t('no model given'));
  return s;
}

export type Settings = ReturnType<typeof settingsOf>;
