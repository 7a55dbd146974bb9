/** What the Dataset View page does with each message of the host (edit results are answered to their request in editing.ts). */
import * as l10n from '@vscode/l10n';
import type { DatasetState, HostToDatasetView } from '../../src/protocol/datasetView';
import type { DatasetViewContext } from './context';
import { controlsFromQuery, renderHead, runQuery, showMessage } from './head';
import { clearLive, refreshCard, scheduleRender } from './list';
import { percent } from './logic/format';

const MAX_CACHE = 3000;

function onState(ctx: DatasetViewContext, s: DatasetState): void {
  const { st } = ctx;
  const first = st.host === undefined;
  const changed = s.version !== st.version;
  st.host = s;
  if (first) {
    st.query = s.query;
    controlsFromQuery(ctx);
  }
  if (changed) {
    st.version = s.version;
    // Open trainer's views are of the old data (or model): ask again.
    for (const [index, entry] of st.trainerViews) {
      entry.view = entry.error = undefined;
      entry.version = undefined;
      if (entry.open) {
        entry.id = ctx.channel.newId();
        ctx.channel.post({ type: 'trainerView', id: entry.id, index });
      }
    }
    st.cache.clear();
    st.requested.clear();
    for (const item of st.live.values()) item.real = false;
    runQuery(ctx, !first);
  } else if (st.matches === null && !st.status) {
    // Indexing a large file: everything matches, and there is more of it now.
    st.geometry.setTotal(s.records);
  }
  renderHead(ctx);
  scheduleRender(ctx);
}

export function onHostMessage(ctx: DatasetViewContext, m: HostToDatasetView): void {
  const { st, ui } = ctx;
  switch (m.type) {
    case 'state':
      onState(ctx, m.state);
      break;
    case 'records':
      if (m.version < st.version) break;
      for (const r of m.records) {
        st.cache.set(r.index, r);
        st.requested.delete(r.index);
      }
      while (st.cache.size > MAX_CACHE) st.cache.delete(st.cache.keys().next().value as number);
      scheduleRender(ctx);
      break;
    case 'queryResult': {
      if (m.id !== st.queryId) break;
      st.status = '';
      st.matches = m.matches;
      showMessage(ctx, m.error ?? '');
      if (!st.keepScroll) {
        ui.scroller.scrollTop = 0;
        st.focusPos = 0;
      }
      st.geometry.reset(m.total);
      clearLive(ctx);
      renderHead(ctx);
      scheduleRender(ctx);
      break;
    }
    case 'queryProgress':
      if (m.id === st.queryId) {
        st.status = l10n.t('searching {0}', percent(m.done, m.total));
        renderHead(ctx);
      }
      break;
    case 'trainerViewResult': {
      const entry = st.trainerViews.get(m.index);
      if (!entry || entry.id !== m.id) break;
      entry.id = undefined;
      entry.version = m.version;
      entry.view = m.view;
      entry.error = m.error;
      refreshCard(ctx, m.index);
      break;
    }
    case 'setQuery':
      st.query = m.query;
      controlsFromQuery(ctx);
      runQuery(ctx);
      break;
  }
}
