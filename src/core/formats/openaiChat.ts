/**
 * OpenAI chat fine-tuning records (`{"messages": [...]}`), also read by TRL (conversational language
 * modelling), Axolotl `chat_template` and torchtune `OpenAIToMessages`. LLaMA-Factory v1 records
 * (content as typed parts `{"type", "value"}`, `loss_weight`) are accepted as a variant.
 */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, JsonPath, Loss } from './formatModule';
import { readerVerdictFor, trainerName, type TrainerId } from '../trainers';
import type { Severity } from '../base/problem';
import { wasBareMessageList } from '../jsonl/bareMessageList';
import { checkMessageKeys } from './messageKeyRules';
import { checkMediaPlaceholders, hasMedia } from './mediaRules';
import { checkMessageList, checkTorchtuneOrder, fromCanonicalMessages, isV1Message, OPENAI_DIALECT, toCanonicalMessages, toolsForOpenAi, type ListHints, type MessageListContext } from './openAiMessages';
import { checkToolCalls, declaredTools } from './toolCallRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { checkToolsText } from './sharegpt';
import { emit, type Report } from './reportHelpers';
import { hasOwn } from './roleNames';
import { OPENAI_MESSAGES } from './schemaParts';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['messages', 'tools']);
/** The path of every record's message list: shared, so frozen (the rules copy a path to extend it). */
const MESSAGES_PATH = Object.freeze(['messages']) as JsonPath;

/**
 * Who reads a `messages` file: OpenAI fine-tuning (API reference, chat-input), TRL's SFTTrainer
 * (trl/trainer/sft_trainer.py, conversational language modelling), Axolotl `type: chat_template`
 * (prompt_strategies/chat_template.py), torchtune `OpenAIToMessages` (torchtune/data/_messages.py),
 * LLaMA-Factory with `formatting: openai` (data/converter.py `OpenAIDatasetConverter`), ms-swift
 * (swift/llm/dataset/preprocessor/core.py `MessagesPreprocessor`) and xtuner
 * (xtuner/v1/datasets/sft_tokenize_fn/openai.py).
 */
export const MESSAGES_READERS: readonly TrainerId[] = ['openai', 'trl', 'axolotl', 'torchtune', 'llamafactory', 'ms-swift', 'xtuner'];
/** LLaMA-Factory v1 records (typed parts, `loss_weight`): judged as before the ms-swift and xtuner profiles, which do not read them. */
const V1_READERS: readonly TrainerId[] = ['openai', 'trl', 'axolotl', 'torchtune', 'llamafactory'];
/** A line that is a bare message list: only xtuner reads it (jsonl/bareMessageList.ts). */
const BARE_LIST_READERS: readonly TrainerId[] = ['xtuner'];

/** List-level OpenAI rules after the per-message ones. */
export function checkOpenAiConversation(msgs: unknown[], key: string, report: Report, ctx: MessageListContext = {}): void {
  const sum = checkMessageList(msgs, [key], OPENAI_DIALECT, report, ctx);
  if (sum.broken) return;
  if (!sum.hasAssistant) {
    // Messages ending with the user and no answer at all are what RL trainers read (rlPromptMessages.ts).
    const prompt = sum.lastRole === 'user';
    emit(report, [key], 'openai/missing-assistant', 'error', prompt
      ? l10n.t('OpenAI fine-tuning rejects this example: "{0}" has no assistant message to learn from. If the file is a prompt set for GRPO, PPO or reinforcement fine-tuning, its format is rl-prompt-messages (Pairwise: Set Dataset Format, or --format rl-prompt-messages)', key)
      : l10n.t('OpenAI fine-tuning rejects this example: "{0}" has no assistant message to learn from', key));
    return;
  }
  if (!sum.hasUser) emit(report, [key], 'openai/no-user-message', 'warning', l10n.t('"{0}" has no user message: the assistant answers nobody', key));
  // An error when the target is the trainer that drops or rejects the record, a warning otherwise.
  const reading = ctx.reading;
  const severityFor = (t: TrainerId): Severity => (reading ? readerVerdictFor(reading, t)?.severity : undefined) ?? 'warning';
  if (sum.lastRole !== 'assistant') {
    emit(report, [key, msgs.length - 1, 'role'], 'common/last-not-assistant', severityFor('llamafactory'),
      l10n.t('the conversation ends with a "{0}" message: nothing after the last assistant turn is learned (LLaMA-Factory drops such records: Invalid message count)', String(sum.lastRole)));
  }
  checkTorchtuneOrder(msgs, [key], () => severityFor('torchtune'), report);
}

