/**
 * `{"system"?, "query", "response", "history"?: [[query, response], …]}`: ms-swift's own
 * query/response layout (swift/llm/dataset/preprocessor/core.py `ResponsePreprocessor`: `query`,
 * `response`, `history` as `[[q, r], …]`, `system`), also read by LLaMA-Factory through alpaca
 * columns (`prompt: query`, `response: response`, `history`, `system` in dataset_info.json). It is
 * the alpaca prompt shape with `query` for `instruction` and no `input`, so the mapping is
 * instruct-response's with the key renamed.
 */
import type { CanonicalRecord } from '../model';
import { ALPACA_PROMPT_PROPERTIES } from './alpacaShape';
import { instructResponse } from './alpaca';
import type { FormatModule, FromCanonicalResult } from './formatModule';
import { emit } from './reportHelpers';
import { hasOwn } from './roleNames';
import { STRING, STRING_OR_NULL } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

function renamed(r: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r)) out[k === from ? to : k] = r[k];
  return out;
}

export const queryResponse: FormatModule = {
  id: 'query-response',
  get title() {
    return l10n.t('query / response (ms-swift)');
  },
  kind: 'sft',
  trainers: ['ms-swift', 'LLaMA-Factory'],
  example: { system: 'You are terse.', query: 'And of Italy?', response: 'Rome.', history: [['Capital of France?', 'Paris.']] },
  schema: {
    type: 'object',
    properties: { query: STRING, response: STRING, system: STRING_OR_NULL, history: ALPACA_PROMPT_PROPERTIES.history },
    required: ['query', 'response'],
  },
  detect(r) {
    // `instruction` + `response` is instruct-response; `query` alone names this layout.
    return typeof r.query === 'string' && hasOwn(r, 'response') && !hasOwn(r, 'instruction') ? 0.9 : 0;
  },
  check(r, report) {
    if (typeof r.query === 'string' && isBlank(r.query)) emit(report, ['query'], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: the trainer sees an empty user turn', 'query'));
    if (typeof r.response === 'string' && isBlank(r.response)) emit(report, ['response'], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: the trainer learns to answer with nothing', 'response'));
  },
  toCanonical(r, options) {
    return instructResponse.toCanonical(renamed(r, 'query', 'instruction'), options);
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('{0} holds SFT records, not {1}', 'query-response', rec.type) }] };
    const out = instructResponse.fromCanonical(rec, options);
    if (!out.record) return out;
    const record = renamed(out.record, 'instruction', 'query');
    // instruct-response splits a user turn into instruction + input only when its own layout says so;
    // this layout has no input, so the two are joined back the way LLaMA-Factory joins them.
    if (typeof record.input === 'string') {
      record.query = record.input === '' ? record.query : `${String(record.query)}\n${record.input}`;
      delete record.input;
    }
    return { record, lost: out.lost };
  },
};
