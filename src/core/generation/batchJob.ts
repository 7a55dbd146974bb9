/**
 * A candidates job through OpenAI's Batch API (half the price, results within 24 h): the units a
 * candidates job would request (same prompts, targets, unit keys; units already done are skipped
 * exactly as on resume) go into a Batch input JSONL per endpoint and model, are uploaded and run as
 * a batch, polled, and the results merged into the very files the interactive job writes (the merge
 * IS `runCandidatesJob`, answering each unit from the downloaded results instead of the network).
 *
 * One batch per endpoint and model (OpenAI takes one model per input file), split at
 * `maxRequestsPerBatch` requests. Files beside the output, besides the candidates job's own:
 *   <out>.batch.json            the batches in flight (ids, status, counts), written atomically after
 *                               every change, so a closed window or a cancelled poll resumes polling
 *                               the same batches instead of creating new ones. Removed after the merge.
 *   <out>.batch-input-<i>.jsonl the uploaded input, one line per unit:
 *                               `{"custom_id": "<unit key>|<prompt id>", "method": "POST", "url": "/v1/chat/completions", "body": …}`
 *                               with the body an interactive request would send. Removed after the merge.
 * Units with an error line, or without a result because the batch expired, failed or was cancelled,
 * become failure lines, which Retry Failed Generations (or a rerun) requests again.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { toFile } from 'openai';
import * as l10n from '@vscode/l10n';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { candidatesJobPaths, planUnits, runCandidatesJob, targetHash, type CandidatesJobOptions, type CandidatesJobPaths, type CandidatesJobResult, type JobProgress, type UnitChat } from './candidatesJob';
import type { PriceTable } from './cost';
import { chatRequestBody, validateCompletion, type ChatOutcome, type EndpointPool } from './endpointPool';
import { AbortedError, sleep } from './rateScheduler';
import type { FailureKind } from './retryPolicy';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'expired', 'cancelled']);

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

export interface BatchJobOptions extends Omit<CandidatesJobOptions, 'chat' | 'maxInFlight'> {
  /** First wait between polls (default 10 s); it grows by half each poll up to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Longest wait between polls (default 5 min). */
  maxPollIntervalMs?: number;
  onBatchProgress?: (p: BatchProgress) => void;
  /**
   * Most requests per batch (default 10 000; OpenAI allows 50 000 and 200 MB per input file). Kept
   * well below so that each output file stays within the transport's 64 MiB response limit.
   */
  maxRequestsPerBatch?: number;
}

/** Input file bytes per batch at most (OpenAI's limit is 200 MB). */
const MAX_INPUT_BYTES = 190 * 1024 * 1024;

export interface BatchJobResult {
  /** `pending`: polling stopped (cancelled) while batches still run server-side; `merged`: results are in the output. */
  state: 'pending' | 'merged';
  batchIds: string[];
  /** The merge's result (the same as an interactive run's) once merged. */
  merge?: CandidatesJobResult;
  /** True when polling was resumed from an earlier run's `<out>.batch.json`. */
  resumed: boolean;
  paths: BatchJobPaths;
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

async function saveState(file: string, state: BatchState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
}

/** Batch prices are half the interactive ones. */
function batchPrices(prices: PriceTable | undefined): PriceTable | undefined {
  if (!prices) return undefined;
  return Object.fromEntries(Object.entries(prices).map(([m, p]) => [m, { ...p, inputPerMTok: p.inputPerMTok / 2, outputPerMTok: p.outputPerMTok / 2 }]));
}

function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'client';
}

