/**
 * Generates candidate responses: for every prompt, `responsesPerTarget` responses from each target
 * (endpoint + model + sampling parameters). Resumable, cancellable, throttled through the pool.
 *
 * On-disk layout (all plain JSONL beside the output, every line appended + fdatasync'd):
 *   <out>                    the candidates file: ONE line per prompt id, `{"id","prompt","responses"}`,
 *                            appended when every response of that prompt has arrived. Readers (the
 *                            labeling panel, the formats engine, trainers' converters) see complete
 *                            records only and never have to merge lines by id.
 *   <out>.progress.jsonl     the journal: one line per finished request unit (prompt × target ×
 *                            request index) of a prompt still waiting for other units, written the
 *                            moment it arrives, so a crash or a cancel loses nothing already
 *                            received; resume rebuilds unfinished prompts from it. The unit that
 *                            completes a prompt goes straight into its candidates line. Deleted when
 *                            a run leaves no unfinished prompt behind.
 * Appends are group-committed (groupCommitLog.ts): a result counts as done only once it is fsync'd.
 *   <out>.failures.jsonl     one line per unit that failed for good, with its prompt and a redacted
 *                            reason; `retryFailures` re-runs exactly those prompts. At the end of a
 *                            run, lines a later success resolved (and older lines of a unit that
 *                            failed again) are removed; the file goes when none is left.
 *   <out>.rate.json          the endpoints' rate windows (rateStateFile.ts), so a rerun keeps to
 *                            `requestsPerMinute` across runs; only for endpoints with limits.
 *   <out>.job.json           the targets this output was made with; resuming with other targets is
 *                            refused (the resume keys would no longer describe what is in the file).
 * Responses of a prompt are ordered by target, then by sample, whatever order they arrived in.
 * A unit is keyed by prompt id + a hash of (endpoint, model, params) + request index, so a unit
 * already in the journal or a prompt already in the candidates file is never requested again.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { Message } from '../model';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import type { PriceTable } from './cost';
import { JobMeter, startingProgress } from './jobMeter';
import type { ChatOutcome, ChatRequest, ChatUsage, EndpointPool } from './endpointPool';
import { GroupCommitLog } from './groupCommitLog';
import { readJsonlRecords } from './jsonlRecords';
import { AbortedError } from './rateScheduler';
import { RateStateFile } from './rateStateFile';
import type { FailureKind } from './retryPolicy';
import * as l10n from '@vscode/l10n';

export interface PromptRecord {
  id: string;
  prompt: Message[];
}

export interface GenerationParams {
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  /** Choices per request; `responsesPerTarget` responses take ceil(responses / n) requests. */
  n?: number;
  /** Request index j is sent with seed + j, so samples differ yet are reproducible. */
  seed?: number;
  /** Replaces the prompt's system message (or adds one). */
  system?: string;
}

export interface CandidateTarget {
  /** Endpoint name in the pool. */
  endpoint: string;
  model: string;
  params: GenerationParams;
}

export interface CandidateResponseLine {
  model: string;
  content: string;
  /** Token usage of the request that produced this response; with `request_n` > 1 it covers that many responses. */
  usage?: ChatUsage & { request_n?: number };
  params?: Omit<GenerationParams, 'n'>;
}

export interface CandidatesLine {
  id: string;
  prompt: Message[];
  responses: CandidateResponseLine[];
}

export interface JobProgress {
  /** Request units finished in this run (a unit = one request, n choices). */
  done: number;
  /** Units this run has to do; undefined while the prompt stream has not been read to its end. */
  total?: number;
  failures: number;
  promptsWritten: number;
  /** Prompts found complete in the output and skipped. */
  promptsSkipped: number;
  requests: number;
  retries: number;
  requestsPerSecond: number;
  tokensIn: number;
  tokensOut: number;
  /** Dollars for priced models; undefined when no model used so far has a price. */
  cost?: number;
  unpricedModels: string[];
  elapsedMs: number;
}

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

export interface CandidatesJobPaths {
  candidates: string;
  journal: string;
  failures: string;
  spec: string;
  rate: string;
}

