/**
 * TRL preference with an implicit prompt (reward modelling): `{"chosen", "rejected"}`, each the whole
 * conversation; TRL's `extract_prompt` takes their common prefix as the prompt. LLaMA-Factory v1
 * preference records (`chosen_messages` / `rejected_messages` with typed parts and `loss_weight`, as in
 * `v1_dpo_demo.jsonl`) have the same meaning and are read as a variant.
 */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { fromCanonicalMessages, toCanonicalMessages, type Dialect, type ListHints } from './openAiMessages';
import { checkMessagePair, checkStringPair, sameMessages } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, type Report } from './reportHelpers';
import { OPENAI_MESSAGES, TEXT_OR_MESSAGES } from './schemaParts';
import { checkTrlField, checkTrlToolCalls, checkVariant, targetVariant } from './trlShape';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['chosen', 'rejected', 'chosen_messages', 'rejected_messages']);

const V1_DIALECT: Dialect = {
  ns: 'llamafactory',
  id: 'llamafactory',
  trainer: 'LLaMA-Factory',
  roles: new Set(['system', 'user', 'assistant', 'tool']),
  strictKeys: false,
  fromValueSeverity: 'error',
};

function keysOf(r: Record<string, unknown>): [string, string] {
  return r.chosen === undefined && r.chosen_messages !== undefined ? ['chosen_messages', 'rejected_messages'] : ['chosen', 'rejected'];
}

/** Length of the common message prefix, never the whole of either list (an answer must remain). */
function commonPrefix(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length) - 1;
  let i = 0;
  while (i < n && sameMessages([a[i]], [b[i]])) i++;
  return i;
}

/** TRL `extract_prompt` on strings: the common prefix, minus a separating space. */
function commonStringPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i < n && i > 0 && a[i - 1] === ' ') i--;
  return i;
}

function checkConversational(r: Record<string, unknown>, a: string, b: string, trainer: string, report: Report): void {
  const x = r[a] as unknown[];
  const y = r[b] as unknown[];
  for (const [k, list] of [[a, x], [b, y]] as const) {
    const last = list[list.length - 1];
    if (isPlainObject(last) && typeof last.role === 'string' && last.role !== 'assistant') {
      emit(report, [k, list.length - 1, 'role'], 'common/last-not-assistant', 'warning',
        l10n.t('"{0}" ends with a "{1}" message: {2} scores the whole conversation, which should end with the answer being compared', k, last.role, trainer));
    }
  }
  if (x.length > 1 && y.length > 1 && commonPrefix(x, y) === 0) {
    emit(report, [b, 0], 'trl/no-shared-prompt', 'warning',
      l10n.t('"{0}" and "{1}" do not start with the same messages: {2} finds no common prompt, so the pair compares two different conversations', a, b, trainer));
  }
  checkMessagePair(r, a, b, trainer, report);
}

