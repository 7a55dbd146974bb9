import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'dataset_info.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('dataset_info.json schema', () => {
  it('accepts the registry LLaMA-Factory ships', () => {
    const info: unknown = JSON.parse(fs.readFileSync(path.join(root, '..', 'shared', 'corpus', 'llama-factory', 'dataset_info.json'), 'utf8'));
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
