/**
 * Dataset statistics in one streaming pass over the validator (which supplies problems per rule and
 * each record's validity): turns, characters and tokens per role, histograms with the bin of every
 * record, records over a context limit, a training-cost estimate, label balance, scripts present
 * and the commonest first words of prompts. Figures count records that pass validation.
 *
 * Memory: exact order statistics from compact columns (4 bytes per record per series, 4 per
 * message per role series), plus 5 bytes per record slot for the histogram indexes.
 *
 * Tokens: exact BPE counts (tokens/tokenCounter) in mode "exact". Mode "estimate" counts the first
 * 500 records and about one in 128 after that (picked by byte offset, recordFeatures.isTokenSample)
 * exactly and estimates the others from their character counts with the tokens-per-character ratio
 * measured so far for the same script; the report says which mode ran. "auto" (default) is exact
 * up to 64 MB of input.
 */
import { promises as fsp } from 'node:fs';
import type { FormatId } from '../formats/formatModule';
import type { CanonicalRecord } from '../model';
import { createTokenCounter, tokenizerFor, type TokenCounter, type TokenizerName } from '../tokens/tokenCounter';
import type { Detection } from '../validate/detect';
import { validateFile } from '../validate/pipeline';
import type { CurateRunOptions, FormatChoice } from './datasetScan';
import { buildHistogram, NO_BIN, type Histogram } from './histogram';
import { NumericSeries, type Distribution } from './numericSeries';
import { isTokenSample, newRecordFeatures, offsetPicksSample, recordFeatures, type RecordFeatures } from './recordFeatures';
import { SCRIPT_INDEX, SCRIPT_NAMES, type ScriptName } from './scriptGuess';
import { estimateCost, type CostEstimate, type PriceMap } from './trainingCost';
import { modeForFileName } from '../jsonl/sourceRecord';
import { statsInParallel, type FeatureColumns, type FeatureSink } from './parallelStats';
import { workerCount } from './workerPool';
import * as l10n from '@vscode/l10n';

export type TokenMode = 'exact' | 'estimate' | 'auto';

export interface StatsOptions extends CurateRunOptions, FormatChoice {
  /** Tokens per record above which a record counts as over the limit (and is billed capped). Default 4096. */
  contextLimit?: number;
  /** Training epochs for the cost estimate; default as OpenAI's cookbook (see trainingCost). */
  epochs?: number;
  /** Prices per model, e.g. `{ "gpt-4o-mini-2024-07-18": { trainingPerMTok: 3 } }`. */
  prices?: PriceMap;
  /** The model whose tokenizer counts (default: o200k_base). Non-OpenAI models are marked approximate. */
  model?: string;
  tokenMode?: TokenMode;
  /** Bars per histogram, at most. Default 20. */
  maxBins?: number;
  /** Record indexes listed for "over the context limit". Default 1000. */
  maxListed?: number;
  /**
   * Threads for JSON Lines input (JSON arrays, preference/KTO data and files of no known format use
   * one). Default: one below 8 MB or when every token is counted exactly (each worker would load the
   * tokenizer and warm its own piece cache: slower on 20 MB on 2 cores), else min(available
   * parallelism, 4). Same report for any count.
   */
  workers?: number;
}

export type ChartId = 'tokensPerRecord' | 'turnsPerRecord';

export interface StatsReport {
  path: string;
  format?: FormatId;
  detection: Detection;
  /** Record slots read (valid or not). */
  records: number;
  /** Records that fit the format without errors: the records every figure below counts. */
  validRecords: number;
  problems: { error: number; warning: number; info: number; byRule: Record<string, number> };
  tokens: {
    tokenizer: TokenizerName;
    model?: string;
    /** True when the figures are not the model's own exact counts (other tokenizer, or estimated). */
    approximate: boolean;
    mode: 'exact' | 'estimate';
    /** Records whose tokens were counted exactly (all of them in exact mode). */
    exactRecords: number;
    /** What a token figure includes. */
    note: string;
  };
  turnsPerRecord: Distribution;
  tokensPerRecord: Distribution;
  /** Per role bucket: `user`, `assistant`, `system`, `chosen assistant`, `rejected assistant`, … */
  charsByRole: Record<string, Distribution>;
  tokensByRole: Record<string, Distribution>;
  histograms: Record<ChartId, Histogram>;
  contextLimit: { limit: number; over: number; records: number[]; listedAll: boolean };
  cost: CostEstimate;
  /** Preference data: how often the chosen answer is the longer one (length bias). */
  preference?: { pairs: number; chosenLonger: number; rejectedLonger: number; sameLength: number; chosenLongerShare: number };
  /** KTO / unpaired data: desirable and undesirable counts. */
  kto?: { desirable: number; undesirable: number };
  /** Records per guessed script, most first. */
  languages: { script: ScriptName; records: number }[];
  /** The most frequent first words of prompts (first user message), lower-cased, top 20. */
  firstWords: { word: string; count: number }[];
}

