/**
 * The report of a blind comparison of two models on held-out prompts (Compare Models, `pairwise
 * compare`): for a candidates file holding one answer of the baseline (A) and one of the candidate
 * (B) per prompt, and the label logs of its annotators, the wins, ties and losses of B against A
 * per annotator and merged over annotators, with a Wilson interval and a sign test
 * (comparisonStats.ts), and the pairs behind every number.
 *
 * The arms are found by model name in each record (the first response of each model; when both
 * targets have the same model name, the first and second response of that name), so the report
 * does not depend on which side a pair was shown on, nor on the models the log recorded. Outcomes
 * that are not a preference between two answers are counted apart and never enter the rate:
 * both bad, skipped, not labeled yet, no majority among annotators, identical answers (no pair to
 * label), and prompts one of the models did not answer.
 */
import * as path from 'node:path';
import { readCandidatesLines } from './candidateRecord';
import { CandidatesPairQueue } from './candidatesQueue';
import { labelLogsBeside } from './labelingInput';
import { loadLabelLogs, type LogProblem } from './decisionLog';
import { preferredHash, type DecisionRecord } from './decisionRecord';
import { pairIdOf, promptHash, responseHash } from './hashing';
import type { LabelStore } from './labelStore';
import { mergeDecisions, type MergeRule } from './merge';
import { signTestPValue, wilsonInterval, type Interval } from './comparisonStats';

/** The model names of the two arms: A, the baseline, and B, the candidate (the fine-tune). */
export interface ComparisonArms {
  baseline: string;
  candidate: string;
}

/** One prompt of the comparison: where it is, and the pair its two answers make. */
export interface ComparedPrompt {
  /** 1-based line in the candidates file. */
  line: number;
  /** The record's id. */
  id: string;
  /** The start of the last user turn, on one line. */
  prompt: string;
  /** The pair id of the two answers (absent when they are identical or one is missing). */
  pair?: string;
}

/** Outcomes of one pair from B's side. `noMajority` only when merging annotators. */
export const COMPARISON_OUTCOMES = ['candidateWins', 'ties', 'baselineWins', 'bothBad', 'skipped', 'unlabeled', 'noMajority'] as const;
export type ComparisonOutcome = (typeof COMPARISON_OUTCOMES)[number];

export interface ComparisonTally {
  counts: Record<ComparisonOutcome, number>;
  /** B wins + ties + A wins: the pairs the rate is over. */
  decisive: number;
  /** (B wins + ties / 2) / decisive; undefined with no decisive pair. */
  winRate?: number;
  /** 95% Wilson score interval of winRate. */
  interval?: Interval;
  /** Exact two-sided sign test of B wins against A wins (ties left out). */
  signTestP?: number;
  /** The prompts behind each count, in file order. */
  pairs: Record<ComparisonOutcome, ComparedPrompt[]>;
}

export interface ComparisonReport {
  candidatesFile: string;
  arms: ComparisonArms;
  /** Records read from the candidates file. */
  prompts: number;
  /** Prompts whose two answers make a pair to label. */
  pairs: number;
  /** The two models gave the same text: nothing to label (not a tie by a person). */
  identical: ComparedPrompt[];
  /** Records without an answer of one of the models (a failed request, or another file). */
  missing: ComparedPrompt[];
  /** Lines that are not candidates records. */
  badLines: { line: number; message: string }[];
  logs: string[];
  logProblems: LogProblem[];
  annotators: { annotator: string; tally: ComparisonTally }[];
  /** One outcome per pair by the merge rule (strict majority by default). */
  merged: ComparisonTally;
  rule: MergeRule;
}

const PROMPT_PREVIEW_CHARS = 100;

function emptyTally(): ComparisonTally {
  const counts = {} as Record<ComparisonOutcome, number>;
  const pairs = {} as Record<ComparisonOutcome, ComparedPrompt[]>;
  for (const o of COMPARISON_OUTCOMES) {
    counts[o] = 0;
    pairs[o] = [];
  }
  return { counts, decisive: 0, pairs };
}

function finish(t: ComparisonTally): ComparisonTally {
  const { candidateWins: w, ties, baselineWins: l } = t.counts;
  t.decisive = w + ties + l;
  if (t.decisive > 0) {
    t.winRate = (w + ties / 2) / t.decisive;
    t.interval = wilsonInterval(w + ties / 2, t.decisive);
  }
  if (w + l > 0) t.signTestP = signTestPValue(w, l);
  return t;
}

/** Counts one prompt under an outcome. */
function count(t: ComparisonTally, o: ComparisonOutcome, p: ComparedPrompt): void {
  t.counts[o]++;
  t.pairs[o].push(p);
}

/** What one decision says of the candidate, given the hash of B's answer. */
export function outcomeOf(d: Pick<DecisionRecord, 'choice' | 'left' | 'right'>, candidateHash: string): ComparisonOutcome {
  switch (d.choice) {
    case 'tie':
      return 'ties';
    case 'both_bad':
      return 'bothBad';
    case 'skip':
      return 'skipped';
    default:
      return preferredHash(d as DecisionRecord) === candidateHash ? 'candidateWins' : 'baselineWins';
  }
}

