/**
 * The validator over whole files in the shapes trainers ship: the project's own datasets (whose
 * repeated records are known by construction) everywhere, and LLaMA-Factory's real demo datasets
 * where ../shared/corpus exists. Every duplicate count of the corpus below was checked
 * independently (Python: json.load + Counter over sort_keys dumps): the demo files do repeat records.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateFile } from '../../../src/core/validate/pipeline';
import { corpusPath, llamaFactoryFile, needsCorpus } from '../../support/corpus';
import { alpacaDataset, ownCorpus, writeDataset } from '../../support/ownDatasets';
import { tempDir } from '../curate/tmpDir';

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

/** Each problem of a pretty-printed array's duplicate points at the record's `{`, and names the line of the earlier copy. */
function assertDuplicatesPointAtRecordStarts(file: string, problems: { line: number; column: number; message: string }[]): number[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const firsts: number[] = [];
  for (const p of problems) {
    assert.equal(lines[p.line - 1].slice(p.column - 1), '{');
    const first = Number(/line (\d+)/.exec(p.message)?.[1]);
    assert.equal(lines[first - 1].trim(), '{');
    assert.ok(first < p.line);
    firsts.push(first);
  }
  return firsts;
}

describe("validator over the project's own datasets", () => {
  const tmp = tempDir('validate-own');
  after(() => tmp.cleanup());

  for (const ds of ownCorpus()) {
    const counts = ds.duplicates.length ? { 'common/duplicate-record': ds.duplicates.length } : {};
    it(`${ds.name}: ${ds.format}, ${ds.duplicates.length ? JSON.stringify(counts) : 'no problems'}`, async () => {
      const r = await validateFile(writeDataset(tmp.dir, ds));
      assert.equal(r.format, ds.format);
      assert.equal(r.records, ds.records.length);
      assert.deepEqual(r.problemCounts, counts);
      assert.match(r.detection.evidence, new RegExp(`^(\\d+) of \\1 records look like ${ds.format}$`));
      // Each warning is on a repeated record.
      assert.deepEqual(r.problems.map((p) => p.record), ds.duplicates);
    });
  }

  it('a registry of datasets is not a dataset', async () => {
    const r = await validateFile(tmp.file('dataset_info.json', JSON.stringify({ tips: { file_name: 'alpaca_tips.json' } }, null, 2)));
    assert.equal(r.format, undefined);
    assert.equal(r.records, 1);
    assert.deepEqual(r.problemCounts, { 'json/not-an-array': 1, 'format/unknown-format': 1 });
  });

  it('points duplicates of a pretty-printed array at the record start and the first copy', async () => {
    const ds = alpacaDataset();
    const file = writeDataset(tmp.dir, ds);
    const r = await validateFile(file);
    const firsts = assertDuplicatesPointAtRecordStarts(file, r.problems);
    // The line named is where the original record starts.
    const starts = fs.readFileSync(file, 'utf8').split('\n').flatMap((l, i) => (l === '  {' ? [i + 1] : []));
    assert.equal(starts.length, ds.records.length);
    assert.deepEqual(firsts, ds.duplicates.map((d) => starts[ds.duplicateOf.get(d)!]));
    assert.deepEqual(r.problems.map((p) => p.line), ds.duplicates.map((d) => starts[d]));
  });
});

describe('validator over the LLaMA-Factory corpus', function () {
  before(function () {
    needsCorpus(this);
  });

  it('has an expectation for every file of the corpus', () => {
    const files = fs.readdirSync(corpusPath('llama-factory')).filter((f) => /\.jsonl?$/.test(f));
    assert.deepEqual(files.sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, exp] of Object.entries(EXPECTED)) {
    it(`${file}: ${exp.format ?? 'no format'}, ${Object.keys(exp.counts).length ? JSON.stringify(exp.counts) : 'no problems'}`, async () => {
      const r = await validateFile(llamaFactoryFile(file));
      assert.equal(r.format, exp.format);
      assert.equal(r.records, exp.records);
      assert.deepEqual(r.problemCounts, exp.counts);
      if (exp.format) assert.match(r.detection.evidence, new RegExp(`^(\\d+) of \\1 records look like ${exp.format}$`));
    });
  }

  it('points duplicates of a pretty-printed array at the record start and the first copy', async () => {
    const file = llamaFactoryFile('alpaca_en_demo.json');
    const r = await validateFile(file);
    assertDuplicatesPointAtRecordStarts(path.resolve(file), r.problems);
  });
});
