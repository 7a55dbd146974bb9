import * as assert from 'node:assert/strict';
import { parseTrainerId, readerVerdict, readerVerdictFor, TRAINER_IDS, trainerList, type TrainerId } from '../../../src/core/trainers';

const MESSAGES: TrainerId[] = ['openai', 'trl', 'axolotl', 'torchtune', 'llamafactory'];

describe('trainer profiles: severity follows the reader', () => {
  it('with no target: an error only when every reader is hit, a warning when some are, nothing when none are', () => {
    assert.equal(readerVerdict({ readers: MESSAGES }, ['openai'])?.severity, 'warning');
    assert.equal(readerVerdict({ readers: MESSAGES }, MESSAGES)?.severity, 'error');
    assert.equal(readerVerdict({ readers: MESSAGES }, ['ms-swift']), undefined, 'ms-swift does not read this format');
    assert.equal(readerVerdict({ readers: ['openai'] }, ['openai'])?.severity, 'error', 'a format with one reader');
  });

  it('readerVerdictFor gives readerVerdict of one trainer, made once per readers list, target and trainer, and frozen', () => {
    const contexts = [{ readers: MESSAGES }, { readers: MESSAGES, target: 'openai' as TrainerId }, { readers: MESSAGES, target: 'xtuner' as TrainerId }, { readers: ['openai'] as TrainerId[] }];
    for (const ctx of contexts) {
      for (const t of TRAINER_IDS) {
        const v = readerVerdictFor(ctx, t);
        assert.deepEqual(v, readerVerdict(ctx, [t]), `${JSON.stringify(ctx)} ${t}`);
        // Another context object with the same readers list and target: the same verdict object.
        assert.equal(readerVerdictFor({ ...ctx }, t), v);
        if (v) assert.ok(Object.isFrozen(v) && Object.isFrozen(v.hit) && Object.isFrozen(v.fine));
      }
    }
    assert.notEqual(readerVerdictFor({ readers: MESSAGES, target: 'trl' }, 'openai'), readerVerdictFor({ readers: MESSAGES }, 'openai'), 'the target is part of the key');
  });

  it('with a target among the readers: an error when the target is hit, a warning when only others are', () => {
    assert.equal(readerVerdict({ readers: MESSAGES, target: 'openai' }, ['openai'])?.severity, 'error');
    assert.equal(readerVerdict({ readers: MESSAGES, target: 'trl' }, ['openai'])?.severity, 'warning');
    assert.equal(readerVerdict({ readers: MESSAGES, target: 'trl' }, ['trl', 'openai'])?.severity, 'error');
  });

  it('a target that does not read the format counts as no target', () => {
    assert.equal(readerVerdict({ readers: MESSAGES, target: 'xtuner' }, ['openai'])?.severity, 'warning');
    assert.equal(readerVerdict({ readers: MESSAGES, target: 'xtuner' }, MESSAGES)?.severity, 'error');
  });

  it('names who is hit and who is not, in reader order', () => {
    const v = readerVerdict({ readers: MESSAGES }, ['torchtune', 'openai'])!;
    assert.deepEqual(v.hit, ['openai', 'torchtune']);
    assert.deepEqual(v.fine, ['trl', 'axolotl', 'llamafactory']);
    assert.equal(trainerList(v.fine), 'TRL, Axolotl and LLaMA-Factory');
    assert.equal(trainerList(['openai']), 'OpenAI fine-tuning');
  });

  it('reads trainer names as users type them', () => {
    for (const id of TRAINER_IDS) assert.equal(parseTrainerId(id), id);
    assert.equal(parseTrainerId('Unsloth'), 'trl');
    assert.equal(parseTrainerId(' LLaMA-Factory '), 'llamafactory');
    assert.equal(parseTrainerId('swift'), 'ms-swift');
    assert.equal(parseTrainerId('toString'), undefined, 'no prototype key is a trainer');
    assert.equal(parseTrainerId('hf'), undefined);
  });
});
