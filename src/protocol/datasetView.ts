/**
 * Messages between the extension host and the Dataset View webview. Both sides import these
 * types, so a renamed field breaks the build instead of the view.
 *
 * The webview starts with `ready` (carrying the query it persisted with setState); the host
 * answers with the full `state`, so a reloaded webview loses nothing. The webview never holds the
 * dataset: it asks for the records of the window it shows (`window`, by record index) and for the
 * matching indexes of a search or filter (`query`); the host answers each request with the same
 * `id`. When the dataset changes the host sends `state` again with a new `version`, and the webview
 * re-runs its query and re-asks for its window.
 */
import type { IndexSummary, ProblemBrief, RecordCard, JsonPathSegment, RecordQuery } from '../core/datasetIndex';
import type { ConversationView } from '../core/chatTemplate';
import { bool, either, fields, guard, index, listOf, messages, num, optional, str, type Check } from './messageChecks';

export type { ProblemBrief, RecordCard, RecordQuery, JsonPathSegment, ConversationView };

/** The trainer's view of one record (core/chatTemplate recordTrainerViews), with what it was computed for. */
export interface RecordTrainerView {
  /** The model folder's name. */
  model: string;
  /** The trainer's display name. */
  trainer: string;
  maxLength?: number;
  /** Where the options came from ("sft.yaml line 4"), when a config set them. */
  optionsFrom?: string;
  views: ConversationView[];
}

export interface DatasetState extends IndexSummary {
  fileName: string;
  /** The large-file variant: no text document behind it, so nothing can be edited. */
  readOnly: boolean;
  /** Why the view is read-only, when it is not the file's size (a Parquet file). */
  readOnlyNote?: string;
  /** Changes whenever records may have changed (an edit, a re-index): cached cards are stale. */
  version: number;
  /** The query the view should show (what it persisted, or what a command asked for). */
  query: RecordQuery;
}

export type HostToDatasetView =
  | { type: 'state'; state: DatasetState }
  /** Answer to `window`: the cards of the asked records that exist. */
  | { type: 'records'; id: number; version: number; records: RecordCard[] }
  /** Answer to `query`: matching record indexes (null: all records match), or an error to show. */
  | { type: 'queryResult'; id: number; version: number; matches: number[] | null; total: number; error?: string }
  /** A long query (streaming search of a large file) is under way. */
  | { type: 'queryProgress'; id: number; done: number; total: number }
  /** Answer to `edit`. */
  | { type: 'editResult'; id: number; ok: boolean; message?: string }
  /** Replace the view's query (e.g. "filter the Dataset View to these records" from another surface). */
  | { type: 'setQuery'; query: RecordQuery }
  /** Answer to `trainerView`: the view, or why there is none (no model chosen, a template error…). */
  | { type: 'trainerViewResult'; id: number; index: number; version: number; view?: RecordTrainerView; error?: string };

export type DatasetViewToHost =
  | { type: 'ready'; query?: RecordQuery }
  | { type: 'window'; id: number; indexes: number[] }
  | { type: 'query'; id: number; query: RecordQuery }
  /** Reveal a record's first line in the text editor beside the view. */
  | { type: 'reveal'; index: number }
  /** Set the string at `path` of record `index` from `oldValue` (as shown) to `newValue`. */
  | { type: 'edit'; id: number; index: number; path: JsonPathSegment[]; oldValue: string; newValue: string }
  /** The trainer's view of record `index`: rendered, tokenized and masked with the file's model and trainer. */
  | { type: 'trainerView'; id: number; index: number }
  /** Choose the model the trainer's view uses for this file (pairwise.selectModel). */
  | { type: 'selectModel' };

/** Argument of the `pairwise.datasetView.filter` command. */
export interface DatasetViewFilterArgs {
  uri: string | { toString(): string };
  recordIndexes?: number[];
  rule?: string;
}

const recordQuery: Check<RecordQuery> = fields<RecordQuery>({
  search: optional(str),
  regex: optional(bool),
  caseSensitive: optional(bool),
  hasErrors: optional(bool),
  rule: optional(str),
  role: optional(str),
  minChars: optional(num),
  maxChars: optional(num),
  recordIndexes: optional(listOf(index)),
});

/** A query as the webview persists and sends it. */
export const isRecordQuery = guard<RecordQuery>(recordQuery, 'query');

/** The host accepts from the Dataset View webview only what passes this (see messageChecks.ts). */
export const isDatasetViewToHost = guard<DatasetViewToHost>(
  messages<DatasetViewToHost>({
    ready: { query: optional(recordQuery) },
    window: { id: index, indexes: listOf(index) },
    query: { id: index, query: recordQuery },
    reveal: { index },
    edit: { id: index, index, path: listOf(either(str, index)), oldValue: str, newValue: str },
    trainerView: { id: index, index },
    selectModel: {},
  }),
  'datasetView',
);
