/**
 * A rewrite line of a label log: an annotator's improved version of one answer of a pair. The
 * rewrite is the best "chosen" answer there is; exports pair it with the answer it rewrote. The
 * answer rewritten is named by content hash, and the rewrite carries its own hash so exports and
 * dedupe can treat it like any other answer. `v: 3`, see scoresRecord.ts.
 */
import * as l10n from '@vscode/l10n';
import { newRecordId } from './recordId';
import { hashText, responsesOfPairId } from './hashing';
import { SCORES_VERSION } from './scoresRecord';

export const REWRITE_VERSION = SCORES_VERSION;
/** A rewrite is an answer typed by a person; far longer text is not one. */
export const MAX_REWRITE_CHARS = 200_000;

export interface RewriteRecord {
  v: number;
  id: string;
  kind: 'rewrite';
  pair: string;
  /** Hash of the response rewritten (one of the pair's two). */
  base: string;
  /** The rewrite: the full new answer (Markdown source). */
  text: string;
  /** hashText(text), the rewrite's response hash. */
  hash: string;
  annotator: string;
  ts: string;
  /** Milliseconds the annotator spent on the rewrite. */
  ms: number;
  /** Set on a redo: the id of the record it re-applies. */
  redo?: string;
}

export interface RewriteInput {
  pair: string;
  base: string;
  text: string;
  annotator: string;
  ms: number;
}

export function isRewriteRecord(r: object): r is RewriteRecord {
  return (r as RewriteRecord).kind === 'rewrite';
}

function check(pair: unknown, base: unknown, text: unknown): string | undefined {
  if (typeof pair !== 'string') return l10n.t('missing "pair"');
  const hashes = responsesOfPairId(pair);
  if (!hashes) return l10n.t('"pair" is not a pair id');
  if (typeof base !== 'string' || !hashes.includes(base)) return l10n.t('"base" must be one of the two responses of "pair"');
  if (typeof text !== 'string' || text.trim() === '') return l10n.t('"text" must be the rewritten answer');
  if (text.length > MAX_REWRITE_CHARS) return l10n.t('"text" is longer than {0} characters', MAX_REWRITE_CHARS);
  return undefined;
}

/** Checks the rewrite fields of a parsed log line (id, annotator, ts already checked). */
export function toRewriteRecord(r: Record<string, unknown> & { id: string; annotator: string; ts: string }): RewriteRecord | string {
  const bad = check(r.pair, r.base, r.text);
  if (bad) return bad;
  const text = r.text as string;
  const rec: RewriteRecord = {
    v: typeof r.v === 'number' ? r.v : REWRITE_VERSION,
    id: r.id,
    kind: 'rewrite',
    pair: r.pair as string,
    base: r.base as string,
    text,
    // Recomputed, not trusted: the hash names the answer in exports and must match its text.
    hash: hashText(text),
    annotator: r.annotator,
    ts: r.ts,
    ms: typeof r.ms === 'number' && r.ms >= 0 ? r.ms : 0,
  };
  if (typeof r.redo === 'string') rec.redo = r.redo;
  return rec;
}

/** Builds the rewrite record; throws if it does not fit the pair or is empty. */
export function makeRewrite(input: RewriteInput, now = Date.now()): RewriteRecord {
  const bad = check(input.pair, input.base, input.text);
  if (bad) throw new Error(bad);
  return { v: REWRITE_VERSION, id: newRecordId(now), kind: 'rewrite', pair: input.pair, base: input.base, text: input.text, hash: hashText(input.text), annotator: input.annotator, ts: new Date(now).toISOString(), ms: Math.max(0, Math.round(input.ms)) };
}
