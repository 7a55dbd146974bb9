/**
 * Datasets in the shapes trainers ship (LLaMA-Factory's demo files): every record passes its
 * expected format with no errors, the file is detected as that format, and every record survives
 * record -> canonical -> record unchanged. On the project's own datasets of each shape always, and
 * on LLaMA-Factory's real demo files (../shared/corpus/llama-factory) where the corpus exists.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { FormatId } from '../../../src/core/formats/formatModule';
import { checkRecord, detectFormat, getFormat, scoreRecord } from '../../../src/core/formats/registry';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { ktoDataset, ownCorpus, toolCallDataset } from '../../support/ownDatasets';

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
  const text = fs.readFileSync(llamaFactoryFile(file), 'utf8');
  if (file.endsWith('.jsonl')) return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  return JSON.parse(text);
}

/** The checks every file of a known format passes; `records` is read when the suite starts. */
function passesItsFormat(records: () => Record<string, unknown>[], id: FormatId): void {
  it(`has records`, () => assert.ok(records().length >= 10));

  it(`passes ${id} with no errors or warnings`, () => {
    const found: string[] = [];
    records().forEach((r, i) => {
      for (const rep of checkRecord(id, r)) found.push(`#${i} ${rep.severity} ${rep.rule} ${JSON.stringify(rep.path)}`);
    });
    assert.deepEqual(found, []);
  });

  it(`is detected as ${id}`, () => {
    const d = detectFormat(records());
    assert.equal(d?.id, id);
    assert.equal(d?.share, 1);
    assert.equal(scoreRecord(records()[0])[0].id, id);
  });

  it('round-trips every record through the canonical model unchanged', () => {
    const f = getFormat(id);
    records().forEach((r, i) => {
      const back = f.fromCanonical(f.toCanonical(r));
      assert.deepEqual(back.lost, [], `record ${i}`);
      assert.deepEqual(back.record, r, `record ${i}`);
    });
  });
}

function ktoHasBothLabels(records: Record<string, unknown>[]): void {
  const recs = records.map((r) => getFormat('llamafactory-kto').toCanonical(r));
  const labels = new Set(recs.map((r) => (r.type === 'unpaired' ? r.label : undefined)));
  assert.deepEqual([...labels].sort(), [false, true]);
}

describe("the project's own datasets in the trainers' demo shapes", () => {
  for (const ds of ownCorpus()) {
    describe(ds.name, () => passesItsFormat(() => ds.records, ds.format));
  }

  it('KTO maps to unpaired records with both labels', () => ktoHasBothLabels(ktoDataset().records));

  it('function_call turns become tool calls, observation turns tool messages', () => {
    const ds = toolCallDataset();
    const raw = ds.records.find((r) => (r.conversations as { from: string }[]).some((t) => t.from === 'function_call'))!;
    const turn = (raw.conversations as { from: string; value: string }[]).find((t) => t.from === 'function_call')!;
    const want = JSON.parse(turn.value) as { name: string; arguments: unknown };
    const rec = getFormat('sharegpt').toCanonical(raw);
    assert.equal(rec.type, 'sft');
    const call = rec.type === 'sft' ? rec.messages.find((m) => m.toolCalls) : undefined;
    assert.equal(call?.toolCalls?.[0].name, want.name);
    assert.deepEqual(JSON.parse(call!.toolCalls![0].arguments), want.arguments);
    assert.ok(rec.type === 'sft' && rec.messages.some((m) => m.role === 'tool'));
  });
});

describe('LLaMA-Factory corpus', function () {
  before(function () {
    needsCorpus(this);
  });

  for (const [file, id] of FILES) {
    describe(file, () => {
      let records: Record<string, unknown>[] = [];
      before(() => {
        records = load(file);
      });
      passesItsFormat(() => records, id);
    });
  }

  it('LLaMA-Factory KTO demo maps to unpaired records with both labels', () => ktoHasBothLabels(load('kto_en_demo.json')));

  it('glaive function_call turns become tool calls', () => {
    const rec = getFormat('sharegpt').toCanonical(load('glaive_toolcall_en_demo.json')[0]);
    assert.equal(rec.type, 'sft');
    const call = rec.type === 'sft' ? rec.messages.find((m) => m.toolCalls) : undefined;
    assert.equal(call?.toolCalls?.[0].name, 'search_recipes');
    assert.deepEqual(JSON.parse(call!.toolCalls![0].arguments), { ingredients: ['chicken', 'bell peppers', 'rice'] });
    assert.ok(rec.type === 'sft' && rec.messages.some((m) => m.role === 'tool'));
  });
});