export function candidatesJobPaths(outputPath: string): CandidatesJobPaths {
  return { candidates: outputPath, journal: `${outputPath}.progress.jsonl`, failures: `${outputPath}.failures.jsonl`, spec: `${outputPath}.job.json`, rate: `${outputPath}.rate.json` };
}

/** Refuses (OutputPathError) a candidates output whose files, the Batch API state included, would land on the input dataset. */
export function refuseCandidatesOutputOverInput(input: string, outputPath: string): void {
  refuseUnsafeOutputs([input], [...Object.values(candidatesJobPaths(outputPath)), `${outputPath}.batch.json`]);
}

export interface FailureLine {
  id: string;
  unit: string;
  endpoint: string;
  model: string;
  kind: FailureKind;
  status?: number;
  reason: string;
  attempts: number;
  ts: string;
  prompt: Message[];
}

interface JournalLine {
  id: string;
  unit: string;
  responses: CandidateResponseLine[];
  ts: string;
}

interface JobSpec {
  version: 1;
  responsesPerTarget: number;
  targets: CandidateTarget[];
}

export interface Unit {
  key: string;
  target: CandidateTarget;
  targetIndex: number;
  j: number;
  k: number;
}

/** Keys sorted so that the same object always hashes the same. */
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

export function targetHash(t: CandidateTarget): string {
  return createHash('sha256').update(canonicalJson({ endpoint: t.endpoint, model: t.model, params: t.params })).digest('hex').slice(0, 16);
}

/** The request units of one prompt, in output order. */
export function unitsFor(targets: CandidateTarget[], responsesPerTarget: number): Unit[] {
  const out: Unit[] = [];
  targets.forEach((target, targetIndex) => {
    const n = Math.max(1, Math.floor(target.params.n ?? 1));
    const h = targetHash(target);
    for (let j = 0; j * n < responsesPerTarget; j++) out.push({ key: `${h}:${j}`, target, targetIndex, j, k: Math.min(n, responsesPerTarget - j * n) });
  });
  return out;
}

/** The messages sent for a prompt under a target: its `system` replaces the prompt's own. */
export function messagesFor(prompt: Message[], params: GenerationParams): Message[] {
  if (params.system === undefined) return prompt;
  return [{ role: 'system', content: params.system }, ...prompt.filter((m) => m.role !== 'system')];
}

function isMessageList(v: unknown): v is Message[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((m) => m && typeof m === 'object' && typeof (m as Message).content === 'string' && ['system', 'user', 'assistant', 'tool'].includes((m as Message).role))
  );
}

/** The request a unit sends: the prompt under the target's parameters, seed + request index. */
export function unitRequest(prompt: Message[], u: Unit): ChatRequest {
  const params = u.target.params;
  const seed = params.seed !== undefined ? params.seed + u.j : undefined;
  return { model: u.target.model, messages: messagesFor(prompt, params), temperature: params.temperature, max_tokens: params.max_tokens, top_p: params.top_p, n: u.k, seed };
}

function checkTargets(pool: EndpointPool, targets: CandidateTarget[], responsesPerTarget: number): void {
  if (!Number.isInteger(responsesPerTarget) || responsesPerTarget < 1) throw new Error(l10n.t('responsesPerTarget must be an integer ≥ 1'));
  if (targets.length === 0) throw new Error(l10n.t('no targets: choose at least one endpoint and model'));
  const names = new Set(pool.endpointNames());
  const seen = new Set<string>();
  for (const t of targets) {
    if (!names.has(t.endpoint)) throw new Error(l10n.t('target uses unknown endpoint "{0}"', t.endpoint));
    if (!t.model) throw new Error(l10n.t('a target on "{0}" has no model', t.endpoint));
    const h = targetHash(t);
    if (seen.has(h)) throw new Error(l10n.t('target {0}/{1} is listed twice with the same parameters', t.endpoint, t.model));
    seen.add(h);
    if (t.params.n !== undefined && !(Number.isInteger(t.params.n) && t.params.n >= 1)) throw new Error(l10n.t('params.n must be an integer ≥ 1'));
  }
}

