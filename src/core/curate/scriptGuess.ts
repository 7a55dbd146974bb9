/**
 * A cheap guess of a text's writing system from the letters it uses (no language model): the
 * script with the most letters wins; Han text with any kana counts as Japanese, without as
 * Chinese. Looks at most the first 256 characters (enough to tell scripts apart, cheap on 1M records).
 */
export type ScriptName = 'Latin' | 'CJK (zh)' | 'CJK (ja)' | 'Hangul' | 'Cyrillic' | 'Arabic' | 'Devanagari' | 'Greek' | 'Hebrew' | 'Thai' | 'other' | 'none';

/** Every script name, in a fixed order (workers send a record's script as its index here). */
export const SCRIPT_NAMES: readonly ScriptName[] = ['Latin', 'CJK (zh)', 'CJK (ja)', 'Hangul', 'Cyrillic', 'Arabic', 'Devanagari', 'Greek', 'Hebrew', 'Thai', 'other', 'none'];

const LOOK = 256;

const enum S {
  Latin,
  Han,
  Kana,
  Hangul,
  Cyrillic,
  Arabic,
  Devanagari,
  Greek,
  Hebrew,
  Thai,
  Other,
  Count,
}

const NAMES: ScriptName[] = ['Latin', 'CJK (zh)', 'CJK (ja)', 'Hangul', 'Cyrillic', 'Arabic', 'Devanagari', 'Greek', 'Hebrew', 'Thai', 'other'];

function scriptOf(c: number): number {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? S.Latin : -1;
  if (c <= 0x24f) return (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) ? S.Latin : -1;
  if (c >= 0x370 && c <= 0x3ff) return S.Greek;
  if (c >= 0x400 && c <= 0x52f) return S.Cyrillic;
  if (c >= 0x590 && c <= 0x5ff) return S.Hebrew;
  if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) return S.Arabic;
  if (c >= 0x900 && c <= 0x97f) return S.Devanagari;
  if (c >= 0xe00 && c <= 0xe7f) return S.Thai;
  if (c >= 0x1e00 && c <= 0x1eff) return S.Latin;
  if (c >= 0x3040 && c <= 0x30ff) return S.Kana;
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return S.Han;
  if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) return S.Hangul;
  if (c >= 0xd800 && c <= 0xdfff) return -1; // surrogates (emoji, rare ideographs): not evidence
  if (c >= 0x2000 && c <= 0x2bff) return -1; // punctuation, symbols, arrows
  if (c >= 0x3000 && c <= 0x303f) return -1; // CJK punctuation
  if (c >= 0xff00 && c <= 0xffef) return -1; // full-width forms
  return S.Other;
}

/** Whether the opening LOOK characters of the joined parts hold an ASCII letter. */
function asciiOpeningHasLetter(parts: readonly string[]): boolean {
  let len = 0;
  for (let p = 0; p < parts.length && len < LOOK; p++) {
    const text = parts[p];
    if (len > 0) len++;
    const n = Math.min(text.length, LOOK - len);
    for (let i = 0; i < n; i++) {
      const l = text.charCodeAt(i) | 32;
      if (l >= 97 && l <= 122) return true;
    }
    len += Math.min(text.length, LOOK);
  }
  return false;
}

export function guessScript(text: string): ScriptName {
  return guessScriptParts([text]);
}

/** Slots of `counts`: the scripts, then ASCII letters, then "no script" (so the loop never branches). */
const ASCII_LETTER = S.Count;
const NO_SCRIPT = S.Count + 1;
const counts = new Int32Array(S.Count + 2);
let scriptTable: Uint8Array | undefined;

/** scriptOf for every UTF-16 unit, ASCII letters apart, as counts slots (64 KB, built on first use). */
function buildScriptTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c < 128) {
      const l = c | 32;
      t[c] = l >= 97 && l <= 122 ? ASCII_LETTER : NO_SCRIPT;
    } else {
      const s = scriptOf(c);
      t[c] = s >= 0 ? s : NO_SCRIPT;
    }
  }
  return t;
}

