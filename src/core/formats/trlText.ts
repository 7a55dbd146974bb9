/**
 * TRL language modelling, standard shape: `{"text"}` (also LLaMA-Factory pre-training, as in
 * `c4_demo.jsonl`). The conversational shape `{"messages"}` is the `openai-chat` format.
 */
import type { CanonicalRecord, TextRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { extraKeys, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['text']);

export const trlText: FormatModule = {
  id: 'trl-text',
  get title() {
    return l10n.t('Plain text (language modelling / pre-training)');
  },
  kind: 'text',
  trainers: ['TRL', 'LLaMA-Factory'],
  example: { text: 'The quick brown fox jumps over the lazy dog.' },
  schema: { type: 'object', properties: { text: STRING }, required: ['text'] },
  detect(r) {
    if (typeof r.text !== 'string') return 0;
    // Other content keys next to "text" (prompt, messages, …) mean a richer format that merely carries text.
    return r.prompt === undefined && r.messages === undefined && r.conversations === undefined && r.instruction === undefined ? 0.9 : 0.3;
  },
  check(r, report) {
    if (isBlank(r.text as string)) emit(report, ['text'], 'common/empty-content', 'warning', l10n.t('"text" is empty: the record adds no training tokens'));
  },
  toCanonical(r) {
    const out: TextRecord = { type: 'text', text: typeof r.text === 'string' ? r.text : '' };
    const meta = makeMeta('trl-text', extraKeys(r, KNOWN), undefined);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'text') return { lost: [{ field: 'type', reason: l10n.t('trl-text holds plain text, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const record: Record<string, unknown> = { text: rec.text };
    restoreExtras(record, rec.meta, 'trl-text', true, lost);
    return { record, lost };
  },
};