export interface StatsResult {
  report: StatsReport;
  /** Per chart: the bin of each record slot (index = record index; NO_BIN for records not counted). */
  recordBins: Record<ChartId, Uint16Array>;
}

/** Indexes of the records behind one bar of a chart (for filtering the Dataset View), in file order. */
export function recordsInBin(stats: StatsResult, chart: ChartId, bin: number, limit = Infinity): number[] {
  const ids = stats.recordBins[chart];
  const out: number[] = [];
  for (let i = 0; i < ids.length && out.length < limit; i++) if (ids[i] === bin) out.push(i);
  return out;
}

const AUTO_EXACT_BYTES = 64 * 1024 * 1024;
const FIRST_WORD_KEYS = 100_000;
const FALLBACK_TOKENS_PER_CHAR = 0.25;

/** A growable column indexed by record index. */
class RecordColumn {
  values = new Uint32Array(1024);
  present = new Uint8Array(1024);
  set(i: number, v: number): void {
    this.ensure(i + 1);
    this.values[i] = v;
    this.present[i] = 1;
  }
  /** The first n slots (records never set are absent). */
  trimmed(n: number): { values: Uint32Array; present: Uint8Array } {
    this.ensure(n);
    return { values: this.values.subarray(0, n), present: this.present.subarray(0, n) };
  }
  /** Room for records 0..n-1, allocated once when `exact` (NumericSeries.reserve says why). */
  ensure(n: number, exact = false): void {
    if (n <= this.values.length) return;
    let len = this.values.length;
    if (exact) len = n;
    while (len < n) len *= 2;
    const g = new Uint32Array(len);
    g.set(this.values);
    this.values = g;
    const p = new Uint8Array(len);
    p.set(this.present);
    this.present = p;
  }
}

export { firstWord, firstWordByRegex, recordFeatures, type RecordFeatures } from './recordFeatures';

/** A record's type as feature columns hold it (FeatureColumns.type). */
const TYPES: RecordFeatures['type'][] = ['sft', 'preference', 'unpaired', 'unpaired'];

class StatsCollector implements FeatureSink {
  readonly turns = new NumericSeries();
  readonly recTokens = new NumericSeries();
  readonly chars = new Map<string, NumericSeries>();
  readonly tokens = new Map<string, NumericSeries>();
  readonly tokenCol = new RecordColumn();
  readonly turnCol = new RecordColumn();
  readonly words = new Map<string, number>();
  readonly overLimit: number[] = [];
  over = 0;
  billing = 0;
  valid = 0;
  exactRecords = 0;
  pref = { pairs: 0, chosenLonger: 0, rejectedLonger: 0, sameLength: 0 };
  kto = { desirable: 0, undesirable: 0 };
  /** Records per script (index into SCRIPT_NAMES), and the scripts in order of first occurrence. */
  private readonly scriptRecords = new Float64Array(SCRIPT_NAMES.length);
  private readonly scriptOrder: number[] = [];
  /** Per script, the tokens and characters of the records counted exactly so far; then all scripts. */
  private readonly ratioTokens = new Float64Array(SCRIPT_NAMES.length);
  private readonly ratioChars = new Float64Array(SCRIPT_NAMES.length);
  private readonly all = { tokens: 0, chars: 0 };

  constructor(
    private readonly counter: TokenCounter,
    readonly exact: boolean,
    private readonly limit: number,
    private readonly maxListed: number,
  ) {}

  /** Refilled per record (addFeatures keeps nothing of it). */
  private readonly features = newRecordFeatures();

  add(index: number, rec: CanonicalRecord, byteOffset: number): void {
    const f = recordFeatures(rec, false, this.features);
    this.addFeatures(index, f, (k) => this.counter.count(f.contents[k]), offsetPicksSample(byteOffset));
    this.addWord(f.word);
  }

  /** Records per script, most first (ties in order of first occurrence). */
  languages(): { script: ScriptName; records: number }[] {
    return this.scriptOrder.map((s) => ({ script: SCRIPT_NAMES[s], records: this.scriptRecords[s] })).sort((a, b) => b.records - a.records);
  }

  /**
   * Room for what the replay of parallel statistics adds: `valid` records among `slots`, and per
   * series key its messages.
   */
  reserve(valid: number, slots: number, messages: ReadonlyMap<string, number>): void {
    this.turns.reserve(valid);
    this.recTokens.reserve(valid);
    this.turnCol.ensure(slots, true);
    this.tokenCol.ensure(slots, true);
    for (const [key, n] of messages) {
      series(this.chars, key).reserve(n);
      series(this.tokens, key).reserve(n);
    }
  }