async function checkSpec(path: string, spec: JobSpec): Promise<void> {
  let text: string | undefined;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    await writeFileAtomic(path, JSON.stringify(spec, null, 2) + '\n');
    return;
  }
  let old: unknown;
  try {
    old = JSON.parse(text);
  } catch {
    throw new Error(l10n.t('{0} is damaged; remove it only if the output beside it should be regenerated from scratch', path));
  }
  if (canonicalJson(old) !== canonicalJson(spec)) {
    throw new Error(l10n.t('this output was generated with other targets or responses per target (see {0}); choose a new output file to generate with these', path));
  }
}

async function* asAsync<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterable<T> {
  yield* items as AsyncIterable<T>;
}

/** Ids already complete in the candidates file. */
async function readDoneIds(path: string, warnings: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  const r = await readJsonlRecords(path, (v) => {
    if (typeof v.id === 'string') done.add(v.id);
  });
  if (r.badLines.length) warnings.push(l10n.t('{0}: {1} damaged line(s) (line {2}) kept as they are', path, r.badLines.length, r.badLines.slice(0, 5).join(', ')));
  return done;
}

export interface PlannedUnit {
  id: string;
  prompt: Message[];
  unit: Unit;
  request: ChatRequest;
}

/**
 * The units a candidates job would request now for these prompts, exactly as `runCandidatesJob`
 * would on resume: prompts already in the candidates file and units already in the journal are
 * left out; invalid and duplicate prompts are skipped the same way. Checks and records the job
 * spec like a run does.
 */
export async function planUnits(options: Pick<CandidatesJobOptions, 'pool' | 'prompts' | 'targets' | 'responsesPerTarget' | 'outputPath'>): Promise<{ units: PlannedUnit[]; promptsSkipped: number; warnings: string[] }> {
  const responsesPerTarget = options.responsesPerTarget ?? 1;
  checkTargets(options.pool, options.targets, responsesPerTarget);
  const paths = candidatesJobPaths(options.outputPath);
  await checkSpec(paths.spec, { version: 1, responsesPerTarget, targets: options.targets });
  const units = unitsFor(options.targets, responsesPerTarget);
  const warnings: string[] = [];
  const doneIds = await readDoneIds(paths.candidates, warnings);
  const have = new Set<string>();
  await readJsonlRecords(paths.journal, (v) => {
    if (typeof v.id === 'string' && typeof v.unit === 'string' && Array.isArray(v.responses)) have.add(`${v.unit}|${v.id}`);
  });
  const out: PlannedUnit[] = [];
  const seen = new Set<string>();
  let promptsSkipped = 0;
  for await (const p of asAsync(options.prompts)) {
    if (!p || typeof p.id !== 'string' || p.id === '' || !isMessageList(p.prompt) || seen.has(p.id)) continue;
    seen.add(p.id);
    if (doneIds.has(p.id)) {
      promptsSkipped++;
      continue;
    }
    for (const u of units) if (!have.has(`${u.key}|${p.id}`)) out.push({ id: p.id, prompt: p.prompt, unit: u, request: unitRequest(p.prompt, u) });
  }
  return { units: out, promptsSkipped, warnings };
}

