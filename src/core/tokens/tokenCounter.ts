/**
 * Token counts with a named tokenizer. OpenAI model families get their own BPE (o200k_base for
 * gpt-4o/4.1/5/o-series, cl100k_base for gpt-4/3.5); any other family (Llama, Qwen, Mistral, …)
 * is counted with o200k_base and marked approximate, since its own tokenizer is not available here.
 *
 * The text is cut with the tokenizer's own pre-tokenization regex and each piece is counted once and
 * cached (BPE never merges across pieces, so the sum equals a full encode; the unit tests check this
 * against the library). The cache makes repeated words cost a Map lookup instead of a BPE run, about
 * 2-3x faster than encoding whole texts. Special-token text such as "<|endoftext|>" inside data
 * counts as ordinary text, never as a control token.
 *
 * The library's BPE merge is quadratic in a piece's length, and one piece can be a whole record (a
 * long run of one character class: "aaaa…", "=====…", unpunctuated Chinese): a 200k-character word
 * took 18 s. So pieces up to EXACT_PIECE_LIMIT code units are counted exactly, and longer ones in
 * chunks of that size, which makes counting linear. A chunk boundary can add or save a token where
 * one token would have spanned it: on long pieces of realistic kinds the count is within 1.6% of the
 * exact encode (measured by test/unit/curate/tokens.test.ts and bench/tokens.bench.ts; 0% on runs of
 * one character, Chinese and emoji; at most 1.6% on "hahaha…").
 */
// The BPE tables take most of a second to load: they are required on first use, not at startup.
// `require` with the CommonJS subpaths: the package exports them under the "require" condition only.
type Encoding = typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
type SplitRegexes = typeof import('gpt-tokenizer/cjs/encodingParams/constants');
/* eslint-disable @typescript-eslint/no-require-imports */
const loadO200k = (): Encoding => require('gpt-tokenizer/cjs/encoding/o200k_base') as Encoding;
const loadCl100k = (): Encoding => require('gpt-tokenizer/cjs/encoding/cl100k_base') as Encoding;
const loadRegexes = (): SplitRegexes => require('gpt-tokenizer/cjs/encodingParams/constants') as SplitRegexes;
/* eslint-enable @typescript-eslint/no-require-imports */

export type TokenizerName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  readonly tokenizer: TokenizerName;
  /** True when the model's own tokenizer is not the one counting (non-OpenAI model families). */
  readonly approximate: boolean;
  /** The model the counter was chosen for, if one was named. */
  readonly model?: string;
  count(text: string): number;
}

/** Pieces are cached up to this many; then the cache starts over (bounded memory on any input). */
const CACHE_LIMIT = 200_000;
/** Longer pieces (long runs of one character class) are encoded without caching. */
const CACHEABLE_PIECE = 64;
/**
 * Pieces up to this many UTF-16 code units are counted exactly; longer pieces are counted in chunks
 * of this size (at most 768 UTF-8 bytes, so a chunk's BPE costs about what 256 characters of
 * ordinary text cost).
 */
export const EXACT_PIECE_LIMIT = 256;

/**
 * Tokens of a piece longer than EXACT_PIECE_LIMIT: the sum over chunks of at most that size, never
 * cutting a surrogate pair (half a pair would be encoded as U+FFFD).
 */
export function countLongPiece(piece: string, encodeCount: (chunk: string) => number): number {
  let n = 0;
  for (let i = 0; i < piece.length; ) {
    let j = Math.min(piece.length, i + EXACT_PIECE_LIMIT);
    if (j < piece.length && isHighSurrogate(piece.charCodeAt(j - 1))) j--;
    n += encodeCount(piece.slice(i, j));
    i = j;
  }
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/** The library's whole-text encoder: token ids of a text. */
export type BpeEncode = (text: string, opts: typeof NO_SPECIAL) => number[];

/** The library's encoder of a tokenizer. */
export function libraryEncoder(tokenizer: TokenizerName): BpeEncode {
  return (tokenizer === 'cl100k_base' ? loadCl100k() : loadO200k()).encode;
}

class CachedBpeCounter implements TokenCounter {
  private readonly cache = new Map<string, number>();
  private readonly split: RegExp;

  constructor(
    readonly tokenizer: TokenizerName,
    readonly approximate: boolean,
    readonly model: string | undefined,
    splitRegex: RegExp,
    private readonly encode: BpeEncode,
  ) {
    // Own copy: the library's regex object is global and its lastIndex moves under encode().
    this.split = new RegExp(splitRegex.source, splitRegex.flags);
  }

  count(text: string): number {
    if (text.length === 0) return 0;
    const re = this.split;
    re.lastIndex = 0;
    let n = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const piece = m[0];
      if (piece.length === 0) {
        re.lastIndex++;
        continue;
      }
      if (piece.length > EXACT_PIECE_LIMIT) {
        n += countLongPiece(piece, (chunk) => this.encode(chunk, NO_SPECIAL).length);
        continue;
      }
      if (piece.length > CACHEABLE_PIECE) {
        n += this.encode(piece, NO_SPECIAL).length;
        continue;
      }
      let c = this.cache.get(piece);
      if (c === undefined) {
        c = this.encode(piece, NO_SPECIAL).length;
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, c);
      }
      n += c;
    }
    return n;
  }
}

/** Model families whose tokenizer is cl100k_base; every other OpenAI model uses o200k_base. */
const CL100K_MODELS = /^(gpt-4(?!o|\.)|gpt-3\.5|text-embedding-(3|ada-002))/;
const OPENAI_MODELS = /^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage|ft:gpt-|ft:o\d)/;

/** The tokenizer for a model name (`undefined`: o200k_base, the tokenizer of current OpenAI models). */
export function tokenizerFor(model: string | undefined): { tokenizer: TokenizerName; approximate: boolean } {
  if (model === undefined || model === '') return { tokenizer: 'o200k_base', approximate: false };
  const m = model.replace(/^ft:/, '').toLowerCase();
  if (!OPENAI_MODELS.test(m) && !OPENAI_MODELS.test(model.toLowerCase())) return { tokenizer: 'o200k_base', approximate: true };
  return { tokenizer: CL100K_MODELS.test(m) ? 'cl100k_base' : 'o200k_base', approximate: false };
}

/**
 * A counter for a model (see tokenizerFor), or for a tokenizer named directly. `encode` replaces the
 * library's encoder of that tokenizer (tests pass it wrapped, to see the work the counter asks for).
 */
export function createTokenCounter(opts: { model?: string; tokenizer?: TokenizerName; encode?: BpeEncode } = {}): TokenCounter {
  const chosen = opts.tokenizer ? { tokenizer: opts.tokenizer, approximate: false } : tokenizerFor(opts.model);
  const { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } = loadRegexes();
  const split = chosen.tokenizer === 'cl100k_base' ? CL100K_TOKEN_SPLIT_REGEX : O200K_TOKEN_SPLIT_REGEX;
  return new CachedBpeCounter(chosen.tokenizer, chosen.approximate, opts.model, split, opts.encode ?? libraryEncoder(chosen.tokenizer));
}

/** Counts a text with the library's own whole-text encoder (no piece cache): the reference for tests. */
export function referenceCount(text: string, tokenizer: TokenizerName): number {
  return libraryEncoder(tokenizer)(text, NO_SPECIAL).length;
}
