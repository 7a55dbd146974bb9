/**
 * The judge job on a rubric: the judge job of judgeJob.ts (both orders of each pair, resumable,
 * failures kept with the order that did answer) with a call that scores both responses on every
 * criterion of the rubric. Lines go to the same `<candidates>.judgements.jsonl`, with the verdict
 * on the totals (so the labeling panel's suggestion and judgeAgreement.ts read them as they are)
 * plus `rubric` and `scores` (each order's scores, in a/b positions: position bias stays visible).
 * A rerun with another rubric (another hash) is another judge: it judges every pair again.
 */
import { runJudgeJob, type JudgeJobOptions, type JudgeJobResult, type JudgeMethod } from './judgeJob';
import { buildRubricJudgeMessages, parseRubricScores, rubricVerdict, type JudgeRubricFile, type OrderScores } from './rubricJudge';
import * as l10n from '@vscode/l10n';
import { promises as fsp } from 'node:fs';
import { readRubric, rubricPathFor, type Rubric } from '../labeling/rubric';

function isScores(x: unknown, criteria: readonly string[]): x is Record<string, number> {
  return !!x && typeof x === 'object' && !Array.isArray(x) && criteria.every((c) => Number.isFinite((x as Record<string, unknown>)[c]));
}

/** A call's scores as a vote: `a` is the response shown first (a/b positions once unswapped). */
export function rubricMethod(rubric: JudgeRubricFile): JudgeMethod<OrderScores> {
  const criteria = rubric.criteria.map((c) => c.id);
  return {
    aspects: criteria,
    // The rubric's hash, so a changed scale, guideline or criterion is a new judge.
    guidance: `rubric:${rubric.hash}`,
    messages: (prompt, first, second) => buildRubricJudgeMessages(prompt, first, second, rubric),
    parse: (reply, quoted) => {
      const r = parseRubricScores(reply, rubric);
      return 'error' in r ? { reason: l10n.t("unreadable scores in the judge's reply ({0}): {1}", r.error, quoted) } : { vote: { a: r.A, b: r.B } };
    },
    unswap: (v) => ({ a: v.b, b: v.a }),
    isVote: (x): x is OrderScores => !!x && typeof x === 'object' && isScores((x as OrderScores).a, criteria) && isScores((x as OrderScores).b, criteria),
    line: (votes) => ({ ...rubricVerdict(votes, criteria), rubric: { name: rubric.name, hash: rubric.hash }, scores: votes }),
  };
}

/**
 * The rubric of a judge run: `file` when given ('none': no rubric, even with one beside the
 * candidates), else `<candidates>.rubric.yaml` beside the candidates when it exists, else none.
 * A rubric that exists but cannot be read or parsed is an error, never silently skipped.
 */
export async function judgeRubricFor(candidates: string, file?: string): Promise<{ rubric: Rubric; path: string } | undefined> {
  if (file === 'none') return undefined;
  const at = file ?? rubricPathFor(candidates);
  if (file === undefined) {
    try {
      await fsp.lstat(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  return { rubric: await readRubric(at), path: at };
}

export interface RubricJudgeJobOptions extends Omit<JudgeJobOptions, 'method' | 'rubric'> {
  rubric: JudgeRubricFile;
}

export function runRubricJudgeJob(options: RubricJudgeJobOptions): Promise<JudgeJobResult> {
  const { rubric, ...rest } = options;
  // Scores for every criterion of both responses need more room than a verdict.
  const judge = { ...rest.judge, max_tokens: rest.judge.max_tokens ?? Math.max(512, 64 + 24 * rubric.criteria.length) };
  return runJudgeJob({ ...rest, judge, method: rubricMethod(rubric) as JudgeMethod<unknown> });
}