export async function runCandidatesJob(options: CandidatesJobOptions): Promise<CandidatesJobResult> {
  const { pool, targets, signal, stopSignal } = options;
  const stopped = (): boolean => (signal?.aborted ?? false) || (stopSignal?.aborted ?? false);
  const responsesPerTarget = options.responsesPerTarget ?? 1;
  const redact = (s: string): string => pool.redactor.redact(s);
  const log = (s: string): void => options.log?.(redact(s));
  const paths = candidatesJobPaths(options.outputPath);
  const warnings: string[] = [];
  const warn = (s: string): void => {
    const r = redact(s);
    warnings.push(r);
    log(r);
  };
  try {
    return await run();
  } catch (e) {
    // Every error leaving the job goes through the redactor.
    if (e instanceof AbortedError) throw e;
    throw new Error(pool.redactor.describe(e));
  }

  async function run(): Promise<CandidatesJobResult> {
    checkTargets(pool, targets, responsesPerTarget);
    await checkSpec(paths.spec, { version: 1, responsesPerTarget, targets });
    const units = unitsFor(targets, responsesPerTarget);

    const doneIds = await readDoneIds(paths.candidates, warnings);
    // Units already received for prompts not yet written to the candidates file.
    const journal = new Map<string, Map<string, CandidateResponseLine[]>>();
    const jr = await readJsonlRecords(paths.journal, (v) => {
      const line = v as unknown as JournalLine;
      if (typeof line.id !== 'string' || typeof line.unit !== 'string' || !Array.isArray(line.responses) || doneIds.has(line.id)) return;
      let m = journal.get(line.id);
      if (!m) journal.set(line.id, (m = new Map()));
      m.set(line.unit, line.responses);
    });
    if (jr.badLines.length) warn(l10n.t('{0}: {1} damaged line(s) ignored (line {2}); their units will be requested again', paths.journal, jr.badLines.length, jr.badLines.slice(0, 5).join(', ')));

    const candidatesLog = await GroupCommitLog.open(paths.candidates);
    const rate = await RateStateFile.open(pool, paths.rate);
    // Opened on first use; the promise is shared so that concurrent units open each file once.
    let journalLog: Promise<GroupCommitLog> | undefined;
    let failuresLog: Promise<GroupCommitLog> | undefined;
    const meter = new JobMeter(pool, options.prices);
    const progress = startingProgress();
    const emit = (): void => {
      options.onProgress?.(meter.update(progress));
    };

    // Totals are known up front when the prompts come as an array.
    const known = Array.isArray(options.prompts) ? (options.prompts as PromptRecord[]) : undefined;
    let total = 0;
    if (known) {
      const ids = new Set<string>();
      for (const p of known) {
        if (!p || typeof p.id !== 'string' || ids.has(p.id) || doneIds.has(p.id)) continue;
        ids.add(p.id);
        const have = journal.get(p.id);
        total += units.filter((u) => !have?.has(u.key)).length;
      }
      progress.total = total;
    }
    emit();

    const inFlight = new Set<Promise<void>>();
    const maxInFlight = options.maxInFlight ?? Math.max(4, pool.totalConcurrency() * 2);
    const seen = new Set<string>();
    let ioError: unknown;

    const writeComplete = async (p: PromptRecord, have: Map<string, CandidateResponseLine[]>): Promise<void> => {
      const responses: CandidateResponseLine[] = [];
      for (const u of units) responses.push(...(have.get(u.key) ?? []));
      const line: CandidatesLine = { id: p.id, prompt: p.prompt, responses };
      await candidatesLog.append(line);
      journal.delete(p.id);
      progress.promptsWritten++;
    };

    const runUnit = async (p: PromptRecord, u: Unit, state: { have: Map<string, CandidateResponseLine[]>; pending: number; failed: boolean }): Promise<void> => {
      const params = u.target.params;
      const seed = params.seed !== undefined ? params.seed + u.j : undefined;
      let outcome;
      try {
        const request = unitRequest(p.prompt, u);
        outcome = options.chat ? await options.chat(u.target.endpoint, request, { id: p.id, key: u.key }, signal) : await pool.chat(u.target.endpoint, request, signal, stopSignal);
      } catch (e) {
        if (e instanceof AbortedError) return;
        throw e;
      }
      if (outcome.ok) {
        if (outcome.usage) meter.add(u.target.model, outcome.usage.prompt_tokens, outcome.usage.completion_tokens);
        const sentParams: Omit<GenerationParams, 'n'> = {
          ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
          ...(params.max_tokens !== undefined ? { max_tokens: params.max_tokens } : {}),
          ...(params.top_p !== undefined ? { top_p: params.top_p } : {}),
          // What was sent: a seed the endpoint refused was left out (EndpointPool), so it is not recorded.
          ...(seed !== undefined && !outcome.sentWithout?.includes('seed') ? { seed } : {}),
          ...(params.system !== undefined ? { system: params.system } : {}),
        };
        const usage = outcome.usage ? { ...outcome.usage, ...(u.k > 1 ? { request_n: u.k } : {}) } : undefined;
        // A server may return fewer choices than asked; keep what came, never invent.
        const responses: CandidateResponseLine[] = outcome.choices.slice(0, u.k).map((c) => ({
          model: u.target.model,
          content: c.content,
          ...(usage ? { usage } : {}),
          ...(Object.keys(sentParams).length ? { params: sentParams } : {}),
        }));
        state.have.set(u.key, responses);
        if (state.pending === 1 && !state.failed) {
          // The prompt's last unit: its complete candidates line is the durable record, no journal line needed.
          state.pending = 0;
          progress.done++;
          await writeComplete(p, state.have);
          emit();
          return;
        }
        journalLog ??= GroupCommitLog.open(paths.journal);
        const jl: JournalLine = { id: p.id, unit: u.key, responses, ts: new Date().toISOString() };
        await (await journalLog).append(jl);
        progress.done++;
      } else {
        failuresLog ??= GroupCommitLog.open(paths.failures);
        const fl: FailureLine = {
          id: p.id,
          unit: u.key,
          endpoint: u.target.endpoint,
          model: u.target.model,
          kind: outcome.kind,
          ...(outcome.status !== undefined ? { status: outcome.status } : {}),
          reason: redact(outcome.reason),
          attempts: outcome.attempts,
          ts: new Date().toISOString(),
          prompt: p.prompt,
        };
        await (await failuresLog).append(fl);
        state.failed = true;
        progress.failures++;
        log(`prompt ${p.id} ${u.target.endpoint}/${u.target.model}#${u.j}: ${fl.reason}`);
      }
      state.pending--;
      if (state.pending === 0) {
        if (!state.failed) await writeComplete(p, state.have);
        else journal.delete(p.id); // stays in the journal file and the failures file for retryFailures
      }
      emit();
    };

    const launch = async (task: Promise<void>): Promise<void> => {
      const tracked = task
        .catch((e: unknown) => {
          ioError ??= e;
        })
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    };

    // A read error of the prompts or a failed write ends the loop; the units in flight finish and
    // every log is closed before the error leaves the job.
    try {
      for await (const p of asAsync(options.prompts)) {
        if (stopped() || ioError) break;
        if (!p || typeof p.id !== 'string' || p.id === '' || !isMessageList(p.prompt)) {
          warn(l10n.t('skipped an input record without a string id and a non-empty message list{0}', p && typeof p.id === 'string' ? l10n.t(' (id {0})', p.id) : ''));
          continue;
        }
        if (seen.has(p.id)) {
          warn(l10n.t('skipped a second prompt with id {0}: ids must be unique', p.id));
          continue;
        }
        seen.add(p.id);
        if (doneIds.has(p.id)) {
          progress.promptsSkipped++;
          continue;
        }
        const have = journal.get(p.id) ?? new Map<string, CandidateResponseLine[]>();
        journal.set(p.id, have);
        const todo = units.filter((u) => !have.has(u.key));
        total += known ? 0 : todo.length;
        if (todo.length === 0) {
          await writeComplete(p, have);
          emit();
          continue;
        }
        const state = { have, pending: todo.length, failed: false };
        for (const u of todo) {
          if (stopped() || ioError) break;
          await launch(runUnit(p, u, state));
        }
      }
    } catch (e) {
      ioError ??= e;
    }
    if (!known && !stopped() && !ioError) progress.total = total;
    await Promise.all(inFlight);
    const closed = await Promise.allSettled([candidatesLog.close(), journalLog?.then((l) => l.close()), failuresLog?.then((l) => l.close()), rate.close()]);
    for (const c of closed) if (c.status === 'rejected') ioError ??= c.reason;
    if (ioError) throw ioError;
    await compactFailures(paths);
    const cancelled = stopped();
    // Drop the journal once nothing in it is still needed: no unfinished prompt of this or an earlier run.
    if (!cancelled && progress.failures === 0 && journal.size === 0) {
      await fsp.rm(paths.journal, { force: true });
    }
    emit();
    return { cancelled, progress: { ...progress }, warnings, paths };
  }
}

