import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetInfoEntry, entryForFile, NotLoadableError, registerDataset } from '../../../src/core/datasetInfo/datasetInfoEntry';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { getFormat } from '../../../src/core/formats/registry';
import { corpusPath, needsCorpus } from '../../support/corpus';
import { alpacaDataset, alpacaZhDataset, identityDataset, ktoDataset, preferenceDataset, preferenceZhDataset, textDataset, toolCallDataset, writeDataset } from '../../support/ownDatasets';
import { jsonl, tempDir } from './tmpDir';

const TAGS4 = { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' };

describe('dataset_info.json entries', () => {
  const tmp = tempDir('info');
  after(() => tmp.cleanup());

  it('gives the entry LLaMA-Factory needs for each loadable format', () => {
    const entry = (f: FormatId, sample?: Record<string, unknown>[]) => datasetInfoEntry(f, 'd.json', sample ?? [getFormat(f).example]);
    // The examples: alpaca has a system column, sharegpt a system column, openai-chat a system turn.
    assert.deepEqual(entry('alpaca', [{ instruction: 'a', input: '', output: 'b' }]), { file_name: 'd.json' });
    assert.deepEqual(entry('alpaca'), { file_name: 'd.json', columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system' } });
    assert.deepEqual(entry('alpaca-preference'), { file_name: 'd.json', ranking: true, columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected' } });
    assert.deepEqual(entry('sharegpt'), { file_name: 'd.json', formatting: 'sharegpt', columns: { messages: 'conversations', system: 'system' } });
    assert.deepEqual(entry('sharegpt-preference'), { file_name: 'd.json', ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } });
    assert.deepEqual(entry('openai-chat'), { file_name: 'd.json', formatting: 'sharegpt', columns: { messages: 'messages' }, tags: { ...TAGS4, system_tag: 'system', observation_tag: 'tool' } });
    assert.deepEqual(entry('llamafactory-kto'), { file_name: 'd.json', formatting: 'sharegpt', columns: { messages: 'messages', kto_tag: 'label' }, tags: TAGS4 });
    assert.deepEqual(entry('llamafactory-kto', [{ conversations: [], kto_tag: true }]), { file_name: 'd.json', formatting: 'sharegpt', columns: { messages: 'conversations', kto_tag: 'kto_tag' } });
    assert.deepEqual(entry('trl-text'), { file_name: 'd.json', columns: { prompt: 'text' } });
    assert.deepEqual(entry('trl-prompt-completion', [{ prompt: 'a', completion: 'b' }]), { file_name: 'd.json', columns: { prompt: 'prompt', response: 'completion' } });
    assert.deepEqual(entry('trl-preference', [{ prompt: 'a', chosen: 'b', rejected: 'c' }]), { file_name: 'd.json', ranking: true, columns: { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' } });
    assert.deepEqual(entry('instruct-response'), { file_name: 'd.json', columns: { prompt: 'instruction', query: 'input', response: 'response' } });
    assert.deepEqual(entry('torchtune-stack-exchange-paired'), { file_name: 'd.json', ranking: true, columns: { prompt: 'question', chosen: 'response_j', rejected: 'response_k' } });
    assert.deepEqual(entry('axolotl-chatml-intel'), { file_name: 'd.json', ranking: true, columns: { prompt: 'question', chosen: 'chosen', rejected: 'rejected', system: 'system' } });
    assert.deepEqual(entry('axolotl-chatml-argilla'), { file_name: 'd.json', ranking: true, columns: { prompt: 'instruction', chosen: 'chosen_response', rejected: 'rejected_response' } });
    assert.deepEqual(entry('axolotl-chatml-prompt-pairs'), { file_name: 'd.json', ranking: true, columns: { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected', system: 'system' } });
  });

  it('refuses formats LLaMA-Factory cannot load, naming a conversion target', () => {
    const cases: [FormatId, FormatId][] = [
      ['openai-dpo', 'sharegpt-preference'],
      ['trl-unpaired', 'llamafactory-kto'],
      ['ranked', 'sharegpt-preference'],
      ['candidates', 'sharegpt-preference'],
      ['trl-preference', 'sharegpt-preference'], // conversational variant (the example)
      ['trl-prompt-completion', 'sharegpt'],
    ];
    for (const [f, target] of cases) {
      assert.throws(
        () => datasetInfoEntry(f, 'd.json', [getFormat(f).example]),
        (e: unknown) => e instanceof NotLoadableError && e.suggestion === target && e.message.includes(f) && e.message.includes(`--to ${target}`),
        f,
      );
    }
  });

  it("gives the entries LLaMA-Factory's data/README.md describes for files of its demo shapes", async () => {
    const sharegptPrefs = { ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } };
    const cases: [string, Record<string, unknown>][] = [
      [writeDataset(tmp.dir, alpacaDataset()), {}],
      [writeDataset(tmp.dir, alpacaZhDataset()), {}],
      [writeDataset(tmp.dir, identityDataset()), {}],
      [writeDataset(tmp.dir, preferenceDataset()), sharegptPrefs],
      [writeDataset(tmp.dir, preferenceZhDataset()), sharegptPrefs],
      [writeDataset(tmp.dir, ktoDataset()), { formatting: 'sharegpt', columns: { messages: 'messages', kto_tag: 'label' }, tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' } }],
      [writeDataset(tmp.dir, toolCallDataset()), { formatting: 'sharegpt', columns: { messages: 'conversations', tools: 'tools' } }],
      [writeDataset(tmp.dir, textDataset()), { columns: { prompt: 'text' } }],
    ];
    for (const [file, want] of cases) {
      const { entry } = await entryForFile(file, path.basename(file));
      assert.deepEqual(entry, { file_name: path.basename(file), ...want }, path.basename(file));
    }
  });

  it('matches the entries LLaMA-Factory ships for its demo files', async function () {
    needsCorpus(this);
    const dir = corpusPath('llama-factory');
    const real = JSON.parse(fs.readFileSync(path.join(dir, 'dataset_info.json'), 'utf8')) as Record<string, { file_name?: string }>;
    const checked: string[] = [];
    for (const [name, want] of Object.entries(real)) {
      const file = want.file_name && path.join(dir, want.file_name);
      if (!file || !fs.existsSync(file)) continue;
      const { entry } = await entryForFile(file, want.file_name as string);
      assert.deepEqual(entry, want, name);
      checked.push(name);
    }
    assert.deepEqual(checked.sort(), ['alpaca_en_demo', 'alpaca_zh_demo', 'c4_demo', 'dpo_en_demo', 'dpo_zh_demo', 'glaive_toolcall_en_demo', 'identity', 'kto_en_demo']);
  });

  it('creates and updates dataset_info.json atomically, keeping other entries', async () => {
    const data = tmp.file('prefs.jsonl', jsonl([{ conversations: [{ from: 'human', value: 'Hi' }], chosen: { from: 'gpt', value: 'Hello' }, rejected: { from: 'gpt', value: 'Go away' } }]));
    const first = await registerDataset(data);
    assert.equal(first.info, path.join(tmp.dir, 'dataset_info.json'));
    assert.deepEqual([first.created, first.replaced, first.name, first.format], [true, false, 'prefs', 'sharegpt-preference']);
    assert.equal(first.entry.file_name, 'prefs.jsonl');

    const info = path.join(tmp.dir, 'dataset_info.json');
    fs.writeFileSync(info, JSON.stringify({ other: { hf_hub_url: 'x/y' }, prefs: { file_name: 'old.json' }, last: { file_name: 'z.json' } }, null, 2));
    const again = await registerDataset(data);
    assert.deepEqual([again.created, again.replaced], [false, true]);
    const text = fs.readFileSync(info, 'utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['other', 'prefs', 'last']);
    assert.deepEqual(doc.other, { hf_hub_url: 'x/y' });
    assert.deepEqual(doc.prefs, again.entry);
    assert.ok(text.startsWith('{\n  "other": {\n    "hf_hub_url"'));

    // A data file in a subfolder gets a relative file_name; a named entry.
    fs.mkdirSync(path.join(tmp.dir, 'sub'));
    const nested = path.join(tmp.dir, 'sub', 'chat.jsonl');
    fs.writeFileSync(nested, jsonl([{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }]));
    const sub = await registerDataset(nested, { info, name: 'my_chat' });
    assert.equal(sub.entry.file_name, 'sub/chat.jsonl');
    assert.ok((JSON.parse(fs.readFileSync(info, 'utf8')) as Record<string, unknown>).my_chat);
  });

  it('refuses a broken dataset_info.json and an unloadable format without writing', async () => {
    const dir = tempDir('info-bad');
    try {
      const data = dir.file('d.jsonl', jsonl([{ prompt: 'p', completion: 'c', label: true }]));
      const info = dir.file('dataset_info.json', '{ not json');
      await assert.rejects(registerDataset(data), /LLaMA-Factory cannot load trl-unpaired/);
      const chat = dir.file('c.jsonl', jsonl([{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }]));
      await assert.rejects(registerDataset(chat), /not valid JSON/);
      assert.equal(fs.readFileSync(info, 'utf8'), '{ not json');
    } finally {
      dir.cleanup();
    }
  });
});