function errorMessage(body: unknown): string {
  const e = (body as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string') return typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.message;
  return JSON.stringify(body ?? null).slice(0, 200);
}

/** Outcomes by custom_id from the text of a Batch output or error file. */
export function parseBatchResults(text: string, redact: (s: string) => string, into: Map<string, ChatOutcome>): { badLines: number } {
  let badLines = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: { custom_id?: unknown; response?: { status_code?: unknown; body?: unknown } | null; error?: { code?: unknown; message?: unknown } | null };
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      badLines++;
      continue;
    }
    if (!line || typeof line !== 'object' || typeof line.custom_id !== 'string') {
      badLines++;
      continue;
    }
    const status = typeof line.response?.status_code === 'number' ? line.response.status_code : undefined;
    let outcome: ChatOutcome;
    if (status === 200) {
      try {
        const { choices, usage } = validateCompletion(line.response?.body, redact);
        outcome = { ok: true, choices, usage, attempts: 1, latencyMs: 0 };
      } catch (e) {
        outcome = { ok: false, kind: 'malformed', reason: redact(l10n.t('malformed answer in the batch output: {0}', e instanceof Error ? e.message : String(e))), attempts: 1 };
      }
    } else if (status !== undefined) {
      outcome = { ok: false, kind: kindOfStatus(status), status, reason: redact(l10n.t('batch request failed ({0}): {1}', status, errorMessage(line.response?.body))), attempts: 1 };
    } else {
      const err = line.error;
      const text = err ? `${typeof err.code === 'string' ? `${err.code}: ` : ''}${typeof err.message === 'string' ? err.message : ''}` : l10n.t('no response');
      outcome = { ok: false, kind: 'server', reason: redact(l10n.t('batch request failed: {0}', text)), attempts: 1 };
    }
    // An output line wins over an error line for the same request.
    if (!into.get(line.custom_id)?.ok) into.set(line.custom_id, outcome);
  }
  return { badLines };
}

function missingReason(entry: BatchEntry | undefined): { kind: FailureKind; reason: string } {
  switch (entry?.status) {
    case undefined:
      return { kind: 'aborted', reason: l10n.t('this request was not part of the batch') };
    case 'expired':
      return { kind: 'timeout', reason: l10n.t('the batch expired (24 h) before this request ran') };
    case 'cancelled':
      return { kind: 'aborted', reason: l10n.t('the batch was cancelled before this request ran') };
    case 'failed':
      return { kind: 'client', reason: l10n.t('the batch failed: {0}', (entry.errors ?? []).join('; ') || l10n.t('no reason given')) };
    default:
      return { kind: 'server', reason: l10n.t('the batch returned no result for this request') };
  }
}

