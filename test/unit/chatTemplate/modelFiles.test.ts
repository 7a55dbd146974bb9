import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModelFolder } from '../../../src/core/chatTemplate';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

describe('chatTemplate: reading a model folder from a workspace', () => {
  it('refuses a tokenizer.json that is a link to a device instead of reading it forever', function () {
    if (process.platform === 'win32') this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-model-'));
    try {
      fs.copyFileSync(path.join(FIXTURES, 'chatml', 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
      fs.copyFileSync(path.join(FIXTURES, 'chatml', 'chat_template.jinja'), path.join(dir, 'chat_template.jinja'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'tokenizer.json'));
      assert.throws(() => loadModelFolder(dir), /not a regular file/);
      fs.rmSync(path.join(dir, 'tokenizer.json'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'chat_template.jinja.tmp'));
      fs.copyFileSync(path.join(FIXTURES, 'chatml', 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
      fs.rmSync(path.join(dir, 'chat_template.jinja'));
      fs.renameSync(path.join(dir, 'chat_template.jinja.tmp'), path.join(dir, 'chat_template.jinja'));
      assert.throws(() => loadModelFolder(dir), /not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
