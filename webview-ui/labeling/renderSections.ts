/** The labeling page's side sections: agreement and win rates, the AI judge's note, the shortcuts dialog. */
import * as l10n from '@vscode/l10n';
import type { AgreementView, JudgeSuggestionView, JudgeView, LabelingAction } from '../../src/protocol/labeling';
import { button, el, table } from '../shared/dom';
import type { LabelingActions } from './actions';
import type { LabelingLayout } from './layout';
import { renderRubricJudge } from './rubricJudgeSection';

const ACTION_TEXT: Record<LabelingAction, string> = {
  left: l10n.t('Left is better'),
  right: l10n.t('Right is better'),
  tie: l10n.t('Tie'),
  bothBad: l10n.t('Both bad'),
  skip: l10n.t('Skip'),
  undo: l10n.t('Undo the last decision'),
  redo: l10n.t('Redo'),
  previous: l10n.t('Previous pair'),
  next: l10n.t('Next pair'),
  turnPrevious: l10n.t('Previous turn of this conversation'),
  turnNext: l10n.t('Next turn of this conversation'),
  diff: l10n.t('Toggle the word diff'),
  help: l10n.t('Show or hide these shortcuts'),
  rewrite: l10n.t('Rewrite an answer (the focused one, else the better one)'),
};

export function renderAgreement(ui: LabelingLayout, act: LabelingActions, a: AgreementView | undefined): void {
  if (!a) {
    ui.agreementBody.replaceChildren(el('p', 'muted', l10n.t('Open this section to compute agreement from the label logs beside the input.')));
    return;
  }
  const out: HTMLElement[] = [];
  out.push(el('p', 'muted', l10n.t('Logs: {0} · annotators: {1} · {2} current decision(s)', a.logs.join(', '), a.annotators.join(', ') || l10n.t('none'), a.decisions)));
  if (a.error) out.push(el('p', 'error', a.error));
  const r = a.report;
  if (r) {
    const na = l10n.t('n/a');
    const pct = r.percent === null ? na : `${r.percent.toFixed(1)}%`;
    const k = (x: number | null | undefined) => (x === null || x === undefined ? na : x.toFixed(3));
    const line =
      r.cohenKappa !== undefined
        ? l10n.t("{0} pair(s) labeled by all: agreement {1}, Cohen's κ {2}, Fleiss' κ {3}", r.pairs, pct, k(r.cohenKappa), k(r.fleissKappa))
        : l10n.t("{0} pair(s) labeled by all: agreement {1}, Fleiss' κ {2}", r.pairs, pct, k(r.fleissKappa));
    out.push(el('p', 'agreement-line', line));
    if (r.pairwise.length > 1) {
      out.push(table([l10n.t('Annotators'), l10n.t('Pairs'), l10n.t('Agreement'), l10n.t("Cohen's κ")], r.pairwise.map((w) => [w.annotators.join(' & '), String(w.pairs), w.percent === null ? na : `${w.percent.toFixed(1)}%`, k(w.cohenKappa)])));
    }
  } else {
    out.push(el('p', 'muted', l10n.t('Agreement needs decisions of at least two annotators (another *.labels.jsonl beside the input).')));
  }
  if (a.withDataset && a.withDataset.pairs) out.push(el('p', undefined, l10n.t("Agreed with the dataset's own label on {0} of {1} pair(s).", a.withDataset.agree, a.withDataset.pairs)));
  if (a.modelsWithheld) out.push(el('p', 'muted models-withheld', l10n.t('Win rates and scores per model show once you have labeled every pair: before that they would tell which side was which model.')));
  if (a.winRates.length) {
    out.push(
      table(
        [l10n.t('Model'), l10n.t('Wins'), l10n.t('Losses'), l10n.t('Ties'), l10n.t('Both bad'), l10n.t('Win rate')],
        a.winRates.map((w) => [w.model, String(w.wins), String(w.losses), String(w.ties), String(w.bothBad), w.winRate === null ? l10n.t('n/a') : `${(100 * w.winRate).toFixed(1)}%`]),
        { className: 'win-rates' },
      ),
    );
  }
  if (a.leaderboard?.length) {
    out.push(
      table(
        [l10n.t('Model'), l10n.t('Bradley-Terry score'), l10n.t('95% interval'), l10n.t('Comparisons')],
        a.leaderboard.map((e) => [e.model, e.score.toFixed(0), e.lower !== undefined && e.upper !== undefined ? `${e.lower.toFixed(0)}–${e.upper.toFixed(0)}` : '', String(e.comparisons)]),
        { className: 'bt-scores' },
      ),
      el('p', 'muted', l10n.t('Elo-like scale: 1000 on average, 400 points are 10:1 odds; ties count half a win; rankings count all their pairs.')),
    );
  }
  if (a.rubricJudge) out.push(...renderRubricJudge(a.rubricJudge));
  out.push(button(l10n.t('Refresh'), 'secondary', () => act.post({ type: 'agreement' })));
  ui.agreementBody.replaceChildren(...out);
}

