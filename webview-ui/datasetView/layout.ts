/** The Dataset View page's fixed structure: header counts, the query toolbar, messages, file problems and the scrolling list. */
import * as l10n from '@vscode/l10n';
import { el } from '../shared/dom';

function checkbox(text: string, cls: string): { label: HTMLLabelElement; box: HTMLInputElement } {
  const label = el('label', cls);
  const box = el('input');
  box.type = 'checkbox';
  label.append(box, document.createTextNode(` ${text}`));
  return { label, box };
}

function numberInput(placeholder: string, cls: string): HTMLInputElement {
  const i = el('input', cls);
  i.type = 'number';
  i.min = '0';
  i.placeholder = placeholder;
  i.setAttribute('aria-label', placeholder);
  return i;
}

export function createLayout(app: HTMLElement) {
  const head = el('header', 'view-head');
  const title = el('h1');
  const formatEl = el('span', 'format');
  const recordsEl = el('span', 'count records');
  const matchingEl = el('span', 'count matching');
  const errorsEl = el('span', 'count errors');
  const warningsEl = el('span', 'count warnings');
  const evidenceEl = el('span', 'evidence');
  const statusEl = el('span', 'status');
  head.append(title, formatEl, recordsEl, matchingEl, errorsEl, warningsEl, evidenceEl, statusEl);

  const toolbar = el('div', 'toolbar');
  const searchInput = el('input', 'search');
  searchInput.type = 'search';
  searchInput.placeholder = l10n.t('Search records (/)');
  searchInput.setAttribute('aria-label', l10n.t('Search records'));
  const regexBox = checkbox(l10n.t('Regex'), 'regex');
  const caseBox = checkbox(l10n.t('Match case'), 'case');
  const errorsBox = checkbox(l10n.t('Has errors'), 'has-errors');
  const ruleSelect = el('select', 'rule');
  ruleSelect.setAttribute('aria-label', l10n.t('Filter by rule'));
  const roleSelect = el('select', 'role');
  roleSelect.setAttribute('aria-label', l10n.t('Filter by role'));
  const minInput = numberInput(l10n.t('min chars'), 'min-chars');
  const maxInput = numberInput(l10n.t('max chars'), 'max-chars');
  const clearButton = el('button', 'clear', l10n.t('Clear'));
  const pickedNote = el('span', 'picked');
  toolbar.append(searchInput, regexBox.label, caseBox.label, errorsBox.label, ruleSelect, roleSelect, minInput, maxInput, clearButton, pickedNote);

  const messageEl = el('div', 'message');
  messageEl.setAttribute('role', 'alert');
  const fileProblemsEl = el('ul', 'problems file');
  const scroller = el('div', 'scroller');
  scroller.tabIndex = -1;
  const canvas = el('div', 'canvas');
  const emptyEl = el('p', 'empty');
  scroller.append(canvas, emptyEl);
  app.replaceChildren(head, toolbar, messageEl, fileProblemsEl, scroller);
  title.textContent = l10n.t('Loading…');
  return {
    title,
    formatEl,
    recordsEl,
    matchingEl,
    errorsEl,
    warningsEl,
    evidenceEl,
    statusEl,
    searchInput,
    regexBox,
    caseBox,
    errorsBox,
    ruleSelect,
    roleSelect,
    minInput,
    maxInput,
    clearButton,
    pickedNote,
    messageEl,
    fileProblemsEl,
    scroller,
    canvas,
    emptyEl,
  };
}

export type DatasetLayout = ReturnType<typeof createLayout>;
