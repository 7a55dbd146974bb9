/** The packed BPE tables (src/core/tokens/bpeTable.ts) against gpt-tokenizer's own ranks and encoder. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BpeTable, bpeTableFile, loadBpeTable, packBpeTable } from '../../../src/core/tokens/bpeTable';
import { libraryCount } from '../../../src/core/tokens/libraryReference';
import { createTokenCounter, EXACT_PIECE_LIMIT, PieceSplitter, tableCount, utf8Into, type TokenizerName } from '../../../src/core/tokens/tokenCounter';
import { seededRandom } from '../../support/longPieces';
import { alpacaZhDataset, toolCallDataset } from '../../support/ownDatasets';
import { REPO_ROOT } from './tmpDir';

const TOKENIZERS: TokenizerName[] = ['o200k_base', 'cl100k_base'];

/** The library's ranks: a token's text when its bytes are UTF-8, else its byte values. */
function libraryRanks(tok: TokenizerName): (string | number[])[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`gpt-tokenizer/cjs/bpeRanks/${tok}`) as { default: (string | number[])[] }).default;
}

function bytesOf(token: string | number[]): Uint8Array {
  return typeof token === 'string' ? new TextEncoder().encode(token) : Uint8Array.from(token);
}

/** Random text from pieces that stress the split regex and the merge: scripts, digits, emoji, lone surrogates, whitespace runs. */
function randomText(rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const atoms = [
    () => pick(['the', ' The', 'tokenizer', ' don\'t', "'s", "'LL", ' naïve', ' café', 'Straße', 'résumé', 'HTTPServer', 'camelCase', '_snake_case']),
    () => String(Math.floor(rnd() * 1e7)),
    () => pick([' ', '  ', '\n', '\n\n', '\t', ' \n ', '\r\n', '\u00a0', '\u3000', '\u2028']),
    () => pick(['.', ',', '!?', '...', '—', '“', '”', '(', ')', '{"a": 1}', '</s>', '<|endoftext|>', '```', '=>', '####']),
    () => pick(['中文', '训练数据', '日本語のテキスト', 'カタカナ', '한국어', 'Привет', 'мир', 'مرحبا', 'नमस्ते', 'ไทย', 'Ελληνικά', 'שלום']),
    () => pick(['🙂', '👍🏽', '👨‍👩‍👧', '🇫🇷', '\u{1F600}', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']),
    () => pick(['\ud800', '\udfff', 'a\udc00b', '\ud83d']),
    () => pick(['e\u0301', 'n\u0303', '\u200b', '\ufeff', '\u0000', '\u007f']),
    () => String.fromCharCode(...Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => 32 + Math.floor(rnd() * 0x2fd0))),
    () => pick(['a', 'x', '=', ' ', '中', '1']).repeat(1 + Math.floor(rnd() * 40)),
  ];
  let s = '';
  const n = 1 + Math.floor(rnd() * 24);
  for (let i = 0; i < n; i++) s += pick(atoms)();
  return s;
}

/**
 * A short text of code points from the edges of the split patterns' classes: upper, title, modifier
 * and other letters, lower case, combining marks, digits and other numbers, white space of every
 * kind, apostrophes and contraction letters, slashes, symbols, surrogates alone and paired, and any
 * code point at all.
 */
function classMix(rnd: () => number): string {
  const pool = ['A', 'Z', 'ǅ', 'ᾈ', 'ʰ', 'ー', '々', '中', 'ا', 'a', 'z', 'ß', 'ǆ', '\u0301', '\u0903', '\u20dd', '0', '9', '²', 'Ⅻ', '٣', '𝟘', ' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u00a0', '\u1680', '\u2003', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', "'", 's', 'S', 'l', 'L', 'v', 'E', 'r', 'd', 'm', 't', '/', '.', '-', '_', '€', '🙂', '𝔘', '𐐀', '𐐨', '\ud800', '\udfff'];
  let s = '';
  const n = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += rnd() < 0.85 ? pool[Math.floor(rnd() * pool.length)] : String.fromCodePoint(Math.floor(rnd() * 0x110000));
  return s;
}

describe('packed BPE tables', () => {
  it('hold every rank of the library, byte for byte, and find each token by its bytes', function () {
    this.timeout(60_000);
    for (const tok of TOKENIZERS) {
      const ranks = libraryRanks(tok);
      const table = loadBpeTable(tok);
      assert.equal(table.size, ranks.length, tok);
      for (let r = 0; r < ranks.length; r++) {
        const want = bytesOf(ranks[r]);
        assert.ok(Buffer.from(want).equals(table.tokenBytes(r)), `${tok} rank ${r}`);
        assert.equal(table.rank(want, 0, want.length), r, `${tok} rank ${r} by its bytes`);
      }
    }
  });

  it('answer "no token" exactly for the byte strings that are none', () => {
    const rnd = seededRandom(21);
    for (const tok of TOKENIZERS) {
      const keys = new Set(libraryRanks(tok).map((t) => Buffer.from(bytesOf(t)).toString('latin1')));
      const table = loadBpeTable(tok);
      let hits = 0;
      for (let i = 0; i < 20_000; i++) {
        // Half from tokens with a byte changed or added (near misses), half random bytes.
        const base = bytesOf(libraryRanks(tok)[Math.floor(rnd() * 100_000)]);
        const b = new Uint8Array(base.length + (rnd() < 0.5 ? 1 : 0));
        b.set(base);
        b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        const key = Buffer.from(b).toString('latin1');
        const r = table.rank(b, 0, b.length);
        assert.equal(r >= 0, keys.has(key), `${tok} ${JSON.stringify(key)}`);
        if (r >= 0) {
          hits++;
          assert.equal(Buffer.from(table.tokenBytes(r)).toString('latin1'), key);
        }
      }
      assert.ok(hits > 100 && hits < 19_000, `${tok}: ${hits} of the near misses are tokens`);
    }
  });

  it('count what the library counts, on 3,000 random texts and real records per tokenizer', function () {
    this.timeout(120_000);
    const texts: string[] = ['', ' ', 'a', '\ud800', '\udc00\ud800', '  \n\n  ', 'x'.repeat(300)];
    const rnd = seededRandom(7);
    for (let i = 0; i < 3000; i++) texts.push(randomText(rnd));
    for (const r of [...alpacaZhDataset().records, ...toolCallDataset().records].slice(0, 300)) texts.push(JSON.stringify(r));
    let compared = 0;
    for (const tok of TOKENIZERS) {
      const ours = tableCount(tok);
      // The counter of statistics and preflight: pieces cut once, each counted (and cached) without a second split.
      const counter = createTokenCounter({ tokenizer: tok });
      const lib = libraryCount(tok);
      for (const t of texts) {
        // U+FEFF: the library's bug, not ours (the next test).
        if (t.includes('\ufeff')) continue;
        assert.equal(ours(t), lib(t), `${tok}: ${JSON.stringify(t)}`);
        // Longer texts may hold a piece past EXACT_PIECE_LIMIT, which the counter counts in chunks.
        if (t.length <= EXACT_PIECE_LIMIT) assert.equal(counter.count(t), lib(t), `${tok} counter: ${JSON.stringify(t)}`);
        compared++;
      }
    }
    assert.ok(compared > 5000, `${compared} texts compared`);
  });

  it('find the tokens that start with U+FEFF, which the library misses', () => {
    // gpt-tokenizer keeps these tokens as bytes (its generator decoded them with the BOM dropped)
    // and looks bytes up by their decoded text, again without the BOM: never found, so "\ufeff"
    // counted 2 tokens. tiktoken finds a piece that is a token (CoreBPE encode_ordinary), as the
    // table does: js-tiktoken gives [5574] for "\ufeff" in o200k_base and [3305] in cl100k_base.
    const expected: Record<TokenizerName, [string, number][]> = {
      o200k_base: [['\ufeff', 5574], ['\ufeffusing', 9251], [' \ufeff', 71280]],
      cl100k_base: [['\ufeff', 3305], ['\ufeffusing', 4117], [' \ufeff', 76880]],
    };
    for (const tok of TOKENIZERS) {
      const table = loadBpeTable(tok);
      const count = tableCount(tok);
      for (const [text, rank] of expected[tok]) {
        const bytes = Buffer.from(text, 'utf8');
        assert.equal(table.rank(bytes, 0, bytes.length), rank, `${tok} ${JSON.stringify(text)}`);
        assert.equal(count(text), 1, `${tok} ${JSON.stringify(text)}`);
      }
      assert.equal(libraryCount(tok)('\ufeff'), 2, `${tok}: the library's count changed; compare it again`);
    }
  });

  it('cut texts into the pieces the library\'s split regex matches, in order', () => {
    const rnd = seededRandom(13);
    const texts = ['', ' ', '\ud800', 'a\u0301', "don't  stop\n\n\tnow 12345 🙂", ' \n', '\n ', '  x', ' \u0301a', '\u0301', "'S", "x'LLx", "'", ' //\n/', '\r\n\r\n  '];
    for (let i = 0; i < 2000; i++) texts.push(randomText(rnd));
    // The split is written out (splitPatterns.ts): short texts that mix every class its alternatives
    // tell apart with code points from anywhere.
    for (let i = 0; i < 20000; i++) texts.push(classMix(rnd));
    for (const tok of TOKENIZERS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } = require('gpt-tokenizer/cjs/encodingParams/constants') as Record<string, RegExp>;
      const re = tok === 'cl100k_base' ? CL100K_TOKEN_SPLIT_REGEX : O200K_TOKEN_SPLIT_REGEX;
      const sp = new PieceSplitter(tok);
      for (const t of texts) {
        const want = [...t.matchAll(new RegExp(re.source, re.flags))].map((m) => m[0]).filter((p) => p.length > 0);
        const got: string[] = [];
        sp.reset();
        while (sp.next(t)) got.push(t.slice(sp.start, sp.end));
        assert.deepEqual(got, want, `${tok}: ${JSON.stringify(t)}`);
      }
    }
    // Regexes that leave characters unmatched or match nothing: the paths those tokenizers never take.
    for (const re of [/a+|c/gu, /a*/gu, /(?=b)|c+/gu, /\p{L}+/u]) {
      const sp = new PieceSplitter(re);
      for (const t of ['', 'aabxcc', 'bbb', 'xaxbxcx', 'ab\ud800ca', '中a中']) {
        const want = [...t.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))].map((m) => m[0]).filter((p) => p.length > 0);
        const got: string[] = [];
        sp.reset();
        while (sp.next(t)) got.push(t.slice(sp.start, sp.end));
        assert.deepEqual(got, want, `${String(re)}: ${JSON.stringify(t)}`);
      }
    }
  });

  it('write UTF-8 as Buffer does, and say when a lone surrogate became U+FFFD', () => {
    const rnd = seededRandom(9);
    const buf = new Uint8Array(4096);
    for (let i = 0; i < 5000; i++) {
      const t = randomText(rnd);
      const n = utf8Into(t, buf);
      const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(t);
      assert.equal(n < 0, lone, JSON.stringify(t));
      assert.deepEqual(Buffer.from(buf.subarray(0, n < 0 ? ~n : n)), Buffer.from(t, 'utf8'), JSON.stringify(t));
    }
  });

  it('refuse a damaged table with an error that names it', () => {
    const good = fs.readFileSync(bpeTableFile('cl100k_base'));
    for (const bad of [Buffer.from('not a table'), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])])]) {
      assert.throws(() => new BpeTable(bad, 'damaged.bin'), /damaged\.bin is not a BPE table/);
    }
    const n = good.readUInt32LE(8);
    const slotsAt = 24 + 4 * (n + 1);
    const size = good.readUInt32LE(16);
    const damaged = (change: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      change(b);
      return b;
    };
    const firstSlot = (b: Buffer, used: boolean): number => {
      for (let s = 0; s < size; s++) if ((b.readInt32LE(slotsAt + 4 * s) !== 0) === used) return slotsAt + 4 * s;
      throw new Error('no such slot');
    };
    for (const [why, bad] of [
      ['offsets that end past the bytes', damaged((b) => b.writeUInt32LE(good.readUInt32LE(12) + 1, 24 + 4 * n))],
      ['a count that would size a loop', damaged((b) => b.writeUInt32LE(0xffffffff, 8))],
      ['an index of another size', damaged((b) => b.writeUInt32LE(size * 2, 16))],
      // A probe must end at an empty slot: with none, a missing token would loop for ever.
      ['no empty slot', damaged((b) => { for (let s = 0; s < size; s++) if (b.readInt32LE(slotsAt + 4 * s) === 0) b.writeInt32LE(1, slotsAt + 4 * s); })],
    ] as const) {
      assert.throws(() => new BpeTable(bad, 'damaged.bin'), /damaged\.bin is not a BPE table/, why);
    }
    // Damage the load does not look for counts wrong, but ends: slots past the ranks or negative,
    // offsets out of order.
    const rnd = seededRandom(5);
    const scrambled = damaged((b) => {
      for (let k = 0; k < 2000; k++) b.writeInt32LE(Math.floor(rnd() * 2 * n) - n / 2, firstSlot(b, true) + 4 * Math.floor(rnd() * 64));
      for (let k = 0; k < 2000; k++) b.writeUInt32LE(Math.floor(rnd() * 0xffffffff), 24 + 4 * (1 + Math.floor(rnd() * (n - 1))));
    });
    const hurt = new BpeTable(scrambled, 'scrambled.bin');
    const text = Buffer.from('Tokenizer tables, damaged: 训练数据 🙂 naïve café '.repeat(20));
    assert.ok(hurt.mergeCount(text, text.length) > 0);
    for (let i = 0; i < 5000; i++) {
      const start = Math.floor(rnd() * text.length);
      assert.ok(Number.isInteger(hurt.rank(text, start, Math.min(text.length, start + 1 + Math.floor(rnd() * 6)))));
    }
    // An unaligned copy of the file (as a slice of a larger buffer may be) reads the same.
    const shifted = Buffer.alloc(good.length + 1);
    good.copy(shifted, 1);
    const table = new BpeTable(shifted.subarray(1), 'shifted.bin');
    const ref = loadBpeTable('cl100k_base');
    for (const r of [0, 1, 255, 256, 1000, 50_000, ref.size - 1]) assert.equal(table.rank(ref.tokenBytes(r), 0, ref.tokenBytes(r).length), r, `rank ${r}`);
  });

  it('are what the build packs: the ranks and their index, byte for byte', () => {
    // The packer is what the build runs (scripts/bpe-tables.js): the same bytes as the files beside this module.
    for (const tok of TOKENIZERS) assert.ok(packBpeTable(libraryRanks(tok)).equals(fs.readFileSync(bpeTableFile(tok))), tok);
  });

  it('sit beside the bundles, which no longer carry the library\'s tables', () => {
    for (const bundle of ['cli.js', 'extension.js', 'curateWorker.js']) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'dist', bundle), 'utf8');
      assert.doesNotMatch(text, /bpeRanks/, `dist/${bundle} bundles gpt-tokenizer's tables`);
    }
    for (const tok of TOKENIZERS) {
      assert.deepEqual(fs.readFileSync(path.join(REPO_ROOT, 'dist', `tokenizer-${tok}.bin`)), fs.readFileSync(bpeTableFile(tok)), tok);
    }
  });
});