/** LLaMA-Factory v1 writes every message in its typed shape, so the first message says which the record is. */
function isV1Record(msgs: unknown[]): boolean {
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (isPlainObject(m)) return isV1Message(m);
  }
  return false;
}

export const openaiChat: FormatModule = {
  id: 'openai-chat',
  get title() {
    return l10n.t('OpenAI chat (messages)');
  },
  kind: 'sft',
  trainers: ['OpenAI fine-tuning', 'TRL', 'Axolotl', 'torchtune', 'LLaMA-Factory', 'ms-swift', 'xtuner'],
  example: {
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ],
  },
  schema: {
    type: 'object',
    properties: {
      messages: OPENAI_MESSAGES,
      // LLaMA-Factory v1 records carry tools as JSON text; OpenAI wants a list (checked in the rules).
      tools: { type: ['array', 'string'], items: { type: 'object' } },
      parallel_tool_calls: { type: 'boolean' },
    },
    required: ['messages'],
  },
  detect(r) {
    if (!Array.isArray(r.messages)) return 0;
    // A KTO tag column makes it llamafactory-kto (0.95 when boolean; 0.6 vs 0.5 when it is present but
    // mistyped, so the KTO rules can say what is wrong); chosen/rejected make it a preference format.
    if (typeof r.label === 'boolean' || typeof r.kto_tag === 'boolean') return 0.4;
    if (hasOwn(r, 'label') || hasOwn(r, 'kto_tag')) return 0.5;
    if (hasOwn(r, 'chosen') || hasOwn(r, 'rejected')) return 0.3;
    return 0.9;
  },
  check(r, report, options) {
    const bare = wasBareMessageList(r);
    const v1 = Array.isArray(r.messages) && isV1Record(r.messages);
    const reading = { readers: bare ? BARE_LIST_READERS : v1 ? V1_READERS : MESSAGES_READERS, target: options?.trainer };
    if (bare && options?.trainer !== undefined && options.trainer !== 'xtuner') {
      emit(report, [], 'xtuner/bare-message-list', 'error', l10n.t('{0} cannot read this line: a bare list of messages is read by xtuner only; wrap it as {"messages": [...]}', trainerName(options.trainer)));
    }
    if (Array.isArray(r.messages)) {
      checkOpenAiConversation(r.messages, 'messages', report, { reading });
      checkToolCalls([{ msgs: r.messages, path: MESSAGES_PATH }], declaredTools(r.tools), reading, report);
      checkMessageKeys(r.messages, MESSAGES_PATH, reading, report);
      if (hasMedia(r)) checkMediaPlaceholders(r, r.messages.map((m) => (isPlainObject(m) && typeof m.content === 'string' ? m.content : '')), reading, report);
    }
    if (typeof r.tools === 'string') {
      if (v1) checkToolsText(r.tools, 'tools', report);
      else emit(report, ['tools'], 'openai/tools-as-text', 'error', l10n.t('OpenAI fine-tuning wants "tools" as a list of tool objects; this is JSON text (the LLaMA-Factory style): parse it into a list'));
    }
  },
  toCanonical(r) {
    const list = Array.isArray(r.messages) ? r.messages : [];
    const { messages, hints } = toCanonicalMessages(list);
    const out: SftRecord = { type: 'sft', messages };
    if (messages.length && messages[0].role === 'system' && !messages[0].toolCalls && messages[0].name === undefined && messages[0].weight === undefined) {
      out.system = messages[0].content;
      messages.shift();
    }
    if (r.tools !== undefined) out.tools = r.tools;
    const layout = hints || typeof r.tools === 'string' ? compact({ hints, toolsText: typeof r.tools === 'string' || undefined }) : undefined;
    const meta = makeMeta('openai-chat', extraKeys(r, KNOWN), layout);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('openai-chat holds SFT conversations, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'openai-chat');
    const list: Message[] = rec.system !== undefined ? [{ role: 'system', content: rec.system }, ...rec.messages] : rec.messages;
    const record: Record<string, unknown> = { messages: fromCanonicalMessages(list, layout?.hints as ListHints | undefined) };
    if (rec.tools !== undefined) record.tools = layout?.toolsText && typeof rec.tools === 'string' ? rec.tools : toolsForOpenAi(rec.tools);
    restoreExtras(record, rec.meta, 'openai-chat', true, lost);
    return { record, lost };
  },
};

/** Shared by other modules that need to know whether a value is an OpenAI message list. */
export function looksLikeMessages(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && isPlainObject(v[0]) && (hasOwn(v[0], 'role') || hasOwn(v[0], 'content'));
}