let latinTable: Uint8Array | undefined;

/** 1 for the units that count as Latin letters (ASCII letters among them), else 0. */
function buildLatinTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    const l = c | 32;
    t[c] = (c < 128 ? l >= 97 && l <= 122 : scriptOf(c) === S.Latin) ? 1 : 0;
  }
  return t;
}

/**
 * Whether Latin letters make half of the opening LOOK characters (then Latin wins whatever the
 * rest holds), counted in a register: most records of most datasets stop here. Counting every
 * script into an array as it reads made each unit wait for the last one's store (the same slot,
 * letter after letter): this pass reads a Latin opening in two thirds of the time.
 */
function latinHalf(parts: readonly string[]): boolean {
  const table = (latinTable ??= buildLatinTable());
  const half = LOOK / 2;
  let latin = 0;
  let len = 0;
  for (let p = 0; p < parts.length && len < LOOK; p++) {
    const text = parts[p];
    if (len > 0) len++;
    const n = Math.min(text.length, LOOK - len);
    for (let i = 0; i < n; ) {
      // What is left to read cannot make half: an opening in another script.
      if (latin + LOOK - len - i < half) return false;
      const stop = Math.min(n, i + 32);
      for (; i < stop; i++) {
        latin += table[text.charCodeAt(i)];
        if (latin >= half) return true;
      }
    }
    len += Math.min(text.length, LOOK);
  }
  return false;
}

/**
 * guessScript(parts.join('\n')) without building the joined text, reading only what it reads:
 * the opening LOOK characters of the joined text. (Empty leading parts add no separator, as
 * `sample ? sample + '\n' + part : part` would not.)
 *
 * `asciiOnly`: the caller knows every part is ASCII (a record whose raw JSON is), so the answer is
 * Latin at the first ASCII letter of the opening, else none: the same answer without counting.
 */
export function guessScriptParts(parts: readonly string[], asciiOnly = false): ScriptName {
  if (asciiOnly) return asciiOpeningHasLetter(parts) ? 'Latin' : 'none';
  if (latinHalf(parts)) return 'Latin';
  const table = (scriptTable ??= buildScriptTable());
  counts.fill(0);
  // Latin wins once its letters are half of LOOK: at most LOOK characters are read, so every other
  // script's letters and the rest still to read come to no more than the other half (a tie goes to
  // Latin). A shorter opening simply reads to its end.
  const half = LOOK / 2;
  let len = 0;
  for (let p = 0; p < parts.length && len < LOOK; p++) {
    const text = parts[p];
    if (len > 0) len++; // the separator: not a letter
    const n = Math.min(text.length, LOOK - len);
    for (let i = 0; i < n; ) {
      const stop = Math.min(n, i + 32);
      for (; i < stop; i++) counts[table[text.charCodeAt(i)]]++;
      const latin = counts[ASCII_LETTER] + counts[S.Latin];
      if (latin > 0 && latin >= half) return 'Latin';
    }
    len += Math.min(text.length, LOOK);
  }
  const latin = counts[ASCII_LETTER];
  let other = 0;
  for (let s = 0; s < S.Count; s++) other += counts[s];
  counts[S.Latin] += latin;
  if (latin + other === 0) return 'none';
  if (other === 0) return 'Latin';
  // Japanese mixes kanji and kana: any kana makes Han text Japanese.
  const cjk = counts[S.Han] + counts[S.Kana];
  let best = -1;
  let bestN = 0;
  for (let s = 0; s < S.Count; s++) {
    const v = s === S.Han ? cjk : s === S.Kana ? 0 : counts[s];
    if (v > bestN) [best, bestN] = [s, v];
  }
  if (best === S.Han) return counts[S.Kana] > 0 ? 'CJK (ja)' : 'CJK (zh)';
  return NAMES[best];
}
