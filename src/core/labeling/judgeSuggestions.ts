/**
 * The AI judge's verdicts (`<candidates>.judgements.jsonl`, written by generation/judgeJob.ts) as
 * suggestions for the labeling panel, keyed by the labeling pair id. The file is streamed and read
 * leniently: a judge job may be appending to it while we read, so a last line without a newline is
 * ignored (it is still being written), and any malformed line is counted and skipped. When a pair
 * was judged more than once (another judge, a rerun), the latest line in the file wins.
 */
import type { DecisionRecord } from './decisionRecord';
import { preferredHash } from './decisionRecord';
import { readFileLines } from './lineReader';

/** A judgement line is a few hundred bytes; a far longer one is not ours. */
const MAX_LINE_BYTES = 1 << 20;
const MAX_REASON_CHARS = 500;

export type JudgeVerdict = 'A' | 'B' | 'tie' | 'uncertain';

export interface StoredJudgement {
  pair: string;
  /** Response hashes of the judge's A and B (A is the response that came first in the candidates line). */
  aHash: string;
  bHash: string;
  verdict: JudgeVerdict;
  /** Judge model name. */
  model: string;
  /** Whether the two position-swapped answers agreed (false makes the verdict 'uncertain'). */
  consistent: boolean;
  /** Short reason, when the judgement carries one. */
  reason?: string;
  /** 1-based line in the judgements file. */
  line: number;
}

export interface JudgementsRead {
  byPair: Map<string, StoredJudgement>;
  /** Lines that are not judgements (invalid JSON or shape), 1-based. */
  badLines: number[];
  /** A last line without a newline was left out (a judge job may still be writing it). */
  partialLast: boolean;
  /** The file does not exist. */
  missing: boolean;
}

const VERDICTS = new Set<string>(['A', 'B', 'tie', 'uncertain']);
const VOTES = new Set<string>(['A', 'B', 'tie']);

function hashOf(side: unknown): string | undefined {
  const h = (side as { hash?: unknown } | null | undefined)?.hash;
  return typeof h === 'string' && h.length > 0 ? h : undefined;
}

/** Checks one parsed line; undefined when it is not a judgement. */
export function toJudgement(v: unknown, line: number): StoredJudgement | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const aHash = hashOf(o.a);
  const bHash = hashOf(o.b);
  if (typeof o.pair !== 'string' || !aHash || !bHash || typeof o.verdict !== 'string' || !VERDICTS.has(o.verdict)) return undefined;
  // The pair id names both responses (prompt.lo.hi); a line whose sides are not the pair's is damaged.
  const parts = o.pair.split('.');
  if (parts.length !== 3 || !((parts[1] === aHash && parts[2] === bHash) || (parts[1] === bHash && parts[2] === aHash))) return undefined;
  const judge = o.judge as { model?: unknown } | undefined;
  const model = typeof judge?.model === 'string' ? judge.model : '';
  const votes = Array.isArray(o.votes) && o.votes.length === 2 && o.votes.every((x) => typeof x === 'string' && VOTES.has(x)) ? (o.votes as string[]) : undefined;
  const consistent = votes ? votes[0] === votes[1] : o.verdict !== 'uncertain';
  const out: StoredJudgement = { pair: o.pair, aHash, bHash, verdict: o.verdict as JudgeVerdict, model, consistent, line };
  const reason = typeof o.reason === 'string' ? o.reason : typeof (o as { rationale?: unknown }).rationale === 'string' ? (o.rationale as string) : undefined;
  if (reason?.trim()) out.reason = reason.trim().slice(0, MAX_REASON_CHARS);
  return out;
}

/** Streams the judgements file. A missing file is an empty result, not an error. */
export async function readJudgements(path: string): Promise<JudgementsRead> {
  const out: JudgementsRead = { byPair: new Map(), badLines: [], partialLast: false, missing: false };
  try {
    for await (const l of readFileLines(path, MAX_LINE_BYTES)) {
      if (!l.terminated) {
        out.partialLast = l.text.trim().length > 0;
        break;
      }
      if (!l.text.trim()) continue;
      let j: StoredJudgement | undefined;
      if (!l.tooLong) {
        try {
          j = toJudgement(JSON.parse(l.text), l.line);
        } catch {
          j = undefined;
        }
      }
      if (!j) {
        out.badLines.push(l.line);
        continue;
      }
      // Latest line wins: delete first so the map order follows the file order of the winners.
      out.byPair.delete(j.pair);
      out.byPair.set(j.pair, j);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...out, missing: true };
    throw e;
  }
  return out;
}

/** The response hash the judge prefers, if it prefers one. */
export function judgePreferredHash(j: StoredJudgement): string | undefined {
  return j.verdict === 'A' ? j.aHash : j.verdict === 'B' ? j.bHash : undefined;
}

/** The judge's verdict in the sides shown on screen. */
export function judgeSide(j: StoredJudgement, leftHash: string, rightHash: string): 'left' | 'right' | 'tie' | 'uncertain' | undefined {
  if (j.verdict === 'tie' || j.verdict === 'uncertain') return j.verdict;
  const h = judgePreferredHash(j);
  return h === leftHash ? 'left' : h === rightHash ? 'right' : undefined;
}

export interface AgreementWithJudge {
  /** Pairs both the annotator (left, right or tie) and the judge (a consistent verdict) decided. */
  pairs: number;
  agree: number;
  percent: number | null;
}

/**
 * How often the annotator agreed with the judge: over pairs where the annotator preferred a side or
 * called a tie, and the judge gave a consistent verdict. Both bad, skips and uncertain verdicts are
 * left out (neither says which response is better).
 */
export function agreementWithJudge(decisions: Iterable<Pick<DecisionRecord, 'pair' | 'left' | 'right' | 'choice'>>, judgements: ReadonlyMap<string, StoredJudgement>): AgreementWithJudge {
  let pairs = 0;
  let agree = 0;
  for (const d of decisions) {
    if (d.choice !== 'left' && d.choice !== 'right' && d.choice !== 'tie') continue;
    const j = judgements.get(d.pair);
    if (!j || j.verdict === 'uncertain') continue;
    pairs++;
    if (d.choice === 'tie' ? j.verdict === 'tie' : preferredHash(d as DecisionRecord) === judgePreferredHash(j)) agree++;
  }
  return { pairs, agree, percent: pairs ? (100 * agree) / pairs : null };
}
