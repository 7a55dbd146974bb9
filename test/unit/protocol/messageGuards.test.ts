/**
 * The runtime guards of the webview → host messages (src/protocol): every message type passes in
 * its valid forms, and fails with each field given a wrong value, with a required field missing,
 * with an unknown field, and as anything that is not an object of a known type.
 */
import * as assert from 'node:assert/strict';
import { isDatasetViewToHost, isRecordQuery, type DatasetViewToHost } from '../../../src/protocol/datasetView';
import { isLabelingToHost, type LabelingToHost } from '../../../src/protocol/labeling';
import type { Guard } from '../../../src/protocol/messageChecks';
import { isStatisticsToHost, type StatisticsToHost } from '../../../src/protocol/statistics';
import { isPreflightToHost, type PreflightToHost } from '../../../src/protocol/preflight';

type Fields<M, K> = Omit<Extract<M, { type: K }>, 'type'>;

/** Per message type: valid messages (with and without the optional fields), and wrong values for every field. */
type Cases<M extends { type: string }> = {
  [K in M['type']]: { valid: Extract<M, { type: K }>[]; wrong: { [F in keyof Fields<M, K>]-?: unknown[] } };
};

const NOT_A_STRING = [undefined, null, 1, true, {}, ['x']];
const NOT_AN_INDEX = [undefined, null, -1, 1.5, NaN, Infinity, 2 ** 53, '3', true, [1]];
const NOT_A_BOOL = [undefined, null, 0, 1, 'true', {}];

const labeling: Cases<LabelingToHost> = {
  ready: { valid: [{ type: 'ready' }], wrong: {} },
  decide: {
    valid: [
      { type: 'decide', choice: 'left', key: 'k1' },
      { type: 'decide', choice: 'right', key: 'k1', strength: 'clearly', rationale: 'more detail' },
      { type: 'decide', choice: 'tie', key: 'k', rationale: '' },
      { type: 'decide', choice: 'both_bad', key: 'k', strength: 'slightly' },
      { type: 'decide', choice: 'skip', key: 'k' },
    ],
    wrong: {
      choice: [undefined, 'evil', 'Left', 'both-bad', 1, null, ['left']],
      key: NOT_A_STRING,
      strength: ['very', 'Clearly', 1, null, true],
      rationale: [null, 1, { toString: 'x' }, ['a']],
    },
  },
  undo: { valid: [{ type: 'undo' }], wrong: {} },
  redo: { valid: [{ type: 'redo' }], wrong: {} },
  next: { valid: [{ type: 'next' }], wrong: {} },
  previous: { valid: [{ type: 'previous' }], wrong: {} },
  turn: { valid: [{ type: 'turn', step: 'next' }, { type: 'turn', step: 'previous' }], wrong: { step: [undefined, 'up', 'Next', 1, -1, null] } },
  jump: { valid: [{ type: 'jump', index: 0 }, { type: 'jump', index: 41 }], wrong: { index: NOT_AN_INDEX } },
  filter: {
    valid: (['all', 'unlabeled', 'skipped', 'disagreements'] as const).map((filter) => ({ type: 'filter' as const, filter })),
    wrong: { filter: [undefined, 'none', 'ALL', 0, null] },
  },
  diff: { valid: [{ type: 'diff', on: true }, { type: 'diff', on: false }], wrong: { on: NOT_A_BOOL } },
  draft: {
    valid: [
      { type: 'draft', key: 'k', rationale: '' },
      { type: 'draft', key: 'k', strength: 'slightly', rationale: 'because' },
    ],
    wrong: { key: NOT_A_STRING, strength: ['much', null, 2], rationale: NOT_A_STRING },
  },
  agreement: { valid: [{ type: 'agreement' }], wrong: {} },
  openLink: { valid: [{ type: 'openLink', href: 'https://example.com/a' }, { type: 'openLink', href: '' }], wrong: { href: NOT_A_STRING } },
  rubricScores: {
    valid: [
      { type: 'rubricScores', key: 'k', left: {}, right: {} },
      { type: 'rubricScores', key: 'k', left: { helpfulness: 4, correctness: 0 }, right: { helpfulness: 10 } },
    ],
    wrong: {
      key: NOT_A_STRING,
      left: [undefined, null, [], 'x', { helpfulness: 1.5 }, { helpfulness: -1 }, { helpfulness: '4' }, { helpfulness: 101 }, { ['x'.repeat(41)]: 1 }],
      right: [undefined, null, [4], { a: null }, { a: NaN }],
    },
  },
  rubricChoose: { valid: [{ type: 'rubricChoose' }], wrong: {} },
  rewriteOpen: { valid: [{ type: 'rewriteOpen', key: 'k' }, { type: 'rewriteOpen', key: 'k', side: 'right' }], wrong: { key: NOT_A_STRING, side: ['middle', 'Left', null, 1] } },
  rewriteDraft: { valid: [{ type: 'rewriteDraft', key: 'k', side: 'left', text: '' }], wrong: { key: NOT_A_STRING, side: [undefined, 'both', null], text: NOT_A_STRING } },
  rewriteSave: { valid: [{ type: 'rewriteSave', key: 'k', side: 'right', text: 'Better.' }], wrong: { key: NOT_A_STRING, side: [undefined, 'up', 0], text: NOT_A_STRING } },
  rewriteCancel: { valid: [{ type: 'rewriteCancel' }], wrong: {} },
};

