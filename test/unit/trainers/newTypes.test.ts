/**
 * The dataset types the trainer profiles added, end to end in the core with the project's own
 * records: detected, valid, converted through the canonical model (file to file), counted by the
 * statistics and read by the Dataset View's card reader (which wraps xtuner's bare lists).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { convertFile } from '../../../src/core/convert/convertFile';
import { computeStats } from '../../../src/core/curate/computeStats';
import { cardContent } from '../../../src/core/datasetIndex/datasetIndex';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { validateFile } from '../../../src/core/validate/pipeline';
import { tempDir } from '../curate/tmpDir';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

interface TypeCase {
  format: FormatId;
  record: (i: number) => unknown;
  /** A format it converts to without loss, and back. */
  to: FormatId;
  /** Statistics' role bucket that holds the answers, and how many there are per record (default 1). */
  answers: string;
  perRecord?: number;
}

const CASES: TypeCase[] = [
  { format: 'openai-chat', record: (i) => [u(`Question ${i}?`), a(`Answer ${i}.`)], to: 'sharegpt', answers: 'assistant' },
  { format: 'instruct-response', record: (i) => ({ instruction: `Name colour ${i}.`, input: '', response: `Colour ${i}.` }), to: 'alpaca', answers: 'assistant' },
  { format: 'query-response', record: (i) => ({ query: `And ${i}?`, response: `Then ${i}.`, history: [['First?', 'One.']] }), to: 'sharegpt', answers: 'assistant', perRecord: 2 },
  { format: 'swift-conversation', record: (i) => ({ system: 'Be terse.', conversation: [{ human: `Hi ${i}?`, assistant: `Hello ${i}.` }, { human: 'Bye?', assistant: 'Bye.' }] }), to: 'openai-chat', answers: 'assistant', perRecord: 2 },
  { format: 'torchtune-stack-exchange-paired', record: (i) => ({ question: `How ${i}?`, response_j: `Well ${i}.`, response_k: `Badly ${i}.` }), to: 'alpaca-preference', answers: 'chosen assistant' },
  { format: 'swift-preference', record: (i) => ({ messages: [u(`Capital ${i}?`), a(`Paris ${i}.`)], rejected_response: `Lyon ${i}.` }), to: 'trl-preference', answers: 'chosen assistant' },
  { format: 'rl-prompt-messages', record: (i) => ({ messages: [{ role: 'system', content: 'Numbers only.' }, u(`What is ${i} * 3?`)], solution: String(i * 3) }), to: 'trl-prompt-only', answers: 'user' },
];

describe('the dataset types the trainer profiles added, through the core', function () {
  this.timeout(60000);
  const tmp = tempDir('new-types');
  after(() => tmp.cleanup());

  for (const c of CASES) {
    const name = c.format === 'openai-chat' ? 'xtuner bare message lists' : c.format;
    it(`${name}: detected, valid, converted to ${c.to} and back, counted, shown as cards`, async () => {
      const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify(c.record(i)));
      const file = tmp.file(`${c.format}.jsonl`, lines.join('\n') + '\n');

      const v = await validateFile(file);
      assert.equal(v.format, c.format);
      assert.deepEqual(v.problems, []);

      const there = await convertFile(file, { to: c.to, out: path.join(tmp.dir, `${c.format}.${c.to}.jsonl`) });
      assert.equal(there.written, 12);
      assert.equal(there.droppedRecords, 0);
      const back = await convertFile(there.out!, { to: c.format, from: c.to, out: path.join(tmp.dir, `${c.format}.back.jsonl`) });
      assert.equal(back.written, 12);
      const original = lines.map((l) => cardContent(l).value);
      const returned = fs.readFileSync(back.out!, 'utf8').trim().split('\n').map((l) => cardContent(l).value);
      assert.deepEqual(returned, original);

      const stats = (await computeStats(file)).report;
      assert.equal(stats.validRecords, 12);
      assert.equal(stats.charsByRole[c.answers]?.count, 12 * (c.perRecord ?? 1), JSON.stringify(Object.keys(stats.charsByRole)));

      const card = cardContent(lines[0]);
      assert.ok(card.value, 'the card reader reads the record');
      assert.equal(card.text, undefined);
    });
  }
});
