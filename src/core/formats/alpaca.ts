/** Alpaca SFT records (LLaMA-Factory default format, Axolotl `alpaca`, torchtune `alpaca_dataset`). */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { ALPACA_PROMPT_KEYS, ALPACA_PROMPT_PROPERTIES, alpacaPromptFromCanonical, alpacaPromptToCanonical, checkAlpacaPrompt } from './alpacaShape';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { hasOwn } from './roleNames';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set([...ALPACA_PROMPT_KEYS, 'output']);

/** `"output": [chosen, rejected, …]`: two or more answers, best first (LLaMA-Factory's 2023 `oaast_rm` files rank up to six). */
export function isOldRewardLayout(r: Record<string, unknown>): boolean {
  return Array.isArray(r.output) && r.output.length >= 2 && r.output.every((o) => typeof o === 'string');
}

export const alpaca: FormatModule = {
  id: 'alpaca',
  get title() {
    return l10n.t('Alpaca (instruction / input / output)');
  },
  kind: 'sft',
  trainers: ['LLaMA-Factory', 'Axolotl', 'torchtune'],
  example: { instruction: 'Translate to French.', input: 'Good morning', output: 'Bonjour', system: 'You are a translator.' },
  schema: {
    type: 'object',
    properties: { ...ALPACA_PROMPT_PROPERTIES, output: STRING },
    required: ['instruction', 'output'],
  },
  detect(r) {
    if (typeof r.instruction !== 'string') return 0;
    // `chosen`/`rejected` make it alpaca-preference; `chosen_response` makes it Axolotl chatml.argilla.
    if (hasOwn(r, 'chosen') || hasOwn(r, 'rejected') || hasOwn(r, 'chosen_response')) return 0.2;
    return typeof r.output === 'string' ? 0.9 : 0.5;
  },
  check(r, report) {
    if (isOldRewardLayout(r)) {
      // LLaMA-Factory's 2023 reward-model layout. Today's converter reads a pair only from the
      // `chosen`/`rejected` columns of a `ranking: true` entry and drops every other record
      // (src/llamafactory/data/converter.py, processor/supervised.py); ms-swift resolves a list
      // response by random choice (swift/llm/dataset/preprocessor/core.py ResponsePreprocessor),
      // so it trains on the rejected answer half the time.
      const n = (r.output as string[]).length;
      const message = n === 2
        ? l10n.t('"output" holds [chosen, rejected]: the 2023 LLaMA-Factory reward-model layout, which today\'s LLaMA-Factory drops and ms-swift trains on one answer of at random. Convert it to alpaca-preference: "chosen" for the first answer, "rejected" for the second')
        : l10n.t('"output" holds {0} answers, best first: the 2023 LLaMA-Factory reward-model layout, which today\'s LLaMA-Factory drops and ms-swift trains on one answer of at random. Convert it to the ranked format (prompt, answers with ranks) to keep all {0}, or to alpaca-preference with the first two', n);
      report({ path: ['output'], severity: 'error', rule: 'llamafactory/old-reward-layout', supersedesSchema: true, message });
      return;
    }
    checkAlpacaPrompt(r, report);
    if (isBlank(r.output as string)) {
      emit(report, ['output'], 'common/empty-content', 'warning', l10n.t('"output" is empty: the trainer learns to answer with nothing'));
    }
  },
  toCanonical(r) {
    const p = alpacaPromptToCanonical(r);
    const messages: Message[] = [...p.messages, { role: 'assistant', content: typeof r.output === 'string' ? r.output : '' }];
    const out: SftRecord = { type: 'sft', messages };
    if (p.system !== undefined) out.system = p.system;
    const meta = makeMeta('alpaca', extraKeys(r, KNOWN), compact(p.layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    const lost: Loss[] = [];
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('alpaca holds SFT records, not {0}', rec.type) }] };
    const msgs = rec.messages;
    let last = msgs.length - 1;
    while (last >= 0 && msgs[last].role === 'assistant' && msgs[last].toolCalls?.length && msgs[last].content === '') last--;
    if (last < 0 || msgs[last].role !== 'assistant') return { lost: [{ field: 'messages', reason: l10n.t('the conversation does not end with an assistant answer, so there is no "output"') }] };
    if (last < msgs.length - 1) lost.push({ field: `messages[${last + 1}]`, reason: l10n.t('trailing tool calls have no place in alpaca; dropped') });
    const answer = msgs[last];
    if (answer.toolCalls?.length) lost.push({ field: `messages[${last}].toolCalls`, reason: l10n.t('alpaca has no place for tool calls; dropped') });
    if (answer.weight !== undefined) lost.push({ field: `messages[${last}].weight`, reason: l10n.t('alpaca carries no per-message weight') });
    if (rec.tools !== undefined) lost.push({ field: 'tools', reason: l10n.t('alpaca has no tool definitions') });
    const layout = layoutOf(rec.meta, 'alpaca');
    const p = alpacaPromptFromCanonical(rec.system, msgs.slice(0, last), layout, lost, 'messages');
    if ('error' in p) return { lost: [...lost, { field: 'messages', reason: l10n.t('alpaca cannot hold it: {0}', p.error) }] };
    const record: Record<string, unknown> = { ...p.fields, output: answer.content };
    restoreExtras(record, rec.meta, 'alpaca', true, lost);
    return { record, lost };
  },
};
