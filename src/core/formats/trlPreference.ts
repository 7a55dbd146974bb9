/**
 * TRL preference with an explicit prompt (recommended for DPO): `{"prompt", "chosen", "rejected"}`,
 * strings (standard) or message lists (conversational; the prompt ends with a user turn, the answers
 * hold only assistant turns).
 */
import type { CanonicalRecord, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { fromCanonicalMessages, toCanonicalMessages, type ListHints } from './openAiMessages';
import { checkAnswerTurns, checkMessagePair, checkPromptEndsWithUser, checkPromptRepeatedInString, checkStringPair } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { hasOwn } from './roleNames';
import { TEXT_OR_MESSAGES } from './schemaParts';
import { asAssistant, asUser, checkTrlField, checkTrlToolCalls, checkVariant, singleText, targetVariant } from './trlShape';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'chosen', 'rejected']);

export const trlPreference: FormatModule = {
  id: 'trl-preference',
  get title() {
    return l10n.t('TRL preference, explicit prompt (prompt / chosen / rejected)');
  },
  kind: 'preference',
  trainers: ['TRL'],
  example: {
    prompt: [{ role: 'user', content: 'What colour is the sky?' }],
    chosen: [{ role: 'assistant', content: 'Blue.' }],
    rejected: [{ role: 'assistant', content: 'Green.' }],
  },
  schema: {
    type: 'object',
    properties: { prompt: TEXT_OR_MESSAGES, chosen: TEXT_OR_MESSAGES, rejected: TEXT_OR_MESSAGES },
    required: ['prompt', 'chosen', 'rejected'],
  },
  /*
   * Look-alikes sharing prompt/chosen/rejected, resolved in favour of TRL (the most used trainer) unless
   * the record carries the other format's mark:
   *   all strings + "system"                 -> axolotl-chatml-prompt-pairs (0.92 vs 0.6)
   *   all strings, no "system"               -> trl-preference (0.9 vs 0.85)
   *   prompt string, answers message lists   -> axolotl-chatml-ultra (0.92 vs 0.5)
   *   distilabel's prompt_id/…_model/…_rating -> distilabel-dpo (0.97 vs 0.5)
   *   prompt message list                    -> trl-preference, conversational (0.95)
   */
  detect(r) {
    if (r.prompt === undefined || r.chosen === undefined || r.rejected === undefined) return 0;
    if (hasOwn(r, 'prompt_id') || hasOwn(r, 'chosen_model') || hasOwn(r, 'chosen_rating')) return 0.5;
    if (Array.isArray(r.prompt)) return 0.95;
    if (typeof r.prompt === 'string') {
      if (Array.isArray(r.chosen) || Array.isArray(r.rejected)) return 0.5;
      return hasOwn(r, 'system') ? 0.6 : 0.9;
    }
    return 0.5;
  },
  check(r, report, options) {
    const v = checkVariant(r, ['prompt', 'chosen', 'rejected'], options, report);
    const ps = checkTrlField(r, 'prompt', 'TRL', report);
    checkTrlField(r, 'chosen', 'TRL', report);
    checkTrlField(r, 'rejected', 'TRL', report);
    checkTrlToolCalls(r, 'prompt', ['chosen', 'rejected'], report, undefined, 'rejected');
    if (v === 'standard') {
      checkStringPair(r, 'chosen', 'rejected', 'TRL', report);
      checkPromptRepeatedInString(r.prompt as string, r.chosen as string, 'chosen', report);
      checkPromptRepeatedInString(r.prompt as string, r.rejected as string, 'rejected', report);
    } else if (v === 'conversational') {
      const prompt = r.prompt as unknown[];
      if (ps && !ps.broken) checkPromptEndsWithUser(prompt, ['prompt'], 'TRL', report);
      checkAnswerTurns(prompt, r.chosen as unknown[], 'chosen', report);
      checkAnswerTurns(prompt, r.rejected as unknown[], 'rejected', report);
      checkMessagePair(r, 'chosen', 'rejected', 'TRL', report);
    }
  },
  toCanonical(r) {
    const layout: Record<string, unknown> = {};
    let out: PreferenceRecord;
    if (typeof r.prompt === 'string' && typeof r.chosen === 'string' && typeof r.rejected === 'string') {
      out = { type: 'preference', prompt: asUser(r.prompt), chosen: asAssistant(r.chosen), rejected: asAssistant(r.rejected) };
      layout.variant = 'standard';
    } else {
      const p = toCanonicalMessages(Array.isArray(r.prompt) ? r.prompt : []);
      const c = toCanonicalMessages(Array.isArray(r.chosen) ? r.chosen : []);
      const n = toCanonicalMessages(Array.isArray(r.rejected) ? r.rejected : []);
      out = { type: 'preference', prompt: p.messages, chosen: c.messages, rejected: n.messages };
      layout.prompt = p.hints;
      layout.chosen = c.hints;
      layout.rejected = n.hints;
    }
    const meta = makeMeta('trl-preference', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('trl-preference holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'trl-preference');
    const record: Record<string, unknown> = {};
    if (targetVariant(options, layout) === 'standard') {
      const p = singleText(rec.prompt, 'user', 'prompt', lost);
      const c = singleText(rec.chosen, 'assistant', 'chosen', lost);
      const n = singleText(rec.rejected, 'assistant', 'rejected', lost);
      if (p === undefined || c === undefined || n === undefined) return { lost };
      Object.assign(record, { prompt: p, chosen: c, rejected: n });
    } else {
      record.prompt = fromCanonicalMessages(rec.prompt, layout?.prompt as ListHints | undefined);
      record.chosen = fromCanonicalMessages(rec.chosen, layout?.chosen as ListHints | undefined);
      record.rejected = fromCanonicalMessages(rec.rejected, layout?.rejected as ListHints | undefined);
    }
    restoreExtras(record, rec.meta, 'trl-preference', true, lost);
    return { record, lost };
  },
};
