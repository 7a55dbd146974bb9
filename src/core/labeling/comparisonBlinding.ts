/**
 * Keeps a labeling session blind. Sides are random per pair (sides.ts) and the state carries no
 * model names, but per-model figures (win rates, Bradley-Terry scores) recomputed after every
 * decision would undo that: the model whose wins went up was the side just chosen, and from then on
 * its style is recognisable. So the panel withholds them until this annotator has decided (or
 * skipped) every pair; the agreement figures between annotators name no model and stay.
 */
import type { ProgressView } from './sessionState';

/** True once the annotator has decided or skipped every pair of a fully indexed input. */
export function sessionFinished(progress: ProgressView): boolean {
  return progress.totalFinal && progress.done + progress.skipped >= progress.total;
}

/** The agreement view without its per-model figures while the session is not finished (`modelsWithheld` says so). */
export function withholdModelFigures<V extends { winRates: unknown[]; leaderboard?: unknown[] }>(view: V | undefined, progress: ProgressView): (V & { modelsWithheld?: boolean }) | undefined {
  if (!view || sessionFinished(progress) || (view.winRates.length === 0 && !view.leaderboard?.length)) return view;
  return { ...view, winRates: [], leaderboard: undefined, modelsWithheld: true };
}
