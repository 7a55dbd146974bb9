import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createTokenCounter, referenceCount, tokenizerFor } from '../../../src/core/tokens/tokenCounter';
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
});
