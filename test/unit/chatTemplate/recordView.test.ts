import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModelFolder, recordTrainerViews } from '../../../src/core/chatTemplate';
import type { PreferenceRecord, SftRecord } from '../../../src/core/model';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

describe('chatTemplate: a record\'s view for the Dataset View', () => {
  const model = loadModelFolder(path.join(FIXTURES, 'chatml'));
  const sft: SftRecord = { type: 'sft', messages: [{ role: 'user', content: 'the sum of all the things?' }, { role: 'assistant', content: 'it is forty-two, as always.' }] };

  it('pieces that put the whole render back together, trained where the trainer trains, cut where the limit falls', () => {
    const [full] = recordTrainerViews(sft, model, { trainer: 'llamafactory' });
    assert.equal(full.pieces.map((p) => p.text).join(''), '<|im_start|>user\nthe sum of all the things?<|im_end|>\n<|im_start|>assistant\nit is forty-two, as always.<|im_end|>');
    assert.deepEqual(full.pieces.filter((p) => p.trained).map((p) => p.text), ['it is forty-two, as always.<|im_end|>']);
    assert.ok(full.pieces.every((p) => !p.pastCut));
    // A limit inside the answer: the answer is split at the cut token, and what follows is past it.
    const cutAt = full.tokens - 4;
    const [cut] = recordTrainerViews(sft, model, { trainer: 'llamafactory', maxLength: cutAt });
    assert.equal(cut.overBy, 4);
    assert.equal(cut.pieces.map((p) => p.text).join(''), full.pieces.map((p) => p.text).join(''));
    const tokens = (s: string) => model.tokenizer.encode(s, { add_special_tokens: false }).ids.length;
    const keptTrained = cut.pieces.filter((p) => p.trained && !p.pastCut).map((p) => p.text).join('');
    const prompt = full.pieces.filter((p) => !p.trained).map((p) => p.text).join('');
    assert.equal(tokens(prompt) + tokens(keptTrained), cutAt, 'the pieces before the cut are the first maxLength tokens');
    assert.ok(cut.pieces.some((p) => p.trained && p.pastCut) && cut.pieces.some((p) => p.trained && !p.pastCut), 'the answer straddles the cut');
  });

  it('a preference record as prompt+chosen and prompt+rejected; a refused conversation says why', () => {
    const pref: PreferenceRecord = { type: 'preference', prompt: [{ role: 'user', content: 'hi' }], chosen: [{ role: 'assistant', content: 'hello!' }], rejected: [{ role: 'assistant', content: 'go away' }] };
    const views = recordTrainerViews(pref, model, { trainer: 'trl' });
    assert.deepEqual(views.map((v) => v.label), ['chosen', 'rejected']);
    assert.ok(views[0].pieces.map((p) => p.text).join('').includes('hello!'));
    assert.ok(views[1].pieces.map((p) => p.text).join('').includes('go away'));
    const nosystem = loadModelFolder(path.join(FIXTURES, 'nosystem'));
    const [refused] = recordTrainerViews({ ...sft, system: 'be brief.' }, nosystem, { trainer: 'trl' });
    assert.equal(refused.error, 'System role not supported');
    assert.deepEqual(recordTrainerViews({ type: 'text', text: 'plain' }, model, { trainer: 'trl' }), []);
  });
});
