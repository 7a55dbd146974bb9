/**
 * The labeling order "judge uncertainty first": the pairs the AI judge is least sure of come first,
 * so human time goes where the judge helps least.
 *   1. pairs whose two orderings disagree (the judge preferred another response once the order was
 *      swapped: its verdict is position, not content), smallest margin first;
 *   2. the other judged pairs, smallest margin first: the margin is the judge's total score
 *      difference between the two responses, averaged over both orders (a rubric judge's lines);
 *      a plain judge's verdict has no margin and comes after every pair with one;
 *   3. pairs the judge has not judged, in input order (a judge run that stopped halfway must not
 *      put its unjudged half first).
 * Ties keep input order, so the order is the same on every reload of the same files.
 */
import type { LabelPair } from './pair';
import { passes, type InputProblem, type PairFilterSets, type PairQueue } from './pairQueue';
import type { RubricJudgement } from './rubricJudgements';

export interface Uncertainty {
  /** The orderings disagreed. */
  inconsistent: boolean;
  /** Mean total score difference over both orders (scale points); Infinity when the line has no scores. */
  margin: number;
}

const total = (s: Record<string, number>) => Object.values(s).reduce((t, n) => t + n, 0);

export function uncertaintyOf(j: RubricJudgement): Uncertainty {
  if (!j.scores) return { inconsistent: !j.consistent, margin: Infinity };
  const d0 = total(j.scores[0].a) - total(j.scores[0].b);
  const d1 = total(j.scores[1].a) - total(j.scores[1].b);
  return { inconsistent: Math.sign(d0) !== Math.sign(d1), margin: Math.abs(d0 + d1) / 2 };
}

/** Indexes of `ids` in labeling order, least sure first. */
export function uncertaintyOrder(ids: readonly string[], judgements: ReadonlyMap<string, RubricJudgement>): number[] {
  const keys = ids.map((id) => {
    const j = judgements.get(id);
    if (!j) return { group: 2, margin: 0 };
    const u = uncertaintyOf(j);
    return { group: u.inconsistent ? 0 : 1, margin: u.margin };
  });
  return ids.map((_, i) => i).sort((x, y) => keys[x].group - keys[y].group || (keys[x].margin === keys[y].margin ? 0 : keys[x].margin < keys[y].margin ? -1 : 1) || x - y);
}

/** A queue that shows the pairs of another, complete queue in a given order. */
export class ReorderedPairQueue implements PairQueue {
  readonly complete = true;
  constructor(
    private readonly base: PairQueue,
    /** order[i]: the base index shown at i. */
    private readonly order: readonly number[],
    /** ids[i]: the id of the base pair at i. */
    private readonly ids: readonly string[],
  ) {}
  get known(): number {
    return this.order.length;
  }
  async get(index: number): Promise<LabelPair | undefined> {
    const b = this.order[index];
    return b === undefined ? undefined : this.base.get(b);
  }
  async findNext(from: number, step: 1 | -1, filter: PairFilterSets): Promise<number> {
    for (let i = from; i >= 0 && i < this.order.length; i += step) if (passes(this.ids[this.order[i]], filter)) return i;
    return -1;
  }
  async whenComplete(): Promise<number> {
    return this.order.length;
  }
  problems(): InputProblem[] {
    return this.base.problems();
  }
  close(): Promise<void> {
    return this.base.close();
  }
}

/** The queue in "judge uncertainty first" order; waits for the whole input to be indexed (the order needs every pair). */
export async function judgeUncertaintyQueue(base: PairQueue, judgements: ReadonlyMap<string, RubricJudgement>): Promise<PairQueue> {
  const n = await base.whenComplete();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await base.get(i))?.id ?? '');
  return new ReorderedPairQueue(base, uncertaintyOrder(ids, judgements), ids);
}
