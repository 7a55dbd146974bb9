/**
 * The labeling page's fixed structure, built once: header, toolbar, prompt, the two responses, the
 * judge's note, the decision controls, guidelines, agreement and the shortcuts dialog. Listeners
 * are attached by events.ts; render.ts fills the parts from each state.
 */
import * as l10n from '@vscode/l10n';
import type { Choice, LabelingAction } from '../../src/protocol/labeling';
import { button, el } from '../shared/dom';

export interface ResponseColumn {
  col: HTMLElement;
  stats: HTMLElement;
  body: HTMLElement;
  badge: HTMLElement;
}

/** The choice buttons: which choice, which key action, the button's text. */
export const CHOICE_TEXT: [Choice, LabelingAction, string][] = [
  ['left', 'left', l10n.t('← Left is better')],
  ['right', 'right', l10n.t('Right is better →')],
  ['tie', 'tie', l10n.t('Tie')],
  ['both_bad', 'bothBad', l10n.t('Both bad')],
  ['skip', 'skip', l10n.t('Skip')],
];

function responseColumn(grid: HTMLElement, side: 'left' | 'right'): ResponseColumn {
  const col = el('article', `response ${side}`);
  col.setAttribute('aria-label', side === 'left' ? l10n.t('Left response') : l10n.t('Right response'));
  const h = el('header', 'response-head');
  const name = el('h2', undefined, side === 'left' ? l10n.t('Left') : l10n.t('Right'));
  const stats = el('span', 'stats');
  const badge = el('span', 'judge-badge');
  h.append(name, stats, badge);
  const body = el('div', 'body');
  col.append(h, body);
  grid.append(col);
  return { col, stats, body, badge };
}

export function createLayout(app: HTMLElement) {
  const head = el('header', 'top');
  const title = el('h1', 'title', l10n.t('Loading…'));
  const sourceEl = el('span', 'source');
  const progressEl = el('span', 'progress');
  progressEl.setAttribute('aria-live', 'polite');
  head.append(title, sourceEl, progressEl);

  const toolbar = el('div', 'toolbar');
  const filterSelect = el('select', 'filter');
  filterSelect.setAttribute('aria-label', l10n.t('Show pairs'));
  for (const [v, t] of [
    ['unlabeled', l10n.t('Unlabeled')],
    ['skipped', l10n.t('Skipped')],
    ['disagreements', l10n.t('Disagreements')],
    ['all', l10n.t('All pairs')],
  ] as const) {
    const o = el('option', undefined, t);
    o.value = v;
    filterSelect.append(o);
  }
  const jumpLabel = el('label', 'jump');
  const jumpInput = el('input', 'jump-input');
  jumpInput.type = 'number';
  jumpInput.min = '1';
  jumpInput.setAttribute('aria-label', l10n.t('Go to pair number'));
  const jumpGo = button(l10n.t('Go'), 'jump-go secondary');
  jumpLabel.append(document.createTextNode(l10n.t('Pair') + ' '), jumpInput);
  const diffLabel = el('label', 'diff-toggle');
  const diffBox = el('input');
  diffBox.type = 'checkbox';
  diffLabel.append(diffBox, document.createTextNode(' ' + l10n.t('Word diff')));
  const helpButton = button(l10n.t('Shortcuts (?)'), 'help-button secondary');
  toolbar.append(filterSelect, jumpLabel, jumpGo, diffLabel, helpButton);

  const messageEl = el('div', 'message');
  messageEl.setAttribute('role', 'alert');
  const problemsEl = el('div', 'problems-note');

  const promptSection = el('section', 'prompt');
  promptSection.setAttribute('aria-label', l10n.t('Prompt'));

  const responses = el('section', 'responses');
  const grid = el('div', 'pair-grid');
  responses.append(grid);
  const left = responseColumn(grid, 'left');
  const right = responseColumn(grid, 'right');

  // The AI judge's verdict (pairwise.judge.showSuggestions); a polite live region, never focusable, so keys stay with the panel.
  const judgeEl = el('section', 'judge');
  judgeEl.setAttribute('aria-label', l10n.t('AI judge'));
  judgeEl.setAttribute('aria-live', 'polite');

  const decisionSection = el('section', 'decision');
  const currentEl = el('div', 'current');
  const choices = el('div', 'choices');
  const choiceButtons = new Map<Choice, HTMLButtonElement>();
  for (const [choice, , text] of CHOICE_TEXT) {
    const b = button(text, `choice choice-${choice}${choice === 'skip' ? ' secondary' : ''}`);
    b.dataset.choice = choice;
    choiceButtons.set(choice, b);
    choices.append(b);
  }
  const strengthSet = el('fieldset', 'strength');
  const legend = el('legend', undefined, l10n.t('Strength (optional)'));
  strengthSet.append(legend);
  const strengthInputs = new Map<string, HTMLInputElement>();
  for (const [v, t] of [
    ['', l10n.t('not given')],
    ['slightly', l10n.t('slightly better')],
    ['clearly', l10n.t('clearly better')],
  ] as const) {
    const l = el('label');
    const r = el('input');
    r.type = 'radio';
    r.name = 'strength';
    r.value = v;
    strengthInputs.set(v, r);
    l.append(r, document.createTextNode(` ${t}`));
    strengthSet.append(l);
  }
  const rationale = el('textarea', 'rationale');
  rationale.rows = 2;
  rationale.placeholder = l10n.t('Rationale (optional). Shortcuts are off while typing; Esc leaves the box.');
  rationale.setAttribute('aria-label', l10n.t('Rationale'));
  rationale.maxLength = 10_000;
  const nav = el('div', 'nav');
  const prevButton = button(l10n.t('Previous'), 'previous secondary');
  const nextButton = button(l10n.t('Next'), 'next secondary');
  const undoButton = button(l10n.t('Undo'), 'undo secondary');
  const redoButton = button(l10n.t('Redo'), 'redo secondary');
  nav.append(prevButton, nextButton, undoButton, redoButton);
  decisionSection.append(currentEl, choices, strengthSet, rationale, nav);

  const doneEl = el('div', 'done');

  const guidelines = el('details', 'guidelines');
  const guidelinesSummary = el('summary', undefined, l10n.t('Guidelines'));
  const guidelinesBody = el('div', 'body');
  guidelines.append(guidelinesSummary, guidelinesBody);

  const agreementEl = el('details', 'agreement');
  const agreementSummary = el('summary', undefined, l10n.t('Agreement and win rates'));
  const agreementBody = el('div', 'body');
  agreementEl.append(agreementSummary, agreementBody);

  const helpEl = el('div', 'shortcuts');
  helpEl.setAttribute('role', 'dialog');
  helpEl.setAttribute('aria-label', l10n.t('Keyboard shortcuts'));
  helpEl.hidden = true;

  app.replaceChildren(head, toolbar, messageEl, problemsEl, promptSection, responses, judgeEl, decisionSection, doneEl, guidelines, agreementEl, helpEl);
  return {
    title,
    sourceEl,
    progressEl,
    filterSelect,
    jumpInput,
    jumpGo,
    diffBox,
    helpButton,
    messageEl,
    problemsEl,
    promptSection,
    responses,
    left,
    right,
    judgeEl,
    decisionSection,
    currentEl,
    choiceButtons,
    strengthInputs,
    rationale,
    prevButton,
    nextButton,
    undoButton,
    redoButton,
    doneEl,
    guidelines,
    guidelinesSummary,
    guidelinesBody,
    agreementEl,
    agreementBody,
    helpEl,
  };
}

export type LabelingLayout = ReturnType<typeof createLayout>;
