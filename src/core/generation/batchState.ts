/**
 * `<out>.batch.json`: the batches of a candidates job in flight (ids, status, counts), written
 * atomically after every change, so a closed window or a cancelled poll resumes polling the same
 * batches instead of creating new ones.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import type { EndpointPool } from './endpointPool';
import { candidatesJobPaths, type CandidatesJobPaths } from './candidatesPlan';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface BatchEntry {
  endpoint: string;
  model: string;
  /** Units in this batch's input. */
  units: number;
  inputPath: string;
  inputFileId?: string;
  batchId?: string;
  status?: BatchStatus;
  requestCounts?: { total: number; completed: number; failed: number };
  outputFileId?: string;
  errorFileId?: string;
  /** Redacted messages of a failed batch (e.g. an invalid input line). */
  errors?: string[];
  createdAt: string;
}

export interface BatchState {
  version: 1;
  responsesPerTarget: number;
  /** Target hashes, to refuse polling a batch made for other settings. */
  targets: string[];
  batches: BatchEntry[];
}

export interface BatchJobPaths extends CandidatesJobPaths {
  batch: string;
}

export function batchJobPaths(outputPath: string): BatchJobPaths {
  return { ...candidatesJobPaths(outputPath), batch: `${outputPath}.batch.json` };
}

/** The batches recorded beside an output, or undefined when none are. */
export async function readBatchState(outputPath: string): Promise<BatchState | undefined> {
  const file = batchJobPaths(outputPath).batch;
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  const s = v as BatchState | undefined;
  if (!s || s.version !== 1 || !Array.isArray(s.batches) || !Array.isArray(s.targets)) {
    throw new Error(l10n.t('{0} is damaged; it names the batches of this output (see the Batch dashboard of your provider)', file));
  }
  return s;
}

export async function saveState(file: string, state: BatchState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
}

/** Every batch has ended at the server. */
export function allEnded(state: BatchState): boolean {
  return state.batches.every((b) => b.status && TERMINAL.has(b.status));
}

/** A batch still to poll: created, and not yet ended. */
export function stillRunning(b: BatchEntry): b is BatchEntry & { batchId: string } {
  return !!b.batchId && !(b.status && TERMINAL.has(b.status));
}

/** Asks the server to cancel the batches still running for this output; returns the ids it cancelled. */
export async function cancelBatchJob(pool: EndpointPool, outputPath: string, signal?: AbortSignal): Promise<string[]> {
  const state = await readBatchState(outputPath);
  if (!state) return [];
  const cancelled: string[] = [];
  try {
    for (const b of state.batches) {
      if (!stillRunning(b)) continue;
      const r = await pool.client(b.endpoint).batches.cancel(b.batchId, { signal });
      b.status = r.status;
      cancelled.push(b.batchId);
    }
  } catch (e) {
    throw new Error(pool.redactor.describe(e));
  } finally {
    await saveState(batchJobPaths(outputPath).batch, state);
  }
  return cancelled;
}
