/**
 * Generates new records for a dataset, in the dataset's own format: each request shows the model
 * the topic and k seed records and asks for ONE new record as a JSON object (syntheticPrompt.ts).
 * A reply is kept only when
 *   - it parses as one JSON object and the formats engine finds no error in it for the dataset's
 *     format (validateRecordText: fit, schema, rules) and it maps to the canonical model; otherwise
 *     the request is repeated up to `maxAttempts` times, then the record is counted as rejected
 *     with every attempt's reason in the rejected report;
 *   - it is neither an exact duplicate (normalised text hash, as `dedupe`) nor a near duplicate
 *     (MinHash LSH, as `dedupe --near`) of a record already in the dataset or generated earlier
 *     in the job; a duplicate is dropped, counted and listed in the rejected report.
 * Kept records are appended to the dataset and fsynced (datasetAppender.ts; a `.json` array is
 * rewritten atomically). The job never overshoots: it keeps at most `count - accepted` record
 * requests in flight.
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
 * Resume: run the same job again (same dataset, topic, model and parameters); it continues to
 * `count` accepted records. Request seeds continue past every seed an earlier run reserved, even
 * one killed with requests in flight, so a deterministic server is not asked the same question
 * twice (a kill leaves a gap of unused seeds instead).
 * Early stop: after `maxUnproductive` record requests IN A ROW gave no record (an accepted record
 * starts the count again).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { CanonicalRecord } from '../model';
import { detectFileFormat, scanRecords } from '../curate/datasetScan';
import { HashIndex } from '../curate/hashIndex';
import { LshIndex, lshParams, MinHasher, NEAR_NUM_PERM } from '../curate/minhash';
import { fullText } from '../curate/recordText';
import { NON_ASCII, normalizedHash53 } from '../curate/textHash';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { validateRecordText } from '../validate/pipeline';
import type { PriceTable } from './cost';
import { JobMeter, startingProgress } from './jobMeter';
import type { JobProgress } from './candidatesJob';
import { datasetLayout, openDatasetAppender, type DatasetAppender } from './datasetAppender';
import type { EndpointPool } from './endpointPool';
import { GroupCommitLog } from './groupCommitLog';
import { readJsonlRecords } from './jsonlRecords';
import { AbortedError } from './rateScheduler';
import { RateStateFile } from './rateStateFile';
import { seededRandom } from '../random';
import { buildSyntheticMessages, parseRecordReply } from './syntheticPrompt';

export interface SyntheticJobOptions {
  pool: EndpointPool;
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
  prices?: PriceTable;
  /** Cancels at once (requests in flight are abandoned). */
  signal?: AbortSignal;
  /** Stops gently: no new request; records in flight finish and are kept (see CandidatesJobOptions). */
  stopSignal?: AbortSignal;
  onProgress?: (p: SyntheticProgress) => void;
  log?: (line: string) => void;
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

