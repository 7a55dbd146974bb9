/**
 * Decides a file's format from many records, not one: each sampled record votes for the format
 * that fits it best, and the majority wins, with the count as evidence.
 */
import type { FormatId, FormatModule } from '../formats/formatModule';
import { allFormats } from '../formats/registry';
import * as l10n from '@vscode/l10n';

/** A record "looks like" a format when its detect score reaches this. */
export const FIT_THRESHOLD = 0.5;

/** The sample detection looks at: the leading records up to this many JSON objects, or this much text. */
export const DETECTION_SAMPLE_RECORDS = 200;
export const DETECTION_SAMPLE_BYTES = 16 * 1024 * 1024;

/**
 * The detection sample of a file read from its start, record by record: the validator's, parallel
 * statistics' and the curation commands' (one rule, so that they decide on the same records). A
 * record weighs its trimmed UTF-8 bytes plus its text's UTF-16 units.
 */
export class DetectionSample {
  private objects = 0;
  private weight = 0;

  constructor(private readonly size = DETECTION_SAMPLE_RECORDS) {}

  /** Counts a record in; true once the sample is complete (with this record). */
  add(isObject: boolean, trimmedBytes: number, textLength: number): boolean {
    if (isObject) this.objects++;
    this.weight += trimmedBytes + textLength;
    return this.objects >= this.size || this.weight >= DETECTION_SAMPLE_BYTES;
  }
}

export interface Detection {
  /** Undefined when no sampled record looks like a known format. */
  format?: FormatId;
  /** Share of the sampled records that look like `format` (1 when forced by the user). */
  confidence: number;
  /** In words, e.g. "184 of 200 records look like sharegpt-preference". */
  evidence: string;
  forced?: boolean;
}

export interface FormatFit {
  format: FormatModule;
  score: number;
}

/** The format a record fits best (first in registry order on ties), if any reaches the threshold. */
export function bestFit(record: Record<string, unknown>, exclude?: FormatId): FormatFit | undefined {
  let best: FormatFit | undefined;
  for (const f of allFormats()) {
    if (f.id === exclude) continue;
    let score = 0;
    try {
      score = f.detect(record);
    } catch {
      score = 0;
    }
    if (score >= FIT_THRESHOLD && (!best || score > best.score)) best = { format: f, score };
  }
  return best;
}

export function detectFormat(samples: readonly Record<string, unknown>[]): Detection {
  if (samples.length === 0) return { confidence: 0, evidence: l10n.t('no readable records to look at') };
  const votes = new Map<FormatId, number>();
  let none = 0;
  for (const s of samples) {
    const fit = bestFit(s);
    if (fit) votes.set(fit.format.id, (votes.get(fit.format.id) ?? 0) + 1);
    else none++;
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const n = samples.length;
  // Once per file, not per record: the evidence is worded in the configured language.
  if (ranked.length === 0) return { confidence: 0, evidence: n === 1 ? l10n.t('none of 1 record looks like a known format') : l10n.t('none of {0} records looks like a known format', n) };
  const [format, count] = ranked[0];
  const parts = [n === 1 ? l10n.t('{0} of 1 record looks like {1}', count, format) : l10n.t('{0} of {1} records look like {2}', count, n, format)];
  for (const [other, c] of ranked.slice(1, 3)) parts.push(l10n.t('{0} like {1}', c, other));
  if (none > 0) parts.push(l10n.t('{0} like no known format', none));
  return { format, confidence: count / n, evidence: parts.join(', ') };
}

export function forcedDetection(format: FormatId): Detection {
  return { format, confidence: 1, evidence: l10n.t('format {0} set by the user', format), forced: true };
}
