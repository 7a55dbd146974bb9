/**
 * The rubric beside the pair: its general guidelines and each criterion's (sanitized Markdown), and
 * per criterion a score for the left and the right response on the rubric's scale, by keys
 * (rubricKeys.ts) or clicks. Every change goes to the host at once (`rubricScores`) and into the
 * page's persisted state, so neither a webview nor a window reload loses scores in progress; they
 * reach the log with the pair's decision.
 */
import * as l10n from '@vscode/l10n';
import type { LabelingToHost, LabelingViewState } from '../../src/protocol/labeling';
import type { PersistedRubricDraft, RubricScoresView, RubricView } from '../../src/protocol/labelingRubric';
import { button, el, table } from '../shared/dom';
import type { LabelingLayout } from './layout';
import { renderMarkdown } from './markdown';
import { firstUnscored, moveCell, nextCell, rubricKeyAction, stepScore, withScore, type Cell, type Side } from './rubricKeys';
import { page } from './state';

type Shown = NonNullable<RubricView['rubric']>;

const SIDES: Side[] = ['left', 'right'];

function markdownBlock(text: string): HTMLElement {
  const body = el('div', 'md');
  body.append(renderMarkdown(text));
  return body;
}

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t instanceof HTMLInputElement;
}

/** The rows of the key help, also shown in the shortcuts dialog. */
function keyRows(): string[][] {
  return [
    [l10n.t('Score the rubric: go to the first criterion without a score'), 'r / Tab'],
    [l10n.t('Give the focused cell a score, then go on (left, right, next criterion)'), l10n.t('digits (0 is 10 on a 1–10 scale)')],
    [l10n.t('Previous / next criterion'), '↑ / ↓'],
    [l10n.t('Left / right response'), '← / →'],
    [l10n.t('Score one up / down'), '+ / −'],
    [l10n.t('Clear the score'), 'Backspace / Delete'],
    [l10n.t('Leave the rubric (the decision keys work again)'), 'Esc / Enter'],
  ];
}

