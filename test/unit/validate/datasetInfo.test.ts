import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findDatasetInfoFormat, formatOfEntry, parseDatasetInfo } from '../../../src/core/datasetInfo/datasetInfoRead';
import { capProblems, hiddenSummary } from '../../../src/core/validate/displayCap';
import type { Problem } from '../../../src/core/base/problem';
import { llamaFactoryFile, needsCorpus } from '../../support/corpus';

/** A registry written the way LLaMA-Factory's data/README.md describes its entries (Alpaca, ShareGPT preference, KTO). */
const REGISTRY = JSON.stringify(
  {
    tips: { file_name: 'alpaca_tips.json' },
    pairs: { file_name: 'preference_pairs.json', ranking: true, formatting: 'sharegpt', columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' } },
    feedback: {
      file_name: 'kto_feedback.json',
      formatting: 'sharegpt',
      columns: { messages: 'messages', kto_tag: 'label' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    },
    hub_only: { hf_hub_url: 'someone/some-dataset' },
  },
  null,
  2,
);

describe('dataset_info.json mapping', () => {
  it('maps registry entries to formats', () => {
    const info = parseDatasetInfo(REGISTRY);
    assert.ok(info);
    assert.deepEqual(findDatasetInfoFormat(info, 'alpaca_tips.json'), { name: 'tips', format: 'alpaca', options: {} });
    const dpo = findDatasetInfoFormat(info, 'preference_pairs.json');
    assert.equal(dpo?.format, 'sharegpt-preference');
    assert.equal(dpo?.options.columns?.chosen, 'chosen');
    const kto = findDatasetInfoFormat(info, 'kto_feedback.json');
    assert.equal(kto?.format, 'llamafactory-kto');
    assert.equal(kto?.options.columns?.kto_tag, 'label');
    assert.equal(kto?.options.tags?.role_tag, 'role');
    assert.equal(findDatasetInfoFormat(info, 'missing.json'), undefined);
  });

  it('maps the registry LLaMA-Factory ships to formats', function () {
    needsCorpus(this);
    const info = parseDatasetInfo(fs.readFileSync(llamaFactoryFile('dataset_info.json'), 'utf8'));
    assert.ok(info);
    assert.deepEqual(findDatasetInfoFormat(info, 'alpaca_en_demo.json'), { name: 'alpaca_en_demo', format: 'alpaca', options: {} });
    const dpo = findDatasetInfoFormat(info, 'dpo_en_demo.json');
    assert.equal(dpo?.format, 'sharegpt-preference');
    assert.equal(dpo?.options.columns?.chosen, 'chosen');
    const kto = findDatasetInfoFormat(info, 'kto_en_demo.json');
    assert.equal(kto?.format, 'llamafactory-kto');
    assert.equal(kto?.options.columns?.kto_tag, 'label');
    assert.equal(kto?.options.tags?.role_tag, 'role');
    assert.equal(findDatasetInfoFormat(info, 'missing.json'), undefined);
  });

  it('maps formatting, ranking and tags', () => {
    assert.equal(formatOfEntry({}).format, 'alpaca');
    assert.equal(formatOfEntry({ ranking: true }).format, 'alpaca-preference');
    assert.equal(formatOfEntry({ formatting: 'sharegpt' }).format, 'sharegpt');
    assert.equal(formatOfEntry({ formatting: 'openai' }).format, 'openai-chat');
    const o = formatOfEntry({ formatting: 'openai', ranking: true });
    assert.equal(o.format, 'sharegpt-preference');
    assert.equal(o.options.tags?.user_tag, 'user');
    assert.equal(o.options.columns?.messages, 'messages');
    assert.deepEqual(formatOfEntry({ formatting: 'sharegpt', tags: { user_tag: 'user', bad: 3 } as unknown as Record<string, string> }).options, { tags: { user_tag: 'user' } });
    assert.equal(parseDatasetInfo('[1]'), undefined);
    assert.equal(parseDatasetInfo('not json at all {'), undefined);
  });
});

describe('display cap', () => {
  const p = (severity: Problem['severity'], line: number): Problem => ({ line, column: 1, endLine: line, endColumn: 2, severity, rule: 'r', message: 'm' });
  it('keeps errors before warnings and counts what is hidden', () => {
    const list = [p('warning', 1), p('error', 2), p('info', 3), p('warning', 4), p('error', 5)];
    const c = capProblems(list, { error: 3, warning: 2, info: 1 }, 3);
    assert.deepEqual(c.shown.map((x) => x.line), [2, 5, 1]);
    assert.deepEqual(c.hidden, { error: 1, warning: 1, info: 1 });
    assert.equal(hiddenSummary(c.hidden, 'a.jsonl'), '3 more problems not shown (1 error, 1 warning, 1 info). See them all with `pairwise validate a.jsonl` or the problem filter of the Dataset View.');
    assert.equal(hiddenSummary({ error: 0, warning: 0, info: 0 }, 'a.jsonl'), undefined);
  });
});