function verdictText(v: JudgeSuggestionView): string {
  switch (v.verdict) {
    case 'left':
      return l10n.t('left is better');
    case 'right':
      return l10n.t('right is better');
    case 'tie':
      return l10n.t('tie');
    default:
      return l10n.t('uncertain (its two answers with the responses swapped disagreed)');
  }
}

function suggestionLine(v: JudgeSuggestionView, pairNumber?: number): HTMLElement {
  const p = el('p', `judge-line verdict-${v.verdict}`);
  const who = v.model ? l10n.t('AI judge ({0})', v.model) : l10n.t('AI judge');
  const head = pairNumber === undefined ? l10n.t('{0}: {1}', who, verdictText(v)) : l10n.t('{0} on pair {1}, which you just labeled: {2}', who, pairNumber, verdictText(v));
  p.append(el('strong', undefined, head));
  const notes: string[] = [];
  if (v.verdict !== 'uncertain') notes.push(v.consistent ? l10n.t('same answer in both orders') : l10n.t('the two orders disagreed'));
  if (v.agreesWithYou !== undefined) notes.push(v.agreesWithYou ? l10n.t('agrees with you') : l10n.t('differs from your label'));
  if (notes.length) p.append(document.createTextNode(` · ${notes.join(' · ')}`));
  if (v.reason) p.append(el('span', 'judge-reason', ` — “${v.reason}”`));
  return p;
}

export function renderJudge(ui: LabelingLayout, j: JudgeView | undefined, hasPair: boolean): void {
  const { left, right, judgeEl } = ui;
  left.badge.textContent = right.badge.textContent = '';
  if (!j) {
    judgeEl.hidden = true;
    judgeEl.replaceChildren();
    return;
  }
  judgeEl.hidden = false;
  const out: HTMLElement[] = [];
  const sug = j.suggestion;
  if (hasPair && sug) {
    out.push(suggestionLine(sug));
    if (sug.verdict === 'left' || sug.verdict === 'right') (sug.verdict === 'left' ? left : right).badge.textContent = l10n.t("Judge's pick");
  } else if (hasPair && j.pending) {
    out.push(el('p', 'muted', l10n.t("The AI judge's verdict on this pair appears after you decide.")));
  } else if (hasPair) {
    out.push(el('p', 'muted', l10n.t('The AI judge has not judged this pair.')));
  }
  if (j.lastDecided) out.push(suggestionLine(j.lastDecided.suggestion, j.lastDecided.pairNumber));
  const a = j.agreement;
  const figure = a.pairs ? l10n.t('Agreement with the judge: {0} of {1} pair(s) ({2}%)', a.agree, a.pairs, (a.percent ?? 0).toFixed(1)) : l10n.t('Agreement with the judge: no pair decided by both yet');
  const meta = el('p', 'muted judge-agreement', figure);
  meta.append(document.createTextNode(' · ' + l10n.t('{0} pair(s) judged in {1}', j.judged, j.file)));
  if (j.badLines) meta.append(document.createTextNode(' · ' + l10n.t('{0} damaged line(s) skipped', j.badLines)));
  out.push(meta);
  judgeEl.replaceChildren(...out);
}

export function renderHelp(ui: LabelingLayout, act: LabelingActions, keysOf: (a: LabelingAction) => string): void {
  const rows = (Object.keys(ACTION_TEXT) as LabelingAction[]).map((a) => [ACTION_TEXT[a], keysOf(a) || '—']);
  const close = button(l10n.t('Close (Esc)'), 'secondary', () => act.toggleHelp(false));
  ui.helpEl.replaceChildren(
    el('h2', undefined, l10n.t('Keyboard shortcuts')),
    table([l10n.t('Action'), l10n.t('Keys')], rows),
    el('p', 'muted', l10n.t('Change them with the setting pairwise.labeling.keys. Keys do nothing while the rationale box has focus.')),
    close,
  );
  ui.helpEl.tabIndex = -1;
}
