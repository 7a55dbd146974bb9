/**
 * Preference formats whose prompt and answers are plain strings with an optional `system` (Axolotl's
 * chatml.intel, chatml.argilla and chatml.prompt_pairs). They differ only in key names.
 */
import type { CanonicalRecord, Message, PreferenceRecord } from '../model';
import type { FormatId, FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkStringPair, singleAnswer, singleUserPrompt } from './preferenceRules';
import { extraKeys, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

export interface StringPreferenceSpec {
  id: FormatId;
  title: string;
  trainers: string[];
  promptKey: string;
  chosenKey: string;
  rejectedKey: string;
  example: Record<string, unknown>;
  detect(r: Record<string, unknown>): number;
}

export function stringPreferenceFormat(spec: StringPreferenceSpec): FormatModule {
  const { id, promptKey, chosenKey, rejectedKey } = spec;
  const known = new Set([promptKey, chosenKey, rejectedKey, 'system']);
  const trainer = spec.trainers[0];
  return {
    id,
    title: spec.title,
    kind: 'preference',
    trainers: spec.trainers,
    example: spec.example,
    schema: {
      type: 'object',
      properties: { system: { type: ['string', 'null'] }, [promptKey]: STRING, [chosenKey]: STRING, [rejectedKey]: STRING },
      required: [promptKey, chosenKey, rejectedKey],
    },
    detect: spec.detect,
    check(r, report) {
      if (isBlank(r[promptKey] as string)) emit(report, [promptKey], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: {1} compares answers to nothing', promptKey, trainer));
      checkStringPair(r, chosenKey, rejectedKey, trainer, report);
    },
    toCanonical(r) {
      const prompt: Message[] = [];
      if (typeof r.system === 'string') prompt.push({ role: 'system', content: r.system });
      prompt.push({ role: 'user', content: String(r[promptKey] ?? '') });
      const out: PreferenceRecord = {
        type: 'preference',
        prompt,
        chosen: [{ role: 'assistant', content: String(r[chosenKey] ?? '') }],
        rejected: [{ role: 'assistant', content: String(r[rejectedKey] ?? '') }],
      };
      let extra = extraKeys(r, known);
      if (r.system === null) extra = { ...extra, system: null };
      const meta = makeMeta(id, extra, undefined);
      if (meta) out.meta = meta;
      return out;
    },
    fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
      if (rec.type !== 'preference') return { lost: [{ field: 'type', reason: l10n.t('{0} holds preference pairs, not {1}', id, rec.type) }] };
      const lost: Loss[] = [];
      const p = singleUserPrompt(rec.prompt, lost, true);
      const c = singleAnswer(rec.chosen, 'chosen', lost);
      const n = singleAnswer(rec.rejected, 'rejected', lost);
      if (!p || c === undefined || n === undefined) return { lost };
      const record: Record<string, unknown> = {};
      if (p.system !== undefined) record.system = p.system;
      record[promptKey] = p.text;
      record[chosenKey] = c;
      record[rejectedKey] = n;
      restoreExtras(record, rec.meta, id, true, lost);
      return { record, lost };
    },
  };
}
