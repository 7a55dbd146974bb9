/**
 * Dataset View webview: a virtualized list of record cards. The page never holds the dataset: it
 * knows the matching record indexes (or just their count when everything matches), asks the host
 * for the records of the visible window plus a margin, and keeps only those cards in the DOM
 * (list.ts, with the geometry in logic/listGeometry.ts). Its state is one object (state.ts).
 *
 * Every piece of dataset text goes into the page through textContent; nothing from the data is
 * ever parsed as HTML.
 */
import '../shared/l10nBundle';
import { isRecordQuery, type DatasetViewToHost, type HostToDatasetView, type RecordQuery } from '../../src/protocol/datasetView';
import { connectToHost } from '../shared/host';
import type { DatasetViewContext } from './context';
import { bindEvents } from './events';
import { createLayout } from './layout';
import { onHostMessage } from './messages';
import { createState } from './state';

interface Persisted {
  query: RecordQuery;
}

const host = connectToHost<HostToDatasetView, DatasetViewToHost, Persisted>((m) => onHostMessage(ctx, m));
// The host drops a message whose query is malformed (protocol guard): a persisted query that no longer fits starts empty.
const persisted: unknown = host.persisted()?.query;
const ctx: DatasetViewContext = {
  ui: createLayout(document.getElementById('app')!),
  st: createState(isRecordQuery(persisted) ? persisted : {}),
  channel: host.channel,
  persist: (query) => host.persist({ query }),
};
bindEvents(ctx);
host.channel.post({ type: 'ready', query: ctx.st.query });