function progressOf(state: BatchState, phase: BatchProgress['phase']): BatchProgress {
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

/** The most recent batch (among the last 100) made from this input file, if any. */
async function findBatchFor(pool: EndpointPool, endpoint: string, inputFileId: string, signal?: AbortSignal): Promise<{ id: string; status: BatchStatus } | undefined> {
  const page = await pool.client(endpoint).batches.list({ limit: 100 }, { signal });
  return page.data.find((x) => x.input_file_id === inputFileId);
}

/** Uploads and waits for (or resumes waiting for) the batches of a candidates job, then merges their results. */
export async function runBatchJob(options: BatchJobOptions): Promise<BatchJobResult> {
  const { pool, signal } = options;
  const responsesPerTarget = options.responsesPerTarget ?? 1;
  const paths = batchJobPaths(options.outputPath);
  const log = (s: string): void => options.log?.(pool.redactor.redact(s));
  try {
    return await run();
  } catch (e) {
    if (e instanceof AbortedError || signal?.aborted) throw new AbortedError();
    throw new Error(pool.redactor.describe(e));
  }

  async function run(): Promise<BatchJobResult> {
    const hashes = options.targets.map(targetHash);
    let state = await readBatchState(options.outputPath);
    const resumed = state !== undefined;
    if (state && (state.responsesPerTarget !== responsesPerTarget || state.targets.join(',') !== hashes.join(','))) {
      throw new Error(l10n.t('{0} holds batches made with other targets or responses per target; finish or remove it first', paths.batch));
    }
    if (!state) {
      const plan = await planUnits({ ...options, responsesPerTarget });
      for (const w of plan.warnings) log(w);
      state = { version: 1, responsesPerTarget, targets: hashes, batches: [] };
      // One batch per endpoint and model: OpenAI takes a single model per batch input file.
      const groups = new Map<string, typeof plan.units>();
      for (const u of plan.units) {
        const k = JSON.stringify([u.unit.target.endpoint, u.unit.target.model]);
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(u);
      }
      const maxRequests = Math.max(1, Math.floor(options.maxRequestsPerBatch ?? 10_000));
      let i = 0;
      for (const units of groups.values()) {
        // Split a group into batches within the request and byte limits.
        let chunk: string[] = [];
        let bytes = 0;
        const flush = async (): Promise<void> => {
          if (!chunk.length) return;
          const inputPath = `${options.outputPath}.batch-input-${i++}.jsonl`;
          await writeFileAtomic(inputPath, chunk.join('\n') + '\n');
          state!.batches.push({ endpoint: units[0].unit.target.endpoint, model: units[0].unit.target.model, units: chunk.length, inputPath, createdAt: new Date().toISOString() });
          chunk = [];
          bytes = 0;
        };
        for (const u of units) {
          const line = JSON.stringify({ custom_id: `${u.unit.key}|${u.id}`, method: 'POST', url: '/v1/chat/completions', body: chatRequestBody(u.request) });
          const size = Buffer.byteLength(line) + 1;
          if (chunk.length >= maxRequests || (chunk.length && bytes + size > MAX_INPUT_BYTES)) await flush();
          chunk.push(line);
          bytes += size;
        }
        await flush();
      }
      if (state.batches.length) await saveState(paths.batch, state);
    }
    const emit = (phase: BatchProgress['phase']): void => options.onBatchProgress?.(progressOf(state, phase));

    // Upload and create what an earlier run did not get to (a crash between the steps resumes here).
    for (const b of state.batches) {
      if (b.batchId) continue;
      emit('uploading');
      const client = pool.client(b.endpoint);
      const longTimeout = Math.max(600_000, pool.config(b.endpoint).timeoutSeconds * 1000);
      let uploadedNow = false;
      if (!b.inputFileId) {
        uploadedNow = true;
        const file = await client.files.create({ file: await toFile(await fsp.readFile(b.inputPath), path.basename(b.inputPath), { type: 'application/jsonl' }), purpose: 'batch' }, { signal, timeout: longTimeout });
        b.inputFileId = file.id;
        await saveState(paths.batch, state);
        log(`uploaded ${path.basename(b.inputPath)} (${b.units} requests) as ${file.id}`);
      }
      // An earlier run uploaded the input but stopped before recording a batch: it may have been
      // created all the same (a crash between the request and the write), so look for it first.
      const existing = uploadedNow ? undefined : await findBatchFor(pool, b.endpoint, b.inputFileId, signal);
      const batch = existing ?? await client.batches.create(
        { input_file_id: b.inputFileId, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { source: 'pairwise', output: path.basename(options.outputPath).slice(0, 500) } },
        { signal },
      );
      b.batchId = batch.id;
      b.status = batch.status;
      await saveState(paths.batch, state);
      log(`${existing ? 'found' : 'created'} batch ${batch.id} for ${b.endpoint}/${b.model}`);
    }

    // Poll until every batch has ended; a cancel stops polling and leaves the batches running.
    let delay = options.pollIntervalMs ?? 10_000;
    const maxDelay = Math.max(delay, options.maxPollIntervalMs ?? 300_000);
    let failedPolls = 0;
    const batchIds = state.batches.map((b) => b.batchId ?? '');
    try {
      for (;;) {
        let changed = false;
        for (const b of state.batches) {
          if (!b.batchId || (b.status && TERMINAL.has(b.status))) continue;
          try {
            const r = await pool.client(b.endpoint).batches.retrieve(b.batchId, { signal });
            failedPolls = 0;
            changed ||= r.status !== b.status || r.request_counts?.completed !== b.requestCounts?.completed;
            b.status = r.status;
            if (r.request_counts) b.requestCounts = { total: r.request_counts.total, completed: r.request_counts.completed, failed: r.request_counts.failed };
            b.outputFileId = r.output_file_id ?? undefined;
            b.errorFileId = r.error_file_id ?? undefined;
            const errs = r.errors?.data?.map((d) => `${d.line !== undefined && d.line !== null ? `line ${d.line}: ` : ''}${d.message ?? d.code ?? ''}`);
            if (errs?.length) b.errors = errs.map((x) => pool.redactor.redact(x));
          } catch (e) {
            if (signal?.aborted) throw new AbortedError();
            // A poll that fails (network, 5xx) is tried again later; many in a row end the wait.
            if (++failedPolls >= 10) throw e;
            log(`polling ${b.batchId} failed: ${pool.redactor.describe(e)}`);
          }
        }
        if (changed) await saveState(paths.batch, state);
        emit('polling');
        if (state.batches.every((b) => b.status && TERMINAL.has(b.status))) break;
        await sleep(delay, signal);
        delay = Math.min(maxDelay, Math.round(delay * 1.5));
      }
    } catch (e) {
      if (e instanceof AbortedError) return { state: 'pending', batchIds, resumed, paths };
      throw e;
    }

    // Download and merge.
    emit('merging');
    const results = new Map<string, ChatOutcome>();
    const redact = (s: string): string => pool.redactor.redact(s);
    for (const b of state.batches) {
      for (const id of [b.outputFileId, b.errorFileId]) {
        if (!id) continue;
        const resp = await pool.client(b.endpoint).files.content(id, { signal, timeout: Math.max(600_000, pool.config(b.endpoint).timeoutSeconds * 1000) });
        const { badLines } = parseBatchResults(await resp.text(), redact, results);
        if (badLines) log(`batch file ${id}: ${badLines} unreadable line(s); their requests count as failed`);
      }
    }
    // Which batch each request was in, to say why one without a result has none.
    const batchOf = new Map<string, BatchEntry>();
    for (const b of state.batches) {
      let text = '';
      try {
        text = await fsp.readFile(b.inputPath, 'utf8');
      } catch {
        continue; // removed by hand: its requests are reported as missing from the batch
      }
      for (const line of text.split('\n')) {
        const id = /^\{"custom_id":("(?:[^"\\]|\\.)*")/.exec(line)?.[1];
        if (id) batchOf.set(JSON.parse(id) as string, b);
      }
    }
    const chat: UnitChat = (_endpoint, _request, unit) => {
      const got = results.get(`${unit.key}|${unit.id}`);
      if (got) return Promise.resolve(got);
      const { kind, reason } = missingReason(batchOf.get(`${unit.key}|${unit.id}`));
      return Promise.resolve({ ok: false, kind, reason, attempts: 0 });
    };
    const merge = await runCandidatesJob({ ...options, responsesPerTarget, prices: batchPrices(options.prices), chat });
    if (!merge.cancelled) {
      // Everything the batches returned is now in the candidates, journal or failures file.
      await fsp.rm(paths.batch, { force: true });
      for (const b of state.batches) await fsp.rm(b.inputPath, { force: true });
    }
    return { state: 'merged', batchIds, merge, resumed, paths };
  }
}

/** Asks the server to cancel the batches still running for this output; returns the ids it cancelled. */
export async function cancelBatchJob(pool: EndpointPool, outputPath: string, signal?: AbortSignal): Promise<string[]> {
  const state = await readBatchState(outputPath);
  if (!state) return [];
  const cancelled: string[] = [];
  try {
    for (const b of state.batches) {
      if (!b.batchId || (b.status && TERMINAL.has(b.status))) continue;
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
