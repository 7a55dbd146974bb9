/**
 * Everything the Dataset View page remembers, in one object: the host's summary, the query and its
 * matches, the card cache, the cards in the DOM, the list geometry and an edit under way. The page
 * never holds the dataset: only the cards of the window it shows (and a bounded cache).
 */
import type { DatasetState, JsonPathSegment, RecordCard, RecordQuery, RecordTrainerView } from '../../src/protocol/datasetView';
import { ListGeometry } from './logic/listGeometry';

/** A card's estimated height before it is measured (px, gap included). */
export const ESTIMATE_PX = 180;

/** A card in the DOM, by list position. */
export interface Live {
  index: number;
  el: HTMLElement;
  /** False for a placeholder, or a card kept from before a data change until its fresh copy arrives. */
  real: boolean;
}

export interface Editing {
  index: number;
  path: JsonPathSegment[];
  old: string;
  shown: HTMLElement;
  area: HTMLTextAreaElement;
}

export interface TrainerViewEntry {
  open: boolean;
  /** The request waiting for its answer. */
  id?: number;
  view?: RecordTrainerView;
  error?: string;
  /** The data version the answer is of. */
  version?: number;
}

export interface DatasetPageState {
  /** The host's summary of the file (undefined until the first `state`). */
  host: DatasetState | undefined;
  /** The data version the cards are of. */
  version: number;
  query: RecordQuery;
  /** Matching record indexes by list position (null: every record matches, position = index). */
  matches: number[] | null;
  /** Id of the query whose answer the page waits for. */
  queryId: number;
  /** Keep the scroll position when that answer arrives (the same query over changed data). */
  keepScroll: boolean;
  /** "searching…" while a query runs. */
  status: string;
  cache: Map<number, RecordCard>;
  /** Record indexes asked for and not answered yet. */
  requested: Set<number>;
  live: Map<number, Live>;
  geometry: ListGeometry;
  /** The list position of the focused card (arrow keys move from it). */
  focusPos: number;
  renderQueued: boolean;
  searchTimer: ReturnType<typeof setTimeout> | undefined;
  editing: Editing | undefined;
  /** The trainer's view of records, by record index: open or not, and the host's answer. */
  trainerViews: Map<number, TrainerViewEntry>;
}

export function createState(query: RecordQuery): DatasetPageState {
  return {
    host: undefined,
    version: -1,
    query,
    matches: null,
    queryId: 0,
    keepScroll: false,
    status: '',
    cache: new Map(),
    requested: new Set(),
    live: new Map(),
    geometry: new ListGeometry(ESTIMATE_PX),
    focusPos: 0,
    renderQueued: false,
    searchTimer: undefined,
    editing: undefined,
    trainerViews: new Map(),
  };
}