export const trlPreferenceImplicit: FormatModule = {
  id: 'trl-preference-implicit',
  get title() {
    return l10n.t('TRL preference, implicit prompt (chosen / rejected conversations)');
  },
  kind: 'preference',
  trainers: ['TRL', 'LLaMA-Factory'],
  example: {
    chosen: [{ role: 'user', content: 'What colour is the sky?' }, { role: 'assistant', content: 'Blue.' }],
    rejected: [{ role: 'user', content: 'What colour is the sky?' }, { role: 'assistant', content: 'Green.' }],
  },
  schema: {
    type: 'object',
    properties: {
      chosen: TEXT_OR_MESSAGES,
      rejected: TEXT_OR_MESSAGES,
      chosen_messages: OPENAI_MESSAGES,
      rejected_messages: OPENAI_MESSAGES,
    },
    anyOf: [{ required: ['chosen', 'rejected'] }, { required: ['chosen_messages', 'rejected_messages'] }],
  },
  /*
   * chosen/rejected with no prompt-like key. Axolotl chatml.ultra without its optional "prompt" has
   * the same shape; TRL wins the tie (0.9 vs 0.7).
   */
  detect(r) {
    if (Array.isArray(r.chosen_messages) && Array.isArray(r.rejected_messages)) return 0.95;
    if (r.chosen === undefined || r.rejected === undefined) return 0;
    if (r.prompt !== undefined || r.instruction !== undefined || r.question !== undefined || r.conversations !== undefined || r.messages !== undefined || r.input !== undefined) return 0.1;
    return 0.9;
  },
  check(r, report, options) {
    const [a, b] = keysOf(r);
    if (a === 'chosen_messages') {
      checkTrlField(r, a, 'LLaMA-Factory', report, V1_DIALECT);
      checkTrlField(r, b, 'LLaMA-Factory', report, V1_DIALECT);
      checkTrlToolCalls(r, undefined, [a, b], report, V1_DIALECT, b);
      checkConversational(r, a, b, 'LLaMA-Factory', report);
      return;
    }
    const v = checkVariant(r, [a, b], options, report);
    checkTrlField(r, a, 'TRL', report);
    checkTrlField(r, b, 'TRL', report);
    checkTrlToolCalls(r, undefined, [a, b], report, undefined, b);
    if (v === 'standard') checkStringPair(r, a, b, 'TRL', report);
    else if (v === 'conversational') checkConversational(r, a, b, 'TRL', report);
  },
  toCanonical(r) {
    const [a, b] = keysOf(r);
    const x = r[a];
    const y = r[b];
    const layout: Record<string, unknown> = {};
    if (a === 'chosen_messages') layout.v1 = true;
    let out: PreferenceRecord;
    if (typeof x === 'string' && typeof y === 'string') {
      const k = commonStringPrefix(x, y);
      out = {
        type: 'preference',
        prompt: k > 0 ? [{ role: 'user', content: x.slice(0, k) }] : [],
        chosen: [{ role: 'assistant', content: x.slice(k) }],
        rejected: [{ role: 'assistant', content: y.slice(k) }],
      };
      layout.variant = 'standard';
    } else {
      const xs = Array.isArray(x) ? x : [];
      const ys = Array.isArray(y) ? y : [];
      const k = commonPrefix(xs, ys);
      const c = toCanonicalMessages(xs);
      const n = toCanonicalMessages(ys);
      out = { type: 'preference', prompt: c.messages.slice(0, k), chosen: c.messages.slice(k), rejected: n.messages.slice(k) };
      layout.chosen = c.hints;
      layout.rejected = n.hints;
    }
    const meta = makeMeta('trl-preference-implicit', extraKeys(r, KNOWN), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('trl-preference-implicit holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'trl-preference-implicit');
    const [a, b] = layout?.v1 ? ['chosen_messages', 'rejected_messages'] : ['chosen', 'rejected'];
    const record: Record<string, unknown> = {};
    if (targetVariant(options, layout) === 'standard' && !layout?.v1) {
      const text = (msgs: Message[]) => msgs.map((m) => m.content).join('');
      if ([...rec.prompt, ...rec.chosen, ...rec.rejected].some((m) => m.role === 'system' || m.toolCalls?.length)) {
        lost.push({ field: 'prompt', reason: l10n.t('the standard (string) shape keeps only the text; roles and tool calls are dropped') });
      }
      record[a] = text(rec.prompt) + text(rec.chosen);
      record[b] = text(rec.prompt) + text(rec.rejected);
    } else {
      record[a] = fromCanonicalMessages([...rec.prompt, ...rec.chosen], layout?.chosen as ListHints | undefined);
      record[b] = fromCanonicalMessages([...rec.prompt, ...rec.rejected], layout?.rejected as ListHints | undefined);
    }
    restoreExtras(record, rec.meta, 'trl-preference-implicit', true, lost);
    return { record, lost };
  },
};
