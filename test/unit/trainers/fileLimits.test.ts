import * as assert from 'node:assert/strict';
import { IncrementalValidator } from '../../../src/core/validate/incremental';
import { validateText } from '../../../src/core/validate/pipeline';

const chat = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] });
const dpo = (i: number) => JSON.stringify({ input: { messages: [{ role: 'user', content: `Q${i}` }] }, preferred_output: [{ role: 'assistant', content: `good ${i}` }], non_preferred_output: [{ role: 'assistant', content: `bad ${i}` }] });
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
const limit = <T extends { rule: string }>(ps: T[]): T[] => ps.filter((p) => p.rule === "openai/too-few-examples");

describe("trainer file limits: OpenAI's 10-example minimum", () => {
  it('a messages file under 10 examples is an error for OpenAI, said on its first record, and nothing for other targets or none', () => {
    const five = lines(5, chat);
    const forOpenAi = limit(validateText(five, { fileName: 'c.jsonl', formatOptions: { trainer: 'openai' } }).problems);
    assert.equal(forOpenAi.length, 1);
    assert.deepEqual({ ...forOpenAi[0] }, { ...forOpenAi[0], line: 1, column: 1, severity: 'error', record: 0, trainers: ['openai'] });
    assert.match(forOpenAi[0].message, /^OpenAI fine-tuning refuses a training file with fewer than 10 examples; this one has 5 \(TRL, Axolotl, torchtune and LLaMA-Factory have no minimum\)$/);
    assert.deepEqual(limit(validateText(five, { fileName: 'c.jsonl' }).problems), []);
    assert.deepEqual(limit(validateText(five, { fileName: 'c.jsonl', formatOptions: { trainer: 'trl' } }).problems), []);
    assert.deepEqual(limit(validateText(lines(10, chat), { fileName: 'c.jsonl', formatOptions: { trainer: 'openai' } }).problems), []);
  });

  it('an OpenAI DPO file (OpenAI its only reader) is held to it with no target', () => {
    const r = validateText(lines(3, dpo), { fileName: 'd.jsonl' });
    assert.equal(r.format, 'openai-dpo');
    assert.deepEqual(limit(r.problems).map((p) => p.severity), ['error']);
  });

  it('the editor shows the same problem, and drops it once the file has 10 examples', () => {
    const inc = new IncrementalValidator({ fileName: 'c.jsonl', formatOptions: { trainer: 'openai' } });
    inc.reset(lines(9, chat));
    const inEditor = limit(inc.problems());
    assert.equal(inEditor.length, 1);
    assert.deepEqual(inEditor, limit(validateText(lines(9, chat), { fileName: 'c.jsonl', formatOptions: { trainer: 'openai' } }).problems));
    assert.equal(inc.counts().error, 1);
    assert.equal(limit(inc.display(100).problems).length, 1);
    inc.reset(lines(10, chat));
    assert.deepEqual(limit(inc.problems()), []);
    assert.equal(inc.counts().error, 0);
  });
});