  /**
   * Everything but the first word of a valid record, in file order. `count(k)`: the exact tokens
   * of message k, asked only for the records counted exactly; `picked`: offsetPicksSample of the
   * record's byte offset.
   */
  addFeatures(index: number, f: RecordFeatures, count: (k: number) => number, picked: boolean): void {
    const script = SCRIPT_INDEX.get(f.script) ?? 0;
    const exact = this.startRecord(script, picked);
    const perChar = exact ? 0 : this.tokensPerChar(script);
    let recordTokens = 0;
    let recordChars = 0;
    for (let k = 0; k < f.keys.length; k++) {
      const c = f.chars[k];
      const t = exact ? count(k) : Math.round(c * perChar);
      series(this.chars, f.keys[k]).add(c);
      series(this.tokens, f.keys[k]).add(t);
      recordChars += c;
      recordTokens += t;
    }
    this.endRecord(index, script, exact, recordTokens, recordChars, f.turns);
    this.addKind(f.type, f.label, f.chosenChars, f.rejectedChars);
  }

  /**
   * The valid records of one range of parallel statistics (statsRange.ts), in file order, as
   * addFeatures adds them one by one, with their first words; `indexBase`: the index of the range's
   * first record slot in the file. Reads the columns as they are: a features object refilled per
   * record and a map lookup per message cost the replay about as much again.
   */
  addColumns(p: FeatureColumns, indexBase: number): void {
    const chars = p.keys.map((k) => series(this.chars, k));
    const tokens = p.keys.map((k) => series(this.tokens, k));
    const n = p.validIndex.length;
    for (let j = 0; j < n; j++) {
      const script = p.script[j];
      const exact = this.startRecord(script, p.tokenSample[j] === 1);
      const perChar = exact ? 0 : this.tokensPerChar(script);
      const me = j + 1 < n ? p.msgStart[j + 1] : p.msgKey.length;
      let recordTokens = 0;
      let recordChars = 0;
      for (let m = p.msgStart[j]; m < me; m++) {
        const c = p.msgChars[m];
        // The range counted every message the collector counts exactly.
        const t = exact ? p.msgTokens[m] : Math.round(c * perChar);
        chars[p.msgKey[m]].add(c);
        tokens[p.msgKey[m]].add(t);
        recordChars += c;
        recordTokens += t;
      }
      this.endRecord(indexBase + p.validIndex[j], script, exact, recordTokens, recordChars, p.turns[j]);
      const type = p.type[j];
      if (type !== 0) this.addKind(TYPES[type], type >= 2 ? type === 2 : undefined, p.chosenChars[j], p.rejectedChars[j]);
    }
    for (const [w, times] of p.words) this.addWord(w, times);
  }

  /** Counts a valid record of `script` (an index into SCRIPT_NAMES); whether its tokens are counted exactly. */
  private startRecord(script: number, picked: boolean): boolean {
    this.valid++;
    if (this.scriptRecords[script]++ === 0) this.scriptOrder.push(script);
    const exact = this.exact || isTokenSample(this.valid, picked);
    if (exact) this.exactRecords++;
    return exact;
  }

  private endRecord(index: number, script: number, exact: boolean, recordTokens: number, recordChars: number, turns: number): void {
    if (exact) {
      this.ratioTokens[script] += recordTokens;
      this.ratioChars[script] += recordChars;
      this.all.tokens += recordTokens;
      this.all.chars += recordChars;
    }
    this.turns.add(turns);
    this.recTokens.add(recordTokens);
    this.turnCol.set(index, turns);
    this.tokenCol.set(index, recordTokens);
    this.billing += Math.min(recordTokens, this.limit);
    if (recordTokens > this.limit) {
      this.over++;
      if (this.overLimit.length < this.maxListed) this.overLimit.push(index);
    }
  }

  /** Preference length bias and KTO label balance. */
  private addKind(type: RecordFeatures['type'], label: boolean | undefined, chosenChars: number, rejectedChars: number): void {
    if (type === 'preference' && chosenChars >= 0 && rejectedChars >= 0) {
      this.pref.pairs++;
      if (chosenChars > rejectedChars) this.pref.chosenLonger++;
      else if (chosenChars < rejectedChars) this.pref.rejectedLonger++;
      else this.pref.sameLength++;
    }
    if (type === 'unpaired') {
      if (label) this.kto.desirable++;
      else this.kto.undesirable++;
    }
  }

