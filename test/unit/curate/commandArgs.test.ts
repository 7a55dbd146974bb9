/**
 * The curation commands' argument validators (core/curate/commandArgs.ts): what a script passes is
 * checked field by field and returned typed, or refused with an error naming the command and the
 * field; the ratio rule is the one the core's split and `pairwise split --ratios` apply.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import {
  filterCriteria,
  parseRatioText,
  ratioTextError,
  validateDedupeArgs,
  validateFilterArgs,
  validateMergeArgs,
  validateRegisterArgs,
  validateSampleArgs,
  validateSplitArgs,
} from '../../../src/core/curate/commandArgs';
import { checkRatios, splitNames } from '../../../src/core/curate/split';

describe('curation command arguments', () => {
  it('refuses what is not an options object, and options it does not know (a typo is not ignored)', () => {
    for (const v of [validateDedupeArgs, validateSplitArgs, validateFilterArgs, validateSampleArgs, validateMergeArgs, validateRegisterArgs]) {
      assert.throws(() => v('exact'), /the argument must be an object of options, not "exact"/);
      assert.throws(() => v(null), /must be an object of options/);
      assert.throws(() => v([1]), /must be an object of options/);
    }
    assert.throws(() => validateDedupeArgs({ mode: 'near', treshold: 0.9 }), /^TypeError: deduplicate: unknown option treshold \(the options are mode, threshold, out, signal\)$/);
  });

  it('takes a signal only when it is an AbortSignal', () => {
    const ac = new AbortController();
    assert.equal(validateSampleArgs({ n: 2, signal: ac.signal }).signal, ac.signal);
    assert.throws(() => validateSampleArgs({ n: 2, signal: { aborted: false } }), /sample: signal must be an AbortSignal/);
  });

  it('deduplicate: a known mode, a threshold in (0, 1], an output path', () => {
    assert.deepEqual(validateDedupeArgs({ mode: 'exact' }), { mode: 'exact' });
    assert.deepEqual(validateDedupeArgs({ mode: 'near', threshold: 0.8, out: 'x.jsonl', signal: undefined }), { mode: 'near', threshold: 0.8, out: 'x.jsonl' });
    assert.throws(() => validateDedupeArgs({}), /deduplicate: mode must be exact, normalized or near, not undefined/);
    assert.throws(() => validateDedupeArgs({ mode: 'fuzzy' }), /mode must be exact, normalized or near, not fuzzy/);
    assert.throws(() => validateDedupeArgs({ mode: 'near', threshold: 2 }), /^RangeError: deduplicate: threshold must be a number greater than 0 and at most 1, not 2$/);
    assert.throws(() => validateDedupeArgs({ mode: 'near', threshold: '0.8' }), /threshold .* not "0.8"/);
    assert.throws(() => validateDedupeArgs({ mode: 'exact', out: 3 }), /deduplicate: out must be a non-empty string, not 3/);
  });

  it('split: ratios through the shared rule, an integer seed, names as strings', () => {
    assert.deepEqual(validateSplitArgs({ ratios: [0.8, 0.2], seed: -3, groupByPrompt: true, names: ['a', 'b'] }), { ratios: [0.8, 0.2], seed: -3, groupByPrompt: true, names: ['a', 'b'] });
    assert.throws(() => validateSplitArgs({ ratios: '0.8,0.2' }), /split: ratios must be an array of numbers/);
    assert.throws(() => validateSplitArgs({ ratios: [0.9, 0.2] }), /^RangeError: split: ratios must sum to 1 \(they sum to 1.1\)$/);
    assert.throws(() => validateSplitArgs({ ratios: [1] }), /split: give at least two ratios/);
    assert.throws(() => validateSplitArgs({ ratios: [0.5, 0.5], seed: 1.5 }), /split: seed must be an integer, not 1.5/);
    assert.throws(() => validateSplitArgs({ ratios: [0.5, 0.5], groupByPrompt: 'yes' }), /split: groupByPrompt must be true or false, not "yes"/);
    assert.throws(() => validateSplitArgs({ ratios: [0.5, 0.5], names: ['a', ''] }), /split: names must be an array of non-empty strings/);
  });

  it('filter: at least one valid criterion; the regex compiles; bounds in order', () => {
    const a = validateFilterArgs({ regex: { field: 'prompt', pattern: 'colou?r', flags: 'i' }, maxTokens: 100 });
    assert.deepEqual(a, { maxTokens: 100, regex: { field: 'prompt', pattern: 'colou?r', flags: 'i' } });
    const c = filterCriteria(a);
    assert.equal(c.maxTokens, 100);
    assert.ok(c.regex?.pattern.test('COLOR'));
    assert.throws(() => validateFilterArgs({}), /^RangeError: filter: give at least one criterion$/);
    assert.throws(() => validateFilterArgs({ out: 'kept.jsonl' }), /give at least one criterion/);
    assert.throws(() => validateFilterArgs({ role: 'robot' }), /filter: role must be one of system, user, assistant, tool, not "robot"/);
    assert.throws(() => validateFilterArgs({ problems: 'some' }), /filter: problems must be one of has, none, not "some"/);
    assert.throws(() => validateFilterArgs({ minTokens: -1 }), /filter: minTokens must be an integer of at least 0, not -1/);
    assert.throws(() => validateFilterArgs({ minTokens: 10, maxTokens: 5 }), /filter: maxTokens \(5\) is below minTokens \(10\)/);
    assert.throws(() => validateFilterArgs({ regex: { field: 'title', pattern: 'x' } }), /filter: regex field must be one of prompt, response, system, any/);
    assert.throws(() => validateFilterArgs({ regex: { field: 'any' } }), /filter: regex needs a pattern/);
    assert.throws(() => validateFilterArgs({ regex: { field: 'any', pattern: '(' } }), /filter: regex "\(" is not a regular expression/);
    assert.throws(() => validateFilterArgs({ regex: { field: 'any', pattern: 'x', flags: 1 } }), /filter: regex.flags must be a string, not 1/);
  });

  it('sample: a positive count and an integer seed', () => {
    assert.deepEqual(validateSampleArgs({ n: 4, seed: 7, out: 's.jsonl' }), { n: 4, seed: 7, out: 's.jsonl' });
    assert.throws(() => validateSampleArgs({}), /sample: give n, the number of records to draw/);
    assert.throws(() => validateSampleArgs({ n: 0 }), /sample: n must be an integer of at least 1, not 0/);
    assert.throws(() => validateSampleArgs({ n: 2, seed: 'x' }), /sample: seed must be an integer, not "x"/);
  });

  it('merge: input paths and a known target format', () => {
    assert.deepEqual(validateMergeArgs({ inputs: ['a.jsonl', 'b.jsonl'], to: 'sharegpt', allowLossy: false }), { inputs: ['a.jsonl', 'b.jsonl'], to: 'sharegpt', allowLossy: false });
    assert.throws(() => validateMergeArgs({ to: 'sharegpt' }), /^TypeError: merge: give the input files$/);
    assert.throws(() => validateMergeArgs({ inputs: [], to: 'sharegpt' }), /merge: give the input files/);
    assert.throws(() => validateMergeArgs({ inputs: ['a.jsonl', 7], to: 'sharegpt' }), /merge: inputs must be an array of file paths/);
    assert.throws(() => validateMergeArgs({ inputs: ['a.jsonl'], to: 'parquet' }), /merge: unknown target format parquet/);
  });

  it('register: an optional registry path and a name that is not blank', () => {
    assert.deepEqual(validateRegisterArgs({}), {});
    assert.deepEqual(validateRegisterArgs({ info: 'dataset_info.json', name: 'chat_demo' }), { info: 'dataset_info.json', name: 'chat_demo' });
    assert.throws(() => validateRegisterArgs({ name: '  ' }), /register: name must not be blank/);
    assert.throws(() => validateRegisterArgs({ name: '' }), /register: name must be a non-empty string/);
  });

  it('speaks the display language (the zh-cn bundle)', () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    l10n.config({ contents: JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string> });
    try {
      assert.throws(() => validateSampleArgs({ n: 0 }), /^RangeError: sample：n 必须是至少为 1 的整数，而不是 0$/);
    } finally {
      l10n.config({ contents: {} });
    }
  });
});

describe('split ratios: one rule', () => {
  it('checkRatios: at least two non-negative shares summing to 1', () => {
    checkRatios([0.95, 0.05]);
    checkRatios([0.9, 0.05, 0.05]);
    assert.throws(() => checkRatios([1]), /give at least two ratios/);
    assert.throws(() => checkRatios([1.2, -0.2]), /ratios must be non-negative numbers: 1.2,-0.2/);
    assert.throws(() => checkRatios([0.5, Number.NaN]), /non-negative numbers/);
    assert.throws(() => checkRatios([0.5, 0.6]), /ratios must sum to 1 \(they sum to 1.1\)/);
  });

  it('the Split quick input takes percentages or shares, and checks percentages as percentages', () => {
    assert.deepEqual(parseRatioText('95/5'), [0.95, 0.05]);
    assert.deepEqual(parseRatioText('90 5 5'), [0.9, 0.05, 0.05]);
    assert.deepEqual(parseRatioText('0.7,0.2,0.1'), [0.7, 0.2, 0.1]);
    assert.deepEqual(parseRatioText('70%:30%'), [0.7, 0.3]);
    assert.equal(ratioTextError('70/20/10'), undefined);
    assert.equal(ratioTextError('70/20'), 'The percentages sum to 90, not 100');
    assert.match(ratioTextError('0.5,0.6') ?? '', /sum to 1 \(they sum to 1.1\)/);
    assert.match(ratioTextError('1') ?? '', /at least two/);
  });

  it('names the splits train, validation, test, then splitN, unless given', () => {
    assert.deepEqual(splitNames([0.25, 0.25, 0.25, 0.25]), ['train', 'validation', 'test', 'split4']);
    assert.deepEqual(splitNames([0.5, 0.5], ['a']), ['a', 'validation']);
  });
});
