/** Editing a string value in place: a textarea over the value, Ctrl+Enter or leaving it saves, Escape cancels; the host applies the edit to the document. */
import * as l10n from '@vscode/l10n';
import type { JsonPathSegment } from '../../src/protocol/datasetView';
import { el } from '../shared/dom';
import type { DatasetViewContext } from './context';
import { showMessage } from './head';
import { cardOf, scheduleRender } from './list';
import { valueAt } from './logic/turns';
import type { Editing } from './state';

export function startEdit(ctx: DatasetViewContext, shown: HTMLElement): void {
  const { st } = ctx;
  if (st.editing) return;
  if (st.host?.readOnly) {
    showMessage(ctx, st.host.readOnlyNote ?? l10n.t('This view is read-only: the file is too large to edit as a text document.'), 'info');
    return;
  }
  const card = cardOf(shown);
  const index = Number(card?.dataset.index);
  const path = JSON.parse(shown.dataset.path ?? '[]') as JsonPathSegment[];
  const old = valueAt(st.cache.get(index)?.value, path);
  if (typeof old !== 'string') return;
  const area = el('textarea', 'editor');
  area.value = old;
  area.rows = Math.min(20, old.split('\n').length + 1);
  area.setAttribute('aria-label', l10n.t('Edit value (Ctrl+Enter to save, Escape to cancel)'));
  shown.replaceWith(area);
  st.editing = { index, path, old, shown, area };
  area.addEventListener('blur', () => commitEdit(ctx));
  area.focus();
  scheduleRender(ctx);
}

function endEdit(ctx: DatasetViewContext): Editing | undefined {
  const e = ctx.st.editing;
  if (!e) return undefined;
  ctx.st.editing = undefined;
  e.area.replaceWith(e.shown);
  e.shown.focus({ preventScroll: true });
  scheduleRender(ctx);
  return e;
}

export function cancelEdit(ctx: DatasetViewContext): void {
  endEdit(ctx);
}

export function commitEdit(ctx: DatasetViewContext): void {
  const value = ctx.st.editing?.area.value;
  const e = endEdit(ctx);
  if (!e || value === undefined || value === e.old) return;
  e.shown.textContent = value;
  const edit = { type: 'edit' as const, id: ctx.channel.newId(), index: e.index, path: e.path, oldValue: e.old, newValue: value };
  void ctx.channel.request(edit, 'editResult').then((m) => {
    if (!m.ok) {
      showMessage(ctx, m.message ?? l10n.t('The edit could not be applied.'));
      e.shown.textContent = e.old;
    } else showMessage(ctx, '');
  });
}
