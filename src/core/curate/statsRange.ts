/**
 * The worker side of parallel statistics: validates the records of one byte range (reader problems,
 * fit/schema/rules; the file-level duplicate rule is left to the main thread, which gets a sampled
 * hash of each record's bytes) and returns the features of every valid record in compact columns,
 * with exact token counts when the whole file is counted exactly. See parallelStats.ts.
 */
import { isAscii } from 'node:buffer';
import type { FormatId, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { CanonicalRecord } from '../model';
import { createTokenCounter, type TokenCounter } from '../tokens/tokenCounter';
import { sampledHash } from '../validate/fileLevelRules';
import type { Problem } from '../base/problem';
import { checkRecordGuarded } from '../validate/recordChecks';
import { CALIBRATION_RECORDS, newRecordFeatures, offsetPicksSample, recordFeatures } from './recordFeatures';
import { scanRange, type ByteRange, type RangeScanTotals } from './fileRanges';
import { Column, F64Column, leadingWhitespace, RangeReservation } from './columns';
import { SCRIPT_INDEX } from './scriptGuess';

export interface StatsRangeJob {
  job: 'statsRange';
  path: string;
  range: ByteRange;
  format: FormatId;
  formatOptions?: FormatOptions;
  /**
   * Count every message's tokens (token mode exact); otherwise those of the records the estimate
   * may sample: the range's first 500 valid records (the file's first 500 are among those of the
   * ranges before and of this one; see `calibrated`) and those picked by byte offset (isTokenSample).
   */
  exactTokens: boolean;
  model?: string;
  /**
   * One Int32 shared by the file's ranges, set to 1 once the first range has met CALIBRATION_RECORDS
   * valid records: the file's calibration records are then all in it, and the other ranges stop
   * counting their own first ones, which the estimate would not read. (Which thread sees it when
   * changes only what is counted in vain, never the result.)
   */
  calibrated?: SharedArrayBuffer;
}

export interface StatsRangeResult extends RangeScanTotals {
  /**
   * Problems by rule and severity, without duplicates; per rule in order of first occurrence: count,
   * the record index (in the range) of that occurrence, and its stage (0 reading, 2 checking).
   */
  problemCounts: [string, number, number, number][];
  bySeverity: { error: number; warning: number; info: number };
  /**
   * Per record with a JSON object value, in order: sampled hash of its trimmed bytes, the byte
   * offset of its line (untrimmed, as the validator keeps it), leading whitespace, trimmed length,
   * line and index in the range.
   */
  objHash: Uint32Array;
  objOffset: Float64Array;
  objLead: Uint32Array;
  objLength: Uint32Array;
  objLine: Uint32Array;
  objIndex: Uint32Array;
  /** Per valid record, in order: index in the range, script, turns, type, first message. */
  validIndex: Uint32Array;
  /** Index into SCRIPT_NAMES (a column of small numbers: an array of strings is slow to send and to collect). */
  script: Uint8Array;
  turns: Uint32Array;
  msgStart: Uint32Array;
  chosenChars: Int32Array;
  rejectedChars: Int32Array;
  /** 0 sft-like, 1 preference, 2 unpaired desirable, 3 unpaired undesirable. */
  type: Uint8Array;
  /** 1 when the record's byte offset picks it for the token sample (offsetPicksSample). */
  tokenSample: Uint8Array;
  /** Per message: key (index into `keys`), characters, tokens (every message with exactTokens, else those of the records that may be sampled). */
  msgKey: Uint16Array;
  msgChars: Uint32Array;
  msgTokens: Uint32Array;
  keys: string[];
  /** First words with counts, in order of first occurrence in the range. */
  words: [string, number][];
}

const FIRST_WORD_KEYS = 100_000;

export async function statsRange(job: StatsRangeJob, progress?: (bytes: number) => void, isAborted?: () => boolean): Promise<StatsRangeResult> {
  const format = getFormat(job.format);
  // Exact mode counts every message, estimate mode the sampled records', as they come (the counter
  // is made at the first). Estimate mode once kept the sampled texts to count after the scan: the
  // tokenizer's tables as JavaScript objects had made every later garbage collection slower. The
  // packed tables (bpeTable.ts) do not, and counting as the scan goes finds the counter's code and
  // its cache of pieces warm: 857 against 869 ms for the benchmark's 200 MB (medians of 8).
  let counter: TokenCounter | undefined;
  let valid = 0;
  const counts = new Map<string, [string, number, number, number]>();
  const bySeverity = { error: 0, warning: 0, info: 0 };
  let at = 0;
  let stage = 0;
  const problem = (p: Problem) => {
    const c = counts.get(p.rule);
    if (c) c[1]++;
    else counts.set(p.rule, [p.rule, 1, p.record ?? at, stage]);
    bySeverity[p.severity]++;
  };
  const objHash = new Column(Uint32Array);
  const objOffset = new F64Column();
  const objLead = new Column(Uint32Array);
  const objLength = new Column(Uint32Array);
  const objLine = new Column(Uint32Array);
  const objIndex = new Column(Uint32Array);
  const validIndex = new Column(Uint32Array);
  const turns = new Column(Uint32Array);
  const msgStart = new Column(Uint32Array);
  const chosenChars = new Column(Int32Array);
  const rejectedChars = new Column(Int32Array);
  const type = new Column(Uint8Array);
  const tokenSample = new Column(Uint8Array);
  const msgKey = new Column(Uint16Array);
  const msgChars = new Column(Uint32Array);
  const msgTokens = new Column(Uint32Array);
  const script = new Column(Uint8Array);
  const keys: string[] = [];
  const keyIds = new Map<string, number>();
  const words = new Map<string, number>();
  const features = newRecordFeatures();
  const first = job.range.start === 0;
  const calibrated = job.calibrated ? new Int32Array(job.calibrated) : undefined;
  // One range per thread: without a reservation its columns are blocks and then a copy of them,
  // all of it fresh memory (Column.reserve). Validation reserves its ranges' columns too
  // (validateRange.ts); dedupe's few columns measured no different.
  const reservation = new RangeReservation(job.range, [objHash, objOffset, objLead, objLength, objLine, objIndex, validIndex, turns, msgStart, chosenChars, rejectedChars, type, tokenSample, msgKey, msgChars, msgTokens, script]);

  const totals = await scanRange(job.path, job.range, {
    problem,
    // Problems are counted by rule here, never listed.
    placesProblems: () => false,
    record: (rec, bytes) => {
      reservation.note(rec.byteOffset);
      at = rec.index;
      stage = 0;
      if (rec.problems) for (const p of rec.problems) problem(p);
      const value = rec.value;
      if (!value) return;
      const lead = leadingWhitespace(rec.text);
      objHash.push(sampledHash(bytes));
      objOffset.push(rec.byteOffset);
      objLead.push(lead);
      objLength.push(bytes.length);
      objLine.push(rec.line);
      objIndex.push(rec.index);
      stage = 2;
      const res = checkRecordGuarded(value, rec, format, job.formatOptions, false);
      for (const p of res.problems) problem(p);
      if (!res.valid) return;
      let canonical: CanonicalRecord;
      try {
        canonical = format.toCanonical(value, job.formatOptions);
      } catch {
        return;
      }
      const f = recordFeatures(canonical, asciiWithoutEscapes(bytes), features);
      const picked = offsetPicksSample(rec.byteOffset);
      valid++;
      if (valid === CALIBRATION_RECORDS && first && calibrated) Atomics.store(calibrated, 0, 1);
      const counted = job.exactTokens || picked || (valid <= CALIBRATION_RECORDS && (first || !calibrated || Atomics.load(calibrated, 0) === 0));
      validIndex.push(rec.index);
      script.push(SCRIPT_INDEX.get(f.script) ?? 0);
      turns.push(f.turns);
      msgStart.push(msgKey.length);
      chosenChars.push(f.chosenChars);
      rejectedChars.push(f.rejectedChars);
      type.push(f.type === 'preference' ? 1 : f.type === 'unpaired' ? (f.label ? 2 : 3) : 0);
      tokenSample.push(picked ? 1 : 0);
      for (let k = 0; k < f.keys.length; k++) {
        let id = keyIds.get(f.keys[k]);
        if (id === undefined) {
          id = keys.length;
          keys.push(f.keys[k]);
          keyIds.set(f.keys[k], id);
        }
        msgKey.push(id);
        msgChars.push(f.chars[k]);
        msgTokens.push(counted ? (counter ??= createTokenCounter({ model: job.model })).count(f.contents[k]) : 0);
      }
      const w = f.word;
      if (w !== undefined) {
        const n = words.get(w);
        if (n !== undefined) words.set(w, n + 1);
        else if (words.size < FIRST_WORD_KEYS) words.set(w, 1);
      }
    },
    progress,
  }, isAborted);
  return {
    ...totals,
    problemCounts: [...counts.values()],
    bySeverity,
    objHash: objHash.done(),
    objOffset: objOffset.done(),
    objLead: objLead.done(),
    objLength: objLength.done(),
    objLine: objLine.done(),
    objIndex: objIndex.done(),
    validIndex: validIndex.done(),
    script: script.done(),
    turns: turns.done(),
    msgStart: msgStart.done(),
    chosenChars: chosenChars.done(),
    rejectedChars: rejectedChars.done(),
    type: type.done(),
    tokenSample: tokenSample.done(),
    msgKey: msgKey.done(),
    msgChars: msgChars.done(),
    msgTokens: msgTokens.done(),
    keys,
    words: [...words],
  };
}

const BACKSLASH_U = Buffer.from('\\u');

/** Whether a record's raw JSON is ASCII with no \u escape: then every string in it is ASCII. */
function asciiWithoutEscapes(bytes: Uint8Array): boolean {
  if (!isAscii(bytes)) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(BACKSLASH_U) < 0;
}

/** The buffers of a result, to transfer rather than copy. */
export function statsRangeTransfers(r: StatsRangeResult): ArrayBuffer[] {
  return [r.objHash, r.objOffset, r.objLead, r.objLength, r.objLine, r.objIndex, r.validIndex, r.script, r.turns, r.msgStart, r.chosenChars, r.rejectedChars, r.type, r.tokenSample, r.msgKey, r.msgChars, r.msgTokens].map((a) => a.buffer as ArrayBuffer);
}
