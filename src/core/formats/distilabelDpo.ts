/**
 * distilabel's DPO output (`FormatTextGenerationDPO`): `{"prompt", "prompt_id", "chosen",
 * "chosen_model", "chosen_rating", "rejected", "rejected_model", "rejected_rating"}`; `chosen` and
 * `rejected` are conversations that repeat the prompt (strings are accepted too).
 */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { fromCanonicalMessages, toCanonicalMessages, TRL_DIALECT, checkMessageList, type ListHints } from './openAiMessages';
import { checkMessagePair, checkStringPair, sameMessages } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { STRING, TEXT_OR_MESSAGES } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'chosen', 'rejected']);

export const distilabelDpo: FormatModule = {
  id: 'distilabel-dpo',
  get title() {
    return l10n.t('distilabel DPO (prompt / chosen / rejected with models and ratings)');
  },
  kind: 'preference',
  trainers: ['distilabel', 'TRL'],
  example: {
    prompt: 'Name a planet.',
    prompt_id: 'a1b2',
    chosen: [{ role: 'user', content: 'Name a planet.' }, { role: 'assistant', content: 'Mars.' }],
    chosen_model: 'model-a',
    chosen_rating: 5,
    rejected: [{ role: 'user', content: 'Name a planet.' }, { role: 'assistant', content: 'The Moon.' }],
    rejected_model: 'model-b',
    rejected_rating: 2,
  },
  schema: {
    type: 'object',
    properties: {
      prompt: STRING,
      prompt_id: STRING,
      chosen: TEXT_OR_MESSAGES,
      rejected: TEXT_OR_MESSAGES,
      chosen_model: { type: ['string', 'null'] },
      rejected_model: { type: ['string', 'null'] },
      chosen_rating: { type: ['number', 'null'] },
      rejected_rating: { type: ['number', 'null'] },
    },
    required: ['prompt', 'chosen', 'rejected'],
  },
  detect(r) {
    if (r.prompt === undefined || r.chosen === undefined || r.rejected === undefined) return 0;
    return r.prompt_id !== undefined || r.chosen_model !== undefined || r.chosen_rating !== undefined || r.rejected_rating !== undefined ? 0.97 : 0.1;
  },
  check(r, report) {
    if (isBlank(r.prompt as string)) emit(report, ['prompt'], 'common/empty-content', 'warning', l10n.t('"prompt" is empty: the answers reply to nothing'));
    if (Array.isArray(r.chosen) && Array.isArray(r.rejected)) {
      checkMessageList(r.chosen, ['chosen'], TRL_DIALECT, report);
      checkMessageList(r.rejected, ['rejected'], TRL_DIALECT, report);
      checkMessagePair(r, 'chosen', 'rejected', 'TRL', report);
    } else if (typeof r.chosen === 'string' && typeof r.rejected === 'string') {
      checkStringPair(r, 'chosen', 'rejected', 'TRL', report);
    } else {
      emit(report, ['rejected'], 'trl/mixed-variant', 'error', l10n.t('TRL cannot read this record: "chosen" and "rejected" must both be strings or both be message lists'));
    }
    const cr = r.chosen_rating;
    const rr = r.rejected_rating;
    if (typeof cr === 'number' && typeof rr === 'number') {
      if (cr < rr) emit(report, ['chosen_rating'], 'distilabel/rating-order', 'warning', l10n.t('"chosen_rating" ({0}) is lower than "rejected_rating" ({1}): the pair looks swapped', cr, rr));
      else if (cr === rr) emit(report, ['chosen_rating'], 'distilabel/tied-ratings', 'warning', l10n.t('"chosen_rating" and "rejected_rating" are both {0}: the judge saw no difference, so the preference is arbitrary', cr));
    }
  },
  toCanonical(r) {
    const layout: Record<string, unknown> = { prompt: r.prompt };
    let out: PreferenceRecord;
    if (typeof r.chosen === 'string' && typeof r.rejected === 'string') {
      const prompt: Message[] = [{ role: 'user', content: String(r.prompt ?? '') }];
      out = { type: 'preference', prompt, chosen: [{ role: 'assistant', content: r.chosen }], rejected: [{ role: 'assistant', content: r.rejected }] };
      layout.variant = 'standard';
    } else {
      const xs = Array.isArray(r.chosen) ? r.chosen : [];
      const ys = Array.isArray(r.rejected) ? r.rejected : [];
      let k = 0;
      while (k < Math.min(xs.length, ys.length) - 1 && sameMessages([xs[k]], [ys[k]])) k++;
      const c = toCanonicalMessages(xs);
      const n = toCanonicalMessages(ys);
      out = { type: 'preference', prompt: c.messages.slice(0, k), chosen: c.messages.slice(k), rejected: n.messages.slice(k) };
      layout.chosen = c.hints;
      layout.rejected = n.hints;
    }
    const meta = makeMeta('distilabel-dpo', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('distilabel-dpo holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'distilabel-dpo');
    const lastUser = [...rec.prompt].reverse().find((m) => m.role === 'user');
    const record: Record<string, unknown> = { prompt: typeof layout?.prompt === 'string' ? layout.prompt : lastUser?.content ?? '' };
    if (layout?.variant === 'standard') {
      if (rec.chosen.length !== 1 || rec.rejected.length !== 1) return { lost: [{ field: 'chosen', reason: l10n.t('string answers hold one message each') }] };
      record.chosen = rec.chosen[0].content;
      record.rejected = rec.rejected[0].content;
    } else {
      record.chosen = fromCanonicalMessages([...rec.prompt, ...rec.chosen], layout?.chosen as ListHints | undefined);
      record.rejected = fromCanonicalMessages([...rec.prompt, ...rec.rejected], layout?.rejected as ListHints | undefined);
    }
    restoreExtras(record, rec.meta, 'distilabel-dpo', true, lost);
    return { record, lost };
  },
};
