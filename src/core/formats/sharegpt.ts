/** ShareGPT SFT records as LLaMA-Factory reads them (`formatting: sharegpt`, default tags). */
import { isPlainObject } from '../base/jsonValue';
import type { CanonicalRecord, SftRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { toolsForShareGpt } from './openAiMessages';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, type Report } from './reportHelpers';
import { hasOwn } from './roleNames';
import { SHAREGPT_TURN, STRING, STRING_OR_NULL } from './schemaParts';
import { checkMediaPlaceholders, hasMedia } from './mediaRules';
import { checkConversation, messagesToTurns, resolveTags, SHAREGPT_READERS, SHAREGPT_TAGS, turnsToCanonical, type TurnHints } from './sharegptTurns';
import { tryParseJson } from './textChecks';
import { TextMemo } from './textMemo';
import * as l10n from '@vscode/l10n';

/** Datasets repeat the same few tool lists on every record: verdicts are remembered, not re-parsed. */
const toolsVerdicts = new TextMemo<boolean>();

/** `tools` must be JSON text of a list of function specs, which LLaMA-Factory parses when it builds the prompt. */
export function checkToolsText(tools: unknown, key: string, report: Report): void {
  if (typeof tools !== 'string' || tools === '') return;
  const ok = toolsVerdicts.get(tools, (text) => {
    const parsed = tryParseJson(text);
    return typeof parsed === 'object' && parsed !== null;
  });
  if (!ok) {
    emit(report, [key], 'llamafactory/tools-not-json', 'error', l10n.t('LLaMA-Factory fails on "{0}": it must be JSON text of a list of function definitions', key));
  }
}

export const sharegpt: FormatModule = {
  id: 'sharegpt',
  get title() {
    return l10n.t('ShareGPT conversations (from / value)');
  },
  kind: 'sft',
  trainers: ['LLaMA-Factory', 'ms-swift', 'Axolotl', 'torchtune', 'TRL'],
  example: {
    conversations: [
      { from: 'human', value: 'What is 2 + 2?' },
      { from: 'gpt', value: '4.' },
    ],
    system: 'You are a calculator.',
  },
  schema: {
    type: 'object',
    properties: { conversations: { type: 'array', items: SHAREGPT_TURN }, system: STRING_OR_NULL, tools: STRING },
    required: ['conversations'],
  },
  detect(r) {
    const c = r.conversations;
    if (!Array.isArray(c)) return 0;
    // A chosen/rejected pair makes it sharegpt-preference; a boolean KTO tag makes it llamafactory-kto.
    if (hasOwn(r, 'chosen') || hasOwn(r, 'rejected')) return 0.3;
    if (typeof r.kto_tag === 'boolean' || typeof r.label === 'boolean') return 0.5;
    const first = c[0];
    return first && typeof first === 'object' && hasOwn(first as object, 'from') ? 0.95 : 0.8;
  },
  check(r, report, options) {
    const t = resolveTags(options, SHAREGPT_TAGS);
    const turns = r[t.messages];
    // Custom tags come from a dataset_info.json entry: LLaMA-Factory is the reader then.
    const reading = options?.tags ? { readers: ['llamafactory' as const], target: options.trainer } : { readers: SHAREGPT_READERS, target: options?.trainer };
    if (Array.isArray(turns)) {
      checkConversation(turns, [t.messages], t, 'sft', report, reading);
      if (hasMedia(r)) checkMediaPlaceholders(r, [r[t.systemColumn], ...turns.map((m) => (isPlainObject(m) ? m[t.content] : undefined))].filter((x): x is string => typeof x === 'string'), reading, report);
    }
    checkToolsText(r[t.tools], t.tools, report);
  },
  toCanonical(r, options) {
    const t = resolveTags(options, SHAREGPT_TAGS);
    const turns = Array.isArray(r[t.messages]) ? (r[t.messages] as unknown[]) : [];
    const c = turnsToCanonical(turns, t);
    const out: SftRecord = { type: 'sft', messages: c.messages };
    const known = new Set([t.messages, t.tools]);
    if (!c.hints.systemTurn) known.add(t.systemColumn);
    const layout: Record<string, unknown> = { ...c.hints };
    if (c.system !== undefined) out.system = c.system;
    else if (typeof r[t.systemColumn] === 'string') out.system = r[t.systemColumn] as string;
    else if (r[t.systemColumn] === null) layout.systemNull = true;
    if (r[t.tools] !== undefined) out.tools = r[t.tools];
    const meta = makeMeta('sharegpt', extraKeys(r, known), compact(layout));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'sft') return { lost: [{ field: 'type', reason: l10n.t('sharegpt holds SFT conversations, not {0}', rec.type) }] };
    const t = resolveTags(options, SHAREGPT_TAGS);
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'sharegpt') as TurnHints & { systemNull?: boolean } | undefined;
    const { turns, systemColumn } = messagesToTurns(rec.system, rec.messages, t, layout, lost, 'messages');
    const record: Record<string, unknown> = { [t.messages]: turns };
    if (systemColumn !== undefined) record[t.systemColumn] = systemColumn;
    else if (layout?.systemNull) record[t.systemColumn] = null;
    const tools = toolsForShareGpt(rec.tools);
    if (tools !== undefined) record[t.tools] = tools;
    restoreExtras(record, rec.meta, 'sharegpt', true, lost);
    return { record, lost };
  },
};
