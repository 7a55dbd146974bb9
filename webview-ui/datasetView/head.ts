/** The Dataset View header (counts, indexing, status) and the query controls, both ways between controls and query. */
import * as l10n from '@vscode/l10n';
import type { RecordQuery } from '../../src/protocol/datasetView';
import { el } from '../shared/dom';
import type { DatasetViewContext } from './context';
import { percent, plural } from './logic/format';
import { problemText } from './renderCard';

function fillSelect(select: HTMLSelectElement, none: string, options: { value: string; label: string }[], current: string | undefined): void {
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  const nodes = [el('option', undefined, none), ...options.map((o) => el('option', undefined, o.label))];
  nodes[0].value = '';
  options.forEach((o, i) => (nodes[i + 1].value = o.value));
  select.replaceChildren(...nodes);
  select.value = current ?? '';
}

export function renderHead(ctx: DatasetViewContext): void {
  const { ui, st } = ctx;
  const state = st.host;
  if (!state) return;
  ui.title.textContent = state.readOnly ? l10n.t('{0} (read-only)', state.fileName) : state.fileName;
  ui.title.title = state.readOnlyNote ?? '';
  ui.formatEl.textContent = state.format ? l10n.t('format: {0}', state.format) : state.indexing.done ? l10n.t('format: not recognized') : l10n.t('format: detecting…');
  ui.recordsEl.textContent = plural(state.records, l10n.t('{0} record'), l10n.t('{0} records'));
  ui.matchingEl.textContent = l10n.t('{0} matching', st.geometry.total.toLocaleString('en-US'));
  ui.errorsEl.textContent = plural(state.errors, l10n.t('{0} error'), l10n.t('{0} errors'));
  ui.errorsEl.classList.toggle('error', state.errors > 0);
  ui.warningsEl.textContent = plural(state.warnings, l10n.t('{0} warning'), l10n.t('{0} warnings'));
  ui.evidenceEl.textContent = state.evidence ?? '';
  const indexing = state.indexing.error
    ? l10n.t('indexing failed: {0}', state.indexing.error)
    : state.indexing.done
      ? ''
      : state.indexing.phase === 'checking'
        ? l10n.t('checking {0}', percent(state.indexing.bytes, state.indexing.totalBytes))
        : l10n.t('indexing {0}', percent(state.indexing.bytes, state.indexing.totalBytes));
  ui.statusEl.textContent = [indexing, st.status, state.problemsNote ?? ''].filter(Boolean).join(' · ');
  ui.fileProblemsEl.replaceChildren(...state.fileProblems.map((p) => el('li', p.severity, problemText(p))));
  fillSelect(ui.ruleSelect, l10n.t('All rules'), state.rules.map((r) => ({ value: r.rule, label: `${r.rule} (${r.count})` })), st.query.rule);
  fillSelect(ui.roleSelect, l10n.t('Any role'), state.roles.map((r) => ({ value: r, label: r })), st.query.role);
  ui.pickedNote.textContent = st.query.recordIndexes ? plural(st.query.recordIndexes.length, l10n.t('{0} picked record only'), l10n.t('{0} picked records only')) : '';
}

export function controlsFromQuery(ctx: DatasetViewContext): void {
  const { ui } = ctx;
  const query = ctx.st.query;
  ui.searchInput.value = query.search ?? '';
  ui.regexBox.box.checked = !!query.regex;
  ui.caseBox.box.checked = !!query.caseSensitive;
  ui.errorsBox.box.checked = !!query.hasErrors;
  ui.minInput.value = query.minChars === undefined ? '' : String(query.minChars);
  ui.maxInput.value = query.maxChars === undefined ? '' : String(query.maxChars);
  renderHead(ctx);
}

export function queryFromControls(ctx: DatasetViewContext): RecordQuery {
  const { ui } = ctx;
  const q: RecordQuery = {};
  if (ui.searchInput.value) q.search = ui.searchInput.value;
  if (ui.regexBox.box.checked) q.regex = true;
  if (ui.caseBox.box.checked) q.caseSensitive = true;
  if (ui.errorsBox.box.checked) q.hasErrors = true;
  if (ui.ruleSelect.value) q.rule = ui.ruleSelect.value;
  if (ui.roleSelect.value) q.role = ui.roleSelect.value;
  // A number input can hold "1e999": an infinite length is no length (and would not survive the message).
  const min = Number(ui.minInput.value);
  const max = Number(ui.maxInput.value);
  if (ui.minInput.value !== '' && Number.isFinite(min)) q.minChars = min;
  if (ui.maxInput.value !== '' && Number.isFinite(max)) q.maxChars = max;
  if (ctx.st.query.recordIndexes) q.recordIndexes = ctx.st.query.recordIndexes;
  return q;
}

export function showMessage(ctx: DatasetViewContext, text: string, kind: 'error' | 'info' = 'error'): void {
  ctx.ui.messageEl.textContent = text;
  ctx.ui.messageEl.className = `message ${text ? kind : ''}`;
}

/** Sends the query; `keepScroll` when re-running the same query over changed data. */
export function runQuery(ctx: DatasetViewContext, keepScroll = false): void {
  const { st } = ctx;
  ctx.persist(st.query);
  st.queryId = ctx.channel.newId();
  st.status = l10n.t('searching…');
  renderHead(ctx);
  st.keepScroll = keepScroll;
  ctx.channel.post({ type: 'query', id: st.queryId, query: st.query });
}

export function applyControls(ctx: DatasetViewContext): void {
  ctx.st.query = queryFromControls(ctx);
  runQuery(ctx);
}
