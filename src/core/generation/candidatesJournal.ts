/**
 * The candidates job's journal (`<out>.progress.jsonl`): the responses of units received for
 * prompts still waiting for others, and how an answered unit becomes response lines.
 */
import type { ChatOutcome } from './endpointPool';
import { readJsonlRecords } from './jsonlRecords';
import { unitSeed, type CandidateResponseLine, type GenerationParams, type Unit } from './candidatesPlan';

export interface JournalLine {
  id: string;
  unit: string;
  responses: CandidateResponseLine[];
  ts: string;
}

/** Responses received per prompt id, then per unit key. */
export type Journal = Map<string, Map<string, CandidateResponseLine[]>>;

/** The journal's units of prompts not yet in the candidates file (`doneIds`), and its damaged line numbers. */
export async function readJournal(path: string, doneIds: ReadonlySet<string>): Promise<{ journal: Journal; badLines: number[] }> {
  const journal: Journal = new Map();
  const jr = await readJsonlRecords(path, (v) => {
    const line = v as unknown as JournalLine;
    if (typeof line.id !== 'string' || typeof line.unit !== 'string' || !Array.isArray(line.responses) || doneIds.has(line.id)) return;
    let m = journal.get(line.id);
    if (!m) journal.set(line.id, (m = new Map()));
    m.set(line.unit, line.responses);
  });
  return { journal, badLines: jr.badLines };
}

export type Answer = Extract<ChatOutcome, { ok: true }>;

/** The candidates lines of one answered unit: what came (never more than asked) and what was sent. */
export function responsesOf(u: Unit, outcome: Answer): CandidateResponseLine[] {
  const params = u.target.params;
  const seed = unitSeed(u);
  const sentParams: Omit<GenerationParams, 'n'> = {
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.max_tokens !== undefined ? { max_tokens: params.max_tokens } : {}),
    ...(params.top_p !== undefined ? { top_p: params.top_p } : {}),
    // What was sent: a seed the endpoint refused was left out (EndpointPool), so it is not recorded.
    ...(seed !== undefined && !outcome.sentWithout?.includes('seed') ? { seed } : {}),
    ...(params.system !== undefined ? { system: params.system } : {}),
  };
  const usage = outcome.usage ? { ...outcome.usage, ...(u.choices > 1 ? { request_n: u.choices } : {}) } : undefined;
  // A server may return fewer choices than asked; keep what came, never invent.
  return outcome.choices.slice(0, u.choices).map((c) => ({
    model: u.target.model,
    content: c.content,
    ...(usage ? { usage } : {}),
    ...(Object.keys(sentParams).length ? { params: sentParams } : {}),
  }));
}
