/**
 * Alpaca-shaped SFT records: an instruction (and optional input, system, history) and one answer
 * string. Two formats share the shape and differ in the answer's key: `alpaca` (`output`:
 * LLaMA-Factory's default format, Axolotl `alpaca`, torchtune `alpaca_dataset`) and
 * `instruct-response` (`response`: torchtune `instruct_dataset` with
 * `column_map={"input": "instruction", "output": "response"}` (torchtune/data/_messages.py
 * InputOutputToMessages), Axolotl `alpaca_chat` / `gpteacher` (docs/dataset-formats/inst_tune.qmd),
 * ms-swift's `response` column (swift/llm/dataset/preprocessor/core.py)).
 */
import type { CanonicalRecord, Message, SftRecord } from '../model';
import type { FormatId, FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { ALPACA_PROMPT_KEYS, ALPACA_PROMPT_PROPERTIES, alpacaPromptFromCanonical, alpacaPromptToCanonical, checkAlpacaPrompt } from './alpacaShape';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { hasOwn } from './roleNames';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

/** `"output": [chosen, rejected, …]`: two or more answers, best first (LLaMA-Factory's 2023 `oaast_rm` files rank up to six). */
export function isOldRewardLayout(r: Record<string, unknown>): boolean {
  return Array.isArray(r.output) && r.output.length >= 2 && r.output.every((o) => typeof o === 'string');
}

interface InstructSpec {
  id: FormatId;
  title: () => string;
  trainers: string[];
  /** The answer's key. */
  answer: 'output' | 'response';
  example: Record<string, unknown>;
  detect(r: Record<string, unknown>): number;
}

function instructFormat(spec: InstructSpec): FormatModule {
  const key = spec.answer;
  const KNOWN = new Set([...ALPACA_PROMPT_KEYS, key]);
  return {
    id: spec.id,
    get title() {
      return spec.title();
    },
    kind: 'sft',
    trainers: spec.trainers,
    example: spec.example,
    schema: {
      type: 'object',
      properties: { ...ALPACA_PROMPT_PROPERTIES, [key]: STRING },
      required: ['instruction', key],
    },
    detect: spec.detect,
    check(r, report) {
      if (key === 'output' && isOldRewardLayout(r)) {
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
      if (isBlank(r[key] as string)) {
        emit(report, [key], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: the trainer learns to answer with nothing', key));
      }
    },
    toCanonical(r) {
      const p = alpacaPromptToCanonical(r);
      const messages: Message[] = [...p.messages, { role: 'assistant', content: typeof r[key] === 'string' ? (r[key] as string) : '' }];
      const out: SftRecord = { type: 'sft', messages };
      if (p.system !== undefined) out.system = p.system;
      const meta = makeMeta(spec.id, extraKeys(r, KNOWN), compact(p.layout));
      if (meta) out.meta = meta;
      return out;
    },
    fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
      const lost: Loss[] = [];
      if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('{0} holds SFT records, not {1}', spec.id, rec.type) }] };
      const msgs = rec.messages;
      let last = msgs.length - 1;
      while (last >= 0 && msgs[last].role === 'assistant' && msgs[last].toolCalls?.length && msgs[last].content === '') last--;
      if (last < 0 || msgs[last].role !== 'assistant') return { lost: [{ field: 'messages', reason: l10n.t('the conversation does not end with an assistant answer, so there is no "{0}"', key) }] };
      if (last < msgs.length - 1) lost.push({ field: `messages[${last + 1}]`, reason: l10n.t('trailing tool calls have no place in {0}; dropped', spec.id) });
      const answer = msgs[last];
      if (answer.toolCalls?.length) lost.push({ field: `messages[${last}].toolCalls`, reason: l10n.t('{0} has no place for tool calls; dropped', spec.id) });
      if (answer.weight !== undefined) lost.push({ field: `messages[${last}].weight`, reason: l10n.t('{0} carries no per-message weight', spec.id) });
      if (rec.tools !== undefined) lost.push({ field: 'tools', reason: l10n.t('{0} has no tool definitions', spec.id) });
      const layout = layoutOf(rec.meta, spec.id);
      const p = alpacaPromptFromCanonical(rec.system, msgs.slice(0, last), layout, lost, 'messages');
      if ('error' in p) return { lost: [...lost, { field: 'messages', reason: l10n.t('{0} cannot hold it: {1}', spec.id, p.error) }] };
      const record: Record<string, unknown> = { ...p.fields, [key]: answer.content };
      restoreExtras(record, rec.meta, spec.id, true, lost);
      return { record, lost };
    },
  };
}

export const alpaca = instructFormat({
  id: 'alpaca',
  title: () => l10n.t('Alpaca (instruction / input / output)'),
  trainers: ['LLaMA-Factory', 'Axolotl', 'torchtune'],
  answer: 'output',
  example: { instruction: 'Translate to French.', input: 'Good morning', output: 'Bonjour', system: 'You are a translator.' },
  detect(r) {
    if (typeof r.instruction !== 'string') return 0;
    // `chosen`/`rejected` make it alpaca-preference; `chosen_response` makes it Axolotl chatml.argilla.
    if (hasOwn(r, 'chosen') || hasOwn(r, 'rejected') || hasOwn(r, 'chosen_response')) return 0.2;
    // `response` and no `output`: instruct-response.
    if (!hasOwn(r, 'output') && typeof r.response === 'string') return 0.3;
    return typeof r.output === 'string' ? 0.9 : 0.5;
  },
});

export const instructResponse = instructFormat({
  id: 'instruct-response',
  title: () => l10n.t('Instruction / response (torchtune instruct, Axolotl alpaca_chat, ms-swift)'),
  trainers: ['torchtune', 'Axolotl', 'ms-swift'],
  answer: 'response',
  example: { instruction: 'Name a prime number.', input: '', response: '7' },
  detect(r) {
    if (typeof r.instruction !== 'string' || hasOwn(r, 'output') || hasOwn(r, 'chosen') || hasOwn(r, 'rejected')) return 0;
    return typeof r.response === 'string' ? 0.95 : 0;
  },
});
