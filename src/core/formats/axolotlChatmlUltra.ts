/**
 * Axolotl DPO `chatml.ultra` / torchtune preference datasets (UltraFeedback binarized):
 * `{"prompt"?, "chosen": [messages], "rejected": [messages]}` where each list is the whole
 * conversation, user turn first; Axolotl reads the answer from `chosen[1]`/`rejected[1]`.
 */
import type { CanonicalRecord, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkMessageList, checkTorchtuneOrder, fromCanonicalMessages, toCanonicalMessages, TORCHTUNE_DIALECT, type ListHints } from './openAiMessages';
import { checkMessagePair, sameMessages } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, type Report } from './reportHelpers';
import { OPENAI_MESSAGES, STRING } from './schemaParts';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'chosen', 'rejected', 'system']);

function checkAnswerList(r: Record<string, unknown>, key: string, report: Report): void {
  const list = r[key] as unknown[];
  const sum = checkMessageList(list, [key], TORCHTUNE_DIALECT, report);
  if (sum.broken) return;
  checkTorchtuneOrder(list, [key], 'error', report);
  const answer = list[1];
  if (!isPlainObject(answer) || answer.role !== 'assistant') {
    emit(report, list.length > 1 ? [key, 1] : [key], 'axolotl/ultra-answer-position', 'error',
      l10n.t('Axolotl chatml.ultra reads the answer from "{0}"[1], which must be the assistant message after the user prompt{1}', key, list.length > 1 ? l10n.t('; it is a "{0}" message', String((answer as Record<string, unknown>)?.role)) : l10n.t('; "{0}" has {1} message(s)', key, list.length)));
  } else if (list.length > 2) {
    emit(report, [key, 2], 'axolotl/ultra-extra-turns', 'warning',
      l10n.t('Axolotl chatml.ultra trains only on "{0}"[1]; the {1} later message(s) are ignored (torchtune keeps them)', key, list.length - 2));
  }
}

function prefixLength(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length) - 1;
  let i = 0;
  while (i < n && sameMessages([a[i]], [b[i]])) i++;
  return i;
}

export const axolotlChatmlUltra: FormatModule = {
  id: 'axolotl-chatml-ultra',
  get title() {
    return l10n.t('Axolotl chatml.ultra / torchtune preference (prompt / chosen and rejected conversations)');
  },
  kind: 'preference',
  trainers: ['Axolotl', 'torchtune'],
  example: {
    prompt: 'What colour is the sky?',
    chosen: [{ role: 'user', content: 'What colour is the sky?' }, { role: 'assistant', content: 'Blue.' }],
    rejected: [{ role: 'user', content: 'What colour is the sky?' }, { role: 'assistant', content: 'Green.' }],
  },
  schema: {
    type: 'object',
    properties: { prompt: STRING, system: STRING, chosen: OPENAI_MESSAGES, rejected: OPENAI_MESSAGES },
    required: ['chosen', 'rejected'],
  },
  /* A string prompt next to message-list answers is this format (TRL's explicit prompt would be a list).
   * Without "prompt" the record is TRL implicit-prompt preference, which wins the tie (0.9 vs 0.7). */
  detect(r) {
    if (!Array.isArray(r.chosen) || !Array.isArray(r.rejected)) return 0;
    if (r.prompt_id !== undefined || r.chosen_model !== undefined || r.chosen_rating !== undefined) return 0.4;
    if (typeof r.prompt === 'string') return 0.92;
    return r.prompt === undefined ? 0.7 : 0.2;
  },
  check(r, report) {
    checkAnswerList(r, 'chosen', report);
    checkAnswerList(r, 'rejected', report);
    checkMessagePair(r, 'chosen', 'rejected', 'Axolotl', report);
  },
  toCanonical(r) {
    const xs = Array.isArray(r.chosen) ? r.chosen : [];
    const ys = Array.isArray(r.rejected) ? r.rejected : [];
    const k = prefixLength(xs, ys);
    const c = toCanonicalMessages(xs);
    const n = toCanonicalMessages(ys);
    const prompt = c.messages.slice(0, k);
    // Axolotl puts a `system` column in front of the prompt; in the model it is the first prompt message.
    const systemKey = typeof r.system === 'string';
    if (systemKey) prompt.unshift({ role: 'system', content: r.system as string });
    const out: PreferenceRecord = { type: 'preference', prompt, chosen: c.messages.slice(k), rejected: n.messages.slice(k) };
    const layout = compact({ prompt: r.prompt, noPrompt: r.prompt === undefined || undefined, systemKey: systemKey || undefined, chosen: c.hints, rejected: n.hints });
    const meta = makeMeta('axolotl-chatml-ultra', extraKeys(r, KNOWN), layout);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('axolotl-chatml-ultra holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'axolotl-chatml-ultra');
    const record: Record<string, unknown> = {};
    let prompt = rec.prompt;
    // Axolotl reads the answer at index 1, so a system prompt goes to the `system` column unless the source kept it in the lists.
    if (prompt.length && prompt[0].role === 'system' && (!layout || layout.systemKey)) {
      record.system = prompt[0].content;
      prompt = prompt.slice(1);
    }
    if (typeof layout?.prompt === 'string') record.prompt = layout.prompt;
    else if (!layout?.noPrompt) {
      const lastUser = [...prompt].reverse().find((m) => m.role === 'user');
      if (lastUser) record.prompt = lastUser.content;
    }
    record.chosen = fromCanonicalMessages([...prompt, ...rec.chosen], layout?.chosen as ListHints | undefined);
    record.rejected = fromCanonicalMessages([...prompt, ...rec.rejected], layout?.rejected as ListHints | undefined);
    restoreExtras(record, rec.meta, 'axolotl-chatml-ultra', true, lost);
    return { record, lost };
  },
};
