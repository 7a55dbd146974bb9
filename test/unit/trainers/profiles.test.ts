/**
 * Every trainer profile, shown with the project's own records: a file the trainer reads has no
 * error with it as the target, and a record it rejects, drops or mis-trains is an error for it and
 * only a warning (or nothing) for the others. Adding a trainer id without fixtures here fails.
 */
import * as assert from 'node:assert/strict';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { TRAINER_IDS, type TrainerId } from '../../../src/core/trainers';
import { validateText } from '../../../src/core/validate/pipeline';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

interface Profile {
  /** Records the trainer reads as they are (written 12 times: above OpenAI's 10-example minimum). */
  reads: { format?: FormatId; record: unknown };
  /** A record the trainer rejects, drops or mis-trains, and the rule that says so. */
  fails: { format?: FormatId; record: unknown; rule: string };
}

const call = (args: unknown) => ({ role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: args } }] });
const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { x: { type: 'integer' } } } } }];

const PROFILES: Record<TrainerId, Profile> = {
  openai: {
    reads: { record: { messages: [u('q'), call('{"x": 1}'), { role: 'tool', tool_call_id: 'c1', content: '1' }, { role: 'assistant', content: 'One.', weight: 1 }], tools } },
    fails: { record: { messages: [u('q'), { role: 'assistant', content: 'x', thinking: 'hmm' }] }, rule: 'openai/unknown-message-key' },
  },
  trl: {
    reads: { record: { messages: [u('q'), { ...call({ x: 1 }), thinking: 'a call' }, { role: 'tool', name: 'f', content: '1' }, a('One.')], tools } },
    fails: { record: { messages: [u('q'), { role: 'assistant', content: 'draft', weight: 0 }, u('again'), a('y')] }, rule: 'messages/loss-mask-ignored' },
  },
  llamafactory: {
    reads: { format: 'sharegpt', record: { conversations: [{ from: 'human', value: '<image>What is it?' }, { from: 'gpt', value: 'A cat.' }], images: ['cat.png'] } },
    fails: { format: 'sharegpt', record: { conversations: [{ from: 'human', value: 'What is it?' }, { from: 'gpt', value: 'A cat.' }], images: ['cat.png'] }, rule: 'media/placeholder-count' },
  },
  axolotl: {
    reads: { record: { messages: [u('q'), call('{"x": 1}'), { role: 'tool', tool_call_id: 'c1', content: '1' }, a('One.')], tools } },
    fails: { record: { messages: [u('q'), call('{x: 1'), { role: 'tool', tool_call_id: 'c1', content: '1' }, a('One.')], tools }, rule: 'tools/arguments-not-json' },
  },
  torchtune: {
    reads: { format: 'instruct-response', record: { instruction: 'Name a colour.', response: 'Blue.' } },
    fails: { record: { messages: [{ role: 'system', content: 's' }, a('Hello.'), u('q'), a('y')] }, rule: 'torchtune/assistant-order' },
  },
  'ms-swift': {
    reads: { format: 'swift-preference', record: { messages: [u('Capital of France?'), { role: 'assistant', content: 'Paris.', loss: true }], rejected_response: 'Lyon.' } },
    fails: { record: { messages: [u('q'), { role: 'assistant', content: 'x', reasoning_content: 'hmm' }] }, rule: 'ms-swift/dropped-message-key' },
  },
  xtuner: {
    reads: { record: [u('q'), { role: 'assistant', content: 'x', thinking: 'hmm', loss: true }] },
    fails: { record: { messages: [u('q'), { role: 'assistant', content: 'x', weight: 1 }] }, rule: 'xtuner/unknown-message-key' },
  },
};

function fileOf(record: unknown): string {
  return Array.from({ length: 12 }, () => JSON.stringify(record)).join('\n') + '\n';
}

function problems(p: { format?: FormatId; record: unknown }, trainer?: TrainerId) {
  return validateText(fileOf(p.record), { fileName: 'x.jsonl', format: p.format, formatOptions: trainer ? { trainer } : undefined }).problems;
}

describe('trainer profiles, each with its own fixtures', () => {
  it('every trainer id has fixtures', () => {
    assert.deepEqual(Object.keys(PROFILES).sort(), [...TRAINER_IDS].sort());
  });

  for (const id of TRAINER_IDS) {
    const p = PROFILES[id];
    it(`${id}: reads its own records with no error`, () => {
      const errors = problems(p.reads, id).filter((x) => x.severity === 'error');
      assert.deepEqual(errors.map((x) => x.rule), []);
    });

    it(`${id}: ${p.fails.rule} is an error with ${id} as the target, never an error for a trainer it does not hit`, () => {
      const own = problems(p.fails, id).filter((x) => x.rule === p.fails.rule);
      assert.equal(own.length, 12, JSON.stringify(own[0]));
      assert.ok(own.every((x) => x.severity === 'error'));
      for (const other of TRAINER_IDS) {
        if (other === id) continue;
        const theirs = problems(p.fails, other).filter((x) => x.rule === p.fails.rule);
        // Either the other trainer is hit too (its own error, named in `trainers`), or it is told as a warning.
        for (const x of theirs) if (x.severity === 'error') assert.ok(!x.trainers || x.trainers.includes(other), `${other}: ${x.message}`);
      }
    });
  }
});