const SEED_POOL = 64;
const NUM_PERM = NEAR_NUM_PERM;
const SHINGLE = 3;
const REPLY_KEPT = 2000;

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What identifies a job: resuming needs the same settings (the target count may change). */
export function syntheticJobId(o: Pick<SyntheticJobOptions, 'topic' | 'endpoint' | 'model' | 'temperature' | 'maxTokens' | 'seed' | 'seedCount' | 'seeds'> & { format: FormatId }): string {
  const spec = { format: o.format, topic: o.topic.trim(), endpoint: o.endpoint, model: o.model, temperature: o.temperature, maxTokens: o.maxTokens, seed: o.seed, seedCount: o.seedCount, seeds: o.seeds };
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

/** Text of a record for duplicate detection: prompt and responses (as `dedupe` compares them). */
function recordKey(format: FormatModule, value: Record<string, unknown>, options?: FormatOptions): CanonicalRecord | undefined {
  try {
    return format.toCanonical(value, options);
  } catch {
    return undefined;
  }
}

function lowerNonAscii(s: string): string {
  return NON_ASCII.test(s) ? s.toLowerCase() : s;
}

function clip(s: string): string {
  return s.length > REPLY_KEPT ? `${s.slice(0, REPLY_KEPT)}…` : s;
}

export async function runSyntheticJob(options: SyntheticJobOptions): Promise<SyntheticJobResult> {
  const { pool } = options;
  try {
    return await run(options);
  } catch (e) {
    // A cancel while the dataset is read (the reader has its own error class) is a cancel too.
    if (e instanceof AbortedError || options.signal?.aborted) throw e instanceof AbortedError ? e : new AbortedError();
    // Every error leaving the job goes through the redactor.
    throw new Error(pool.redactor.describe(e));
  }
}

async function run(options: SyntheticJobOptions): Promise<SyntheticJobResult> {
  const { pool, signal, stopSignal } = options;
  const stopped = (): boolean => (signal?.aborted ?? false) || (stopSignal?.aborted ?? false);
  const redact = (s: string): string => pool.redactor.redact(s);
  const log = (s: string): void => options.log?.(redact(s));
  const warnings: string[] = [];
  const warn = (s: string): void => {
    warnings.push(redact(s));
    log(s);
  };
  const topic = options.topic.trim();
  const count = options.count;
  const seedCount = options.seedCount ?? 3;
  const seed = options.seed ?? 1;
  const temperature = options.temperature ?? 1;
  const maxTokens = options.maxTokens ?? 1024;
  const threshold = options.nearThreshold ?? 0.8;
  const maxAttempts = options.maxAttempts ?? 3;
  const maxUnproductive = options.maxUnproductive ?? Math.max(20, 2 * count);
  if (!topic) throw new Error(l10n.t('the topic is empty: describe what the new records should be about'));
  if (!Number.isInteger(count) || count < 1) throw new Error(l10n.t('the number of records must be an integer ≥ 1, not {0}', String(count)));
  if (!Number.isInteger(seedCount) || seedCount < 0 || seedCount > 20) throw new Error(l10n.t('the seed count must be an integer from 0 to 20, not {0}', String(seedCount)));
  if (!(threshold > 0 && threshold <= 1)) throw new Error(l10n.t('the near-duplicate threshold must be in (0, 1], not {0}', String(threshold)));
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(l10n.t('maxAttempts must be an integer ≥ 1'));
  if (!pool.endpointNames().includes(options.endpoint)) throw new Error(l10n.t('unknown endpoint "{0}"', options.endpoint));
  if (!options.model) throw new Error(l10n.t('no model given'));

  const datasetPath = options.datasetPath;
  let size: number;
  try {
    const st = await fsp.stat(datasetPath);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new Error(l10n.t('{0} is not a readable dataset file', datasetPath));
  }
  const detection = await detectFileFormat(datasetPath, { format: options.format, signal });
  if (!detection.format) throw new Error(l10n.t('no known dataset format fits {0} ({1}); choose the format', path.basename(datasetPath), detection.evidence));
  const formatId = detection.format;
  const format = getFormat(formatId);
  const formatOptions = options.formatOptions;
  const layout = await datasetLayout(datasetPath);
  const maxArray = options.maxArrayRewriteBytes ?? 64 * 1024 * 1024;
  if (layout === 'json-array' && size > maxArray) {
    throw new Error(
      l10n.t(
        '{0} is a JSON array of {1} MB: adding records would rewrite all of it for every batch. Convert it to JSON Lines (Pairwise: Convert Dataset Format, or pairwise convert) and generate into that file',
        path.basename(datasetPath),
        (size / 1048576).toFixed(1),
      ),
    );
  }
  const paths = syntheticJobPaths(datasetPath);
  // A link planted under one of the job's files is refused before anything is read or requested.
  refuseUnsafeOutputs([], [paths.dataset, paths.progress, paths.rejected, paths.rate]);
  const jobId = syntheticJobId({ ...options, format: formatId, temperature, maxTokens, seed, seedCount });

  // One pass over the dataset: duplicate indexes and a seeded reservoir of valid seed records.
  const exact = new HashIndex();
  const hasher = new MinHasher(NUM_PERM, SHINGLE, 1);
  const lsh = new LshIndex(NUM_PERM, lshParams(threshold, NUM_PERM));
  const sig = new Int32Array(NUM_PERM);
  const reservoir: Record<string, unknown>[] = [];
  const pickRandom = seededRandom(seed);
  let validSeen = 0;
  let fileProblems = 0;
  let records = 0;
  const isValid = (value: Record<string, unknown>): boolean =>
    !validateRecordText(JSON.stringify(value), formatId, 1, 0, 1, { formatOptions }).problems.some((p) => p.severity === 'error');
  await scanRecords(
    datasetPath,
    {
      record: (rec) => {
        records++;
        if (!rec.value) return;
        const canonical = recordKey(format, rec.value, formatOptions);
        if (!canonical) return;
        const text = fullText(canonical);
        exact.setIfAbsent(normalizedHash53(text), rec.index);
        hasher.signature(lowerNonAscii(text), sig);
        lsh.insert(sig);
        if (options.seeds) return;
        // Reservoir sampling; only a record about to enter is validated (schema checks cost).
        validSeen++;
        const slot = reservoir.length < SEED_POOL ? reservoir.length : Math.floor(pickRandom() * validSeen);
        if (slot < SEED_POOL && isValid(rec.value)) reservoir[slot] = rec.value;
      },
      problem: () => {
        fileProblems++;
      },
    },
    { signal },
  );
  if (layout === 'json-array' && fileProblems > 0) {
    throw new Error(l10n.t('{0} is not a well-formed JSON array ({1} problem(s) reading it); fix it first (Pairwise: Validate) — nothing was written', path.basename(datasetPath), fileProblems));
  }
  const seedPool = options.seeds ?? reservoir.filter((r) => r !== undefined);
  if (options.seeds) {
    for (const [i, s] of options.seeds.entries()) {
      if (!s || typeof s !== 'object' || Array.isArray(s) || !isValid(s)) throw new Error(l10n.t('seed record {0} is not a valid {1} record', i + 1, formatId));
    }
  }
  if (seedPool.length === 0 && seedCount > 0) warn(l10n.t('{0} has no valid {1} record to show as a seed; the format\'s example record is shown instead', path.basename(datasetPath), formatId));

  // Earlier runs of this job.
  let acceptedBefore = 0;
  let requestCounter = 0;
  let reservedBefore = 0;
  const pr = await readJsonlRecords(paths.progress, (v) => {
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
    // Accepted lines count only when their record made it into the dataset.
    if (line.kind === 'accepted' && typeof line.hash === 'number' && exact.get(line.hash) >= 0) acceptedBefore++;
    if (typeof line.requests === 'number') requestCounter += line.requests;
  });
  if (pr.badLines.length) warn(l10n.t('{0}: {1} damaged line(s) ignored', paths.progress, pr.badLines.length));
  if (options.restart) acceptedBefore = 0;
  // Past every seed an earlier run may have sent (the sum of requests of its records misses those
  // in flight when it was killed; its reservations do not).
  requestCounter = Math.max(requestCounter, reservedBefore);

  const progressLog = await GroupCommitLog.open(paths.progress);
  if (options.restart) await progressLog.append({ job: jobId, kind: 'restart', ts: new Date().toISOString() } satisfies SyntheticProgressLine);
  let rejectedLog: Promise<GroupCommitLog> | undefined;
  // The promise, not the appender: records accepted in the same tick must share one appender
  // (two would leak a file handle, and two rewrites of a .json array would drop records).
  let appender: Promise<DatasetAppender> | undefined;
  const meter = new JobMeter(pool, options.prices);
  const progress: SyntheticProgress = {
    ...startingProgress(count),
    done: acceptedBefore,
    requested: count,
    acceptedBefore,
    accepted: 0,
    rejected: 0,
    duplicatesExact: 0,
    duplicatesNear: 0,
  };
  const emit = (): void => {
    progress.done = acceptedBefore + progress.accepted;
    progress.promptsWritten = progress.accepted;
    options.onProgress?.(meter.update(progress));
  };
  emit();

  const note = (line: Omit<SyntheticProgressLine, 'job' | 'ts'>): Promise<void> => progressLog.append({ job: jobId, ...line, ts: new Date().toISOString() });
  const report = async (line: Omit<RejectedLine, 'job' | 'ts'>): Promise<void> => {
    rejectedLog ??= GroupCommitLog.open(paths.rejected);
    await (await rejectedLog).append({ job: jobId, ...line, ts: new Date().toISOString() });
  };

  const seedsFor = (r: number): Record<string, unknown>[] => {
    if (seedCount === 0 || seedPool.length === 0) return [format.example];
    const rnd = seededRandom(seed * 7919 + r);
    const idx = seedPool.map((_, i) => i);
    const k = Math.min(seedCount, idx.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rnd() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, k).map((i) => seedPool[i]);
  };

  /** Record requests in a row (in the order they ended) that gave no record. */
  let unproductive = 0;
  const maxInFlight = Math.max(1, pool.config(options.endpoint).maxConcurrency);

  // Request seeds are reserved in blocks: the line naming the block's end is durable before a
  // seed inside it is sent, so a run killed with requests in flight never has its seeds reused.
  const RESERVE_BLOCK = Math.max(16, 2 * maxInFlight * maxAttempts);
  let reserved = requestCounter;
  let reserving: Promise<void> | undefined;
  const nextRequestIndex = async (): Promise<number> => {
    const r = requestCounter++;
    while (r >= reserved) {
      reserving ??= (async () => {
        const upTo = Math.max(reserved, r + 1) + RESERVE_BLOCK;
        await note({ kind: 'reserved', requests: upTo });
        reserved = upTo;
      })().finally(() => {
        reserving = undefined;
      });
      await reserving;
    }
    return r;
  };

  /** One record: up to maxAttempts requests while replies are invalid; then one outcome. */
  const oneRecord = async (): Promise<void> => {
    const attempts: { reason: string; reply: string }[] = [];
    let used = 0;
    for (let a = 0; a < maxAttempts; a++) {
      // Stopped between attempts: the record is left unfinished (nothing recorded, nothing more paid).
      if (stopped()) throw new AbortedError();
      const r = await nextRequestIndex();
      used++;
      const outcome = await pool.chat(
        options.endpoint,
        { model: options.model, messages: buildSyntheticMessages(format, topic, seedsFor(r)), temperature, max_tokens: maxTokens, seed: seed + r },
        signal,
        stopSignal,
      );
      if (!outcome.ok) {
        progress.failures++;
        unproductive++;
        log(l10n.t('record request failed: {0}', outcome.reason));
        await note({ kind: 'failed', requests: used });
        return;
      }
      if (outcome.usage) meter.add(options.model, outcome.usage.prompt_tokens, outcome.usage.completion_tokens);
      const reply = outcome.choices[0]?.content ?? '';
      const parsed = parseRecordReply(reply);
      if (!parsed.ok) {
        attempts.push({ reason: redact(parsed.reason), reply: clip(redact(reply)) });
        continue;
      }
      const problems = validateRecordText(JSON.stringify(parsed.value), formatId, 1, 0, 1, { formatOptions }).problems.filter((p) => p.severity === 'error');
      const canonical = problems.length ? undefined : recordKey(format, parsed.value, formatOptions);
      if (!canonical) {
        const why = problems.length ? problems.slice(0, 3).map((p) => `${p.rule}: ${p.message}`).join('; ') : l10n.t('the record has no canonical form');
        attempts.push({ reason: redact(l10n.t('not a valid {0} record: {1}', formatId, why)), reply: clip(redact(reply)) });
        continue;
      }
      const text = fullText(canonical);
      const h = normalizedHash53(text);
      // Check and insert without an await in between: concurrent records see each other.
      if (exact.get(h) >= 0) {
        progress.duplicatesExact++;
        unproductive++;
        await report({ kind: 'duplicate-exact', reason: l10n.t('exact duplicate of a record in the dataset or generated earlier'), record: parsed.value, similarity: 1 });
        await note({ kind: 'duplicate-exact', requests: used });
        return;
      }
      hasher.signature(lowerNonAscii(text), sig);
      const hit = lsh.query(sig);
      if (hit) {
        progress.duplicatesNear++;
        unproductive++;
        await report({ kind: 'duplicate-near', reason: l10n.t('near duplicate (estimated similarity {0}) of a record in the dataset or generated earlier', hit.similarity.toFixed(2)), record: parsed.value, similarity: hit.similarity });
        await note({ kind: 'duplicate-near', requests: used });
        return;
      }
      exact.setIfAbsent(h, records + progress.accepted);
      lsh.insert(sig);
      // The progress line first: a resumed run counts it only if the record reached the dataset.
      await note({ kind: 'accepted', hash: h, requests: used });
      appender ??= openDatasetAppender(datasetPath, layout);
      await (await appender).append(parsed.value);
      progress.accepted++;
      unproductive = 0;
      emit();
      return;
    }
    progress.rejected++;
    unproductive++;
    log(l10n.t('record rejected after {0} invalid repl(ies): {1}', attempts.length, attempts[attempts.length - 1]?.reason ?? ''));
    await report({ kind: 'invalid', reason: attempts[attempts.length - 1]?.reason ?? '', attempts });
    await note({ kind: 'rejected', requests: used });
  };

  const inFlight = new Set<Promise<void>>();
  let ioError: unknown;
  let stoppedEarly: string | undefined;
  const rate = await RateStateFile.open(pool, paths.rate);
  try {
    for (;;) {
      if (stopped() || ioError) break;
      const missing = count - acceptedBefore - progress.accepted - inFlight.size;
      const blocked = missing <= 0 || inFlight.size >= maxInFlight || unproductive >= maxUnproductive;
      if (blocked) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
        continue;
      }
      const task: Promise<void> = oneRecord()
        .catch((e: unknown) => {
          if (!(e instanceof AbortedError)) ioError ??= e;
        })
        .finally(() => {
          inFlight.delete(task);
          emit();
        });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
    if (!stopped() && !ioError && acceptedBefore + progress.accepted < count && unproductive >= maxUnproductive) {
      stoppedEarly = l10n.t('stopped after {0} record requests in a row gave no new record (invalid, duplicate or failed); see {1}', unproductive, path.basename(paths.rejected));
      warn(stoppedEarly);
    }
  } finally {
    // Where request seeds continue on resume (requests cut short by a cancel are counted too).
    await note({ kind: 'issued', requests: requestCounter }).catch(() => undefined);
    await rate.close();
    await progressLog.close();
    await (await appender?.catch(() => undefined))?.close();
    await (await rejectedLog)?.close();
  }
  if (ioError) throw ioError;
  emit();
  return { cancelled: stopped(), stoppedEarly, progress: { ...progress }, format: formatId, layout, jobId, paths, warnings };
}
