/**
 * Messages between the extension host and the model comparison report webview (Show Model
 * Comparison Report). The host computes the report (src/core/labeling/comparison.ts) from the
 * candidates file and its label logs and sends it whole; the webview draws it and asks the host to
 * open a pair in the labeling panel, or to read the logs again.
 */
import type { ComparedPrompt, ComparisonOutcome, ComparisonReport, ComparisonTally } from '../core/labeling';
import { guard, messages, str } from './messageChecks';

export type { ComparedPrompt, ComparisonOutcome, ComparisonReport, ComparisonTally };

export interface ComparisonState {
  fileName: string;
  status: 'computing' | 'done' | 'failed';
  report?: ComparisonReport;
  /** Why it failed. */
  message?: string;
}

export type HostToComparison = { type: 'state'; state: ComparisonState };

export type ComparisonToHost =
  | { type: 'ready' }
  /** Open this pair (its pair id) in the labeling panel. */
  | { type: 'openPair'; pair: string }
  | { type: 'refresh' };

/** The host accepts from the comparison webview only what passes this (see messageChecks.ts). */
export const isComparisonToHost = guard<ComparisonToHost>(
  messages<ComparisonToHost>({
    ready: {},
    openPair: { pair: str },
    refresh: {},
  }),
  'comparison',
);
