/** What every part of the Dataset View page works with: its elements, its one state object and the channel to the host. */
import type { Channel } from '../../src/protocol/channel';
import type { DatasetViewToHost, HostToDatasetView, RecordQuery } from '../../src/protocol/datasetView';
import type { DatasetLayout } from './layout';
import type { DatasetPageState } from './state';

export interface DatasetViewContext {
  ui: DatasetLayout;
  st: DatasetPageState;
  channel: Channel<HostToDatasetView, DatasetViewToHost>;
  /** Persists the query (it survives hiding the view and reloading the window). */
  persist(query: RecordQuery): void;
}
