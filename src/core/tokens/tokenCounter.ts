/**
 * Token counts with a named tokenizer. OpenAI model families get their own BPE (o200k_base for
 * gpt-4o/4.1/5/o-series, cl100k_base for gpt-4/3.5); any other family (Llama, Qwen, Mistral, …)
 * is counted with o200k_base and marked approximate, since its own tokenizer is not available here.
 *
 * The text is cut as the tokenizer's own pre-tokenization regex cuts it (written out in
 * splitPatterns.ts, held to the regex by a test) and each piece is counted once and cached (BPE
 * never merges across pieces, so the sum equals a full encode; the unit tests check this against
 * the library). The cache makes repeated words cost a Map lookup instead of a BPE run, about
 * 2-3x faster than encoding whole texts. Special-token text such as "<|endoftext|>" inside data
 * counts as ordinary text, never as a control token. The ranks are gpt-tokenizer's, packed at build
 * time and merged by bpeTable.ts (the library's own tables cost 110-134 ms and 56-75 MB to load).
 *
 * The BPE merge is quadratic in a piece's length, and one piece can be a whole record (a
 * long run of one character class: "aaaa…", "=====…", unpunctuated Chinese): a 200k-character word
 * took 18 s. So pieces up to EXACT_PIECE_LIMIT code units are counted exactly, and longer ones in
 * chunks of that size, which makes counting linear. A chunk boundary can add or save a token where
 * one token would have spanned it: on long pieces of realistic kinds the count is within 1.6% of the
 * exact encode (measured by test/unit/curate/tokens.test.ts and bench/tokens.bench.ts; 0% on runs of
 * one character, Chinese and emoji; at most 1.6% on "hahaha…").
 */
import { loadBpeTable } from './bpeTable';
import { cl100kPieceEnd, o200kPieceEnd, widthAt } from './splitPatterns';

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

/** Counts a text's tokens the way the library's encode does (split, then each piece's BPE). */
export type TextCount = (text: string) => number;

/**
 * The library's count of a text without special tokens (its countNative): cut with the split regex;
 * a piece whose text is one token counts 1, any other the byte-pair merge of its UTF-8 bytes.
 */
export function tableCount(tokenizer: TokenizerName): TextCount {
  const sp = new PieceSplitter(tokenizer);
  const piece = tablePieceCount(tokenizer);
  return (text) => {
    sp.reset();
    let n = 0;
    while (sp.next(text)) n += piece(text.slice(sp.start, sp.end));
    return n;
  };
}

/**
 * The tokens of one piece the split regex cut (a whole match, so splitting it again would give it
 * back): 1 when its text is a token, else the byte-pair merge of its UTF-8 bytes.
 */
export function tablePieceCount(tokenizer: TokenizerName): TextCount {
  const table = loadBpeTable(tokenizer);
  let buf = new Uint8Array(1024);
  return (p: string): number => {
    if (buf.length < p.length * 3) buf = new Uint8Array(p.length * 3);
    const written = utf8Into(p, buf);
    // The library looks a piece up by its text: never a match for text with a lone surrogate (~len),
    // whose bytes (U+FFFD's) might be a token.
    if (written < 0) return table.mergeCount(buf, ~written);
    return table.rank(buf, 0, written) >= 0 ? 1 : table.mergeCount(buf, written);
  };
}

/**
 * Writes the UTF-8 bytes of a text into buf (3 bytes per UTF-16 unit at most), a lone surrogate as
 * U+FFFD (as TextEncoder does). Returns the length, or ~length when the text had a lone surrogate.
 */
