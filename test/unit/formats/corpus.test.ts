/**
 * LLaMA-Factory's own demo datasets (../shared/corpus/llama-factory): every record passes its
 * expected format with no errors, the file is detected as that format, and every record survives
 * record -> canonical -> record unchanged.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { checkRecord, detectFormat, getFormat, scoreRecord } from '../../../src/core/formats/registry';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'llama-factory');

const FILES: [string, FormatId][] = [
  ['alpaca_en_demo.json', 'alpaca'],
  ['alpaca_zh_demo.json', 'alpaca'],
  ['identity.json', 'alpaca'],
  ['dpo_en_demo.json', 'sharegpt-preference'],
  ['dpo_zh_demo.json', 'sharegpt-preference'],
  ['kto_en_demo.json', 'llamafactory-kto'],
  ['glaive_toolcall_en_demo.json', 'sharegpt'],
  ['c4_demo.jsonl', 'trl-text'],
  // LLaMA-Factory v1 schema: typed content parts, loss_weight, tools as JSON text.
  ['v1_sft_demo.jsonl', 'openai-chat'],
  ['reason_tool_use_demo_50.jsonl', 'openai-chat'],
  ['v1_dpo_demo.jsonl', 'trl-preference-implicit'],
];

function load(file: string): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(corpus, file), 'utf8');
  if (file.endsWith('.jsonl')) return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  return JSON.parse(text);
}

describe('LLaMA-Factory corpus', function () {
  if (!fs.existsSync(corpus)) {
    it('corpus is present', () => assert.fail(`missing ${corpus}`));
    return;
  }
  for (const [file, id] of FILES) {
    describe(file, () => {
      const records = load(file);

      it(`has records`, () => assert.ok(records.length >= 10));

      it(`passes ${id} with no errors or warnings`, () => {
        const found: string[] = [];
        records.forEach((r, i) => {
          for (const rep of checkRecord(id, r)) found.push(`#${i} ${rep.severity} ${rep.rule} ${JSON.stringify(rep.path)}`);
        });
        assert.deepEqual(found, []);
      });

      it(`is detected as ${id}`, () => {
        const d = detectFormat(records);
        assert.equal(d?.id, id);
        assert.equal(d?.share, 1);
        assert.equal(scoreRecord(records[0])[0].id, id);
      });

      it('round-trips every record through the canonical model unchanged', () => {
        const f = getFormat(id);
        records.forEach((r, i) => {
          const back = f.fromCanonical(f.toCanonical(r));
          assert.deepEqual(back.lost, [], `record ${i}`);
          assert.deepEqual(back.record, r, `record ${i}`);
        });
      });
    });
  }

  it('LLaMA-Factory KTO demo maps to unpaired records with both labels', () => {
    const recs = load('kto_en_demo.json').map((r) => getFormat('llamafactory-kto').toCanonical(r));
    const labels = new Set(recs.map((r) => (r.type === 'unpaired' ? r.label : undefined)));
    assert.deepEqual([...labels].sort(), [false, true]);
  });

  it('glaive function_call turns become tool calls', () => {
    const rec = getFormat('sharegpt').toCanonical(load('glaive_toolcall_en_demo.json')[0]);
    assert.equal(rec.type, 'sft');
    const call = rec.type === 'sft' ? rec.messages.find((m) => m.toolCalls) : undefined;
    assert.equal(call?.toolCalls?.[0].name, 'search_recipes');
    assert.deepEqual(JSON.parse(call!.toolCalls![0].arguments), { ingredients: ['chicken', 'bell peppers', 'rice'] });
    assert.ok(rec.type === 'sft' && rec.messages.some((m) => m.role === 'tool'));
  });
});
