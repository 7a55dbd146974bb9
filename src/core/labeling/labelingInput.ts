/**
 * What a labeling session (or an export, or `pairwise export`) labels: a candidates file, a
 * preference dataset to audit, or two SFT files answering the same prompts. This names the input
 * in a small serializable descriptor (kept by the panel across window reloads) and opens its pair
 * queue, so the panel, the export command and the CLI read an input the same way.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FormatId } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { auditPairs } from './auditSource';
import type { PairStrategy } from './candidateRecord';
import { CandidatesPairQueue } from './candidatesQueue';
import { resolveFormat } from './datasetRows';
import type { InputProblem, PairQueue } from './pairQueue';
import { sftPairs } from './sftSource';
import { hasTurnLines, TurnOrderedQueue } from './turnsQueue';
import * as l10n from '@vscode/l10n';

export type LabelingInputKind = 'candidates' | 'audit' | 'sft';

export interface LabelingInput {
  kind: LabelingInputKind;
  /** The input file (for `sft`: model A's file). */
  path: string;
  /** `sft` only: model B's file. */
  pathB?: string;
  /** `candidates` only: how more than two responses per prompt become pairs. */
  strategy?: PairStrategy;
  /** `audit`/`sft`: the dataset format when it should not be detected. */
  format?: FormatId;
}

export interface OpenedInput {
  queue: PairQueue;
  /** A sentence about what was read (for a notification). */
  summary: string;
  /** Problems of the input files, named by file. */
  problems: { file: string; line: number; message: string }[];
  /** Audit mode: pair id → the response hash the dataset prefers. */
  known?: Map<string, string>;
}

/** `<input without .jsonl/.json>.labels.jsonl`, beside the input. */
export function defaultLogPath(input: string): string {
  return input.replace(/\.(jsonl|json)$/i, '') + '.labels.jsonl';
}

/**
 * Every annotator's label log of an input: `<input without .jsonl/.json>*.labels.jsonl` in its
 * folder, sorted, without `except` (the caller's own log).
 */
export async function labelLogsBeside(input: string, except?: string): Promise<string[]> {
  const dir = path.dirname(input);
  const stem = path.basename(input).replace(/\.(jsonl|json)$/i, '');
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(stem) && n.endsWith('.labels.jsonl'))
    .map((n) => path.join(dir, n))
    .filter((p) => except === undefined || path.resolve(p) !== path.resolve(except))
    .sort();
}

/** Candidates by name (`*.candidates.jsonl`) or by detected format; preference data → audit; SFT → sft (needs a second file). */
export async function detectInputKind(file: string): Promise<{ kind: LabelingInputKind; format?: FormatId }> {
  if (/\.candidates\.jsonl?$/i.test(file)) return { kind: 'candidates' };
  const format = await resolveFormat(file);
  if (format.kind === 'candidates') return { kind: 'candidates', format: format.id };
  if (format.kind === 'preference') return { kind: 'audit', format: format.id };
  if (format.kind === 'sft') return { kind: 'sft', format: format.id };
  throw new Error(l10n.t('{0} holds {1} records ({2}); labeling needs candidates, a preference dataset, or two SFT files', path.basename(file), format.title, format.kind));
}

function named(file: string, ps: readonly InputProblem[]): OpenedInput['problems'] {
  return ps.map((p) => ({ file: path.basename(file), line: p.line, message: p.message }));
}

export async function openLabelingInput(input: LabelingInput): Promise<OpenedInput> {
  const base = path.basename(input.path);
  if (input.kind === 'candidates') {
    if (input.format !== undefined && getFormat(input.format).kind !== 'candidates') throw new Error(l10n.t('{0} is not a candidates format', input.format));
    const indexed = await CandidatesPairQueue.open(input.path, { strategy: input.strategy ?? 'all' });
    // Multi-turn candidates (Generate Candidates, turns `each`): a conversation's turns one after another, in order.
    const queue = (await hasTurnLines(input.path).catch(() => false)) ? new TurnOrderedQueue(indexed) : indexed;
    return {
      queue,
      summary: l10n.t('{0}: candidates, {1} pairs per prompt', base, input.strategy ?? 'all'),
      // The queue's problems grow while it indexes; callers that want them all await whenComplete first.
      get problems() {
        return named(input.path, queue.problems());
      },
    };
  }
  if (input.kind === 'audit') {
    const a = await auditPairs(input.path, input.format);
    return { queue: a.queue, summary: l10n.t('{0}: {1} preference pairs ({2}), shown blind', base, a.queue.known, a.format), problems: named(input.path, a.problems), known: a.known };
  }
  if (!input.pathB) throw new Error(l10n.t('comparing two SFT files needs the second file'));
  const s = await sftPairs({ path: input.path, format: input.format }, { path: input.pathB });
  const baseB = path.basename(input.pathB);
  return {
    queue: s.queue,
    summary: l10n.t('{0} vs {1}: {2} prompts matched, {3} pairs ({4} identical answers, {5} only in {6}, {7} only in {8})', base, baseB, s.matched, s.queue.known, s.identical, s.onlyInA, base, s.onlyInB, baseB),
    problems: [...named(input.path, s.problems.a), ...named(input.pathB, s.problems.b)],
  };
}