const query = { search: 'blue', regex: true, caseSensitive: false, hasErrors: true, rule: 'sharegpt/role-order', role: 'user', minChars: 0, maxChars: 120.5, recordIndexes: [0, 3, 7] };
const BAD_QUERIES = [
  null,
  'blue',
  [],
  { search: 1 },
  { regex: 'yes' },
  { caseSensitive: 1 },
  { hasErrors: null },
  { rule: ['a'] },
  { role: {} },
  { minChars: NaN },
  { minChars: '3' },
  { maxChars: Infinity },
  { maxChars: null },
  { recordIndexes: [1, -2] },
  { recordIndexes: [0.5] },
  { recordIndexes: '1,2' },
  { recordIndexes: [null] },
  { search: 'x', evil: true },
];

const datasetView: Cases<DatasetViewToHost> = {
  ready: { valid: [{ type: 'ready' }, { type: 'ready', query: {} }, { type: 'ready', query }], wrong: { query: BAD_QUERIES } },
  window: {
    valid: [
      { type: 'window', id: 1, indexes: [] },
      { type: 'window', id: 12, indexes: [0, 1, 2, 500] },
    ],
    wrong: { id: NOT_AN_INDEX, indexes: [undefined, null, 5, 'abc', [1, 'x'], [-1], [1.5], [{}]] },
  },
  query: {
    valid: [
      { type: 'query', id: 2, query: {} },
      { type: 'query', id: 3, query },
    ],
    wrong: { id: NOT_AN_INDEX, query: [undefined, ...BAD_QUERIES] },
  },
  reveal: { valid: [{ type: 'reveal', index: 0 }], wrong: { index: NOT_AN_INDEX } },
  edit: {
    valid: [
      { type: 'edit', id: 4, index: 0, path: ['messages', 1, 'content'], oldValue: 'a', newValue: 'b' },
      { type: 'edit', id: 5, index: 9, path: [], oldValue: '', newValue: '' },
    ],
    wrong: {
      id: NOT_AN_INDEX,
      index: NOT_AN_INDEX,
      path: [undefined, null, 'messages', [-1], [1.5], [null], [{}], [['a']], [true]],
      oldValue: NOT_A_STRING,
      newValue: [...NOT_A_STRING, 42],
    },
  },
  trainerView: { valid: [{ type: 'trainerView', id: 6, index: 0 }], wrong: { id: NOT_AN_INDEX, index: NOT_AN_INDEX } },
  selectModel: { valid: [{ type: 'selectModel' }], wrong: {} },
};

const statistics: Cases<StatisticsToHost> = {
  ready: { valid: [{ type: 'ready' }], wrong: {} },
  filterBin: {
    valid: [
      { type: 'filterBin', chart: 'tokensPerRecord', bin: 0 },
      { type: 'filterBin', chart: 'turnsPerRecord', bin: 19 },
    ],
    wrong: { chart: [undefined, 'cost', '__proto__', 'constructor', 0, null], bin: NOT_AN_INDEX },
  },
  saveMarkdown: { valid: [{ type: 'saveMarkdown' }], wrong: {} },
  recompute: { valid: [{ type: 'recompute' }], wrong: {} },
};

