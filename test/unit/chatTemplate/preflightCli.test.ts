import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/run';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'chatTemplates');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), errStream: { isTTY: false } as NodeJS.WriteStream }, '0.0.0');
  return { code, stdout, stderr };
}

describe('cli: pairwise preflight', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-preflight-cli-'));
  const file = path.join(dir, 'data.jsonl');
  fs.writeFileSync(file, [{ messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi' }] }, { messages: [{ role: 'system', content: 'be brief.' }, { role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi' }] }].map((r) => JSON.stringify(r)).join('\n') + '\n');

  it('--json: the report as data, exit 1 on a finding', async () => {
    const r = await cli(['preflight', file, '--model', path.join(FIXTURES, 'nosystem'), '--trainer', 'trl', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { records: number; counts: { templateErrors: number } };
    assert.equal(report.records, 2);
    assert.equal(report.counts.templateErrors, 1);
  });

  it('exit 0 without findings; a missing model folder is bad usage', async () => {
    assert.equal((await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--trainer', 'openai'])).code, 0);
    assert.equal((await cli(['preflight', file, '--model', path.join(dir, 'none'), '--trainer', 'openai'])).code, 2);
    assert.equal((await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--trainer', 'nope'])).code, 2);
  });

  it('the trainer options change the trained-token total: --mask-history, --roles-to-train, --train-on-eos', async () => {
    const trained = async (...opts: string[]): Promise<number> => {
      const r = await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--json', ...opts]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { trainedTokens: number }).trainedTokens;
    };
    // Two records, one answer each: "hi" and the end-of-turn token that follows it.
    const lf = await trained('--trainer', 'llamafactory');
    assert.equal(await trained('--trainer', 'llamafactory', '--mask-history'), lf, 'one answer per record: its last');
    const axolotl = await trained('--trainer', 'axolotl');
    assert.equal(axolotl, lf);
    assert.equal(await trained('--trainer', 'axolotl', '--train-on-eos', 'none'), axolotl - 2);
    assert.ok((await trained('--trainer', 'axolotl', '--roles-to-train', 'user,assistant')) > axolotl);
    assert.equal((await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--trainer', 'axolotl', '--train-on-eos', 'sometimes'])).code, 2);
  });

  it('--config: the trainer and its options come from a LLaMA-Factory config; a flag wins over it', async () => {
    const config = path.join(dir, 'sft.yaml');
    fs.writeFileSync(config, 'stage: sft\ndataset: mine\ncutoff_len: 5\n');
    const r = await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--config', config]);
    assert.equal(r.code, 1, 'both records are over 5 tokens');
    assert.match(r.stdout, /from .*sft\.yaml \(llamafactory\): maxLength 5 \(line 3\)/);
    const wide = await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--config', config, '--max-length', '4096', '--json']);
    assert.equal(wide.code, 0, wide.stderr);
    assert.equal((JSON.parse(wide.stdout) as { maxLength: number }).maxLength, 4096);
    fs.writeFileSync(path.join(dir, 'notes.yaml'), 'title: notes\n');
    assert.equal((await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml'), '--config', path.join(dir, 'notes.yaml')])).code, 2);
    assert.equal((await cli(['preflight', file, '--model', path.join(FIXTURES, 'chatml')])).code, 2, 'neither --trainer nor --config');
  });
});
