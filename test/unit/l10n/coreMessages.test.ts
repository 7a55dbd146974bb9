/**
 * The engine's messages in Simplified Chinese: @vscode/l10n configured with the shipped zh-cn bundle
 * (as the extension does at activation with VS Code's bundle), problems produced by the real
 * pipeline, values substituted into the translated sentences, and the rule catalog and format
 * titles read after configuration (they exist before it, so this proves they are translated lazily).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ruleInfo } from '../../../src/core/formats/ruleCatalog';
import { getFormat } from '../../../src/core/formats/registry';
import { validateFile, validateText } from '../../../src/core/validate/pipeline';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const zhBundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

function toChinese(): void {
  l10n.config({ contents: zhBundle });
}

function toEnglish(): void {
  l10n.config({ contents: {} });
}

function messagesOf(problems: readonly { line: number; rule: string; message: string }[], rule: string): string[] {
  return problems.filter((p) => p.rule === rule).map((p) => `${p.line} ${p.message}`);
}

describe('engine messages in zh-cn', () => {
  afterEach(toEnglish);

  it('reports the problems of samples/broken.jsonl in Chinese, with the parser details translated too', async () => {
    toChinese();
    const r = await validateFile(path.join(root, 'samples', 'broken.jsonl'));
    assert.deepEqual(messagesOf(r.problems, 'jsonl/invalid-json'), [
      "2 不是有效的 JSON：应为 '}' 以闭合对象。",
      '4 不是有效的 JSON：属性名必须用双引号括起。',
    ]);
    assert.equal(r.detection.evidence, '2 条记录中有 2 条像 openai-chat');
  });

  it('substitutes line numbers, keys, roles and trainer names into the translated sentences', () => {
    toChinese();
    const text = [
      '{"instruction": "Say hi", "output": ""}',
      '{"instruction": "Say hi", "output": ""}',
    ].join('\n');
    const r = validateText(text, { fileName: 'a.jsonl' });
    assert.deepEqual(messagesOf(r.problems, 'common/duplicate-record'), ['2 与第 1 行的记录完全重复。']);
    assert.deepEqual(messagesOf(r.problems, 'common/empty-content'), ['1 "output" 为空：训练器会学会用空内容回答', '2 "output" 为空：训练器会学会用空内容回答']);
    const chat = { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello', extra: 1 }] };
    const o = validateText(JSON.stringify(chat), { fileName: 'c.jsonl' });
    assert.deepEqual(messagesOf(o.problems, 'openai/unknown-message-key'), [
      '1 OpenAI fine-tuning 会拒绝第 2 条消息：无法识别的键 "extra"（允许：role、content、name、tool_calls、tool_call_id、function_call、weight）；TRL、Axolotl、torchtune 和 LLaMA-Factory 会把它交给聊天模板或忽略它',
    ]);
    // With OpenAI as the target the same finding is an error: the file is OpenAI's.
    const forOpenAi = validateText(JSON.stringify(chat), { fileName: 'c.jsonl', formatOptions: { trainer: 'openai' } });
    assert.equal(messagesOf(forOpenAi.problems, 'openai/unknown-message-key').length, 1);
    assert.equal(forOpenAi.problems.find((p) => p.rule === 'openai/unknown-message-key')?.severity, 'error');
  });

  it("keeps the trainer's own error text verbatim inside the translated sentence", () => {
    toChinese();
    const rec = { conversations: [{ from: 'human', value: 'Hi' }, { from: 'human', value: 'Again' }] };
    const r = validateText(JSON.stringify(rec), { fileName: 'b.jsonl', format: 'sharegpt' });
    const [msg] = messagesOf(r.problems, 'llamafactory/role-alternation');
    assert.equal(msg, '1 LLaMA-Factory 会丢弃这条记录（Invalid role tag）：轮次必须按 human/gpt 交替（第 2 轮 是 "human"，位于助手位置，应为 gpt/function_call）');
  });

  it('reads the rule catalog and format titles in the language configured after the modules loaded', () => {
    // English first: the catalog and the format modules exist, built before any configuration.
    assert.equal(ruleInfo('jsonl/invalid-json')?.title, 'Not valid JSON');
    assert.equal(getFormat('alpaca').title, 'Alpaca (instruction / input / output)');
    toChinese();
    assert.equal(ruleInfo('jsonl/invalid-json')?.title, '无效的 JSON');
    assert.equal(ruleInfo('llamafactory/message-missing-key')?.explanation, '每条消息都需要 "role"，LLaMA-Factory 才能知道是谁在说话。');
    assert.equal(ruleInfo('openai/message-missing-key')?.explanation, '每条消息都需要 "role"，OpenAI fine-tuning 才能知道是谁在说话。');
    assert.equal(getFormat('alpaca').title, 'Alpaca（instruction / input / output）');
    toEnglish();
    assert.equal(ruleInfo('jsonl/invalid-json')?.title, 'Not valid JSON');
    assert.equal(ruleInfo('llamafactory/message-missing-key')?.explanation, 'Every message needs a "role" for LLaMA-Factory to know who speaks.');
  });

  it('gives the same English as before when no bundle is configured', async () => {
    const r = await validateFile(path.join(root, 'samples', 'broken.jsonl'));
    assert.deepEqual(messagesOf(r.problems, 'jsonl/invalid-json'), ["2 Not valid JSON: expected '}' to close the object.", '4 Not valid JSON: property names must be in double quotes.']);
  });
});
