/**
 * RL prompt sets written as `messages` that end with the user's turn, with any other columns for the
 * reward function: ms-swift's GRPO datasets (its own ms-swift frozen_lake example: `messages` plus
 * `env_config`; docs/source_en/Customization/Custom-dataset.md, "GRPO": extra columns reach the ORM)
 * and OpenAI reinforcement fine-tuning (API reference, reinforcement-input.md: `messages`, `tools`,
 * and every other key passed to the grader as `{{ item.XXX }}`). There is no answer to learn from:
 * the model writes it during training, so "no assistant message" is the point, not an error.
 */
import type { CanonicalRecord, SftRecord } from '../model';
import type { TrainerId } from '../trainers';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkMessageList, fromCanonicalMessages, OPENAI_DIALECT, toCanonicalMessages, toolsForOpenAi, type ListHints } from './openAiMessages';
import { checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { hasOwn } from './roleNames';
import { OPENAI_MESSAGES } from './schemaParts';
import { isPlainObject } from '../base/jsonValue';
import { promptOf } from './trlShape';
import { checkToolCalls, declaredTools } from './toolCallRules';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['messages', 'tools']);
const READERS: readonly TrainerId[] = ['ms-swift', 'openai'];
/** Keys that make a messages record another format's (preference, KTO). */
const OTHER_KEYS = ['chosen', 'rejected', 'label', 'kto_tag', 'completion'];

export const rlPromptMessages: FormatModule = {
  id: 'rl-prompt-messages',
  get title() {
    return l10n.t('RL prompt set (messages ending with the user, for GRPO / RFT)');
  },
  kind: 'sft',
  trainers: ['ms-swift', 'OpenAI fine-tuning'],
  example: { messages: [{ role: 'system', content: 'Answer with a number.' }, { role: 'user', content: 'What is 17 * 3?' }], solution: '51' },
  schema: {
    type: 'object',
    properties: { messages: OPENAI_MESSAGES, tools: { type: 'array', items: { type: 'object' } } },
    required: ['messages'],
  },
  detect(r) {
    const m = r.messages;
    if (!Array.isArray(m) || m.length === 0 || OTHER_KEYS.some((k) => hasOwn(r, k))) return 0;
    if (m.some((x) => isPlainObject(x) && x.role === 'assistant')) return 0;
    const last = m[m.length - 1];
    // Above openai-chat's 0.9: a messages record with no answer at all is a prompt, not a broken SFT example.
    return isPlainObject(last) && last.role === 'user' ? 0.95 : 0;
  },
  check(r, report, options) {
    if (!Array.isArray(r.messages)) return;
    const reading = { readers: READERS, target: options?.trainer };
    const sum = checkMessageList(r.messages, ['messages'], OPENAI_DIALECT, report, { reading });
    checkToolCalls([{ msgs: r.messages, path: ['messages'] }], declaredTools(r.tools), reading, report);
    if (!sum.broken) checkPromptEndsWithUser(r.messages, ['messages'], 'GRPO', report);
  },
  toCanonical(r) {
    const p = toCanonicalMessages(Array.isArray(r.messages) ? r.messages : []);
    const out: SftRecord = { type: 'sft', messages: p.messages };
    if (r.tools !== undefined) out.tools = r.tools;
    const meta = makeMeta('rl-prompt-messages', extraKeys(r, KNOWN), compact({ hints: p.hints }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('rl-prompt-messages holds prompts (SFT records), not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'rl-prompt-messages');
    // The answers after the last user turn are what the model will write during training.
    const prompt = promptOf(rec, lost);
    if (!prompt) return { lost };
    const whole = prompt.length === rec.messages.length + (rec.system !== undefined ? 1 : 0);
    const record: Record<string, unknown> = { messages: fromCanonicalMessages(prompt, whole ? (layout?.hints as ListHints | undefined) : undefined) };
    if (rec.tools !== undefined) record.tools = toolsForOpenAi(rec.tools);
    restoreExtras(record, rec.meta, 'rl-prompt-messages', true, lost);
    return { record, lost };
  },
};
