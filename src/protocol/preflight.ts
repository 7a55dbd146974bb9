/**
 * Messages between the extension host and the pre-flight report webview. The host runs the
 * pre-flight (src/core/chatTemplate preflightFile) and sends the report whole; the webview draws it
 * and asks the host to reveal a record or to run again.
 */
import type { PreflightIssue, PreflightReport } from '../core/chatTemplate';
import { guard, index, messages } from './messageChecks';

export type { PreflightIssue, PreflightReport };

export interface PreflightState {
  fileName: string;
  /** `running` until the report arrives; `cancelled` / `failed` keep the last report if any. */
  status: 'running' | 'done' | 'cancelled' | 'failed';
  /** The model folder's name, the trainer's display name, and where its options came from. */
  model?: string;
  trainer?: string;
  optionsFrom?: string;
  report?: PreflightReport;
  /** Why it failed, or what to do first (choose a model, a trainer). */
  message?: string;
}

export type HostToPreflight = { type: 'state'; state: PreflightState };

export type PreflightToHost =
  | { type: 'ready' }
  /** Show the record that starts on `line` (1-based) in the text editor. */
  | { type: 'reveal'; line: number }
  | { type: 'rerun' }
  | { type: 'selectModel' };

/** The host accepts from the pre-flight webview only what passes this (see messageChecks.ts). */
export const isPreflightToHost = guard<PreflightToHost>(
  messages<PreflightToHost>({
    ready: {},
    reveal: { line: index },
    rerun: {},
    selectModel: {},
  }),
  'preflight',
);