/**
 * Leaves in `<out>.failures.jsonl` only the failures still open: not those of a prompt now in the
 * candidates file or of a unit now in the journal, and for a unit that failed more than once only
 * its latest line. Rewritten atomically; removed when nothing is open.
 */
async function compactFailures(paths: CandidatesJobPaths): Promise<void> {
  const lines: { raw: Record<string, unknown>; key?: string }[] = [];
  const r = await readJsonlRecords(paths.failures, (v) => {
    lines.push({ raw: v, key: typeof v.id === 'string' && typeof v.unit === 'string' ? `${v.unit}|${v.id}` : undefined });
  });
  // A file with a damaged line is left as it is: a rewrite would drop what no one can read now.
  if (r.lines === 0 || r.badLines.length > 0) return;
  const done = await readDoneIds(paths.candidates, []);
  const journaled = new Set<string>();
  await readJsonlRecords(paths.journal, (v) => {
    if (typeof v.id === 'string' && typeof v.unit === 'string' && Array.isArray(v.responses)) journaled.add(`${v.unit}|${v.id}`);
  });
  const latest = new Map<string, number>();
  lines.forEach((l, i) => {
    if (l.key) latest.set(l.key, i);
  });
  const open = lines.filter((l, i) => !l.key || (latest.get(l.key) === i && !done.has(l.raw.id as string) && !journaled.has(l.key)));
  if (open.length === lines.length) return;
  if (open.length === 0) await fsp.rm(paths.failures, { force: true });
  else await writeFileAtomic(paths.failures, open.map((l) => JSON.stringify(l.raw) + '\n').join(''));
}

