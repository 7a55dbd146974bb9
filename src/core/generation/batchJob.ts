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
import { planUnits, runCandidatesJob, targetHash, type CandidatesJobOptions, type CandidatesJobResult, type PlannedUnit, type UnitChat } from './candidatesJob';
import { chatRequestBody, type ChatOutcome, type EndpointPool } from './endpointPool';
import { withRedactedErrors } from './jobRunner';
import { AbortedError } from '../base/cancellation';
import { sleep } from './rateScheduler';
import { batchPrices, missingReason, parseBatchResults } from './batchResults';
import { progressOf, type BatchProgress } from './batchProgress';
import { allEnded, batchJobPaths, readBatchState, saveState, stillRunning, type BatchEntry, type BatchJobPaths, type BatchState, type BatchStatus } from './batchState';

export { parseBatchResults } from './batchResults';
export { batchPollingMeter, type BatchProgress } from './batchProgress';
export { batchJobPaths, cancelBatchJob, readBatchState, type BatchEntry, type BatchJobPaths, type BatchState, type BatchStatus } from './batchState';

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

/** The most recent batch (among the last 100) made from this input file, if any. */
async function findBatchFor(pool: EndpointPool, endpoint: string, inputFileId: string, signal?: AbortSignal): Promise<{ id: string; status: BatchStatus } | undefined> {
  const page = await pool.client(endpoint).batches.list({ limit: 100 }, { signal });
  return page.data.find((x) => x.input_file_id === inputFileId);
}


/** A long timeout for file transfers: at least 10 min, or the endpoint's own if longer. */
function transferTimeout(pool: EndpointPool, endpoint: string): number {
  return Math.max(600_000, pool.config(endpoint).timeoutSeconds * 1000);
}

