import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createTokenCounter, EXACT_PIECE_LIMIT, tableCount, tokenizerFor, type TokenizerName } from '../../../src/core/tokens/tokenCounter';
import { referenceCount } from '../../../src/core/tokens/libraryReference';
import { LONG_PIECE_KINDS, seededRandom } from '../../support/longPieces';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, alpacaZhDataset, toolCallDataset, type OwnRecord } from '../../support/ownDatasets';

/** The counter with its piece cache gives what a whole-text encode gives, on the first 150 records of each set and a few odd strings. */
function assertCountsExact(sets: OwnRecord[][]): void {
  const texts: string[] = [];
  for (const recs of sets) for (const r of recs.slice(0, 150)) texts.push(JSON.stringify(r));
  texts.push('  leading spaces\n\n\ttabs and 12345678 digits… “quotes” 🙂 emoji', '', ' ', 'a'.repeat(500), '<|endoftext|> is text here');
  for (const tok of ['o200k_base', 'cl100k_base'] as const) {
    const c = createTokenCounter({ tokenizer: tok });
    let total = 0;
    for (const t of texts) {
      const got = c.count(t);
      assert.equal(got, referenceCount(t, tok), `${tok}: ${t.slice(0, 60)}`);
      total += got;
    }
    assert.ok(total > 10000);
    // The second pass hits the cache and must give the same counts.
    for (const t of texts.slice(0, 50)) assert.equal(c.count(t), referenceCount(t, tok));
  }
}

describe('token counter', () => {
  it('equals a whole-text encode on English, Chinese and tool-call records (piece cache is exact)', () => {
    assertCountsExact([alpacaDataset().records, alpacaZhDataset().records, toolCallDataset().records]);
  });

  it('equals a whole-text encode on the LLaMA-Factory corpus', function () {
    needsCorpus(this);
    assertCountsExact(['alpaca_en_demo.json', 'alpaca_zh_demo.json', 'glaive_toolcall_en_demo.json'].map((f) => JSON.parse(fs.readFileSync(llamaFactoryFile(f), 'utf8')) as OwnRecord[]));
  });

  it('names the tokenizer per model family and marks non-OpenAI models approximate', () => {
    assert.deepEqual(tokenizerFor(undefined), { tokenizer: 'o200k_base', approximate: false });
    assert.deepEqual(tokenizerFor('gpt-4o-mini-2024-07-18'), { tokenizer: 'o200k_base', approximate: false });
    assert.deepEqual(tokenizerFor('gpt-4.1-nano'), { tokenizer: 'o200k_base', approximate: false });
    assert.deepEqual(tokenizerFor('o3-mini'), { tokenizer: 'o200k_base', approximate: false });
    assert.deepEqual(tokenizerFor('gpt-4-0613'), { tokenizer: 'cl100k_base', approximate: false });
    assert.deepEqual(tokenizerFor('gpt-3.5-turbo'), { tokenizer: 'cl100k_base', approximate: false });
    assert.deepEqual(tokenizerFor('ft:gpt-4o-mini-2024-07-18:org::abc'), { tokenizer: 'o200k_base', approximate: false });
    assert.deepEqual(tokenizerFor('Qwen/Qwen2.5-7B-Instruct'), { tokenizer: 'o200k_base', approximate: true });
    assert.deepEqual(tokenizerFor('meta-llama/Llama-3.1-8B'), { tokenizer: 'o200k_base', approximate: true });
    const c = createTokenCounter({ model: 'mistral-7b' });
    assert.equal(c.approximate, true);
    assert.equal(c.count('hello world'), 2);
  });

  it('counts every piece up to the bound exactly (runs, Chinese, emoji, whitespace, mixed) in both tokenizers', () => {
    const rnd = seededRandom(11);
    const texts: string[] = [];
    for (const kind of LONG_PIECE_KINDS) {
      for (const len of [1, 2, 17, 64, 65, 200, EXACT_PIECE_LIMIT - 1, EXACT_PIECE_LIMIT]) texts.push(kind.make(len, rnd));
    }
    // Pieces at the bound inside ordinary text (a word's piece includes the space before it).
    const b = EXACT_PIECE_LIMIT - 1;
    texts.push(`Intro: ${'x'.repeat(b)} then ${'中'.repeat(b)}, ${'='.repeat(b - 1)}\n${' '.repeat(EXACT_PIECE_LIMIT)}end`);
    for (const tok of ['o200k_base', 'cl100k_base'] as const) {
      const c = createTokenCounter({ tokenizer: tok });
      for (const t of texts) assert.equal(c.count(t), referenceCount(t, tok), `${tok}: ${JSON.stringify(t.slice(0, 40))} (${t.length})`);
    }
  });

  it('does linear work on a 1 MB one-word text: the merge never sees more than the bound, and every character once', function () {
    // Loads both tokenizers' tables and encodes 2 MB: a guard against a hang, not a time limit (it
    // passed in 7 s alone and went past mocha's 20 s on a loaded machine).
    this.timeout(120_000);
    const rnd = seededRandom(5);
    const word = Array.from({ length: 1 << 20 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
    for (const tok of ['o200k_base', 'cl100k_base'] as TokenizerName[]) {
      const table = tableCount(tok);
      let longest = 0;
      let chars = 0;
      const c = createTokenCounter({
        tokenizer: tok,
        countText: (t) => {
          // The BPE merge is quadratic in this length: a 1 MB piece would run for many minutes.
          assert.ok(t.length <= EXACT_PIECE_LIMIT, `${tok}: the merge was asked for ${t.length} characters at once`);
          longest = Math.max(longest, t.length);
          chars += t.length;
          return table(t);
        },
      });
      const n = c.count(word);
      assert.equal(longest, EXACT_PIECE_LIMIT);
      assert.equal(chars, word.length);
      // Random lowercase letters: about half a token per character in both tokenizers.
      assert.ok(n > word.length / 4 && n < word.length, `${tok}: ${n} tokens`);
    }
  });

  it('stays within 2% of the exact encode on long pieces of realistic kinds (the count error of chunking)', function () {
    this.timeout(120000);
    const rnd = seededRandom(3);
    const errors: string[] = [];
    for (const kind of LONG_PIECE_KINDS) {
      // Long enough for many chunk boundaries, short enough for the quadratic reference encode.
      const text = kind.make(6000, rnd);
      for (const tok of ['o200k_base', 'cl100k_base'] as const) {
        const exact = referenceCount(text, tok);
        const got = createTokenCounter({ tokenizer: tok }).count(text);
        const err = (got - exact) / exact;
        errors.push(`${tok} ${kind.name}: ${got} vs ${exact} (${(err * 100).toFixed(2)}%)`);
        assert.ok(Math.abs(err) <= 0.02, errors.join('\n'));
      }
    }
  });
});
