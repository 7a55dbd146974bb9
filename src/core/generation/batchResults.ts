/**
 * Reading what a batch returned: the output and error files' lines as the outcomes an interactive
 * request would have had, and why a request without a result has none.
 */
import * as l10n from '@vscode/l10n';
import type { PriceTable } from './cost';
import { validateCompletion, type ChatOutcome } from './endpointPool';
import type { FailureKind } from './retryPolicy';
import type { BatchEntry } from './batchState';

/** Batch prices are half the interactive ones. */
export function batchPrices(prices: PriceTable | undefined): PriceTable | undefined {
  if (!prices) return undefined;
  return Object.fromEntries(Object.entries(prices).map(([m, p]) => [m, { ...p, inputPerMTok: p.inputPerMTok / 2, outputPerMTok: p.outputPerMTok / 2 }]));
}

function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'client';
}

function errorMessage(body: unknown): string {
  const e = (body as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string') return typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.message;
  return JSON.stringify(body ?? null).slice(0, 200);
}

/** Outcomes by custom_id from the text of a Batch output or error file. */
export function parseBatchResults(text: string, redact: (s: string) => string, into: Map<string, ChatOutcome>): { badLines: number } {
  let badLines = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: { custom_id?: unknown; response?: { status_code?: unknown; body?: unknown } | null; error?: { code?: unknown; message?: unknown } | null };
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      badLines++;
      continue;
    }
    if (!line || typeof line !== 'object' || typeof line.custom_id !== 'string') {
      badLines++;
      continue;
    }
    const status = typeof line.response?.status_code === 'number' ? line.response.status_code : undefined;
    let outcome: ChatOutcome;
    if (status === 200) {
      try {
        const { choices, usage } = validateCompletion(line.response?.body, redact);
        outcome = { ok: true, choices, usage, attempts: 1, latencyMs: 0 };
      } catch (e) {
        outcome = { ok: false, kind: 'malformed', reason: redact(l10n.t('malformed answer in the batch output: {0}', e instanceof Error ? e.message : String(e))), attempts: 1 };
      }
    } else if (status !== undefined) {
      outcome = { ok: false, kind: kindOfStatus(status), status, reason: redact(l10n.t('batch request failed ({0}): {1}', status, errorMessage(line.response?.body))), attempts: 1 };
    } else {
      const err = line.error;
      const text = err ? `${typeof err.code === 'string' ? `${err.code}: ` : ''}${typeof err.message === 'string' ? err.message : ''}` : l10n.t('no response');
      outcome = { ok: false, kind: 'server', reason: redact(l10n.t('batch request failed: {0}', text)), attempts: 1 };
    }
    // An output line wins over an error line for the same request.
    if (!into.get(line.custom_id)?.ok) into.set(line.custom_id, outcome);
  }
  return { badLines };
}

export function missingReason(entry: BatchEntry | undefined): { kind: FailureKind; reason: string } {
  switch (entry?.status) {
    case undefined:
      return { kind: 'aborted', reason: l10n.t('this request was not part of the batch') };
    case 'expired':
      return { kind: 'timeout', reason: l10n.t('the batch expired (24 h) before this request ran') };
    case 'cancelled':
      return { kind: 'aborted', reason: l10n.t('the batch was cancelled before this request ran') };
    case 'failed':
      return { kind: 'client', reason: l10n.t('the batch failed: {0}', (entry.errors ?? []).join('; ') || l10n.t('no reason given')) };
    default:
      return { kind: 'server', reason: l10n.t('the batch returned no result for this request') };
  }
}