  /** Counts a prompt's first word; new words stop being tracked past a cap (bounded memory on any input). */
  addWord(w: string | undefined, times = 1): void {
    if (w === undefined) return;
    const n = this.words.get(w);
    if (n !== undefined) this.words.set(w, n + times);
    else if (this.words.size < FIRST_WORD_KEYS) this.words.set(w, times);
  }

  private tokensPerChar(script: number): number {
    if (this.ratioChars[script] > 1000) return this.ratioTokens[script] / this.ratioChars[script];
    return this.all.chars > 0 ? this.all.tokens / this.all.chars : FALLBACK_TOKENS_PER_CHAR;
  }
}

function series(map: Map<string, NumericSeries>, key: string): NumericSeries {
  let s = map.get(key);
  if (!s) map.set(key, (s = new NumericSeries()));
  return s;
}

function distributions(map: Map<string, NumericSeries>): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  for (const k of [...map.keys()].sort()) out[k] = (map.get(k) as NumericSeries).distribution();
  return out;
}

/** A token counter whose tokenizer (about a second to load) loads on first use: never, when worker threads count the tokens. */
class LazyTokenCounter implements TokenCounter {
  readonly tokenizer: TokenizerName;
  readonly approximate: boolean;
  private counter: TokenCounter | undefined;
  constructor(readonly model: string | undefined) {
    ({ tokenizer: this.tokenizer, approximate: this.approximate } = tokenizerFor(model));
  }
  count(text: string): number {
    return (this.counter ??= createTokenCounter({ model: this.model })).count(text);
  }
}

export async function computeStats(path: string, opts: StatsOptions = {}): Promise<StatsResult> {
  const limit = opts.contextLimit ?? 4096;
  const { size } = await fsp.stat(path);
  const mode = opts.tokenMode ?? 'auto';
  const exact = mode === 'exact' || (mode === 'auto' && size <= AUTO_EXACT_BYTES);
  const counter = new LazyTokenCounter(opts.model);
  const c = new StatsCollector(counter, exact, limit, opts.maxListed ?? 1000);
  const readMode = opts.mode ?? modeForFileName(path);
  const workers = readMode === 'jsonl' && (opts.workers !== undefined || !exact) ? workerCount(size, opts.workers) : 1;
  const parallel =
    workers > 1 ? await statsInParallel(path, size, workers, c, { ...opts, exactTokens: exact }) : undefined;
  const v = parallel ?? await validateFile(path, {
    format: opts.format,
    formatOptions: opts.formatOptions,
    mode: opts.mode,
    signal: opts.signal,
    onProgress: opts.onProgress,
    maxProblems: 0,
    onRecord: (rec, valid, format) => {
      if (!valid || !format || !rec.value) return;
      let canonical: CanonicalRecord;
      try {
        canonical = format.toCanonical(rec.value, opts.formatOptions);
      } catch {
        return;
      }
      c.add(rec.index, canonical, rec.byteOffset);
    },
  });
  const n = v.records;
  const maxBins = opts.maxBins ?? 20;
  const tok = c.tokenCol.trimmed(n);
  const trn = c.turnCol.trimmed(n);
  const th = buildHistogram(tok.values, tok.present, maxBins);
  const uh = buildHistogram(trn.values, trn.present, maxBins);
  const report: StatsReport = {
    path,
    format: v.format,
    detection: v.detection,
    records: n,
    validRecords: c.valid,
    problems: { ...v.bySeverity, byRule: v.problemCounts },
    tokens: {
      tokenizer: counter.tokenizer,
      model: opts.model,
      approximate: counter.approximate || !exact,
      mode: exact ? 'exact' : 'estimate',
      exactRecords: c.exactRecords,
      note: l10n.t('content tokens of every message (prompt and all responses), without chat-template overhead'),
    },
    turnsPerRecord: c.turns.distribution(),
    tokensPerRecord: c.recTokens.distribution(),
    charsByRole: distributions(c.chars),
    tokensByRole: distributions(c.tokens),
    histograms: { tokensPerRecord: th.histogram, turnsPerRecord: uh.histogram },
    contextLimit: { limit, over: c.over, records: c.overLimit, listedAll: c.over === c.overLimit.length },
    cost: estimateCost(c.billing, c.valid, opts.epochs, opts.prices),
    languages: c.languages(),
    firstWords: [...c.words.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 20)
      .map(([word, count]) => ({ word, count })),
  };
  if (c.pref.pairs > 0) report.preference = { ...c.pref, chosenLongerShare: c.pref.chosenLonger / c.pref.pairs };
  if (c.kto.desirable + c.kto.undesirable > 0) report.kto = { ...c.kto };
  return { report, recordBins: { tokensPerRecord: th.binOf, turnsPerRecord: uh.binOf } };
}

export { NO_BIN };
