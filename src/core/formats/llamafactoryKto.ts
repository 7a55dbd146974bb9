/**
 * LLaMA-Factory KTO records: a conversation (OpenAI-style `messages`, as in the shipped
 * `kto_en_demo.json`, or ShareGPT `conversations`) plus a boolean tag column (`label` in the demo,
 * `kto_tag` in the docs). LLaMA-Factory treats the record as KTO only when the tag is a real boolean.
 */
import type { CanonicalRecord, Message, UnpairedRecord } from '../model';
import type { FormatModule, FormatOptions, FromCanonicalResult, Loss } from './formatModule';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, quote } from './reportHelpers';
import { hasOwn } from './roleNames';
import { SHAREGPT_TURN, STRING } from './schemaParts';
import { checkConversation, messagesToTurns, OPENAI_STYLE_TAGS, resolveTags, SHAREGPT_TAGS, turnsToCanonical, type ShareGptTags, type TurnHints } from './sharegptTurns';
import * as l10n from '@vscode/l10n';

function tagsFor(r: Record<string, unknown>, options: FormatOptions | undefined): ShareGptTags {
  const base = Array.isArray(r.conversations) && !Array.isArray(r.messages) ? SHAREGPT_TAGS : OPENAI_STYLE_TAGS;
  return resolveTags(options, base);
}

function tagColumn(r: Record<string, unknown>, options: FormatOptions | undefined): string {
  const c = options?.columns?.kto_tag;
  if (c) return c;
  return hasOwn(r, 'kto_tag') || !hasOwn(r, 'label') ? 'kto_tag' : 'label';
}

interface Layout extends TurnHints {
  sharegpt?: boolean;
  tag?: string;
}

export const llamafactoryKto: FormatModule = {
  id: 'llamafactory-kto',
  get title() {
    return l10n.t('LLaMA-Factory KTO (messages + boolean label)');
  },
  kind: 'unpaired',
  trainers: ['LLaMA-Factory'],
  example: {
    messages: [
      { role: 'user', content: 'Summarise: the cat sat on the mat.' },
      { role: 'assistant', content: 'A cat sat on a mat.' },
    ],
    label: true,
  },
  schema: {
    type: 'object',
    properties: {
      messages: { type: 'array', items: { type: 'object', properties: { role: STRING, content: STRING } } },
      conversations: { type: 'array', items: SHAREGPT_TURN },
      system: STRING,
    },
    anyOf: [{ required: ['messages'] }, { required: ['conversations'] }],
  },
  detect(r) {
    if (!Array.isArray(r.messages) && !Array.isArray(r.conversations)) return 0;
    if (typeof r.kto_tag === 'boolean' || typeof r.label === 'boolean') return 0.95;
    // A tag column that is present but not boolean still reads as KTO (openai-chat gives such records 0.5).
    return hasOwn(r, 'kto_tag') || hasOwn(r, 'label') ? 0.6 : 0.1;
  },
  check(r, report, options) {
    const t = tagsFor(r, options);
    const turns = r[t.messages];
    if (Array.isArray(turns)) checkConversation(turns, [t.messages], t, 'sft', report);
    const col = tagColumn(r, options);
    const v = r[col];
    if (typeof v !== 'boolean') {
      const hint = v === 'true' || v === 1 || v === 'True' ? l10n.t(' (write true)') : v === 'false' || v === 0 || v === 'False' ? l10n.t(' (write false)') : '';
      emit(report, v === undefined ? [] : [col], 'llamafactory/kto-tag-not-boolean', 'error',
        v === undefined ? l10n.t('LLaMA-Factory reads this record as plain SFT: it has no boolean "{0}" KTO tag', col) : l10n.t('LLaMA-Factory ignores a KTO tag that is not a boolean: "{0}" is {1}{2}', col, typeof v === 'string' ? l10n.t('the string {0}', quote(v)) : JSON.stringify(v), hint));
    }
  },
  toCanonical(r, options) {
    const t = tagsFor(r, options);
    const col = tagColumn(r, options);
    const c = turnsToCanonical(Array.isArray(r[t.messages]) ? (r[t.messages] as unknown[]) : [], t);
    let system = c.system;
    const known = new Set([t.messages, col]);
    if (!c.hints.systemTurn && typeof r[t.systemColumn] === 'string') {
      system = r[t.systemColumn] as string;
      known.add(t.systemColumn);
    }
    const msgs = c.messages;
    const completion = msgs.length ? [msgs[msgs.length - 1]] : [];
    const prompt: Message[] = msgs.slice(0, Math.max(0, msgs.length - 1));
    if (system !== undefined) prompt.unshift({ role: 'system', content: system });
    const out: UnpairedRecord = { type: 'unpaired', prompt, completion, label: r[col] === true };
    const layout: Layout = { ...c.hints, sharegpt: t.role === 'from' ? true : undefined, tag: col === 'label' ? undefined : col };
    const meta = makeMeta('llamafactory-kto', extraKeys(r, known), compact({ ...layout }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord, options): FromCanonicalResult {
    if (rec.type !== 'unpaired') return { lost: [{ field: 'type', reason: l10n.t('llamafactory-kto holds labelled completions, not {0}', rec.type) }] };
    const layout = layoutOf(rec.meta, 'llamafactory-kto') as Layout | undefined;
    const t = resolveTags(options, layout?.sharegpt ? SHAREGPT_TAGS : OPENAI_STYLE_TAGS);
    const lost: Loss[] = [];
    let prompt = rec.prompt;
    let system: string | undefined;
    if (prompt.length && prompt[0].role === 'system') {
      system = prompt[0].content;
      prompt = prompt.slice(1);
    }
    // OpenAI-style messages have no system column: the system prompt is the first message.
    const hints: TurnHints = { ...layout, systemTurn: layout ? layout.systemTurn : t.role === 'role' };
    const { turns, systemColumn } = messagesToTurns(system, [...prompt, ...rec.completion], t, hints, lost, 'messages');
    const record: Record<string, unknown> = { [t.messages]: turns, [options?.columns?.kto_tag ?? layout?.tag ?? 'label']: rec.label };
    if (systemColumn !== undefined) record[t.systemColumn] = systemColumn;
    restoreExtras(record, rec.meta, 'llamafactory-kto', true, lost);
    return { record, lost };
  },
};
