/**
 * What rank mode walks through: one item per prompt of a candidates file with three or more
 * distinct responses (two are a pair, the pair mode's job). Items are held in memory: rank mode is
 * for files a person ranks by hand (thousands of prompts), not for the 100 GB inputs the pair
 * queue streams.
 */
import { readCandidatesLines } from './candidateRecord';
import { promptHash, responseHash } from './hashing';
import type { PairResponse } from './pair';
import type { InputProblem } from './pairQueue';
import { rankingGroupId } from './rankingRecord';
import type { Message } from '../model';

export interface RankingItem {
  /** rankingGroupId(promptHash, hashes of the responses). */
  group: string;
  promptHash: string;
  prompt: Message[];
  /** Distinct responses in file order (identical texts collapsed, the first model keeps it). */
  responses: PairResponse[];
  origin: { recordId?: string; line: number };
}

/** Fewest distinct responses an item needs to be ranked. */
export const MIN_RANKED = 3;

export async function readRankingItems(path: string, minResponses = MIN_RANKED): Promise<{ items: RankingItem[]; problems: InputProblem[] }> {
  const items: RankingItem[] = [];
  const problems: InputProblem[] = [];
  const seenGroups = new Set<string>();
  for await (const l of readCandidatesLines(path)) {
    if ('problem' in l) {
      problems.push({ line: l.line, message: l.problem });
      continue;
    }
    const rec = l.record;
    const seen = new Set<string>();
    const responses: PairResponse[] = [];
    for (const r of rec.responses) {
      const hash = responseHash(r.content);
      if (seen.has(hash)) continue;
      seen.add(hash);
      responses.push({ hash, model: r.model, content: r.content });
    }
    if (responses.length < minResponses) continue;
    const ph = promptHash(rec.prompt);
    const group = rankingGroupId(ph, [...seen]);
    if (seenGroups.has(group)) continue; // the same prompt and answers twice: one item
    seenGroups.add(group);
    items.push({ group, promptHash: ph, prompt: rec.prompt, responses, origin: { recordId: rec.id || undefined, line: l.line } });
  }
  return { items, problems };
}
