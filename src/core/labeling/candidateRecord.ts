/**
 * One line of a candidates file (`{"id","prompt":[messages],"responses":[{"model","content"}]}`)
 * turned into the pairs the annotator will see, by a pairing strategy.
 */
import type { CandidatesRecord, Message, Role } from '../model';
import { promptHash, responseHash } from './hashing';
import { makePair, type LabelPair, type PairResponse } from './pair';
import { seededRandomFromString, shuffled } from '../base/random';
import { turnInfoOf, type TurnInfo } from './turns';
import { readFileLines } from './lineReader';
import * as l10n from '@vscode/l10n';

/** `all`: every unordered pair; `adjacent`: neighbours in a seeded shuffle (n-1 pairs, all connected). */
export type PairStrategy = 'all' | 'adjacent';

export interface PairingOptions {
  strategy?: PairStrategy;
  /** Seed of the `adjacent` shuffle; part of the dataset's identity, so keep it fixed per project. */
  seed?: string;
}

const ROLES = new Set<Role>(['system', 'user', 'assistant', 'tool']);

function parseMessages(value: unknown, where: string): Message[] {
  if (typeof value === 'string') return [{ role: 'user', content: value }];
  if (!Array.isArray(value)) throw new Error(l10n.t('{0} must be a list of messages or a string', where));
  return value.map((m, i) => {
    if (m === null || typeof m !== 'object') throw new Error(l10n.t('{0}[{1}] must be an object', where, i));
    const { role, content, name } = m as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role as Role)) throw new Error(l10n.t('{0}[{1}].role must be system|user|assistant|tool', where, i));
    if (typeof content !== 'string') throw new Error(l10n.t('{0}[{1}].content must be a string', where, i));
    const msg: Message = { role: role as Role, content };
    if (typeof name === 'string') msg.name = name;
    return msg;
  });
}

/** Validates a parsed candidates line; throws an Error whose message names the field. */
export function toCandidatesRecord(value: unknown): CandidatesRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(l10n.t('record must be a JSON object'));
  const r = value as Record<string, unknown>;
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : '';
  const prompt = parseMessages(r.prompt, 'prompt');
  if (prompt.length === 0) throw new Error(l10n.t('prompt must not be empty'));
  if (!Array.isArray(r.responses)) throw new Error(l10n.t('responses must be a list'));
  const responses = r.responses.map((x, i) => {
    if (x === null || typeof x !== 'object') throw new Error(l10n.t('responses[{0}] must be an object', i));
    const { model, content } = x as Record<string, unknown>;
    if (typeof content !== 'string') throw new Error(l10n.t('responses[{0}].content must be a string', i));
    return { model: typeof model === 'string' ? model : `response ${i + 1}`, content };
  });
  const turn = turnInfoOf(r);
  return { type: 'candidates', id, prompt, responses, ...(turn ? { meta: { turn } } : {}) };
}

/** A line of a candidates file read whole: its record, or why it is set aside. */
export type CandidatesLine = { line: number; record: CandidatesRecord } | { line: number; problem: string };

/**
 * The records of a candidates file in order, streamed; a line too long, not JSON or not a
 * candidates record comes as a problem naming it (blank lines are skipped).
 */
export async function* readCandidatesLines(file: string): AsyncGenerator<CandidatesLine> {
  for await (const l of readFileLines(file)) {
    if (l.tooLong) {
      yield { line: l.line, problem: l10n.t('line too long; skipped') };
      continue;
    }
    if (l.text.trim() === '') continue;
    try {
      yield { line: l.line, record: toCandidatesRecord(JSON.parse(l.text)) };
    } catch (e) {
      yield { line: l.line, problem: (e as Error).message };
    }
  }
}

/**
 * The pairs of one record in a deterministic order. Responses with identical text are collapsed
 * (comparing a text with itself teaches nothing); the first model keeps it.
 */
export function pairsOfRecord(record: CandidatesRecord, options: PairingOptions = {}, line?: number): LabelPair[] {
  const ph = promptHash(record.prompt);
  const seen = new Set<string>();
  const unique: PairResponse[] = [];
  for (const r of record.responses) {
    const hash = responseHash(r.content);
    if (seen.has(hash)) continue;
    seen.add(hash);
    unique.push({ hash, model: r.model, content: r.content });
  }
  const origin = { recordId: record.id || undefined, line };
  const turn = record.meta?.turn as TurnInfo | undefined;
  const extra = turn ? { origin, turn } : { origin };
  const out: LabelPair[] = [];
  if ((options.strategy ?? 'all') === 'all') {
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) out.push(makePair(record.prompt, ph, unique[i], unique[j], extra));
    }
  } else {
    // Seeded by the prompt too, so each prompt gets its own order and the result is independent of file order.
    const order = shuffled(unique, seededRandomFromString(`${options.seed ?? 'pairwise'}:${ph}`));
    for (let i = 0; i + 1 < order.length; i++) out.push(makePair(record.prompt, ph, order[i], order[i + 1], extra));
  }
  return out;
}

/** How many pairs a record with `n` distinct responses yields. */
export function pairCount(n: number, strategy: PairStrategy = 'all'): number {
  if (n < 2) return 0;
  return strategy === 'all' ? (n * (n - 1)) / 2 : n - 1;
}
