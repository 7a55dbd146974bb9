import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'dataset_info.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('dataset_info.json schema', () => {
  it('accepts entries of every kind LLaMA-Factory documents: local files, hubs, scripts, every layout', () => {
    // The kinds of entry in LLaMA-Factory's data/README.md, with names of our own.
    const info = {
      tips: { file_name: 'alpaca_tips.json' },
      tips_sample: { file_name: 'alpaca_tips.json', num_samples: 50, file_sha1: '0123456789abcdef0123456789abcdef01234567' },
      pairs: { file_name: 'preference_pairs.json', ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } },
      feedback: { file_name: 'kto_feedback.json', formatting: 'sharegpt', columns: { messages: 'messages', kto_tag: 'label' }, tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' } },
      tools: { file_name: 'tool_calls.json', formatting: 'sharegpt', columns: { messages: 'conversations', tools: 'tools' } },
      notes: { file_name: 'course_notes.jsonl', columns: { prompt: 'text' } },
      chat: { file_name: 'chat.json', formatting: 'openai', columns: { messages: 'messages', system: 'system' } },
      hub: { hf_hub_url: 'someone/some-dataset', subset: 'en', split: 'train', folder: 'data' },
      modelscope: { ms_hub_url: 'someone/some-dataset' },
      openmind: { om_hub_url: 'someone/some-dataset' },
      script: { script_url: 'my_loader' },
      cloud: { cloud_file_name: 's3://bucket/data.json' },
    };
    assert.ok(validate(info), JSON.stringify(validate.errors));
  });

  it('accepts the registry LLaMA-Factory ships', function () {
    needsCorpus(this);
    const info: unknown = JSON.parse(fs.readFileSync(llamaFactoryFile('dataset_info.json'), 'utf8'));
    assert.ok(validate(info), JSON.stringify(validate.errors));
  });

  it('rejects unknown formatting, misspelt columns and tags, and entries without a source', () => {
    assert.equal(validate({ d: { file_name: 'a.json', formatting: 'chatml' } }), false);
    assert.equal(validate({ d: { file_name: 'a.json', columns: { promt: 'q' } } }), false);
    assert.equal(validate({ d: { file_name: 'a.json', tags: { user: 'human' } } }), false);
    assert.equal(validate({ d: { formatting: 'sharegpt' } }), false);
    assert.equal(validate({ d: { file_name: 'a.json', ranking: 'yes' } }), false);
    assert.ok(validate({ d: { file_name: 'a.json', formatting: 'openai', ranking: true, num_samples: 10, columns: { messages: 'messages', kto_tag: 'label' } } }));
  });
});
