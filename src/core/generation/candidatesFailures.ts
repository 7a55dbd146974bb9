/**
 * `<out>.failures.jsonl` of a candidates job: one line per unit that failed for good, with its
 * prompt and a redacted reason. `retryFailures` re-runs exactly the prompts still open; at the end
 * of a run the lines a later success resolved (and older lines of a unit that failed again) go.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { Message } from '../model';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { candidatesJobPaths, isMessageList, readDoneIds, readJournalKeys, turnFieldsOf, type CandidatesJobPaths, type PromptRecord } from './candidatesPlan';
import { readJsonlRecords } from './jsonlRecords';
import type { FailureKind } from './retryPolicy';

export interface FailureLine {
  id: string;
  unit: string;
  endpoint: string;
  model: string;
  kind: FailureKind;
  status?: number;
  reason: string;
  attempts: number;
  ts: string;
  prompt: Message[];
  /** Multi-turn prompts keep their conversation and turn, so a retry writes them too. */
  conversation?: string;
  turn?: number;
  turns?: number;
}

/**
 * Leaves in `<out>.failures.jsonl` only the failures still open: not those of a prompt now in the
 * candidates file or of a unit now in the journal, and for a unit that failed more than once only
 * its latest line. Rewritten atomically; removed when nothing is open.
 */
export async function compactFailures(paths: CandidatesJobPaths): Promise<void> {
  const lines: { raw: Record<string, unknown>; key?: string }[] = [];
  const r = await readJsonlRecords(paths.failures, (v) => {
    lines.push({ raw: v, key: typeof v.id === 'string' && typeof v.unit === 'string' ? `${v.unit}|${v.id}` : undefined });
  });
  // A file with a damaged line is left as it is: a rewrite would drop what no one can read now.
  if (r.lines === 0 || r.badLines.length > 0) return;
  const done = await readDoneIds(paths.candidates, []);
  const journaled = await readJournalKeys(paths.journal);
  const latest = new Map<string, number>();
  lines.forEach((l, i) => {
    if (l.key) latest.set(l.key, i);
  });
  const open = lines.filter((l, i) => !l.key || (latest.get(l.key) === i && !done.has(l.raw.id as string) && !journaled.has(l.key)));
  if (open.length === lines.length) return;
  if (open.length === 0) await fsp.rm(paths.failures, { force: true });
  else await writeFileAtomic(paths.failures, open.map((l) => JSON.stringify(l.raw) + '\n').join(''));
}

/** Prompts with a recorded failure that are still missing from the candidates file. */
export async function readOpenFailures(outputPath: string): Promise<{ prompts: PromptRecord[]; failures: FailureLine[]; warnings: string[] }> {
  const paths = candidatesJobPaths(outputPath);
  const warnings: string[] = [];
  const done = await readDoneIds(paths.candidates, warnings);
  const prompts = new Map<string, PromptRecord>();
  const failures: FailureLine[] = [];
  const r = await readJsonlRecords(paths.failures, (v) => {
    const f = v as unknown as FailureLine;
    if (typeof f.id !== 'string' || done.has(f.id) || !isMessageList(f.prompt)) return;
    failures.push(f);
    prompts.set(f.id, { id: f.id, prompt: f.prompt, ...turnFieldsOf(f) });
  });
  if (r.badLines.length) warnings.push(l10n.t('{0}: {1} damaged line(s) ignored', paths.failures, r.badLines.length));
  return { prompts: [...prompts.values()], failures, warnings };
}
