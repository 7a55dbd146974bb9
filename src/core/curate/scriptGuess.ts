/**
 * A cheap guess of a text's writing system from the letters it uses (no language model): the
 * script with the most letters wins; Han text with any kana counts as Japanese, without as
 * Chinese. Looks at most the first 256 characters (enough to tell scripts apart, cheap on 1M records).
 */
export type ScriptName = 'Latin' | 'CJK (zh)' | 'CJK (ja)' | 'Hangul' | 'Cyrillic' | 'Arabic' | 'Devanagari' | 'Greek' | 'Hebrew' | 'Thai' | 'other' | 'none';

/** Every script name, in a fixed order (workers send a record's script as its index here). */
export const SCRIPT_NAMES: readonly ScriptName[] = ['Latin', 'CJK (zh)', 'CJK (ja)', 'Hangul', 'Cyrillic', 'Arabic', 'Devanagari', 'Greek', 'Hebrew', 'Thai', 'other', 'none'];
/** Each script's index in SCRIPT_NAMES. */
export const SCRIPT_INDEX: ReadonlyMap<ScriptName, number> = new Map(SCRIPT_NAMES.map((s, i) => [s, i]));

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

/** No script: not evidence of any (digits, punctuation, symbols, surrogates). */
const NONE = -1;

/**
 * Each unit's script, as [first, last, script] ranges of UTF-16 units; a unit past U+007F in none of
 * them is another script's letter (S.Other). Latin is the letters of ASCII, Latin-1 (less × and ÷),
 * Latin Extended-A and B and Latin Extended Additional. Both lookup tables are filled from this
 * (asking a function for each of the 65,536 units took 15 ms a thread).
 */
const SCRIPT_RANGES: readonly [number, number, number][] = [
  [0x00, 0x40, NONE],
  [0x41, 0x5a, S.Latin],
  [0x5b, 0x60, NONE],
  [0x61, 0x7a, S.Latin],
  [0x7b, 0xbf, NONE],
  [0xc0, 0x24f, S.Latin],
  [0xd7, 0xd7, NONE],
  [0xf7, 0xf7, NONE],
  [0x370, 0x3ff, S.Greek],
  [0x400, 0x52f, S.Cyrillic],
  [0x590, 0x5ff, S.Hebrew],
  [0x600, 0x6ff, S.Arabic],
  [0x750, 0x77f, S.Arabic],
  [0xfb50, 0xfdff, S.Arabic],
  [0xfe70, 0xfeff, S.Arabic],
  [0x900, 0x97f, S.Devanagari],
  [0xe00, 0xe7f, S.Thai],
  [0x1e00, 0x1eff, S.Latin],
  [0x3040, 0x30ff, S.Kana],
  [0x3400, 0x4dbf, S.Han],
  [0x4e00, 0x9fff, S.Han],
  [0xf900, 0xfaff, S.Han],
  [0xac00, 0xd7af, S.Hangul],
  [0x1100, 0x11ff, S.Hangul],
  [0x3130, 0x318f, S.Hangul],
  [0xd800, 0xdfff, NONE], // surrogates (emoji, rare ideographs)
  [0x2000, 0x2bff, NONE], // punctuation, symbols, arrows
  [0x3000, 0x303f, NONE], // CJK punctuation
  [0xff00, 0xffef, NONE], // full-width forms
];

/** `table[unit]` for every unit: `ofScript(script)` per SCRIPT_RANGES (later ranges over earlier), of S.Other past them. */
function fillByScript<T extends Uint8Array | Uint32Array>(table: T, ofScript: (script: number) => number): T {
  table.fill(ofScript(S.Other), 0x80);
  for (const [first, last, script] of SCRIPT_RANGES) table.fill(ofScript(script), first, last + 1);
  return table;
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

/** The counts slot of every UTF-16 unit, ASCII letters apart (64 KB, built on first use). */
function buildScriptTable(): Uint8Array {
  const t = fillByScript(new Uint8Array(65536), (script) => (script === NONE ? NO_SCRIPT : script));
  // ASCII letters count in a slot of their own (the ASCII shortcut's evidence).
  t.fill(ASCII_LETTER, 0x41, 0x5b);
  t.fill(ASCII_LETTER, 0x61, 0x7b);
  return t;
}

let fastTable: Uint32Array | undefined;

/** What the register pass adds per unit: 1 for a Latin letter (ASCII letters among them), OTHER_LETTER for another script's. */
const OTHER_LETTER = 1 << 16;
const LATIN_MASK = OTHER_LETTER - 1;

function buildFastTable(): Uint32Array {
  return fillByScript(new Uint32Array(65536), (script) => (script === NONE ? 0 : script === S.Latin ? 1 : OTHER_LETTER));
}

/**
 * The answer when it needs no count per script, else undefined: Latin once Latin letters make half
 * of the opening LOOK characters (then Latin wins whatever the rest holds), and at the end of an
 * opening with no letter of another script, Latin or none. Latin letters and other letters are
 * counted in one register: most records of most datasets end here. Counting every script into an
 * array as it reads made each unit wait for the last one's store (the same slot, letter after
 * letter); this pass reads a Latin opening in two thirds of the time.
 */
function withoutCounts(parts: readonly string[]): ScriptName | undefined {
  const table = (fastTable ??= buildFastTable());
  const half = LOOK / 2;
  // Latin letters in the low 16 bits, other letters above.
  let seen = 0;
  let len = 0;
  for (let p = 0; p < parts.length && len < LOOK; p++) {
    const text = parts[p];
    if (len > 0) len++;
    const n = Math.min(text.length, LOOK - len);
    for (let i = 0; i < n; ) {
      // Another script is present and what is left cannot make Latin half: count them all.
      if (seen >= OTHER_LETTER && (seen & LATIN_MASK) + LOOK - len - i < half) return undefined;
      const stop = Math.min(n, i + 32);
      for (; i < stop; i++) {
        seen += table[text.charCodeAt(i)];
        if ((seen & LATIN_MASK) >= half) return 'Latin';
      }
    }
    len += Math.min(text.length, LOOK);
  }
  if (seen >= OTHER_LETTER) return undefined;
  return seen > 0 ? 'Latin' : 'none';
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
  const answer = withoutCounts(parts);
  if (answer !== undefined) return answer;
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
