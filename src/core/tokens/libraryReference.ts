/**
 * gpt-tokenizer's own encoders: the reference the tests and benchmarks hold the token counter to.
 * No product code imports this module (it would bundle the library's 3 MB tables of literals; the
 * product counts with the packed tables of bpeTable.ts).
 */
import type { TextCount, TokenizerName } from './tokenCounter';

// `require` with the CommonJS subpaths: the package exports them under the "require" condition only.
type Encoding = typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
/* eslint-disable @typescript-eslint/no-require-imports */
const loadO200k = (): Encoding => require('gpt-tokenizer/cjs/encoding/o200k_base') as Encoding;
const loadCl100k = (): Encoding => require('gpt-tokenizer/cjs/encoding/cl100k_base') as Encoding;
/* eslint-enable @typescript-eslint/no-require-imports */

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/** The library's whole-text encoder: token ids of a text, special-token text counted as text. */
export function libraryEncode(tokenizer: TokenizerName): (text: string) => number[] {
  const encode = (tokenizer === 'cl100k_base' ? loadCl100k() : loadO200k()).encode;
  return (text) => encode(text, NO_SPECIAL);
}

/** The library's count of a text (what `createTokenCounter({ countText })` takes). */
export function libraryCount(tokenizer: TokenizerName): TextCount {
  const encode = libraryEncode(tokenizer);
  return (text) => encode(text).length;
}

/** Counts a text with the library's own whole-text encoder (no piece cache): the reference for tests. */
export function referenceCount(text: string, tokenizer: TokenizerName): number {
  return libraryEncode(tokenizer)(text).length;
}
