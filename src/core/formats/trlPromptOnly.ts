/**
 * TRL prompt-only records: `{"prompt"}`, a string or a message list ending with a user turn. TRL's
 * online trainers (GRPO, PPO, online DPO) read them, and Pairwise generates candidates from them.
 */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { fromCanonicalMessages, toCanonicalMessages, type ListHints } from './openAiMessages';
import { checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { TEXT_OR_MESSAGES } from './schemaParts';
import { asUser, checkTrlField, checkTrlToolCalls, promptOf, singleText, targetVariant, variantOf } from './trlShape';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt']);
/** Any of these makes the record another format's (prompt-completion, preference, KTO, stepwise, ranked, …). */
const ANSWER_KEYS = ['completion', 'completions', 'chosen', 'rejected', 'answers', 'answer1', 'label'];

export const trlPromptOnly: FormatModule = {
  id: 'trl-prompt-only',
  get title() {
    return l10n.t('TRL prompt-only');
  },
  kind: 'sft',
  trainers: ['TRL'],
  example: { prompt: [{ role: 'user', content: 'Write a haiku about the sea.' }] },
  schema: {
    type: 'object',
    properties: { prompt: TEXT_OR_MESSAGES },
    required: ['prompt'],
  },
  detect(r) {
    if (r.prompt === undefined || ANSWER_KEYS.some((k) => r[k] !== undefined)) return 0;
    return variantOf(r.prompt) ? 0.9 : 0.4;
  },
  check(r, report) {
    const summary = checkTrlField(r, 'prompt', 'TRL', report);
    checkTrlToolCalls(r, 'prompt', [], report);
    if (Array.isArray(r.prompt) && summary && !summary.broken) checkPromptEndsWithUser(r.prompt, ['prompt'], 'TRL', report);
  },
  toCanonical(r) {
    const layout: Record<string, unknown> = {};
    let messages: Message[];
    if (typeof r.prompt === 'string') {
      messages = asUser(r.prompt);
      layout.variant = 'standard';
    } else {
      const p = toCanonicalMessages(Array.isArray(r.prompt) ? r.prompt : []);
      messages = p.messages;
      layout.prompt = p.hints;
    }
    const out: SftRecord = { type: 'sft', messages };
    const meta = makeMeta('trl-prompt-only', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('trl-prompt-only holds prompts (SFT records), not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'trl-prompt-only');
    const prompt = promptOf(rec, lost);
    if (!prompt) return { lost };
    if (rec.tools !== undefined) lost.push({ field: 'tools', reason: l10n.t('prompt-only records carry no tool definitions') });
    const record: Record<string, unknown> = {};
    if (targetVariant(options, layout) === 'standard') {
      const p = singleText(prompt, 'user', 'prompt', lost);
      if (p === undefined) return { lost };
      record.prompt = p;
    } else {
      record.prompt = fromCanonicalMessages(prompt, layout?.prompt as ListHints | undefined);
    }
    restoreExtras(record, rec.meta, 'trl-prompt-only', true, lost);
    return { record, lost };
  },
};
