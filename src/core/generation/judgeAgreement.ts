/**
 * How often an AI judge agrees with the human labels of the same pairs: the judgements file against
 * the label logs beside a candidates file, compared on pairs both have judged (humans merged by
 * majority; a pair where the two judge calls disagreed, "uncertain", or humans said both are bad,
 * has no comparable verdict and is counted apart).
 */
import { loadLabelLogs } from '../labeling/decisionLog';
import { mergeDecisions } from '../labeling/merge';
import { jsonlRecordStream } from './jsonlRecords';

export interface JudgeAgreement {
  /** Pairs with both a judge verdict and a human label. */
  compared: number;
  agree: number;
  /** 0..100, or null when nothing could be compared. */
  percent: number | null;
  /** Pairs labeled by humans where the judge was uncertain or humans said both are bad. */
  incomparable: number;
  /** Annotators whose labels were read. */
  annotators: string[];
  /** Problems reading the logs (torn or invalid lines), as sentences. */
  problems: string[];
}

/** `winner` as a response hash, or `tie`; undefined when there is none. */
type Outcome = string | 'tie';

export async function judgeAgreement(judgementsPath: string, labelLogs: readonly string[], judge?: { endpoint: string; model: string }): Promise<JudgeAgreement> {
  const { store, problems } = await loadLabelLogs(labelLogs);
  const { merged } = mergeDecisions(store, { kind: 'majority' });
  // Latest judgement per pair (of the given judge, when named).
  const judged = new Map<string, Outcome | undefined>();
  for await (const item of jsonlRecordStream(judgementsPath)) {
    if (!item.ok) continue;
    const v = item.value as { pair?: unknown; verdict?: unknown; a?: { hash?: unknown }; b?: { hash?: unknown }; judge?: { endpoint?: unknown; model?: unknown } };
    if (typeof v.pair !== 'string' || (judge !== undefined && (v.judge?.endpoint !== judge.endpoint || v.judge?.model !== judge.model))) continue;
    const outcome = v.verdict === 'A' ? v.a?.hash : v.verdict === 'B' ? v.b?.hash : v.verdict === 'tie' ? 'tie' : undefined;
    judged.set(v.pair, typeof outcome === 'string' ? outcome : undefined);
  }
  let compared = 0;
  let agree = 0;
  let incomparable = 0;
  for (const [pair, m] of merged) {
    if (!judged.has(pair)) continue;
    const j = judged.get(pair);
    const human: Outcome | undefined = m.verdict === 'a' ? m.a : m.verdict === 'b' ? m.b : m.verdict === 'tie' ? 'tie' : undefined;
    if (j === undefined || human === undefined) {
      incomparable++;
      continue;
    }
    compared++;
    if (j === human) agree++;
  }
  return {
    compared,
    agree,
    percent: compared ? (100 * agree) / compared : null,
    incomparable,
    annotators: store.annotators(),
    problems: problems.map((p) => `${p.path}:${p.line}: ${p.message}`),
  };
}
