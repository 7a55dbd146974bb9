/**
 * Writing and reading label logs. Every append is on disk (fdatasync) before it resolves; the
 * reader streams, sets aside a torn last line and garbage lines with their line numbers, and never
 * loses the decisions before them.
 */
import { AppendLog } from '../jsonl/appendLog';
import {
  LOG_VERSION,
  newRecordId,
  toLogRecord,
  type DecisionRecord,
  type LogRecord,
  type RetractionRecord,
} from './decisionRecord';
import { LabelStore } from './labelStore';
import { readFileLines } from './lineReader';
import type { Choice, LabelPair, Strength } from './pair';
import { RANKING_VERSION, rankingGroupId, type RankingRecord } from './rankingRecord';
import type { RewriteRecord } from './rewriteRecord';
import type { ScoresRecord } from './scoresRecord';
import * as l10n from '@vscode/l10n';

export interface LogProblem {
  path: string;
  /** 1-based line number. */
  line: number;
  /** torn: the last line has no newline and does not parse (a crash mid-write); invalid: any other bad line. */
  kind: 'torn' | 'invalid' | 'too_long';
  message: string;
  /** The start of the bad line (at most 200 characters), so the user can see what was set aside. */
  excerpt?: string;
}

export interface LogReadResult {
  records: LogRecord[];
  problems: LogProblem[];
}

export async function readLabelLog(path: string): Promise<LogReadResult> {
  const records: LogRecord[] = [];
  const problems: LogProblem[] = [];
  for await (const l of readFileLines(path)) {
    if (l.tooLong) {
      problems.push({ path, line: l.line, kind: 'too_long', message: l10n.t('line too long for a label decision; skipped') });
      continue;
    }
    if (l.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch (e) {
      const torn = !l.terminated;
      problems.push({
        path,
        line: l.line,
        kind: torn ? 'torn' : 'invalid',
        message: torn ? l10n.t('torn last line (the write was interrupted); set aside, earlier decisions are intact') : l10n.t('not valid JSON: {0}', (e as Error).message),
        excerpt: l.text.slice(0, 200),
      });
      continue;
    }
    const rec = toLogRecord(value);
    if (typeof rec === 'string') {
      problems.push({ path, line: l.line, kind: 'invalid', message: rec, excerpt: l.text.slice(0, 200) });
      continue;
    }
    records.push(rec);
  }
  return { records, problems };
}

/** Reads several logs (missing files count as empty) into one store. */
export async function loadLabelLogs(paths: readonly string[]): Promise<{ store: LabelStore; problems: LogProblem[] }> {
  const store = new LabelStore();
  const problems: LogProblem[] = [];
  for (const p of paths) {
    let res: LogReadResult;
    try {
      res = await readLabelLog(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const r of res.records) store.add(r);
    problems.push(...res.problems);
  }
  return { store, problems };
}

export interface DecisionInput {
  pair: LabelPair;
  /** Which canonical response (a or b) was on the left. */
  leftIsA: boolean;
  choice: Choice;
  strength?: Strength;
  rationale?: string;
  annotator: string;
  ms: number;
}

/** Builds the decision record for what the annotator saw and chose. */
export function makeDecision(input: DecisionInput, now = Date.now()): DecisionRecord {
  const left = input.leftIsA ? input.pair.a : input.pair.b;
  const right = input.leftIsA ? input.pair.b : input.pair.a;
  const d: DecisionRecord = {
    v: LOG_VERSION,
    id: newRecordId(now),
    pair: input.pair.id,
    left: left.hash,
    right: right.hash,
    choice: input.choice,
    annotator: input.annotator,
    ts: new Date(now).toISOString(),
    ms: Math.max(0, Math.round(input.ms)),
  };
  if (left.model !== undefined) d.leftModel = left.model;
  if (right.model !== undefined) d.rightModel = right.model;
  if (input.strength && (input.choice === 'left' || input.choice === 'right')) d.strength = input.strength;
  if (input.rationale) d.rationale = input.rationale;
  return d;
}

export interface RankingInput {
  promptHash: string;
  /** Tiers of responses, best first (a tier of several is a tie). */
  tiers: { hash: string; model?: string }[][];
  annotator: string;
  ms: number;
}

/** Builds the ranking record for the order the annotator committed. */
export function makeRanking(input: RankingInput, now = Date.now()): RankingRecord {
  const hashes = input.tiers.flat().map((r) => r.hash);
  const r: RankingRecord = {
    v: RANKING_VERSION,
    id: newRecordId(now),
    group: rankingGroupId(input.promptHash, hashes),
    ranking: input.tiers.map((t) => t.map((x) => x.hash)),
    annotator: input.annotator,
    ts: new Date(now).toISOString(),
    ms: Math.max(0, Math.round(input.ms)),
  };
  const models: Record<string, string> = {};
  for (const x of input.tiers.flat()) if (x.model !== undefined) models[x.hash] = x.model;
  if (Object.keys(models).length) r.models = models;
  return r;
}

/** The append side of a label log. */
export class DecisionLog {
  private constructor(private readonly log: AppendLog) {}

  static async open(path: string): Promise<DecisionLog> {
    return new DecisionLog(await AppendLog.open(path));
  }

  get path(): string {
    return this.log.path;
  }

  /** Resolves once the record is durable. */
  append(record: LogRecord): Promise<void> {
    return this.log.append(record);
  }

  async retract(decisionId: string, annotator: string, now = Date.now()): Promise<RetractionRecord> {
    const r: RetractionRecord = { v: LOG_VERSION, id: newRecordId(now), retract: decisionId, annotator, ts: new Date(now).toISOString() };
    await this.log.append(r);
    return r;
  }

  /** Re-applies an undone decision or ranking as a new record (the retraction stays; the copy is later). */
  async redo<T extends DecisionRecord | RankingRecord | ScoresRecord | RewriteRecord>(undone: T, now = Date.now()): Promise<T> {
    const copy: T = { ...undone, id: newRecordId(now), ts: new Date(now).toISOString(), redo: undone.id };
    await this.log.append(copy);
    return copy;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
