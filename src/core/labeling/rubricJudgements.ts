/**
 * The judge's lines of `<candidates>.judgements.jsonl` with what a rubric judge adds to them
 * (generation/rubricJudgeJob.ts): the rubric and each order's per-criterion scores in a/b
 * positions. Read as leniently as judgeSuggestions.ts reads the verdicts (a torn last line is left
 * out, a damaged one counted and skipped, the latest line of a pair wins); a line whose scores are
 * damaged keeps its verdict and loses only its scores.
 */
import { readJudgements, type JudgementsRead, type StoredJudgement } from './judgeSuggestions';
import { readFileLines } from './lineReader';

export type CriterionScores = Record<string, number>;
/** One judge call's scores in a/b positions (a: the pair's `aHash`). */
export interface OrderScores {
  a: CriterionScores;
  b: CriterionScores;
}

export interface RubricJudgement extends StoredJudgement {
  /** Present on a rubric judge's lines. */
  rubric?: { name: string; hash: string };
  /** [a shown first, b shown first], both in a/b positions; on a rubric judge's lines. */
  scores?: [OrderScores, OrderScores];
}

export interface RubricJudgementsRead extends Omit<JudgementsRead, 'byPair'> {
  byPair: Map<string, RubricJudgement>;
}

const MAX_LINE_BYTES = 1 << 20;

function scoresOf(v: unknown): CriterionScores | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: CriterionScores = {};
  for (const [k, n] of Object.entries(v)) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    out[k] = n;
  }
  return out;
}

/** The scores of a parsed line, or undefined when it has none or they are damaged. */
export function rubricPartOf(o: Record<string, unknown>): Pick<RubricJudgement, 'rubric' | 'scores'> | undefined {
  const r = o.rubric as { name?: unknown; hash?: unknown } | undefined;
  if (!r || typeof r.hash !== 'string' || !Array.isArray(o.scores) || o.scores.length !== 2) return undefined;
  const orders: OrderScores[] = [];
  for (const s of o.scores as unknown[]) {
    const a = scoresOf((s as OrderScores | null)?.a);
    const b = scoresOf((s as OrderScores | null)?.b);
    if (!a || !b) return undefined;
    orders.push({ a, b });
  }
  return { rubric: { name: typeof r.name === 'string' ? r.name : '', hash: r.hash }, scores: [orders[0], orders[1]] };
}

/** The judgements file with the rubric scores of each line that has them. A missing file is an empty result. */
export async function readRubricJudgements(path: string): Promise<RubricJudgementsRead> {
  const read: RubricJudgementsRead = await readJudgements(path);
  if (read.missing || read.byPair.size === 0) return read;
  // Second pass over the winning lines only: judgeSuggestions.ts keeps the line number of each.
  const wanted = new Map<number, RubricJudgement>();
  for (const j of read.byPair.values()) wanted.set(j.line, j);
  for await (const l of readFileLines(path, MAX_LINE_BYTES)) {
    const j = wanted.get(l.line);
    if (!j || !l.terminated || l.tooLong) continue;
    try {
      const part = rubricPartOf(JSON.parse(l.text) as Record<string, unknown>);
      if (part) Object.assign(j, part);
    } catch {
      // the verdict was read from this line a moment ago: a line rewritten since keeps its verdict
    }
  }
  return read;
}
