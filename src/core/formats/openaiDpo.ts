/** OpenAI preference fine-tuning (DPO): input messages plus one preferred and one non-preferred assistant message. */
import type { CanonicalRecord, PreferenceRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkToolCalls, declaredTools } from './toolCallRules';
import { checkMessageList, dialectReaders, fromCanonicalMessages, OPENAI_DIALECT, toCanonicalMessages, toolsForOpenAi, type ListHints } from './openAiMessages';
import { checkMessagePair, checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, type Report } from './reportHelpers';
import { OPENAI_MESSAGES } from './schemaParts';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['input', 'preferred_output', 'non_preferred_output']);

function checkOutput(r: Record<string, unknown>, key: string, report: Report): void {
  const out = r[key];
  if (!Array.isArray(out)) return;
  checkMessageList(out, [key], OPENAI_DIALECT, report);
  if (out.length !== 1) {
    emit(report, [key], 'openai/dpo-output-count', 'error', l10n.t('OpenAI DPO rejects this example: "{0}" must hold exactly one assistant message, it holds {1}', key, out.length));
    return;
  }
  const m = out[0];
  if (isPlainObject(m) && typeof m.role === 'string' && m.role !== 'assistant') {
    emit(report, [key, 0, 'role'], 'openai/dpo-output-role', 'error', l10n.t('OpenAI DPO rejects this example: the "{0}" message must have role "assistant", not {1}', key, JSON.stringify(m.role)));
  }
}

export const openaiDpo: FormatModule = {
  id: 'openai-dpo',
  get title() {
    return l10n.t('OpenAI DPO (input / preferred_output / non_preferred_output)');
  },
  kind: 'preference',
  trainers: ['OpenAI fine-tuning'],
  example: {
    input: { messages: [{ role: 'user', content: 'Say hello.' }] },
    preferred_output: [{ role: 'assistant', content: 'Hello!' }],
    non_preferred_output: [{ role: 'assistant', content: 'No.' }],
  },
  schema: {
    type: 'object',
    properties: {
      input: {
        type: 'object',
        properties: { messages: OPENAI_MESSAGES, tools: { type: 'array', items: { type: 'object' } }, parallel_tool_calls: { type: 'boolean' } },
        required: ['messages'],
      },
      preferred_output: OPENAI_MESSAGES,
      non_preferred_output: OPENAI_MESSAGES,
    },
    required: ['input', 'preferred_output', 'non_preferred_output'],
  },
  detect(r) {
    if (!isPlainObject(r.input)) return 0;
    return r.preferred_output !== undefined || r.non_preferred_output !== undefined ? 0.98 : 0.3;
  },
  check(r, report) {
    const input = r.input as Record<string, unknown>;
    if (Array.isArray(input.messages)) {
      const sum = checkMessageList(input.messages, ['input', 'messages'], OPENAI_DIALECT, report);
      if (!sum.broken) checkPromptEndsWithUser(input.messages, ['input', 'messages'], 'OpenAI DPO', report);
    }
    // Tool calls of each answer, after the calls the input made (its tool turns may answer those).
    if (Array.isArray(input.messages)) {
      const tools = declaredTools(input.tools);
      const reading = dialectReaders(OPENAI_DIALECT);
      ['preferred_output', 'non_preferred_output'].forEach((key, n) => {
        const out = r[key];
        if (Array.isArray(out)) checkToolCalls([{ msgs: input.messages as unknown[], path: ['input', 'messages'], contextOnly: n > 0 }, { msgs: out, path: [key], dispreferred: key === 'non_preferred_output' }], tools, reading, report);
      });
    }
    checkOutput(r, 'preferred_output', report);
    checkOutput(r, 'non_preferred_output', report);
    checkMessagePair(r, 'preferred_output', 'non_preferred_output', 'OpenAI DPO', report);
  },
  toCanonical(r) {
    const input = isPlainObject(r.input) ? r.input : {};
    const p = toCanonicalMessages(Array.isArray(input.messages) ? input.messages : []);
    const c = toCanonicalMessages(Array.isArray(r.preferred_output) ? r.preferred_output : []);
    const n = toCanonicalMessages(Array.isArray(r.non_preferred_output) ? r.non_preferred_output : []);
    const out: PreferenceRecord = { type: 'preference', prompt: p.messages, chosen: c.messages, rejected: n.messages };
    // Tool definitions travel as `meta.extra.tools`, where the ShareGPT preference writer also looks.
    let extra = extraKeys(r, KNOWN);
    if (input.tools !== undefined) extra = { ...extra, tools: input.tools };
    const inputExtra = extraKeys(input, new Set(['messages', 'tools']));
    const meta = makeMeta('openai-dpo', extra, compact({ prompt: p.hints, chosen: c.hints, rejected: n.hints, inputExtra }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('openai-dpo holds preference pairs, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'openai-dpo');
    for (const [field, msgs] of [['chosen', rec.chosen], ['rejected', rec.rejected]] as const) {
      if (msgs.length !== 1 || msgs[0].role !== 'assistant') {
        lost.push({ field, reason: l10n.t('OpenAI DPO needs exactly one assistant message per output; "{0}" has {1} message(s)', field, msgs.length) });
      }
    }
    if (lost.length) return { lost };
    const input: Record<string, unknown> = { messages: fromCanonicalMessages(rec.prompt, layout?.prompt as ListHints | undefined) };
    const extra = isPlainObject(rec.meta) && isPlainObject(rec.meta.extra) ? rec.meta.extra : undefined;
    if (extra?.tools !== undefined) input.tools = toolsForOpenAi(extra.tools);
    if (isPlainObject(layout?.inputExtra)) Object.assign(input, layout.inputExtra);
    const record: Record<string, unknown> = {
      input,
      preferred_output: fromCanonicalMessages(rec.chosen, layout?.chosen as ListHints | undefined),
      non_preferred_output: fromCanonicalMessages(rec.rejected, layout?.rejected as ListHints | undefined),
    };
    if (extra && extra.tools !== undefined) {
      const rest = { ...extra };
      delete rest.tools;
      restoreExtras(record, { ...rec.meta, extra: rest }, 'openai-dpo', false, lost);
    } else restoreExtras(record, rec.meta, 'openai-dpo', false, lost);
    return { record, lost };
  },
};
