/** TRL unpaired preference (KTO, BCO): `{"prompt", "completion", "label": true|false}`, standard or conversational. */
import type { CanonicalRecord, UnpairedRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkBooleanLabel } from './labelRules';
import { fromCanonicalMessages, toCanonicalMessages, type ListHints } from './openAiMessages';
import { checkAnswerTurns, checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { TEXT_OR_MESSAGES } from './schemaParts';
import { asAssistant, asUser, checkTrlField, checkTrlToolCalls, checkVariant, singleText, targetVariant } from './trlShape';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'completion', 'label']);

export const trlUnpaired: FormatModule = {
  id: 'trl-unpaired',
  get title() {
    return l10n.t('TRL unpaired preference (prompt / completion / label)');
  },
  kind: 'unpaired',
  trainers: ['TRL'],
  example: { prompt: 'What colour is the sky?', completion: 'Blue.', label: true },
  schema: {
    type: 'object',
    properties: { prompt: TEXT_OR_MESSAGES, completion: TEXT_OR_MESSAGES },
    required: ['prompt', 'completion', 'label'],
  },
  detect(r) {
    if (r.prompt === undefined || r.completion === undefined) return 0;
    return r.label !== undefined ? 0.95 : 0.2;
  },
  check(r, report, options) {
    const v = checkVariant(r, ['prompt', 'completion'], options, report);
    const ps = checkTrlField(r, 'prompt', 'TRL', report);
    const cs = checkTrlField(r, 'completion', 'TRL', report);
    // An undesirable completion (label false) may show the wrong call on purpose.
    checkTrlToolCalls(r, 'prompt', ['completion'], report, undefined, r.label === false ? 'completion' : undefined);
    if (v === 'conversational') {
      if (ps && !ps.broken) checkPromptEndsWithUser(r.prompt as unknown[], ['prompt'], 'TRL', report);
      if (cs && !cs.broken) checkAnswerTurns(r.prompt as unknown[], r.completion as unknown[], 'completion', report);
    }
    checkBooleanLabel(r.label, ['label'], '"label"', report);
  },
  toCanonical(r) {
    const layout: Record<string, unknown> = {};
    let out: UnpairedRecord;
    const label = r.label === true;
    if (typeof r.prompt === 'string' && typeof r.completion === 'string') {
      out = { type: 'unpaired', prompt: asUser(r.prompt), completion: asAssistant(r.completion), label };
      layout.variant = 'standard';
    } else {
      const p = toCanonicalMessages(Array.isArray(r.prompt) ? r.prompt : []);
      const c = toCanonicalMessages(Array.isArray(r.completion) ? r.completion : []);
      out = { type: 'unpaired', prompt: p.messages, completion: c.messages, label };
      layout.prompt = p.hints;
      layout.completion = c.hints;
    }
    const meta = makeMeta('trl-unpaired', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'unpaired') return { lost: [{ field: 'type', reason: l10n.t('trl-unpaired holds labelled completions, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'trl-unpaired');
    const record: Record<string, unknown> = {};
    if (targetVariant(options, layout) === 'standard') {
      const p = singleText(rec.prompt, 'user', 'prompt', lost);
      const c = singleText(rec.completion, 'assistant', 'completion', lost);
      if (p === undefined || c === undefined) return { lost };
      record.prompt = p;
      record.completion = c;
    } else {
      record.prompt = fromCanonicalMessages(rec.prompt, layout?.prompt as ListHints | undefined);
      record.completion = fromCanonicalMessages(rec.completion, layout?.completion as ListHints | undefined);
    }
    record.label = rec.label;
    restoreExtras(record, rec.meta, 'trl-unpaired', true, lost);
    return { record, lost };
  },
};
