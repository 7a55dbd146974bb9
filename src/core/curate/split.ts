/**
 * Splits a dataset into train/validation/test files by ratios, seeded and reproducible.
 *
 * Ungrouped: exact counts. Two passes, neither of which parses a JSON Lines record (a record's
 * split depends on its index only): the first counts the records, then counts per split are
 * floor(n × ratio) with the remainder going to the largest fractional parts, and a seeded shuffle of
 * the record indexes assigns them (memory: 5 bytes per record); the second pass writes every record
 * to its split in file order.
 * Grouped by prompt: records sharing a prompt (normalised canonical prompt text) always land in the
 * same split. A seeded hash of the prompt picks the split, so it is one pass and deterministic, and
 * the counts follow the ratios only approximately (as many groups, not records, are divided).
 * Outputs keep the input's layout: `name.train.jsonl`, or `name.train.json` (a JSON array).
 */
import * as path from 'node:path';
import { canonicalOf, type FormatId } from '../formats/formatModule';
import type { SourceRecord } from '../jsonl/sourceRecord';
import type { Detection } from '../validate/detect';
import { detectFileFormat, formatModuleOf, passProgress, scanRecords, type CurateRunOptions, type FormatChoice } from './datasetScan';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { abortAll, commitRecordOutputs, RecordOutput, siblingPath } from './recordOutput';
import { promptText } from './recordText';
import { seededRandom, shuffledIndexes } from '../base/random';
import { hash53, normalizeText } from './textHash';
import * as l10n from '@vscode/l10n';

export interface SplitOptions extends CurateRunOptions, FormatChoice {
  /** Shares per split, summing to 1, e.g. [0.95, 0.05] or [0.8, 0.1, 0.1]. */
  ratios: number[];
  /** Split names; default train, validation, test (then split4, …). */
  names?: string[];
  seed?: number;
  groupByPrompt?: boolean;
  /** Folder of the outputs; default the input's folder. */
  outDir?: string;
}

export interface SplitResult {
  format?: FormatId;
  detection: Detection;
  records: number;
  splits: { name: string; path: string; records: number; ratio: number }[];
  /** Distinct prompts, when grouped. */
  groups?: number;
}

export const DEFAULT_SPLIT_NAMES = ['train', 'validation', 'test'];

/** The name of each split: the given one, else train / validation / test, else splitN. */
export function splitNames(ratios: readonly number[], names?: readonly string[]): string[] {
  return ratios.map((_, i) => names?.[i] ?? DEFAULT_SPLIT_NAMES[i] ?? `split${i + 1}`);
}

/** The one ratio rule (the core's split, the extension's Split command, `pairwise split --ratios`). */
export function checkRatios(ratios: readonly number[]): void {
  if (ratios.length < 2) throw new RangeError(l10n.t('give at least two ratios, e.g. 0.95,0.05'));
  if (ratios.some((r) => !(r >= 0) || !Number.isFinite(r))) throw new RangeError(l10n.t('ratios must be non-negative numbers: {0}', ratios.join(',')));
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new RangeError(l10n.t('ratios must sum to 1 (they sum to {0})', Math.round(sum * 1e6) / 1e6));
}

/** Records per split: floor(n × ratio), remainder to the largest fractional parts (earlier split on ties). */
export function exactCounts(n: number, ratios: readonly number[]): number[] {
  const raw = ratios.map((r) => n * r);
  const counts = raw.map(Math.floor);
  let rest = n - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) counts[order[k].i]++;
  return counts;
}

export async function splitFile(input: string, opts: SplitOptions): Promise<SplitResult> {
  checkRatios(opts.ratios);
  const names = splitNames(opts.ratios, opts.names);
  if (new Set(names).size !== names.length) throw new RangeError(l10n.t('split names must differ: {0}', names.join(', ')));
  const seed = opts.seed ?? 42;
  const detection = await detectFileFormat(input, opts);
  const format = formatModuleOf(detection);
  const asArray = /\.json$/i.test(input);
  const pathOf = (name: string) => {
    const p = siblingPath(input, name);
    return opts.outDir ? path.join(opts.outDir, path.basename(p)) : p;
  };
  refuseUnsafeOutputs([input], names.map(pathOf));

  let assign: (rec: SourceRecord) => number;
  let groups: Set<number> | undefined;
  if (opts.groupByPrompt) {
    groups = new Set<number>();
    const cumulative: number[] = [];
    let acc = 0;
    for (const r of opts.ratios) cumulative.push((acc += r));
    assign = (rec) => {
      const c = canonicalOf(format, rec, opts.formatOptions);
      const key = c ? normalizeText(promptText(c)) : '\u0000raw:' + rec.text;
      const h = hash53(key, seed);
      groups?.add(h);
      // 53 uniform bits → [0, 1).
      const u = h / 9007199254740992;
      for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]) return i;
      return cumulative.length - 1;
    };
  } else {
    // Counting needs no parsing: a raw pass costs little more than reading the file.
    const { records: n } = await scanRecords(input, { record: () => undefined }, { ...opts, raw: true, onProgress: passProgress(opts.onProgress, 0, 2) });
    const counts = exactCounts(n, opts.ratios);
    const order = shuffledIndexes(n, seededRandom(seed));
    const of = new Uint8Array(n);
    let k = 0;
    for (let s = 0; s < counts.length; s++) for (let c = 0; c < counts[s]; c++) of[order[k++]] = s;
    assign = (rec) => (rec.index < n ? of[rec.index] : counts.length - 1);
  }

  const outputs: RecordOutput[] = [];
  try {
    for (const name of names) outputs.push(await RecordOutput.open(pathOf(name), asArray));
    let records = 0;
    await scanRecords(
      input,
      {
        record: (rec, bytes) => {
          records++;
          outputs[assign(rec)].addBytes(bytes);
        },
        afterChunk: async () => {
          for (const o of outputs) if (o.needsFlush) await o.flush();
        },
      },
      // Ungrouped, a record's split depends on its index alone: copy bytes without parsing.
      { ...opts, raw: !opts.groupByPrompt, onProgress: opts.groupByPrompt ? opts.onProgress : passProgress(opts.onProgress, 1, 2) },
    );
    await commitRecordOutputs(outputs);
    return {
      format: detection.format,
      detection,
      records,
      splits: outputs.map((o, i) => ({ name: names[i], path: o.target, records: o.count, ratio: opts.ratios[i] })),
      groups: groups?.size,
    };
  } catch (e) {
    await abortAll(outputs);
    throw e;
  }
}
