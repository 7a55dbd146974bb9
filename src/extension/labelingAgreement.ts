/**
 * The "Agreement" section of the labeling panel and of the export summary: agreement between the
 * annotators of the given logs (two or more), per-model win rates and Bradley-Terry scores, read
 * fresh from the logs.
 */
import * as path from 'node:path';
// @vscode/l10n, not vscode.l10n: this module stays loadable outside the extension host (configured at activation).
import * as l10n from '@vscode/l10n';
import { agreement, agreementWithKnown, decisionUnits, leaderboard, loadLabelLogs, winRatesFromStore, withExpandedRankings } from '../core/labeling';
import { rubricJudgeView } from './rubricJudgeAgreement';
import type { AgreementView } from '../protocol/labeling';

export async function agreementView(logs: readonly string[], options: { annotator?: string; known?: ReadonlyMap<string, string>; judgements?: string } = {}): Promise<AgreementView> {
  const view: AgreementView = { logs: logs.map((l) => path.basename(l)), annotators: [], decisions: 0, winRates: [] };
  try {
    const { store } = await loadLabelLogs(logs);
    view.annotators = store.annotators();
    for (const a of view.annotators) view.decisions += store.currentFor(a).size + store.currentRankingsFor(a).size;
    // Rankings count as the pairs they order (all of them), as in `pairwise agreement`.
    const pairs = withExpandedRankings(store, 'all').store;
    if (view.annotators.length >= 2) view.report = agreement(pairs, view.annotators);
    view.winRates = winRatesFromStore(pairs);
    // 200 rounds: intervals good to a few points, computed in well under a second for a session's logs.
    const board = leaderboard(decisionUnits(store), { bootstrap: 200, seed: 1 });
    if (board.entries.length) view.leaderboard = board.entries;
    if (options.known && options.annotator) view.withDataset = agreementWithKnown(store, options.annotator, options.known);
    if (options.judgements) view.rubricJudge = await rubricJudgeView(options.judgements, logs);
  } catch (e) {
    view.error = (e as Error).message;
  }
  return view;
}

/** One line for a notification: "2 annotators, 14 shared pairs: 86% agreement, Cohen's κ 0.71". */
export function agreementLine(v: AgreementView): string | undefined {
  const r = v.report;
  if (!r) return undefined;
  const pct = r.percent === null ? l10n.t('n/a') : `${r.percent.toFixed(0)}%`;
  const kappa = r.cohenKappa !== undefined ? l10n.t("Cohen's κ {0}", fmtKappa(r.cohenKappa)) : l10n.t("Fleiss' κ {0}", fmtKappa(r.fleissKappa));
  return l10n.t('{0} annotators, {1} shared pairs: {2} agreement, {3}', r.annotators.length, r.pairs, pct, kappa);
}

export function fmtKappa(k: number | null | undefined): string {
  return k === null || k === undefined ? l10n.t('n/a') : k.toFixed(2);
}

