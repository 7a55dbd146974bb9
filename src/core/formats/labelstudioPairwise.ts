/**
 * Label Studio pairwise comparison task: `{"prompt", "answer1", "answer2"}`. It is a task to be
 * labelled, not a preference yet, so it maps to a candidates record with two responses.
 */
import type { CandidatesRecord, CanonicalRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { stableId } from './recordId';
import { extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit } from './reportHelpers';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['id', 'prompt', 'answer1', 'answer2']);

export const labelstudioPairwise: FormatModule = {
  id: 'labelstudio-pairwise',
  get title() {
    return l10n.t('Label Studio pairwise task (prompt / answer1 / answer2)');
  },
  kind: 'candidates',
  trainers: ['Label Studio'],
  example: { prompt: 'Write a haiku about rain.', answer1: 'Soft rain on the roof…', answer2: 'It is raining.' },
  schema: {
    type: 'object',
    properties: { prompt: STRING, answer1: STRING, answer2: STRING },
    required: ['prompt', 'answer1', 'answer2'],
  },
  detect(r) {
    return r.answer1 !== undefined && r.answer2 !== undefined ? (r.prompt !== undefined ? 0.95 : 0.6) : 0;
  },
  check(r, report) {
    for (const k of ['prompt', 'answer1', 'answer2']) {
      if (isBlank(r[k] as string)) emit(report, [k], 'common/empty-content', 'warning', l10n.t('"{0}" is empty: the annotator has nothing to judge', k));
    }
    if (r.answer1 === r.answer2) emit(report, ['answer2'], 'common/identical-responses', 'warning', l10n.t('"answer1" and "answer2" are identical: any choice between them is meaningless'));
  },
  toCanonical(r) {
    const prompt = String(r.prompt ?? '');
    const a1 = String(r.answer1 ?? '');
    const a2 = String(r.answer2 ?? '');
    const ownId = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
    const out: CandidatesRecord = {
      type: 'candidates',
      id: ownId ?? stableId([prompt, a1, a2]),
      prompt: [{ role: 'user', content: prompt }],
      responses: [{ model: 'answer1', content: a1 }, { model: 'answer2', content: a2 }],
    };
    // The task's own string id becomes the candidates id; a generated or numeric one is noted so it is not written back as text.
    const layout = ownId === undefined ? { generatedId: true } : typeof r.id === 'number' ? { numericId: true } : undefined;
    const meta = makeMeta('labelstudio-pairwise', extraKeys(r, KNOWN), layout);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'candidates') return { lost: [{ field: 'type', reason: l10n.t('labelstudio-pairwise holds comparison tasks, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    if (rec.responses.length < 2) return { lost: [{ field: 'responses', reason: l10n.t('a pairwise task needs two responses; this record has {0}', rec.responses.length) }] };
    if (rec.responses.length > 2) lost.push({ field: 'responses', reason: l10n.t('only the first two of {0} responses fit a pairwise task', rec.responses.length) });
    const users = rec.prompt.filter((m) => m.role === 'user');
    if (rec.prompt.length !== 1) lost.push({ field: 'prompt', reason: l10n.t('the task holds the prompt as one text; only the last user message was kept') });
    const record: Record<string, unknown> = {
      prompt: users.length ? users[users.length - 1].content : '',
      answer1: rec.responses[0].content,
      answer2: rec.responses[1].content,
    };
    const layout = layoutOf(rec.meta, 'labelstudio-pairwise');
    if (!layout?.generatedId) record.id = layout?.numericId && /^\d+$/.test(rec.id) ? Number(rec.id) : rec.id;
    if (rec.responses.slice(0, 2).some((r) => r.model !== 'answer1' && r.model !== 'answer2')) {
      lost.push({ field: 'responses[].model', reason: l10n.t('the task does not record which model wrote an answer') });
    }
    restoreExtras(record, rec.meta, 'labelstudio-pairwise', true, lost);
    return { record, lost };
  },
};