const preflight: Cases<PreflightToHost> = {
  ready: { valid: [{ type: 'ready' }], wrong: {} },
  reveal: { valid: [{ type: 'reveal', line: 1 }], wrong: { line: NOT_AN_INDEX } },
  rerun: { valid: [{ type: 'rerun' }], wrong: {} },
  selectModel: { valid: [{ type: 'selectModel' }], wrong: {} },
};

function checkGuard<M extends { type: string }>(name: string, guard: Guard<M>, cases: Cases<M>): void {
  describe(name, () => {
    for (const [type, c] of Object.entries(cases) as [string, { valid: Record<string, unknown>[]; wrong: Record<string, unknown[]> }][]) {
      describe(`"${type}"`, () => {
        it('passes in every valid form, also after a JSON round trip', () => {
          for (const m of c.valid) {
            assert.equal(guard.problem(m), undefined, JSON.stringify(m));
            assert.ok(guard(m));
            assert.ok(guard(JSON.parse(JSON.stringify(m))));
          }
        });

        it('fails with each field given a wrong value', () => {
          const full = c.valid.reduce((a, b) => (Object.keys(b).length > Object.keys(a).length ? b : a));
          for (const [field, values] of Object.entries(c.wrong)) {
            for (const w of values) {
              const m = { ...full, [field]: w };
              const problem = guard.problem(m);
              assert.ok(problem !== undefined, `${JSON.stringify(m)} passed`);
              assert.ok(!guard(m));
              assert.ok(problem.includes(field), `the reason names the field ${field}: ${problem}`);
            }
          }
        });

        it('fails without a required field, and with an unknown field', () => {
          const fields = Object.keys(c.wrong);
          const required = fields.filter((f) => c.valid.every((m) => f in m));
          for (const f of required) {
            for (const m of c.valid) {
              const { [f]: _gone, ...rest } = m;
              assert.match(guard.problem(rest) ?? 'passed', new RegExp(`missing field "${f}"`), JSON.stringify(rest));
            }
          }
          for (const m of c.valid) {
            assert.match(guard.problem({ ...m, extra: 1 }) ?? 'passed', /unknown field "extra"/);
            // An own __proto__ key, as JSON.parse makes it.
            assert.equal(guard(JSON.parse(JSON.stringify(m).replace(/^\{/, '{"__proto__":{"x":1},'))), false);
          }
          // The wrong-value table lists every field the guard accepts: no field is left unchecked.
          const full = c.valid.reduce((a, b) => (Object.keys(b).length > Object.keys(a).length ? b : a));
          assert.deepEqual(Object.keys(full).filter((k) => k !== 'type').sort(), [...fields].sort());
        });
      });
    }

    it('refuses what is not a message of a known type', () => {
      for (const m of [undefined, null, 0, 'ready', [], [{ type: 'ready' }], {}, { type: 'nope' }, { type: 1 }, { type: null }, { type: 'toString' }, { type: '__proto__' }, { type: 'hasOwnProperty' }, new Date()]) {
        assert.equal(guard(m), false, String(JSON.stringify(m)));
        assert.ok(guard.problem(m));
      }
    });

    it('never throws, even on an object whose getter throws', () => {
      const hostile = Object.defineProperty({ type: 'ready' }, 'x', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
      assert.equal(guard(hostile), false);
      const cyclic: Record<string, unknown> = { type: 'ready' };
      cyclic.self = cyclic;
      assert.equal(guard(cyclic), false);
    });
  });
}

describe('protocol guards of webview messages', () => {
  checkGuard('LabelingToHost', isLabelingToHost, labeling);
  checkGuard('DatasetViewToHost', isDatasetViewToHost, datasetView);
  checkGuard('PreflightToHost', isPreflightToHost, preflight);
  checkGuard('StatisticsToHost', isStatisticsToHost, statistics);

  it('isRecordQuery: a persisted query', () => {
    assert.ok(isRecordQuery({}));
    assert.ok(isRecordQuery(query));
    for (const q of BAD_QUERIES) assert.equal(isRecordQuery(q), false, JSON.stringify(q));
  });
});
