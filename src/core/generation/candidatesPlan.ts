/**
 * What a candidates job asks for: its targets and request units, the files beside its output,
 * its recorded spec (`<out>.job.json`), and which units are still to request on a (re)run.
 * A unit is keyed by prompt id + a hash of (endpoint, model, params) + request index, so a unit
 * already in the journal or a prompt already in the candidates file is never requested again.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { Message } from '../model';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { canonicalJson } from '../base/canonicalJson';
import type { ChatRequest, ChatUsage, EndpointPool } from './endpointPool';
import { readJsonlRecords } from './jsonlRecords';

export interface PromptRecord {
  id: string;
  prompt: Message[];
  /** Multi-turn (turns `each`): the source record and which of its assistant turns this prompt asks for. */
  conversation?: string;
  turn?: number;
  turns?: number;
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
  conversation?: string;
  turn?: number;
  turns?: number;
}

/** The conversation/turn fields of a prompt, to copy onto the lines written for it. */
export function turnFieldsOf(p: PromptRecord): Pick<PromptRecord, 'conversation' | 'turn' | 'turns'> {
  // Also read back from a failures line, so checked like input.
  if (typeof p.conversation !== 'string' || !Number.isInteger(p.turn) || p.turn! < 1) return {};
  return { conversation: p.conversation, turn: p.turn, turns: Number.isInteger(p.turns) && p.turns! >= p.turn! ? p.turns : p.turn };
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

/** `<out>.job.json`: what the output was made with. */
export interface JobSpec {
  version: 1;
  responsesPerTarget: number;
  targets: CandidateTarget[];
}

/** One request of one prompt: `choices` responses from `target`, the `requestIndex`-th request of that target. */
export interface Unit {
  key: string;
  target: CandidateTarget;
  targetIndex: number;
  requestIndex: number;
  choices: number;
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
    for (let j = 0; j * n < responsesPerTarget; j++) out.push({ key: `${h}:${j}`, target, targetIndex, requestIndex: j, choices: Math.min(n, responsesPerTarget - j * n) });
  });
  return out;
}

/** The messages sent for a prompt under a target: its `system` replaces the prompt's own. */
export function messagesFor(prompt: Message[], params: GenerationParams): Message[] {
  if (params.system === undefined) return prompt;
  return [{ role: 'system', content: params.system }, ...prompt.filter((m) => m.role !== 'system')];
}

export function isMessageList(v: unknown): v is Message[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((m) => m && typeof m === 'object' && typeof (m as Message).content === 'string' && ['system', 'user', 'assistant', 'tool'].includes((m as Message).role))
  );
}

/** A usable prompt record: a non-empty string id and a non-empty message list. */
export function isPromptRecord(p: PromptRecord | undefined): p is PromptRecord {
  return !!p && typeof p.id === 'string' && p.id !== '' && isMessageList(p.prompt);
}

/** The seed a unit is sent with: the target's seed + the request index. */
export function unitSeed(u: Unit): number | undefined {
  return u.target.params.seed !== undefined ? u.target.params.seed + u.requestIndex : undefined;
}

/** The request a unit sends: the prompt under the target's parameters, seed + request index. */
export function unitRequest(prompt: Message[], u: Unit): ChatRequest {
  const params = u.target.params;
  return { model: u.target.model, messages: messagesFor(prompt, params), temperature: params.temperature, max_tokens: params.max_tokens, top_p: params.top_p, n: u.choices, seed: unitSeed(u) };
}

export function checkTargets(pool: EndpointPool, targets: CandidateTarget[], responsesPerTarget: number): void {
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

/** Records the spec beside a new output; refuses an output made with another one. */
export async function checkSpec(path: string, spec: JobSpec): Promise<void> {
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

export async function* asAsync<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterable<T> {
  yield* items as AsyncIterable<T>;
}

/** Ids already complete in the candidates file. */
export async function readDoneIds(path: string, warnings: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  const r = await readJsonlRecords(path, (v) => {
    if (typeof v.id === 'string') done.add(v.id);
  });
  if (r.badLines.length) warnings.push(l10n.t('{0}: {1} damaged line(s) (line {2}) kept as they are', path, r.badLines.length, r.badLines.slice(0, 5).join(', ')));
  return done;
}

/** `unit|id` of every unit the journal holds. */
export async function readJournalKeys(path: string): Promise<Set<string>> {
  const have = new Set<string>();
  await readJsonlRecords(path, (v) => {
    if (typeof v.id === 'string' && typeof v.unit === 'string' && Array.isArray(v.responses)) have.add(`${v.unit}|${v.id}`);
  });
  return have;
}

export interface PlannedUnit {
  id: string;
  prompt: Message[];
  unit: Unit;
  request: ChatRequest;
}

export interface PlanOptions {
  pool: EndpointPool;
  prompts: Iterable<PromptRecord> | AsyncIterable<PromptRecord>;
  targets: CandidateTarget[];
  responsesPerTarget?: number;
  outputPath: string;
}

/**
 * The units a candidates job would request now for these prompts, exactly as `runCandidatesJob`
 * would on resume: prompts already in the candidates file and units already in the journal are
 * left out; invalid and duplicate prompts are skipped the same way. Checks and records the job
 * spec like a run does.
 */
export async function planUnits(options: PlanOptions): Promise<{ units: PlannedUnit[]; promptsSkipped: number; warnings: string[] }> {
  const responsesPerTarget = options.responsesPerTarget ?? 1;
  checkTargets(options.pool, options.targets, responsesPerTarget);
  const paths = candidatesJobPaths(options.outputPath);
  await checkSpec(paths.spec, { version: 1, responsesPerTarget, targets: options.targets });
  const units = unitsFor(options.targets, responsesPerTarget);
  const warnings: string[] = [];
  const doneIds = await readDoneIds(paths.candidates, warnings);
  const have = await readJournalKeys(paths.journal);
  const out: PlannedUnit[] = [];
  const seen = new Set<string>();
  let promptsSkipped = 0;
  for await (const p of asAsync(options.prompts)) {
    if (!isPromptRecord(p) || seen.has(p.id)) continue;
    seen.add(p.id);
    if (doneIds.has(p.id)) {
      promptsSkipped++;
      continue;
    }
    for (const u of units) if (!have.has(`${u.key}|${p.id}`)) out.push({ id: p.id, prompt: p.prompt, unit: u, request: unitRequest(p.prompt, u) });
  }
  return { units: out, promptsSkipped, warnings };
}
