/**
 * What statistics read from one valid record (script, turns, per-message keys and lengths, the
 * prompt's first word), computed the same way on the main thread and in workers.
 */
import type { CanonicalRecord } from '../model';
import { firstUserText, messageBuckets } from './recordText';
import { guessScriptParts, type ScriptName } from './scriptGuess';

/** The first valid records of a file, all counted exactly: what the estimate's ratios start from. */
export const CALIBRATION_RECORDS = 500;
/** About one record in 128 past the calibration set is counted exactly. */
const SAMPLE_MASK = 127;

/**
 * Token mode "estimate" counts the n-th valid record (1-based) exactly when it is among the first
 * 500, or when `picked` (offsetPicksSample of its byte offset: about one in 128). The pick depends
 * on where the record is in the file, not on how many valid records came before it, so worker
 * threads count their own samples over their byte ranges (parallelStats.ts).
 */
export function isTokenSample(n: number, picked: boolean): boolean {
  return n <= CALIBRATION_RECORDS || picked;
}

/**
 * Whether the record at this byte offset is in the token sample: a hash of the offset, so the pick
 * spreads like a random one whatever the records hold (a content hash would pick all or none of a
 * templated dataset's records).
 */
export function offsetPicksSample(byteOffset: number): boolean {
  let h = Math.imul((byteOffset >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ Math.floor(byteOffset / 4294967296), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h & SAMPLE_MASK) === 0;
}

/** Letters and digits of ASCII. */
function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** The opening word of a prompt, lower-cased (two characters for scripts without spaces). */
export function firstWord(text: string): string | undefined {
  // ASCII fast path with the regex's exact result; any non-ASCII unit on the way goes to the regex.
  const lim = Math.min(text.length, 200);
  let i = 0;
  let c = 0;
  while (i < lim && (c = text.charCodeAt(i)) < 128 && !isAsciiAlnum(c)) i++;
  if (i === lim) return undefined;
  if (c < 128) {
    let j = i + 1;
    while (j < lim && (c = text.charCodeAt(j)) < 128 && (isAsciiAlnum(c) || c === 39 || c === 45)) j++;
    if (j === lim || c < 128) return (j - i > 24 ? text.slice(i, i + 24) : text.slice(i, j)).toLowerCase();
  }
  return firstWordByRegex(text);
}

/** The reference definition (what firstWord answers on ASCII text without the regex). */
export function firstWordByRegex(text: string): string | undefined {
  const m = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(text.length > 200 ? text.slice(0, 200) : text);
  if (!m) return undefined;
  const w = m[0];
  // Scripts without spaces: the first two characters stand for the opening word.
  if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(w)) return w.slice(0, 2);
  return (w.length > 24 ? w.slice(0, 24) : w).toLowerCase();
}

/** What statistics take from one valid record, apart from token counts. */
export interface RecordFeatures {
  script: ScriptName;
  turns: number;
  /** Per message, in messageBuckets order: its series key (bucket prefix + role), characters, text. */
  keys: string[];
  chars: number[];
  contents: string[];
  /** Characters of the chosen and rejected answers, -1 when absent. */
  chosenChars: number;
  rejectedChars: number;
  type: CanonicalRecord['type'];
  label?: boolean;
  word: string | undefined;
}

/** An empty features object, for recordFeatures to fill. */
export function newRecordFeatures(): RecordFeatures {
  return { script: 'none', turns: 0, keys: [], chars: [], contents: [], chosenChars: -1, rejectedChars: -1, type: 'sft', label: undefined, word: undefined };
}

/** Series keys by bucket prefix and role, made once: a concatenation per message was garbage to collect. */
const SERIES_KEYS = new Map<string, Map<string, string>>();

function seriesKey(prefix: string, role: string): string {
  if (prefix === '') return role;
  let byRole = SERIES_KEYS.get(prefix);
  if (!byRole) SERIES_KEYS.set(prefix, (byRole = new Map()));
  let key = byRole.get(role);
  if (key === undefined) byRole.set(role, (key = prefix + role));
  return key;
}

/** The opening texts of the record being measured (refilled: recordFeatures is called per record). */
const opening: string[] = [];

/** Sets an array's length only when it changes (a length write is the slow path). */
function trim(a: unknown[], n: number): void {
  if (a.length !== n) a.length = n;
}

/**
 * `asciiOnly`: the record's raw JSON is ASCII without \u escapes, so every text of it is ASCII (the
 * formats add no text of their own); the script guess then stops at the first letter.
 *
 * `into`: a features object to refill (its arrays are overwritten), as the statistics' workers do
 * for every record: a fresh one with three lists was a fifth of what a record allocated there.
 */
export function recordFeatures(rec: CanonicalRecord, asciiOnly = false, into?: RecordFeatures): RecordFeatures {
  const buckets = messageBuckets(rec);
  // Script of the record from its opening text: the messages' first 256 characters joined by
  // newlines, of which guessScriptParts reads 256 at most (no joined copy is built).
  let parts = 0;
  let openingLength = 0;
  for (const [, msgs] of buckets) {
    for (const m of msgs) {
      const c = Math.min(m.content.length, 256);
      openingLength += openingLength > 0 ? c + 1 : c;
      opening[parts++] = m.content;
      if (openingLength >= 256) break;
    }
    if (openingLength >= 256) break;
  }
  trim(opening, parts);
  const f = into ?? newRecordFeatures();
  f.script = guessScriptParts(opening, asciiOnly);
  f.turns = 0;
  f.chosenChars = f.rejectedChars = -1;
  f.type = rec.type;
  f.label = rec.type === 'unpaired' ? !!rec.label : undefined;
  f.word = firstWord(firstUserText(rec));
  let n = 0;
  for (const [prefix, msgs] of buckets) {
    let bucketChars = 0;
    for (const m of msgs) {
      if ((prefix === '' || prefix === 'chosen ' || prefix === 'completion ') && m.role !== 'system') f.turns++;
      f.keys[n] = seriesKey(prefix, m.role);
      f.chars[n] = m.content.length;
      f.contents[n] = m.content;
      bucketChars += m.content.length;
      n++;
    }
    if (prefix === 'chosen ') f.chosenChars = bucketChars;
    if (prefix === 'rejected ') f.rejectedChars = bucketChars;
  }
  trim(f.keys, n);
  trim(f.chars, n);
  trim(f.contents, n);
  return f;
}
