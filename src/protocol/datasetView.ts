/**
 * Messages between the extension host and the Dataset View webview. Both sides import these
 * types, so a renamed field breaks the build instead of the view. The webview starts with `ready`;
 * the host answers with the full state, so a reloaded webview loses nothing.
 */

export interface RecordCard {
  /** 0-based record index in the file. */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  /** The parsed record; absent when the slot is not a JSON object. */
  value?: Record<string, unknown>;
  /** The source text, shown when the record could not be parsed. */
  text?: string;
  problems: { line: number; column: number; severity: 'error' | 'warning' | 'info'; rule: string; message: string }[];
}

export interface DatasetState {
  fileName: string;
  /** Detected (or forced) format id, if any. */
  format?: string;
  /** How the format was decided, e.g. "184 of 200 records look like sharegpt". */
  evidence?: string;
  records: RecordCard[];
  /** Problems that belong to no record (e.g. a malformed array). */
  fileProblems: RecordCard['problems'];
}

export type HostToDatasetView = { type: 'state'; state: DatasetState };

export type DatasetViewToHost =
  | { type: 'ready' }
  /** Reveal a record's line in the text editor. */
  | { type: 'reveal'; line: number };
