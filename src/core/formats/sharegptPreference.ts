/** LLaMA-Factory ShareGPT preference records: a prompt conversation plus `chosen`/`rejected` turns. */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { toolsForShareGpt } from './openAiMessages';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { SHAREGPT_TURN, STRING, STRING_OR_NULL } from './schemaParts';
import { checkToolsText } from './sharegpt';
import {
  checkConversation, checkResponseTurn, messagesToTurns, messageToTurn, resolveTags, SHAREGPT_TAGS, turnsToCanonical, turnToMessage, type TurnHints,
} from './sharegptTurns';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

interface Layout extends TurnHints {
  chosenRaw?: string;
  rejectedRaw?: string;
}

export const sharegptPreference: FormatModule = {
  id: 'sharegpt-preference',
  get title() {
    return l10n.t('ShareGPT preference (conversations + chosen / rejected turns)');
  },
  kind: 'preference',
  trainers: ['LLaMA-Factory'],
  example: {
    conversations: [{ from: 'human', value: 'Give me a synonym for "fast".' }],
    chosen: { from: 'gpt', value: 'Quick.' },
    rejected: { from: 'gpt', value: 'Slow.' },
  },
  schema: {
    type: 'object',
    properties: {
      conversations: { type: 'array', items: SHAREGPT_TURN },
      chosen: SHAREGPT_TURN,
      rejected: SHAREGPT_TURN,
      system: STRING_OR_NULL,
      tools: STRING,
    },
    required: ['conversations', 'chosen', 'rejected'],
  },
  detect(r) {
    if (!Array.isArray(r.conversations)) return 0;
    return isPlainObject(r.chosen) && isPlainObject(r.rejected) ? 0.95 : r.chosen !== undefined ? 0.7 : 0;
  },
  check(r, report, options) {
    const t = resolveTags(options, SHAREGPT_TAGS);
    const turns = r[t.messages];
    if (Array.isArray(turns)) checkConversation(turns, [t.messages], t, 'prompt', report);
    const chosen = r.chosen;
    const rejected = r.rejected;
    if (isPlainObject(chosen)) checkResponseTurn(chosen, ['chosen'], 'chosen', t, report);
    if (isPlainObject(rejected)) checkResponseTurn(rejected, ['rejected'], 'rejected', t, report);
    if (isPlainObject(chosen) && isPlainObject(rejected) && typeof chosen[t.content] === 'string' &&
      chosen[t.content] === rejected[t.content] && chosen[t.role] === rejected[t.role]) {
      emit(report, ['rejected', t.content], 'common/identical-chosen-rejected', 'warning', l10n.t('"chosen" and "rejected" are identical: the pair teaches LLaMA-Factory nothing'));
    }
    checkToolsText(r[t.tools], t.tools, report);
  },
  toCanonical(r, options) {
    const t = resolveTags(options, SHAREGPT_TAGS);
    const c = turnsToCanonical(Array.isArray(r[t.messages]) ? (r[t.messages] as unknown[]) : [], t);
    const layout: Layout = { ...c.hints };
    let system = c.system;
    const known = new Set([t.messages, t.tools, 'chosen', 'rejected']);
    if (!c.hints.systemTurn) {
      known.add(t.systemColumn);
      if (typeof r[t.systemColumn] === 'string') system = r[t.systemColumn] as string;
    }
    const answer = (key: 'chosen' | 'rejected'): Message[] => {
      const turn = r[key];
      if (!isPlainObject(turn)) return [];
      const h: TurnHints = {};
      const m = turnToMessage(turn, t, h, 0);
      if (h.rawCalls) layout[key === 'chosen' ? 'chosenRaw' : 'rejectedRaw'] = h.rawCalls[0];
      return [m];
    };
    const out: PreferenceRecord = {
      type: 'preference',
      prompt: system !== undefined ? [{ role: 'system', content: system }, ...c.messages] : c.messages,
      chosen: answer('chosen'),
      rejected: answer('rejected'),
    };
    const extra = extraKeys(r, known);
    const meta = makeMeta('sharegpt-preference', r[t.tools] !== undefined ? { ...extra, [t.tools]: r[t.tools] } : extra, compact({ ...layout }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('sharegpt-preference holds preference pairs, not {0}', rec.type) }] };
    const t = resolveTags(options, SHAREGPT_TAGS);
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'sharegpt-preference') as Layout | undefined;
    let prompt = rec.prompt;
    let system: string | undefined;
    if (prompt.length && prompt[0].role === 'system') {
      system = prompt[0].content;
      prompt = prompt.slice(1);
    }
    // Without a layout, the system prompt goes in a leading turn, as in LLaMA-Factory's own dpo_*_demo files.
    const { turns, systemColumn } = messagesToTurns(system, prompt, t, layout ?? { systemTurn: true }, lost, 'prompt');
    const answer = (msgs: Message[], field: string, raw: string | undefined): Record<string, unknown> | undefined => {
      if (msgs.length !== 1 || msgs[0].role !== 'assistant') {
        lost.push({ field, reason: l10n.t('LLaMA-Factory holds "{0}" as one assistant turn; this one has {1} message(s)', field, msgs.length) });
        return undefined;
      }
      return messageToTurn(msgs[0], t, raw, lost, `${field}[0]`);
    };
    const chosen = answer(rec.chosen, 'chosen', layout?.chosenRaw);
    const rejected = answer(rec.rejected, 'rejected', layout?.rejectedRaw);
    if (!chosen || !rejected) return { lost };
    const record: Record<string, unknown> = { [t.messages]: turns, chosen, rejected };
    if (systemColumn !== undefined) record[t.systemColumn] = systemColumn;
    const extra = rec.meta?.extra;
    if (isPlainObject(extra) && extra[t.tools] !== undefined) {
      const tools = toolsForShareGpt(extra[t.tools]);
      if (tools !== undefined) record[t.tools] = tools;
      const rest = { ...extra };
      delete rest[t.tools];
      restoreExtras(record, { ...rec.meta, extra: rest }, 'sharegpt-preference', true, lost);
    } else {
      restoreExtras(record, rec.meta, 'sharegpt-preference', true, lost);
    }
    return { record, lost };
  },
};
