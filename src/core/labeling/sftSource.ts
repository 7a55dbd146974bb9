/**
 * Model A against model B: two SFT files answering the same prompts (in any order), matched by a
 * normalised prompt key; each matched prompt becomes one pair, last assistant turn against last
 * assistant turn.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import type { Message, SftRecord } from '../model';
import { normalizedPromptKey, promptHash } from './hashing';
import { makePair, type LabelPair } from './pair';
import { ArrayPairQueue, type InputProblem } from './pairQueue';
import { readDatasetRows, resolveFormat } from './datasetRows';
import { responseOf } from './auditSource';
import * as l10n from '@vscode/l10n';

export interface SftSide {
  path: string;
  /** Detected from the file when absent. */
  format?: FormatModule | FormatId;
  formatOptions?: FormatOptions;
  /** Name recorded as the model of this side's responses (default: the file name). */
  model?: string;
}

export interface SftPairSource {
  queue: ArrayPairQueue;
  matched: number;
  /** Prompts of A with no counterpart in B, and of B with none in A. */
  onlyInA: number;
  onlyInB: number;
  /** Same response text on both sides: nothing to compare. */
  identical: number;
  problems: { a: InputProblem[]; b: InputProblem[] };
}

interface Split {
  prompt: Message[];
  response: Message;
}

function split(rec: SftRecord): Split | undefined {
  let last = -1;
  for (let i = rec.messages.length - 1; i >= 0; i--) {
    if (rec.messages[i].role === 'assistant') {
      last = i;
      break;
    }
  }
  if (last < 1) return undefined;
  const prompt = rec.messages.slice(0, last);
  if (rec.system !== undefined && rec.system !== '' && prompt[0]?.role !== 'system') prompt.unshift({ role: 'system', content: rec.system });
  return { prompt, response: rec.messages[last] };
}

async function* sftRows(side: SftSide, problems: InputProblem[]): AsyncGenerator<Split & { line: number }> {
  const format = await resolveFormat(side.path, side.format);
  if (format.kind !== 'sft') throw new Error(l10n.t('{0}: {1} holds {2} records, not conversations', side.path, format.title, format.kind));
  for await (const row of readDatasetRows(side.path, problems)) {
    let rec;
    try {
      rec = format.toCanonical(row.value, side.formatOptions);
    } catch (e) {
      problems.push({ line: row.line, message: l10n.t('not a {0} record: {1}', format.title, (e as Error).message) });
      continue;
    }
    if (rec.type !== 'sft') {
      problems.push({ line: row.line, message: l10n.t('{0} gives {1} records, not conversations', format.title, rec.type) });
      continue;
    }
    const s = split(rec);
    if (!s) problems.push({ line: row.line, message: l10n.t('no assistant answer after a prompt') });
    else yield { ...s, line: row.line };
  }
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

export async function sftPairs(sideA: SftSide, sideB: SftSide): Promise<SftPairSource> {
  const pa: InputProblem[] = [];
  const pb: InputProblem[] = [];
  const modelA = sideA.model ?? baseName(sideA.path);
  const modelB = sideB.model ?? baseName(sideB.path);
  // B is indexed by key (first answer per prompt wins); A is streamed in its own order.
  const fromB = new Map<string, Message>();
  for await (const s of sftRows(sideB, pb)) {
    const k = normalizedPromptKey(s.prompt);
    if (fromB.has(k)) pb.push({ line: s.line, message: l10n.t('prompt already answered earlier in this file; later answer ignored') });
    else fromB.set(k, s.response);
  }
  const used = new Set<string>();
  const pairs: LabelPair[] = [];
  let onlyInA = 0;
  let identical = 0;
  for await (const s of sftRows(sideA, pa)) {
    const k = normalizedPromptKey(s.prompt);
    const rb = fromB.get(k);
    if (!rb) {
      onlyInA++;
      continue;
    }
    if (used.has(k)) {
      pa.push({ line: s.line, message: l10n.t('prompt already answered earlier in this file; later answer ignored') });
      continue;
    }
    used.add(k);
    const x = responseOf([s.response], modelA);
    const y = responseOf([rb], modelB);
    if (x.hash === y.hash) {
      identical++;
      continue;
    }
    pairs.push(makePair(s.prompt, promptHash(s.prompt), x, y, { origin: { line: s.line } }));
  }
  return {
    queue: new ArrayPairQueue(pairs, pa),
    matched: used.size,
    onlyInA,
    onlyInB: fromB.size - used.size,
    identical,
    problems: { a: pa, b: pb },
  };
}
