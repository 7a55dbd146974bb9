/**
 * ms-swift's own "ShareGPT": `{"system"?, "conversation": [{"human": …, "assistant": …}, …]}`, one
 * object per exchange (modelscope/ms-swift docs/source_en/Customization/Custom-dataset.md, "Pre-training
 * and Fine-tuning"; swift/llm/dataset/preprocessor/core.py `MessagesPreprocessor.sharegpt_to_messages`,
 * used when the first item has neither `role` nor `content`). Each pair becomes a user turn and an
 * assistant turn; `conversations` is read the same way.
 */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { extraKeys, makeMeta, restoreExtras } from './recordMeta';
import { emit, nth } from './reportHelpers';
import { hasOwn } from './roleNames';
import { STRING, STRING_OR_NULL } from './schemaParts';
import { isBlank } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['system', 'conversation']);

function isPairList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && isPlainObject(v[0]) && (hasOwn(v[0], 'human') || hasOwn(v[0], 'assistant')) && !hasOwn(v[0], 'role') && !hasOwn(v[0], 'content');
}

export const swiftConversation: FormatModule = {
  id: 'swift-conversation',
  get title() {
    return l10n.t('ms-swift conversation (human / assistant pairs)');
  },
  kind: 'sft',
  trainers: ['ms-swift'],
  example: { system: 'You are terse.', conversation: [{ human: 'Capital of France?', assistant: 'Paris.' }, { human: 'And of Italy?', assistant: 'Rome.' }] },
  schema: {
    type: 'object',
    properties: {
      system: STRING_OR_NULL,
      conversation: { type: 'array', minItems: 1, items: { type: 'object', properties: { human: STRING, assistant: STRING }, required: ['human', 'assistant'] } },
    },
    required: ['conversation'],
  },
  detect(r) {
    return isPairList(r.conversation) ? 0.95 : 0;
  },
  check(r, report) {
    if (!Array.isArray(r.conversation)) return;
    r.conversation.forEach((p, i) => {
      if (!isPlainObject(p)) return;
      if (typeof p.assistant === 'string' && isBlank(p.assistant)) emit(report, ['conversation', i, 'assistant'], 'common/empty-content', 'warning', l10n.t('exchange {0} has an empty "assistant" answer: the trainer learns to answer with nothing', nth(i)));
    });
  },
  toCanonical(r) {
    const messages: Message[] = [];
    for (const p of Array.isArray(r.conversation) ? r.conversation : []) {
      if (!isPlainObject(p)) continue;
      messages.push({ role: 'user', content: typeof p.human === 'string' ? p.human : '' }, { role: 'assistant', content: typeof p.assistant === 'string' ? p.assistant : '' });
    }
    const out: SftRecord = { type: 'sft', messages };
    if (typeof r.system === 'string') out.system = r.system;
    const meta = makeMeta('swift-conversation', extraKeys(r, KNOWN), undefined);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('{0} holds SFT records, not {1}', 'swift-conversation', rec.type) }] };
    const lost: Loss[] = [];
    const conversation: Record<string, string>[] = [];
    const m = rec.messages;
    for (let i = 0; i < m.length; i += 2) {
      if (m[i].role !== 'user' || m[i + 1]?.role !== 'assistant') {
        return { lost: [{ field: `messages[${i}]`, reason: l10n.t('swift-conversation holds user/assistant pairs; turn {0} is {1}', i + 1, m[i + 1] && m[i].role === 'user' ? m[i + 1].role : m[i].role) }] };
      }
      for (const x of [m[i], m[i + 1]]) {
        if (x.toolCalls?.length) lost.push({ field: `messages[${m.indexOf(x)}].toolCalls`, reason: l10n.t('{0} has no place for tool calls; dropped', 'swift-conversation') });
        if (x.weight !== undefined) lost.push({ field: `messages[${m.indexOf(x)}].weight`, reason: l10n.t('{0} carries no per-message weight', 'swift-conversation') });
      }
      conversation.push({ human: m[i].content, assistant: m[i + 1].content });
    }
    if (rec.tools !== undefined) lost.push({ field: 'tools', reason: l10n.t('{0} has no tool definitions', 'swift-conversation') });
    const record: Record<string, unknown> = {};
    if (rec.system !== undefined) record.system = rec.system;
    record.conversation = conversation;
    restoreExtras(record, rec.meta, 'swift-conversation', true, lost);
    return { record, lost };
  },
};
