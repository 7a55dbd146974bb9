/**
 * Audit mode: the pairs of an existing preference dataset, shown blind (sides random like any
 * pair), with the dataset's own label kept aside to measure how often annotators agree with it.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import type { Message, PreferenceRecord } from '../model';
import { promptHash, responseHash } from './hashing';
import { makePair, type LabelPair, type PairResponse } from './pair';
import { ArrayPairQueue, type InputProblem } from './pairQueue';
import { readDatasetRows, resolveFormat } from './datasetRows';
import * as l10n from '@vscode/l10n';

/** Display text of a response: one assistant turn as is; several turns labelled by role. */
export function responseText(messages: readonly Message[]): string {
  if (messages.length === 1) return messages[0].content;
  return messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

export function responseOf(messages: Message[], model?: string): PairResponse {
  const content = responseText(messages);
  const r: PairResponse = { hash: responseHash(content, messages), content };
  if (model !== undefined) r.model = model;
  const single = messages.length === 1 && messages[0].role === 'assistant' && !messages[0].toolCalls;
  if (!single) r.messages = messages;
  return r;
}

export interface AuditSource {
  format: FormatId;
  queue: ArrayPairQueue;
  /** pair id -> hash of the response the dataset prefers. */
  known: Map<string, string>;
  problems: InputProblem[];
}

/** Reads a preference dataset through its format module (detected when not given) into blind pairs. */
export async function auditPairs(path: string, formatOrId?: FormatModule | FormatId, options?: FormatOptions): Promise<AuditSource> {
  const format = await resolveFormat(path, formatOrId);
  if (format.kind !== 'preference') throw new Error(l10n.t('{0}: {1} holds {2} records, not preference pairs', path, format.title, format.kind));
  const problems: InputProblem[] = [];
  const pairs: LabelPair[] = [];
  const known = new Map<string, string>();
  const seenAt = new Map<string, number>();
  for await (const row of readDatasetRows(path, problems)) {
    let rec;
    try {
      rec = format.toCanonical(row.value, options);
    } catch (e) {
      problems.push({ line: row.line, message: l10n.t('not a {0} record: {1}', format.title, (e as Error).message) });
      continue;
    }
    if (rec.type !== 'preference') {
      problems.push({ line: row.line, message: l10n.t('{0} gives {1} records, not preference pairs', format.title, rec.type) });
      continue;
    }
    const p = rec as PreferenceRecord;
    const chosen = responseOf(p.chosen, 'chosen');
    const rejected = responseOf(p.rejected, 'rejected');
    if (chosen.hash === rejected.hash) {
      problems.push({ line: row.line, message: l10n.t('chosen and rejected are identical; nothing to compare') });
      continue;
    }
    const pair = makePair(p.prompt, promptHash(p.prompt), chosen, rejected, { origin: { line: row.line }, knownChosen: chosen.hash });
    const firstLine = seenAt.get(pair.id);
    if (firstLine !== undefined) {
      problems.push({ line: row.line, message: l10n.t('the same pair as record {0}; shown once', firstLine) });
      continue;
    }
    seenAt.set(pair.id, row.line);
    known.set(pair.id, chosen.hash);
    pairs.push(pair);
  }
  return { format: format.id, queue: new ArrayPairQueue(pairs, problems), known, problems };
}
