/**
 * The files of a synthetic-records job beside its dataset, what identifies the job (so that a rerun
 * resumes it), and what earlier runs left in its progress file.
 *
 * Files beside the dataset `<dir>/<name>.<ext>`:
 *   <name>.synthetic.progress.jsonl  one line per finished record request (outcome, requests used)
 *                                    keyed by a hash of the job's settings. An accepted record's
 *                                    line (with its text hash) is fsynced BEFORE the record is
 *                                    appended; a resumed job counts it only if the dataset holds a
 *                                    record with that hash, so a crash between the two writes
 *                                    loses one record at most and never counts one twice.
 *                                    Request seeds are reserved in blocks there (a `reserved` line
 *                                    is fsynced before a seed past the last block is sent).
 *   <name>.synthetic.rejected.jsonl  what was dropped and why (invalid replies, duplicates).
 *   <name>.synthetic.rate.json       the endpoint's rate window (rateStateFile.ts).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { FormatId } from '../formats/formatModule';
import type { HashIndex } from '../curate/hashIndex';
import { canonicalJson } from '../base/canonicalJson';
import { readJsonlRecords } from './jsonlRecords';

export interface SyntheticJobPaths {
  dataset: string;
  progress: string;
  rejected: string;
  rate: string;
}

export function syntheticJobPaths(datasetPath: string): SyntheticJobPaths {
  const base = path.join(path.dirname(datasetPath), path.basename(datasetPath).replace(/\.(jsonl|json)$/i, ''));
  return { dataset: datasetPath, progress: `${base}.synthetic.progress.jsonl`, rejected: `${base}.synthetic.rejected.jsonl`, rate: `${base}.synthetic.rate.json` };
}

/** A line of the progress file. */
export interface SyntheticProgressLine {
  job: string;
  kind: 'accepted' | 'rejected' | 'duplicate-exact' | 'duplicate-near' | 'failed' | 'issued' | 'reserved' | 'restart';
  /** accepted: the record's normalised text hash. */
  hash?: number;
  /**
   * Requests this record used; for `issued`: the job's request counter when a run ended; for
   * `reserved`: request indexes below this may have been sent (a resumed run starts there).
   */
  requests?: number;
  ts: string;
}

/** A line of the rejected report. */
export interface RejectedLine {
  job: string;
  kind: 'invalid' | 'duplicate-exact' | 'duplicate-near';
  reason: string;
  /** invalid: each attempt's reason and the start of its reply. */
  attempts?: { reason: string; reply: string }[];
  /** duplicates: the record that was dropped, and the similarity (1 for exact). */
  record?: Record<string, unknown>;
  similarity?: number;
  ts: string;
}

/** The settings that identify a job: resuming needs the same ones (the target count may change). */
export interface SyntheticJobSpec {
  format: FormatId;
  topic: string;
  endpoint: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  seedCount?: number;
  seeds?: Record<string, unknown>[];
}

/** What identifies a job: resuming needs the same settings (the target count may change). */
export function syntheticJobId(o: SyntheticJobSpec): string {
  const spec = { format: o.format, topic: o.topic.trim(), endpoint: o.endpoint, model: o.model, temperature: o.temperature, maxTokens: o.maxTokens, seed: o.seed, seedCount: o.seedCount, seeds: o.seeds };
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

export interface EarlierRuns {
  /** Records accepted by earlier runs (since the last restart) that are in the dataset. */
  acceptedBefore: number;
  /** Where request indexes (and so seeds) continue. */
  nextRequest: number;
  badLines: number;
}

/**
 * What earlier runs of this job did. An accepted line counts only when its record made it into the
 * dataset (`exact` holds the dataset's text hashes). Requests continue past every seed an earlier
 * run may have sent: the sum of requests of its records misses those in flight when it was killed;
 * its reservations do not.
 */
export async function readEarlierRuns(progressPath: string, jobId: string, exact: Pick<HashIndex, 'get'>): Promise<EarlierRuns> {
  let acceptedBefore = 0;
  let requestCounter = 0;
  let reservedBefore = 0;
  const pr = await readJsonlRecords(progressPath, (v) => {
    const line = v as unknown as SyntheticProgressLine;
    if (line.job !== jobId) return;
    if (line.kind === 'restart') {
      acceptedBefore = 0;
      return;
    }
    if (line.kind === 'issued' || line.kind === 'reserved') {
      reservedBefore = Math.max(reservedBefore, typeof line.requests === 'number' ? line.requests : 0);
      return;
    }
    if (line.kind === 'accepted' && typeof line.hash === 'number' && exact.get(line.hash) >= 0) acceptedBefore++;
    if (typeof line.requests === 'number') requestCounter += line.requests;
  });
  return { acceptedBefore, nextRequest: Math.max(requestCounter, reservedBefore), badLines: pr.badLines.length };
}
