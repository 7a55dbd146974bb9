/**
 * Generators of long pre-tokenizer pieces (runs of one character class) of the kinds real datasets
 * hold: separator lines, indentation, laughter, DNA, words glued together, unpunctuated Chinese and
 * Thai, emoji. The token-count tests and bench/tokens.bench.ts measure the chunked count on them.
 */
import { randomBelow, type RandomSource } from '../../src/core/base/random';
export { seededRandom } from '../../src/core/base/random';

export interface LongPieceKind {
  name: string;
  /** A piece of `length` UTF-16 code units (emoji: the nearest even length below). */
  make(length: number, rnd: RandomSource): string;
}

const pick = (s: readonly string[], rnd: RandomSource) => s[randomBelow(rnd, s.length)];
const fromAlphabet = (alphabet: string) => (length: number, rnd: RandomSource) => {
  const chars = [...alphabet];
  let out = '';
  while (out.length < length) out += pick(chars, rnd);
  return out.slice(0, length);
};

const WORDS = 'the quick brown fox jumps over lazy dog data set model token train learning rate batch size epoch'.split(' ');
// Common Chinese characters (written for this file).
const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经';
// Thai consonants, vowels and tone marks: letters and combining marks, one piece without spaces.
const THAI = 'กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋ั็์';

export const LONG_PIECE_KINDS: readonly LongPieceKind[] = [
  { name: 'one letter repeated (aaaa…)', make: (n) => 'a'.repeat(n) },
  { name: 'separator line (====…)', make: (n) => '='.repeat(n) },
  { name: 'dashes (----…)', make: (n) => '-'.repeat(n) },
  { name: 'indentation (spaces)', make: (n) => ' '.repeat(n) },
  { name: 'laughter (hahaha…)', make: (n) => 'ha'.repeat(Math.ceil(n / 2)).slice(0, n) },
  { name: 'DNA (random ACGT)', make: fromAlphabet('ACGT') },
  { name: 'English words glued together', make: (n, rnd) => {
    let s = '';
    while (s.length < n) s += pick(WORDS, rnd);
    return s.slice(0, n);
  } },
  { name: 'random lowercase letters', make: fromAlphabet('abcdefghijklmnopqrstuvwxyz') },
  { name: 'unpunctuated Chinese', make: fromAlphabet(HAN) },
  { name: 'Thai without spaces', make: fromAlphabet(THAI) },
  { name: 'emoji', make: (n, rnd) => {
    let s = '';
    while (s.length + 2 <= n) s += pick(['🙂', '🚀', '😀', '🎉'], rnd);
    return s;
  } },
];
