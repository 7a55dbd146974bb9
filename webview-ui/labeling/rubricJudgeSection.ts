/** The rubric judge in the Agreement section: per criterion against the annotators' scores, and its position bias. */
import * as l10n from '@vscode/l10n';
import type { AgreementView } from '../../src/protocol/labeling';
import { el, table } from '../shared/dom';

type RubricAgreementReport = NonNullable<AgreementView['rubricJudge']>;
type PositionBias = RubricAgreementReport['overallBias'];

function favours(b: PositionBias): string {
  const bonus = b.firstBonus === null ? l10n.t('n/a') : `${b.firstBonus >= 0 ? '+' : ''}${b.firstBonus.toFixed(2)}`;
  const who = b.favours === 'first' ? l10n.t('the first shown') : b.favours === 'second' ? l10n.t('the second shown') : l10n.t('neither position');
  return l10n.t('{0} ({1})', who, bonus);
}

export function renderRubricJudge(r: RubricAgreementReport): HTMLElement[] {
  const na = l10n.t('n/a');
  const pct = (x: number | null) => (x === null ? na : `${x.toFixed(1)}%`);
  const rows = r.criteria.map((c, i) => {
    const b = r.bias[i];
    return [c.criterion, String(c.compared), pct(c.percent), c.kappa === null ? na : c.kappa.toFixed(2), `${b.flips}/${b.pairs}`, favours(b)];
  });
  const all = r.overallBias;
  rows.push([l10n.t('All criteria (total)'), '', '', '', `${all.flips}/${all.pairs}`, favours(all)]);
  return [
    el('h3', undefined, l10n.t('The judge on the rubric')),
    el('p', 'muted', l10n.t('{0} pair(s) scored by the judge in both orders, {1} by annotators, {2} by both.', r.judgedPairs, r.humanPairs, r.sharedPairs)),
    table([l10n.t('Criterion'), l10n.t('Compared'), l10n.t('Agreement'), l10n.t("Cohen's κ"), l10n.t('Flips when swapped'), l10n.t('Favours (first-position bonus)')], rows, { className: 'rubric-judge' }),
    el('p', 'muted', l10n.t("Agreement is on which response scores higher (or a tie), Cohen's κ over those three; a flip is a pair whose preferred response changed when the order was swapped; the bonus is the mean score of the first shown minus the second.")),
  ];
}
