/** LLaMA-Factory's alpaca preference records (`"ranking": true`): instruction, input, chosen, rejected. */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { ALPACA_PROMPT_KEYS, ALPACA_PROMPT_PROPERTIES, alpacaPromptFromCanonical, alpacaPromptToCanonical, checkAlpacaPrompt } from './alpacaShape';
import { checkStringPair, singleAnswer } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { STRING } from './schemaParts';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set([...ALPACA_PROMPT_KEYS, 'chosen', 'rejected']);

export const alpacaPreference: FormatModule = {
  id: 'alpaca-preference',
  get title() {
    return l10n.t('Alpaca preference (instruction / chosen / rejected)');
  },
  kind: 'preference',
  trainers: ['LLaMA-Factory'],
  example: { instruction: 'Name a primary colour.', input: '', chosen: 'Red.', rejected: 'Green is a primary colour of paint.' },
  schema: {
    type: 'object',
    properties: { ...ALPACA_PROMPT_PROPERTIES, chosen: STRING, rejected: STRING },
    required: ['instruction', 'chosen', 'rejected'],
  },
  detect(r) {
    if (typeof r.instruction !== 'string') return 0;
    return typeof r.chosen === 'string' && typeof r.rejected === 'string' ? 0.95 : r.chosen !== undefined ? 0.6 : 0;
  },
  check(r, report) {
    checkAlpacaPrompt(r, report);
    checkStringPair(r, 'chosen', 'rejected', 'LLaMA-Factory', report);
  },
  toCanonical(r) {
    const p = alpacaPromptToCanonical(r);
    const prompt: Message[] = p.system !== undefined ? [{ role: 'system', content: p.system }, ...p.messages] : p.messages;
    const out: PreferenceRecord = {
      type: 'preference',
      prompt,
      chosen: [{ role: 'assistant', content: String(r.chosen ?? '') }],
      rejected: [{ role: 'assistant', content: String(r.rejected ?? '') }],
    };
    const meta = makeMeta('alpaca-preference', extraKeys(r, KNOWN), compact(p.layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('alpaca-preference holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const chosen = singleAnswer(rec.chosen, 'chosen', lost);
    const rejected = singleAnswer(rec.rejected, 'rejected', lost);
    if (chosen === undefined || rejected === undefined) return { lost };
    const p = alpacaPromptFromCanonical(undefined, rec.prompt, layoutOf(rec.meta, 'alpaca-preference'), lost, 'prompt');
    if ('error' in p) return { lost: [...lost, { field: 'prompt', reason: l10n.t('alpaca-preference cannot hold it: {0}', p.error) }] };
    const record: Record<string, unknown> = { ...p.fields, chosen, rejected };
    restoreExtras(record, rec.meta, 'alpaca-preference', true, lost);
    return { record, lost };
  },
};
