/**
 * Messages between the extension host and the statistics report webview. The host computes the
 * report (src/core/curate) and sends it whole; the webview draws it and asks the host for anything
 * that needs the records (which records sit behind a bar) or the file system (Save as Markdown).
 */
import type { ChartId, StatsReport, Distribution } from '../core/curate';

import { guard, index, messages, oneOf } from './messageChecks';

export type { ChartId, StatsReport, Distribution };

export interface StatisticsState {
  fileName: string;
  /** `computing` until the report arrives; `cancelled` / `failed` keep the last report if any. */
  status: 'computing' | 'done' | 'cancelled' | 'failed';
  report?: StatsReport;
  /** Why the computation failed, or the outcome of the last action (saved, filtered). */
  message?: string;
}

export type HostToStatistics = { type: 'state'; state: StatisticsState };

export type StatisticsToHost =
  | { type: 'ready' }
  /** A bar was clicked: show its records in the Dataset View. */
  | { type: 'filterBin'; chart: ChartId; bin: number }
  | { type: 'saveMarkdown' }
  | { type: 'recompute' };

export const CHART_IDS = ['tokensPerRecord', 'turnsPerRecord'] as const satisfies readonly ChartId[];

/** The host accepts from the statistics webview only what passes this (see messageChecks.ts). */
export const isStatisticsToHost = guard<StatisticsToHost>(
  messages<StatisticsToHost>({
    ready: {},
    filterBin: { chart: oneOf(...CHART_IDS), bin: index },
    saveMarkdown: {},
    recompute: {},
  }),
  'statistics',
);