function previewOf(messages: { role: string; content: string }[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user') ?? messages[messages.length - 1];
  const one = (last?.content ?? '').replace(/\s+/g, ' ').trim();
  return one.length > PROMPT_PREVIEW_CHARS ? one.slice(0, PROMPT_PREVIEW_CHARS - 1) + '…' : one;
}

interface ReadComparison {
  compared: (ComparedPrompt & { candidateHash?: string })[];
  identical: ComparedPrompt[];
  missing: ComparedPrompt[];
  badLines: { line: number; message: string }[];
}

/** Reads the candidates file: for each record, the answers of the two arms and their pair. */
export async function readComparedPrompts(candidatesFile: string, arms: ComparisonArms): Promise<ReadComparison> {
  const out: ReadComparison = { compared: [], identical: [], missing: [], badLines: [] };
  for await (const l of readCandidatesLines(candidatesFile)) {
    if ('problem' in l) {
      out.badLines.push({ line: l.line, message: l.problem });
      continue;
    }
    const rec = l.record;
    const base: ComparedPrompt = { line: l.line, id: rec.id, prompt: previewOf(rec.prompt) };
    const a = rec.responses.findIndex((r) => r.model === arms.baseline);
    const b = rec.responses.findIndex((r, i) => r.model === arms.candidate && i !== a);
    if (a < 0 || b < 0) {
      out.missing.push(base);
      continue;
    }
    const ha = responseHash(rec.responses[a].content);
    const hb = responseHash(rec.responses[b].content);
    if (ha === hb) {
      out.identical.push(base);
      continue;
    }
    out.compared.push({ ...base, pair: pairIdOf(promptHash(rec.prompt), ha, hb), candidateHash: hb });
  }
  return out;
}


/** Tallies a store's current decisions over the compared prompts: per annotator and merged by `rule`. */
export function tallyComparison(store: LabelStore, compared: readonly (ComparedPrompt & { candidateHash?: string })[], rule: MergeRule = { kind: 'majority' }): Pick<ComparisonReport, 'annotators' | 'merged'> {
  const annotators = store.annotators().map((annotator) => {
    const t = emptyTally();
    for (const p of compared) {
      const d = store.current(p.pair!, annotator);
      count(t, d ? outcomeOf(d, p.candidateHash!) : 'unlabeled', strip(p));
    }
    return { annotator, tally: finish(t) };
  });
  // Annotators who decided none of these pairs (other files' logs, rankings only) say nothing here.
  const active = annotators.filter((a) => a.tally.counts.unlabeled < compared.length);
  const { merged } = mergeDecisions(store, rule);
  const m = emptyTally();
  for (const p of compared) {
    const verdict = merged.get(p.pair!);
    let o: ComparisonOutcome;
    if (verdict) {
      const v = verdict.verdict;
      o = v === 'tie' ? 'ties' : v === 'both_bad' ? 'bothBad' : (v === 'a' ? verdict.a : verdict.b) === p.candidateHash ? 'candidateWins' : 'baselineWins';
    } else {
      const ds = [...store.decisionsFor(p.pair!).values()];
      o = ds.length === 0 ? 'unlabeled' : ds.every((d) => d.choice === 'skip') ? 'skipped' : 'noMajority';
    }
    count(m, o, strip(p));
  }
  return { annotators: active, merged: finish(m) };
}

function strip(p: ComparedPrompt & { candidateHash?: string }): ComparedPrompt {
  return { line: p.line, id: p.id, prompt: p.prompt, pair: p.pair };
}

/** The whole report: reads the candidates file and the logs (default: every log beside the file). */
export async function compareModels(candidatesFile: string, arms: ComparisonArms, options: { logs?: string[]; rule?: MergeRule } = {}): Promise<ComparisonReport> {
  const read = await readComparedPrompts(candidatesFile, arms);
  const logs = options.logs ?? (await labelLogsBeside(candidatesFile));
  const { store, problems } = await loadLabelLogs(logs);
  const rule = options.rule ?? { kind: 'majority' };
  const { annotators, merged } = tallyComparison(store, read.compared, rule);
  return {
    candidatesFile,
    arms,
    prompts: read.compared.length + read.identical.length + read.missing.length,
    pairs: read.compared.length,
    identical: read.identical,
    missing: read.missing,
    badLines: read.badLines,
    logs,
    logProblems: problems,
    annotators,
    merged,
    rule,
  };
}

/** A model name as a piece of a file name: letters, digits, `.`, `_`, `-`; at most 40 characters. */
function fileSlug(model: string): string {
  const s = model.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 40);
  return s || 'model';
}

/**
 * Where Compare Models writes the answers: `<prompts>.<A>-vs-<B>.candidates.jsonl` beside the
 * prompts file, so comparisons of other pairs of models on the same held-out set each keep theirs
 * (and their label logs, `<…>.candidates.labels.jsonl`).
 */
export function comparisonOutputFor(promptsFile: string, arms: ComparisonArms): string {
  const stem = path.basename(promptsFile).replace(/\.(jsonl|json)$/i, '');
  return path.join(path.dirname(promptsFile), `${stem}.${fileSlug(arms.baseline)}-vs-${fileSlug(arms.candidate)}.candidates.jsonl`);
}

/**
 * The two models of a candidates file when none are named: those of the first record with two
 * answers, in its order (Compare Models writes the baseline's answer first).
 */
export async function armsOfCandidates(candidatesFile: string): Promise<ComparisonArms | undefined> {
  for await (const l of readCandidatesLines(candidatesFile)) {
    // A bad line is skipped here: the report lists it.
    if ('record' in l && l.record.responses.length >= 2) return { baseline: l.record.responses[0].model, candidate: l.record.responses[1].model };
  }
  return undefined;
}

/**
 * The index of a pair in the labeling panel's queue over the candidates file (strategy `all`, as
 * Compare Models opens it), or -1: where the report's "open" lands.
 */
export async function pairIndexIn(candidatesFile: string, pairId: string): Promise<number> {
  const queue = await CandidatesPairQueue.open(candidatesFile, { strategy: 'all' });
  try {
    return await queue.findNext(0, 1, { include: new Set([pairId]) });
  } finally {
    await queue.close();
  }
}