/** Prompts with a recorded failure that are still missing from the candidates file. */
export async function readOpenFailures(outputPath: string): Promise<{ prompts: PromptRecord[]; failures: FailureLine[]; warnings: string[] }> {
  const paths = candidatesJobPaths(outputPath);
  const warnings: string[] = [];
  const done = await readDoneIds(paths.candidates, warnings);
  const prompts = new Map<string, PromptRecord>();
  const failures: FailureLine[] = [];
  const r = await readJsonlRecords(paths.failures, (v) => {
    const f = v as unknown as FailureLine;
    if (typeof f.id !== 'string' || done.has(f.id) || !isMessageList(f.prompt)) return;
    failures.push(f);
    prompts.set(f.id, { id: f.id, prompt: f.prompt });
  });
  if (r.badLines.length) warnings.push(l10n.t('{0}: {1} damaged line(s) ignored', paths.failures, r.badLines.length));
  return { prompts: [...prompts.values()], failures, warnings };
}

export interface RetryFailuresOptions extends Omit<CandidatesJobOptions, 'prompts' | 'targets' | 'responsesPerTarget'> {
  /** Targets as stored in <out>.job.json are used unless given. */
  targets?: CandidateTarget[];
}

/**
 * Re-runs only the prompts that have a recorded failure and are not yet in the candidates file.
 * Units of those prompts that did succeed (in the journal) are not requested again.
 */
export async function retryFailures(options: RetryFailuresOptions): Promise<CandidatesJobResult> {
  const paths = candidatesJobPaths(options.outputPath);
  let spec: JobSpec;
  try {
    spec = JSON.parse(await fsp.readFile(paths.spec, 'utf8')) as JobSpec;
  } catch {
    throw new Error(l10n.t('no readable {0}: was {1} made by a candidates job?', paths.spec, options.outputPath));
  }
  const open = await readOpenFailures(options.outputPath);
  const result = await runCandidatesJob({ ...options, prompts: open.prompts, targets: options.targets ?? spec.targets, responsesPerTarget: spec.responsesPerTarget });
  return { ...result, warnings: [...open.warnings, ...result.warnings] };
}
