/**
 * ms-swift's preference layout for DPO, ORPO, CPO, SimPO and reward modelling: `messages` ending
 * with the chosen assistant answer, plus the rejected answer as a string in `rejected_response`
 * (modelscope/ms-swift docs/source_en/Customization/Custom-dataset.md, "RLHF";
 * swift/llm/dataset/preprocessor/core.py `RowPreprocessor._check_rejected_response`: it must be
 * present and must differ from the chosen answer, or the row is deleted).
 */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { TrainerId } from '../trainers';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkMessageKeys } from './messageKeyRules';
import { checkMessageList, contentText, fromCanonicalMessages, OPENAI_DIALECT, toCanonicalMessages } from './openAiMessages';
import { singleAnswer } from './preferenceRules';
import { extraKeys, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { hasOwn } from './roleNames';
import { OPENAI_MESSAGES, STRING } from './schemaParts';
import { isBlank } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['messages', 'rejected_response']);
const READERS: readonly TrainerId[] = ['ms-swift'];

export const swiftPreference: FormatModule = {
  id: 'swift-preference',
  get title() {
    return l10n.t('ms-swift preference (messages + rejected_response)');
  },
  kind: 'preference',
  trainers: ['ms-swift'],
  example: { messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }], rejected_response: 'Lyon.' },
  schema: {
    type: 'object',
    properties: { messages: OPENAI_MESSAGES, rejected_response: STRING },
    required: ['messages', 'rejected_response'],
  },
  detect(r) {
    // Above openai-chat's 0.9: the rejected answer makes a messages record a preference pair.
    return Array.isArray(r.messages) && hasOwn(r, 'rejected_response') ? 0.95 : 0;
  },
  check(r, report, options) {
    if (!Array.isArray(r.messages)) return;
    const reading = { readers: READERS, target: options?.trainer };
    const sum = checkMessageList(r.messages, ['messages'], OPENAI_DIALECT, report, { reading });
    checkMessageKeys(r.messages, ['messages'], reading, report);
    if (sum.broken || r.messages.length === 0) return;
    const last = r.messages[r.messages.length - 1];
    if (sum.lastRole !== 'assistant') {
      emit(report, ['messages', r.messages.length - 1, 'role'], 'ms-swift/chosen-not-last', 'error',
        l10n.t('ms-swift reads the chosen answer from the last message, which must be an assistant turn; this one is "{0}"', String(sum.lastRole)));
      return;
    }
    if (typeof r.rejected_response !== 'string') return;
    if (isPlainObject(last) && contentText(last.content) === r.rejected_response) {
      emit(report, ['rejected_response'], 'ms-swift/rejected-equals-chosen', 'error', l10n.t('ms-swift deletes this row: "rejected_response" is the same text as the chosen answer'));
    } else if (isBlank(r.rejected_response)) {
      emit(report, ['rejected_response'], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: the model is taught to prefer any answer over an empty one', 'rejected_response'));
    }
  },
  toCanonical(r) {
    const list = Array.isArray(r.messages) ? r.messages : [];
    const { messages } = toCanonicalMessages(list);
    const chosen: Message[] = messages.length && messages[messages.length - 1].role === 'assistant' ? [messages.pop()!] : [];
    const out: PreferenceRecord = { type: 'preference', prompt: messages, chosen, rejected: [{ role: 'assistant', content: typeof r.rejected_response === 'string' ? r.rejected_response : '' }] };
    const meta = makeMeta('swift-preference', extraKeys(r, KNOWN), undefined);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('{0} holds preference pairs, not {1}', 'swift-preference', rec.type) }] };
    const lost: Loss[] = [];
    if (rec.chosen.length !== 1 || rec.chosen[0].role !== 'assistant') return { lost: [{ field: 'chosen', reason: l10n.t('ms-swift keeps the chosen answer as the last assistant message; this one has {0} message(s)', rec.chosen.length) }] };
    const rejected = singleAnswer(rec.rejected, 'rejected', lost);
    if (rejected === undefined) return { lost };
    const record: Record<string, unknown> = { messages: fromCanonicalMessages([...rec.prompt, rec.chosen[0]], undefined), rejected_response: rejected };
    restoreExtras(record, rec.meta, 'swift-preference', true, lost);
    return { record, lost };
  },
};