/** The units to batch, one group per endpoint and model: OpenAI takes a single model per batch input file. */
function groupByModel(units: PlannedUnit[]): PlannedUnit[][] {
  const groups = new Map<string, PlannedUnit[]>();
  for (const u of units) {
    const k = JSON.stringify([u.unit.target.endpoint, u.unit.target.model]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(u);
  }
  return [...groups.values()];
}

class BatchJob {
  private readonly responsesPerTarget: number;
  private readonly paths: BatchJobPaths;
  private readonly pool: EndpointPool;
  private readonly signal: AbortSignal | undefined;
  private state!: BatchState;
  private inputs = 0;

  constructor(private readonly options: BatchJobOptions) {
    this.responsesPerTarget = options.responsesPerTarget ?? 1;
    this.paths = batchJobPaths(options.outputPath);
    this.pool = options.pool;
    this.signal = options.signal;
  }

  private log(s: string): void {
    this.options.log?.(this.pool.redactor.redact(s));
  }

  private emit(phase: BatchProgress['phase']): void {
    this.options.onBatchProgress?.(progressOf(this.state, phase));
  }

  async execute(): Promise<BatchJobResult> {
    const resumed = await this.loadOrPlan();
    await this.uploadAndCreate();
    const batchIds = this.state.batches.map((b) => b.batchId ?? '');
    if (!(await this.pollUntilEnded())) return { state: 'pending', batchIds, resumed, paths: this.paths };
    const merge = await this.merge();
    return { state: 'merged', batchIds, merge, resumed, paths: this.paths };
  }

  /** The batches an earlier run recorded (true), or new ones planned from the units still to request. */
  private async loadOrPlan(): Promise<boolean> {
    const hashes = this.options.targets.map(targetHash);
    const state = await readBatchState(this.options.outputPath);
    if (state && (state.responsesPerTarget !== this.responsesPerTarget || state.targets.join(',') !== hashes.join(','))) {
      throw new Error(l10n.t('{0} holds batches made with other targets or responses per target; finish or remove it first', this.paths.batch));
    }
    if (state) {
      this.state = state;
      return true;
    }
    const plan = await planUnits({ ...this.options, responsesPerTarget: this.responsesPerTarget });
    for (const w of plan.warnings) this.log(w);
    this.state = { version: 1, responsesPerTarget: this.responsesPerTarget, targets: hashes, batches: [] };
    const maxRequests = Math.max(1, Math.floor(this.options.maxRequestsPerBatch ?? 10_000));
    for (const units of groupByModel(plan.units)) await this.writeInputs(units, maxRequests);
    if (this.state.batches.length) await saveState(this.paths.batch, this.state);
    return false;
  }

  /** Writes a group's input files, split within the request and byte limits, and records a batch for each. */
  private async writeInputs(units: PlannedUnit[], maxRequests: number): Promise<void> {
    let chunk: string[] = [];
    let bytes = 0;
    const flush = async (): Promise<void> => {
      if (!chunk.length) return;
      const inputPath = `${this.options.outputPath}.batch-input-${this.inputs++}.jsonl`;
      await writeFileAtomic(inputPath, chunk.join('\n') + '\n');
      this.state.batches.push({ endpoint: units[0].unit.target.endpoint, model: units[0].unit.target.model, units: chunk.length, inputPath, createdAt: new Date().toISOString() });
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

  /** Uploads and creates what an earlier run did not get to (a crash between the steps resumes here). */
  private async uploadAndCreate(): Promise<void> {
    const { pool, signal, state } = this;
    for (const b of state.batches) {
      if (b.batchId) continue;
      this.emit('uploading');
      const client = pool.client(b.endpoint);
      let uploadedNow = false;
      if (!b.inputFileId) {
        uploadedNow = true;
        const file = await client.files.create({ file: await toFile(await fsp.readFile(b.inputPath), path.basename(b.inputPath), { type: 'application/jsonl' }), purpose: 'batch' }, { signal, timeout: transferTimeout(pool, b.endpoint) });
        b.inputFileId = file.id;
        await saveState(this.paths.batch, state);
        this.log(`uploaded ${path.basename(b.inputPath)} (${b.units} requests) as ${file.id}`);
      }
      // An earlier run uploaded the input but stopped before recording a batch: it may have been
      // created all the same (a crash between the request and the write), so look for it first.
      const existing = uploadedNow ? undefined : await findBatchFor(pool, b.endpoint, b.inputFileId, signal);
      const batch = existing ?? await client.batches.create(
        { input_file_id: b.inputFileId, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { source: 'pairwise', output: path.basename(this.options.outputPath).slice(0, 500) } },
        { signal },
      );
      b.batchId = batch.id;
      b.status = batch.status;
      await saveState(this.paths.batch, state);
      this.log(`${existing ? 'found' : 'created'} batch ${batch.id} for ${b.endpoint}/${b.model}`);
    }
  }

  /** Polls until every batch has ended (true); a cancel stops polling and leaves the batches running (false). */
  private async pollUntilEnded(): Promise<boolean> {
    let delay = this.options.pollIntervalMs ?? 10_000;
    const maxDelay = Math.max(delay, this.options.maxPollIntervalMs ?? 300_000);
    const polls = { failedInARow: 0 };
    try {
      for (;;) {
        let changed = false;
        for (const b of this.state.batches) if (stillRunning(b)) changed = (await this.poll(b, polls)) || changed;
        if (changed) await saveState(this.paths.batch, this.state);
        this.emit('polling');
        if (allEnded(this.state)) return true;
        await sleep(delay, this.signal);
        delay = Math.min(maxDelay, Math.round(delay * 1.5));
      }
    } catch (e) {
      if (e instanceof AbortedError) return false;
      throw e;
    }
  }

  /** One poll of a batch; true when its status or count changed. A poll that fails (network, 5xx) is tried again later; many in a row end the wait. */
  private async poll(b: BatchEntry & { batchId: string }, polls: { failedInARow: number }): Promise<boolean> {
    try {
      const r = await this.pool.client(b.endpoint).batches.retrieve(b.batchId, { signal: this.signal });
      polls.failedInARow = 0;
      const changed = r.status !== b.status || r.request_counts?.completed !== b.requestCounts?.completed;
      b.status = r.status;
      if (r.request_counts) b.requestCounts = { total: r.request_counts.total, completed: r.request_counts.completed, failed: r.request_counts.failed };
      b.outputFileId = r.output_file_id ?? undefined;
      b.errorFileId = r.error_file_id ?? undefined;
      const errs = r.errors?.data?.map((d) => `${d.line !== undefined && d.line !== null ? `line ${d.line}: ` : ''}${d.message ?? d.code ?? ''}`);
      if (errs?.length) b.errors = errs.map((x) => this.pool.redactor.redact(x));
      return changed;
    } catch (e) {
      if (this.signal?.aborted) throw new AbortedError();
      if (++polls.failedInARow >= 10) throw e;
      this.log(`polling ${b.batchId} failed: ${this.pool.redactor.describe(e)}`);
      return false;
    }
  }

  /** Downloads the results and merges them through the candidates job, which answers each unit from them. */
  private async merge(): Promise<CandidatesJobResult> {
    this.emit('merging');
    const results = await this.downloadResults();
    const batchOf = await this.batchOfRequests();
    const chat: UnitChat = (_endpoint, _request, unit) => {
      const got = results.get(`${unit.key}|${unit.id}`);
      if (got) return Promise.resolve(got);
      const { kind, reason } = missingReason(batchOf.get(`${unit.key}|${unit.id}`));
      return Promise.resolve({ ok: false, kind, reason, attempts: 0 });
    };
    const merge = await runCandidatesJob({ ...this.options, responsesPerTarget: this.responsesPerTarget, prices: batchPrices(this.options.prices), chat });
    if (!merge.cancelled) {
      // Everything the batches returned is now in the candidates, journal or failures file.
      await fsp.rm(this.paths.batch, { force: true });
      for (const b of this.state.batches) await fsp.rm(b.inputPath, { force: true });
    }
    return merge;
  }

  private async downloadResults(): Promise<Map<string, ChatOutcome>> {
    const results = new Map<string, ChatOutcome>();
    const redact = (s: string): string => this.pool.redactor.redact(s);
    for (const b of this.state.batches) {
      for (const id of [b.outputFileId, b.errorFileId]) {
        if (!id) continue;
        const resp = await this.pool.client(b.endpoint).files.content(id, { signal: this.signal, timeout: transferTimeout(this.pool, b.endpoint) });
        const { badLines } = parseBatchResults(await resp.text(), redact, results);
        if (badLines) this.log(`batch file ${id}: ${badLines} unreadable line(s); their requests count as failed`);
      }
    }
    return results;
  }

  /** Which batch each request was in, to say why one without a result has none. */
  private async batchOfRequests(): Promise<Map<string, BatchEntry>> {
    const batchOf = new Map<string, BatchEntry>();
    for (const b of this.state.batches) {
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
    return batchOf;
  }
}

/** Uploads and waits for (or resumes waiting for) the batches of a candidates job, then merges their results. */
export async function runBatchJob(options: BatchJobOptions): Promise<BatchJobResult> {
  return withRedactedErrors(options.pool, options.signal, () => new BatchJob(options).execute());
}

//END