export function createRubric(ui: LabelingLayout, post: (m: LabelingToHost) => void, persist: () => void) {
  const section = el('section', 'rubric');
  section.setAttribute('aria-label', l10n.t('Rubric'));
  section.hidden = true;
  ui.decisionSection.before(section);
  const chooseButton = button(l10n.t('Rubric…'), 'rubric-choose secondary', () => post({ type: 'rubricChoose' }));
  chooseButton.title = l10n.t('Choose a rubric file (*.rubric.yaml) to score the responses with');
  ui.helpButton.before(chooseButton);

  let view: RubricView | undefined;
  let rubric: Shown | undefined;
  let shownRubric = '';
  let key: string | undefined;
  let scores: RubricScoresView = { left: {}, right: {} };
  const cells = new Map<string, HTMLElement>();
  const statusEl = el('p', 'rubric-status muted');
  statusEl.setAttribute('aria-live', 'polite');

  const cellId = (c: Cell) => `${c.row}:${c.side}`;

  function focusCell(c: Cell): void {
    cells.get(cellId(c))?.focus();
  }

  function leave(): void {
    const a = document.activeElement;
    if (a instanceof HTMLElement && section.contains(a)) a.blur();
  }

  function send(): void {
    if (key === undefined) return;
    post({ type: 'rubricScores', key, left: scores.left, right: scores.right });
    persist();
  }

  function setScore(c: Cell, score: number | undefined): void {
    if (!rubric) return;
    scores = withScore(scores, c.side, rubric.criteria[c.row].id, score);
    paintScores();
    send();
  }

  function sameAs(a: RubricScoresView, b: RubricScoresView | undefined): boolean {
    if (!b) return false;
    const eq = (x: Record<string, number>, y: Record<string, number>) => Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => x[k] === y[k]);
    return eq(a.left, b.left) && eq(a.right, b.right);
  }

  function paintScores(): void {
    if (!rubric) return;
    rubric.criteria.forEach((c, row) => {
      for (const side of SIDES) {
        const cell = cells.get(cellId({ row, side }));
        if (!cell) continue;
        const v = scores[side][c.id];
        for (const b of cell.querySelectorAll<HTMLButtonElement>('button.score')) {
          const on = Number(b.dataset.score) === v;
          b.classList.toggle('selected', on);
          b.setAttribute('aria-checked', String(on));
        }
        cell.classList.toggle('unscored', v === undefined);
      }
    });
    const given = Object.keys(scores.left).length + Object.keys(scores.right).length;
    const all = rubric.criteria.length * 2;
    let status: string;
    if (given === 0) status = view?.committed ? l10n.t('No score on screen; the scores saved before stay in the log.') : l10n.t('Not scored yet. Scores are optional; those you give are saved with your decision.');
    else if (sameAs(scores, view?.committed)) status = l10n.t('{0} of {1} scores saved with your decision.', given, all);
    else status = l10n.t('{0} of {1} scores given: saved with your decision (choose left, right, tie or both bad).', given, all);
    statusEl.textContent = status;
  }

  function scaleLegend(r: Shown): string {
    const labels = Object.entries(r.scale.labels)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([k, t]) => `${k} ${t}`);
    const range = l10n.t('Scale {0}–{1}', r.scale.min, r.scale.max);
    return labels.length ? `${range}: ${labels.join(' · ')}` : range;
  }

  function scoreCell(r: Shown, row: number, side: Side): HTMLElement {
    const c = r.criteria[row];
    const cell = el('div', 'score-cell');
    cell.tabIndex = 0;
    cell.setAttribute('role', 'radiogroup');
    cell.setAttribute('aria-label', side === 'left' ? l10n.t('{0}, left response', c.title) : l10n.t('{0}, right response', c.title));
    cell.dataset.row = String(row);
    cell.dataset.side = side;
    for (let v = r.scale.min; v <= r.scale.max; v++) {
      const b = button(String(v), 'score secondary');
      b.tabIndex = -1;
      b.dataset.score = String(v);
      b.setAttribute('role', 'radio');
      const label = r.scale.labels[String(v)];
      if (label) b.title = label;
      b.addEventListener('click', () => {
        focusCell({ row, side });
        setScore({ row, side }, scores[side][c.id] === v ? undefined : v);
      });
      cell.append(b);
    }
    cells.set(cellId({ row, side }), cell);
    return cell;
  }

  function build(v: RubricView): void {
    cells.clear();
    const head = el('div', 'rubric-head');
    head.append(el('h2', undefined, v.rubric?.name ? l10n.t('Rubric: {0}', v.rubric.name) : l10n.t('Rubric')), el('span', 'muted', v.file));
    if (v.error !== undefined || !v.rubric) {
      section.replaceChildren(head, el('p', 'error', l10n.t('Cannot use the rubric {0}: {1}. Labeling goes on without it; fix the file and choose it again with “Rubric…”.', v.file, v.error ?? '')));
      return;
    }
    const r = v.rubric;
    const parts: HTMLElement[] = [head, el('p', 'muted rubric-scale', scaleLegend(r))];
    if (r.guidelines.trim()) {
      const g = el('details', 'rubric-guidelines');
      g.open = true;
      g.append(el('summary', undefined, l10n.t('Guidelines')), markdownBlock(r.guidelines));
      parts.push(g);
    }
    const grid = el('table', 'rubric-grid');
    const hr = el('tr');
    hr.append(el('th', undefined, l10n.t('Criterion')), el('th', undefined, l10n.t('Left response')), el('th', undefined, l10n.t('Right response')));
    grid.append(el('thead'));
    grid.tHead!.append(hr);
    const body = el('tbody');
    r.criteria.forEach((c, row) => {
      const tr = el('tr');
      const th = el('th', 'criterion');
      th.scope = 'row';
      if (c.guidelines.trim()) {
        const d = el('details');
        d.append(el('summary', undefined, c.title), markdownBlock(c.guidelines));
        th.append(d);
      } else th.append(document.createTextNode(c.title));
      const l = el('td');
      l.append(scoreCell(r, row, 'left'));
      const rt = el('td');
      rt.append(scoreCell(r, row, 'right'));
      tr.append(th, l, rt);
      body.append(tr);
    });
    grid.append(body);
    parts.push(grid, statusEl, el('p', 'muted rubric-keys', l10n.t('Keys: r (or Tab) goes to the rubric · a digit scores the focused cell and moves on · ↑/↓ criterion · ←/→ response · +/− · Backspace clears · Esc leaves · scores are saved with your decision.')));
    section.replaceChildren(...parts);
  }

  /** Agreement between annotators per criterion, at the end of the Agreement section (renderSections.renderAgreement fills the rest). */
  function renderAgreement(s: LabelingViewState): void {
    ui.agreementBody.querySelector('.rubric-agreement')?.remove();
    const rows = s.agreement && rubric ? view?.agreement : undefined;
    if (!rows || !rubric) return;
    const box = el('div', 'rubric-agreement');
    box.append(el('h3', undefined, l10n.t('Rubric scores: agreement between annotators')));
    if (!rows.length) {
      box.append(el('p', 'muted', l10n.t('No response scored on this rubric by two annotators yet.')));
    } else {
      const title = new Map(rubric.criteria.map((c) => [c.id, c.title]));
      const na = l10n.t('n/a');
      box.append(
        table(
          [l10n.t('Criterion'), l10n.t('Annotators'), l10n.t('Responses'), l10n.t('Same score'), l10n.t('Mean difference'), l10n.t('Weighted κ')],
          rows.map((r) => [title.get(r.criterion) ?? r.criterion, r.annotators.join(' & '), String(r.responses), `${r.exactPercent.toFixed(1)}%`, r.meanAbsDiff.toFixed(2), r.weightedKappa === null ? na : r.weightedKappa.toFixed(3)]),
          { className: 'rubric-agreement-table', numericFrom: 2 },
        ),
        el('p', 'muted', l10n.t("Over the responses both annotators scored on the criterion: the share with the same score, the mean absolute difference, and Cohen's κ with quadratic weights (a near miss counts less than a far one).")),
      );
    }
    // Before the Refresh button.
    const refresh = ui.agreementBody.querySelector(':scope > button');
    if (refresh) refresh.before(box);
    else ui.agreementBody.append(box);
  }

  function render(s: LabelingViewState): void {
    view = s.rubric;
    const pairKey = s.session.pair?.key;
    if (!view) {
      section.hidden = true;
      rubric = undefined;
      shownRubric = '';
      key = undefined;
      return;
    }
    section.hidden = false;
    const shape = JSON.stringify([view.file, view.error, view.rubric]);
    const rebuilt = shape !== shownRubric;
    if (rebuilt) {
      shownRubric = shape;
      rubric = view.error === undefined ? view.rubric : undefined;
      build(view);
    }
    if (!rubric) return;
    // Only the criteria table is hidden when no pair is on screen (all done): the guidelines stay readable.
    section.querySelector<HTMLElement>('.rubric-grid')!.hidden = !pairKey;
    statusEl.hidden = !pairKey;
    if (pairKey !== key || rebuilt) {
      // A new pair (or a page just loaded): the host's scores for it, in progress or committed before.
      // The same pair keeps what is on screen, which may be ahead of the state that just came.
      key = pairKey;
      scores = view.draft && view.draft.key === pairKey ? { left: { ...view.draft.left }, right: { ...view.draft.right } } : { left: {}, right: {} };
      persist();
    }
    paintScores();
    appendHelp();
    renderAgreement(s);
  }

  function appendHelp(): void {
    ui.helpEl.querySelector('.rubric-help')?.remove();
    const box = el('div', 'rubric-help');
    box.append(el('h3', undefined, l10n.t('Rubric')), table([l10n.t('Action'), l10n.t('Keys')], keyRows()));
    // Before the closing note and button of the dialog (renderSections.renderHelp).
    const note = ui.helpEl.querySelector('p');
    if (note) note.before(box);
    else ui.helpEl.append(box);
  }

  section.addEventListener('keydown', (e) => {
    const cellEl = (e.target as Element | null)?.closest?.('.score-cell');
    if (!(cellEl instanceof HTMLElement) || !rubric || e.repeat) return;
    const c: Cell = { row: Number(cellEl.dataset.row), side: cellEl.dataset.side === 'right' ? 'right' : 'left' };
    const action = rubricKeyAction(e, rubric.scale);
    if (!action) return; // other keys (?, z, …) reach the panel's key map
    e.preventDefault();
    e.stopPropagation();
    const rows = rubric.criteria.length;
    const id = rubric.criteria[c.row].id;
    switch (action.kind) {
      case 'set': {
        setScore(c, action.score);
        const n = nextCell(c, rows);
        if (n) focusCell(n);
        else leave();
        break;
      }
      case 'clear':
        setScore(c, undefined);
        break;
      case 'step':
        setScore(c, stepScore(scores[c.side][id], action.delta, rubric.scale));
        break;
      case 'move':
        focusCell(moveCell(c, action.to, rows));
        break;
      case 'leave':
        leave();
        break;
      case 'ignore':
        break;
    }
  });

  // `r` anywhere on the page (not while typing, not if the key map uses it) starts scoring.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'r' || e.ctrlKey || e.altKey || e.metaKey || e.repeat || isTyping(e.target) || page.keyIndex.has('r')) return;
    if (!rubric || key === undefined || section.contains(e.target as Node)) return;
    e.preventDefault();
    focusCell(firstUnscored(rubric.criteria.map((c) => c.id), scores));
  });

  return {
    render,
    /** The scores in progress, for the page's persisted state. */
    draft(): PersistedRubricDraft | undefined {
      return rubric && key !== undefined ? { key, left: scores.left, right: scores.right } : undefined;
    },
  };
}

export type RubricPart = ReturnType<typeof createRubric>;
