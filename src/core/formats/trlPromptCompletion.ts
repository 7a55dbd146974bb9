/** TRL prompt-completion records: `{"prompt", "completion"}`, both strings or both message lists. */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { fromCanonicalMessages, toCanonicalMessages, type ListHints } from './openAiMessages';
import { checkAnswerTurns, checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { TEXT_OR_MESSAGES } from './schemaParts';
import { asAssistant, asUser, checkTrlField, checkTrlToolCalls, checkVariant, singleText, targetVariant } from './trlShape';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'completion']);

/** Splits a conversation before its final run of assistant messages (the completion). */
export function splitCompletion(msgs: Message[]): number {
  let i = msgs.length;
  while (i > 0 && msgs[i - 1].role === 'assistant') i--;
  return i;
}

export const trlPromptCompletion: FormatModule = {
  id: 'trl-prompt-completion',
  get title() {
    return l10n.t('TRL prompt-completion');
  },
  kind: 'sft',
  trainers: ['TRL'],
  example: { prompt: [{ role: 'user', content: 'What colour is the sky?' }], completion: [{ role: 'assistant', content: 'Blue.' }] },
  schema: {
    type: 'object',
    properties: { prompt: TEXT_OR_MESSAGES, completion: TEXT_OR_MESSAGES },
    required: ['prompt', 'completion'],
  },
  detect(r) {
    if (r.prompt === undefined || r.completion === undefined) return 0;
    // A "label" makes it trl-unpaired (KTO).
    return r.label !== undefined ? 0.3 : 0.9;
  },
  check(r, report, options) {
    const v = checkVariant(r, ['prompt', 'completion'], options, report);
    const ps = checkTrlField(r, 'prompt', 'TRL', report);
    const cs = checkTrlField(r, 'completion', 'TRL', report);
    checkTrlToolCalls(r, 'prompt', ['completion'], report);
    if (v === 'conversational') {
      if (ps && !ps.broken) checkPromptEndsWithUser(r.prompt as unknown[], ['prompt'], 'TRL', report);
      if (cs && !cs.broken) checkAnswerTurns(r.prompt as unknown[], r.completion as unknown[], 'completion', report);
    }
  },
  toCanonical(r) {
    const layout: Record<string, unknown> = {};
    let prompt: Message[];
    let completion: Message[];
    if (typeof r.prompt === 'string' && typeof r.completion === 'string') {
      prompt = asUser(r.prompt);
      completion = asAssistant(r.completion);
      layout.variant = 'standard';
    } else {
      const p = toCanonicalMessages(Array.isArray(r.prompt) ? r.prompt : []);
      const c = toCanonicalMessages(Array.isArray(r.completion) ? r.completion : []);
      prompt = p.messages;
      completion = c.messages;
      layout.prompt = p.hints;
      layout.completion = c.hints;
    }
    layout.split = prompt.length;
    const out: SftRecord = { type: 'sft', messages: [...prompt, ...completion] };
    const meta = makeMeta('trl-prompt-completion', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('trl-prompt-completion holds SFT records, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'trl-prompt-completion');
    const all: Message[] = rec.system !== undefined ? [{ role: 'system', content: rec.system }, ...rec.messages] : rec.messages;
    const split = typeof layout?.split === 'number' && rec.system === undefined && layout.split <= all.length ? layout.split : splitCompletion(all);
    const prompt = all.slice(0, split);
    const completion = all.slice(split);
    if (completion.length === 0) return { lost: [{ field: 'messages', reason: l10n.t('the conversation does not end with an assistant message, so there is no completion') }] };
    if (rec.tools !== undefined) lost.push({ field: 'tools', reason: l10n.t('prompt-completion records carry no tool definitions') });
    const record: Record<string, unknown> = {};
    if (targetVariant(options, layout) === 'standard') {
      const p = singleText(prompt, 'user', 'prompt', lost);
      const c = singleText(completion, 'assistant', 'completion', lost);
      if (p === undefined || c === undefined) return { lost };
      record.prompt = p;
      record.completion = c;
    } else {
      record.prompt = fromCanonicalMessages(prompt, layout?.prompt as ListHints | undefined);
      record.completion = fromCanonicalMessages(completion, layout?.completion as ListHints | undefined);
    }
    restoreExtras(record, rec.meta, 'trl-prompt-completion', true, lost);
    return { record, lost };
  },
};
