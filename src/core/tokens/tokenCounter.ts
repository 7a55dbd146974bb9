/**
 * Token counts with a named tokenizer. OpenAI model families get their own BPE (o200k_base for
 * gpt-4o/4.1/5/o-series, cl100k_base for gpt-4/3.5); any other family (Llama, Qwen, Mistral, …)
 * is counted with o200k_base and marked approximate, since its own tokenizer is not available here.
 *
 * Counting is exact: the text is cut with the tokenizer's own pre-tokenization regex and each piece
 * is counted once and cached (BPE never merges across pieces, so the sum equals a full encode; the
 * unit tests check this against the library). The cache makes repeated words cost a Map lookup
 * instead of a BPE run, about 2-3x faster than encoding whole texts. Special-token text such as
 * "<|endoftext|>" inside data counts as ordinary text, never as a control token.
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

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

class CachedBpeCounter implements TokenCounter {
  private readonly cache = new Map<string, number>();
  private readonly split: RegExp;

  constructor(
    readonly tokenizer: TokenizerName,
    readonly approximate: boolean,
    readonly model: string | undefined,
    splitRegex: RegExp,
    private readonly encode: (text: string, opts: typeof NO_SPECIAL) => number[],
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

/** A counter for a model (see tokenizerFor), or for a tokenizer named directly. */
export function createTokenCounter(opts: { model?: string; tokenizer?: TokenizerName } = {}): TokenCounter {
  const chosen = opts.tokenizer ? { tokenizer: opts.tokenizer, approximate: false } : tokenizerFor(opts.model);
  const { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } = loadRegexes();
  if (chosen.tokenizer === 'cl100k_base') return new CachedBpeCounter('cl100k_base', chosen.approximate, opts.model, CL100K_TOKEN_SPLIT_REGEX, loadCl100k().encode);
  return new CachedBpeCounter('o200k_base', chosen.approximate, opts.model, O200K_TOKEN_SPLIT_REGEX, loadO200k().encode);
}

/** Counts a text with the library's own whole-text encoder (no piece cache): the reference for tests. */
export function referenceCount(text: string, tokenizer: TokenizerName): number {
  const mod = tokenizer === 'cl100k_base' ? loadCl100k() : loadO200k();
  return mod.encode(text, NO_SPECIAL).length;
}