export function utf8Into(text: string, buf: Uint8Array): number {
  let n = 0;
  let lone = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[n++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[n++] = 0xc0 | (c >> 6);
      buf[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[n++] = 0xf0 | (cp >> 18);
        buf[n++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[n++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[n++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
      lone = true;
    }
    buf[n++] = 0xe0 | (c >> 12);
    buf[n++] = 0x80 | ((c >> 6) & 0x3f);
    buf[n++] = 0x80 | (c & 0x3f);
  }
  return lone ? ~n : n;
}

/**
 * The non-empty matches of a tokenizer's split regex in a text, in order: what the library's
 * matchAll gives, without a match array per piece. A match starting where the last one ended is
 * found by RegExp#test with the sticky flag (no array built: 5-10% of an exact count's time went to
 * those arrays and their garbage); past a character no alternative matches, by the global exec,
 * which skips it as matchAll does.
 */
export class PieceSplitter {
  start = 0;
  end = 0;
  /** A tokenizer's split, written out (splitPatterns.ts); undefined for another regex. */
  private readonly pieceEnd: ((text: string, i: number) => number) | undefined;
  private readonly sticky: RegExp | undefined;
  private readonly global: RegExp | undefined;

  /** A tokenizer's split, or any other regex (tests). */
  constructor(split: TokenizerName | RegExp) {
    if (typeof split === 'string') {
      this.pieceEnd = split === 'cl100k_base' ? cl100kPieceEnd : o200kPieceEnd;
      return;
    }
    // Own copies: a regex's lastIndex is per object.
    this.global = new RegExp(split.source, split.flags.includes('g') ? split.flags : split.flags + 'g');
    this.sticky = new RegExp(split.source, this.global.flags.replace('g', '') + 'y');
  }

  reset(): void {
    this.start = this.end = 0;
  }

  /** Moves to the next piece of `text` (start, end); false at the end. */
  next(text: string): boolean {
    return this.pieceEnd ? this.nextWrittenOut(text, this.pieceEnd) : this.nextByRegex(text);
  }

  private nextWrittenOut(text: string, pieceEnd: (text: string, i: number) => number): boolean {
    for (let at = this.end; at < text.length; at += widthAt(text, at)) {
      const e = pieceEnd(text, at);
      if (e > at) {
        this.start = at;
        this.end = e;
        return true;
      }
      // Nothing matches here (never so with these two patterns, whose alternatives between them
      // take any code point): as a regex search would, try from the next code point.
    }
    this.start = this.end = text.length;
    return false;
  }

  private nextByRegex(text: string): boolean {
    const sticky = this.sticky as RegExp;
    const global = this.global as RegExp;
    let at = this.end;
    while (at < text.length) {
      sticky.lastIndex = at;
      if (sticky.test(text) && sticky.lastIndex > at) {
        this.start = at;
        this.end = sticky.lastIndex;
        return true;
      }
      global.lastIndex = at;
      const m = global.exec(text);
      if (m === null) break;
      if (m[0].length > 0) {
        this.start = m.index;
        this.end = m.index + m[0].length;
        return true;
      }
      // An empty match: step past it, as the library's loop does.
      at = m.index + 1;
    }
    this.start = this.end = text.length;
    return false;
  }
}

class CachedBpeCounter implements TokenCounter {
  private readonly cache = new Map<string, number>();
  private readonly split: PieceSplitter;

  /**
   * `countPiece` counts a piece the split cut (a cache miss up to CACHEABLE_PIECE, and longer ones
   * up to EXACT_PIECE_LIMIT); `countText` counts any text, the chunks of a longer piece. With the
   * table, a piece is counted without splitting it again: the second pass of the split regex was
   * a fifth of a sampled count's time on text of mostly new words.
   */
  constructor(
    readonly tokenizer: TokenizerName,
    readonly approximate: boolean,
    readonly model: string | undefined,
    private readonly countText: TextCount,
    private readonly countPiece: TextCount = countText,
  ) {
    this.split = new PieceSplitter(tokenizer);
  }

  count(text: string): number {
    if (text.length === 0) return 0;
    const sp = this.split;
    sp.reset();
    let n = 0;
    while (sp.next(text)) {
      const piece = text.slice(sp.start, sp.end);
      if (piece.length > EXACT_PIECE_LIMIT) {
        n += countLongPiece(piece, this.countText);
        continue;
      }
      if (piece.length > CACHEABLE_PIECE) {
        n += this.countPiece(piece);
        continue;
      }
      let c = this.cache.get(piece);
      if (c === undefined) {
        c = this.countPiece(piece);
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
 * A counter for a model (see tokenizerFor), or for a tokenizer named directly. `countText` replaces
 * the table's count of a text (tests pass the library's, or one that watches what it is asked).
 */
export function createTokenCounter(opts: { model?: string; tokenizer?: TokenizerName; countText?: TextCount } = {}): TokenCounter {
  const chosen = opts.tokenizer ? { tokenizer: opts.tokenizer, approximate: false } : tokenizerFor(opts.model);
  if (opts.countText) return new CachedBpeCounter(chosen.tokenizer, chosen.approximate, opts.model, opts.countText);
  return new CachedBpeCounter(chosen.tokenizer, chosen.approximate, opts.model, tableCount(chosen.tokenizer), tablePieceCount(chosen.tokenizer));
}
