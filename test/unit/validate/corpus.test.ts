/**
 * The validator over the real LLaMA-Factory demo datasets. Every duplicate count below was checked
 * independently (Python: json.load + Counter over sort_keys dumps): the demo files do repeat records.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateFile } from '../../../src/core/validate/pipeline';

const corpus = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'corpus', 'llama-factory');

interface Expectation {
  format: string | undefined;
  records: number;
  /** Every problem of the file, counted by rule. */
  counts: Record<string, number>;
}

const EXPECTED: Record<string, Expectation> = {
  'alpaca_en_demo.json': { format: 'alpaca', records: 999, counts: { 'common/duplicate-record': 14 } },
  'alpaca_zh_demo.json': { format: 'alpaca', records: 1000, counts: { 'common/duplicate-record': 8 } },
  'identity.json': { format: 'alpaca', records: 91, counts: {} },
  'c4_demo.jsonl': { format: 'trl-text', records: 300, counts: {} },
  'dpo_en_demo.json': { format: 'sharegpt-preference', records: 300, counts: { 'common/duplicate-record': 5 } },
  'dpo_zh_demo.json': { format: 'sharegpt-preference', records: 300, counts: { 'common/duplicate-record': 11 } },
  'glaive_toolcall_en_demo.json': { format: 'sharegpt', records: 300, counts: { 'common/duplicate-record': 35 } },
  'kto_en_demo.json': { format: 'llamafactory-kto', records: 300, counts: {} },
  'v1_sft_demo.jsonl': { format: 'openai-chat', records: 500, counts: { 'common/duplicate-record': 1 } },
  'v1_dpo_demo.jsonl': { format: 'trl-preference-implicit', records: 10, counts: {} },
  // LLaMA-Factory v1 data: content as a list of parts, `tools` as a JSON string; both accepted.
  'reason_tool_use_demo_50.jsonl': { format: 'openai-chat', records: 50, counts: {} },
  // Not a dataset: the registry of datasets, one JSON object.
  'dataset_info.json': { format: undefined, records: 1, counts: { 'json/not-an-array': 1, 'format/unknown-format': 1 } },
};

describe('validator over the LLaMA-Factory corpus', () => {
  it('has an expectation for every file of the corpus', () => {
    const files = fs.readdirSync(corpus).filter((f) => /\.jsonl?$/.test(f));
    assert.deepEqual(files.sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, exp] of Object.entries(EXPECTED)) {
    it(`${file}: ${exp.format ?? 'no format'}, ${Object.keys(exp.counts).length ? JSON.stringify(exp.counts) : 'no problems'}`, async () => {
      const r = await validateFile(path.join(corpus, file));
      assert.equal(r.format, exp.format);
      assert.equal(r.records, exp.records);
      assert.deepEqual(r.problemCounts, exp.counts);
      if (exp.format) assert.match(r.detection.evidence, new RegExp(`^(\\d+) of \\1 records look like ${exp.format}$`));
    });
  }

  it('points duplicates of a pretty-printed array at the record start and the first copy', async () => {
    const r = await validateFile(path.join(corpus, 'alpaca_en_demo.json'));
    const lines = fs.readFileSync(path.join(corpus, 'alpaca_en_demo.json'), 'utf8').split('\n');
    for (const p of r.problems) {
      assert.equal(lines[p.line - 1].slice(p.column - 1), '{');
      const first = Number(/line (\d+)/.exec(p.message)?.[1]);
      assert.equal(lines[first - 1].trim(), '{');
      assert.ok(first < p.line);
    }
  });
});
