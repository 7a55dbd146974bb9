/** TRL stepwise supervision (process reward models): `{"prompt", "completions": [...], "labels": [bool, ...]}`. */
import type { CanonicalRecord, StepwiseRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkBooleanLabel } from './labelRules';
import { extraKeys, makeMeta, restoreExtras } from './recordMeta';
import { emit, nth } from './reportHelpers';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'completions', 'labels']);

export const trlStepwise: FormatModule = {
  id: 'trl-stepwise',
  get title() {
    return l10n.t('TRL stepwise supervision (prompt / completions / labels)');
  },
  kind: 'stepwise',
  trainers: ['TRL'],
  example: { prompt: 'What is 3 * 4 + 1?', completions: ['3 * 4 = 12.', '12 + 1 = 14.'], labels: [true, false] },
  schema: {
    type: 'object',
    properties: { prompt: STRING, completions: { type: 'array', items: STRING }, labels: { type: 'array' } },
    required: ['prompt', 'completions', 'labels'],
  },
  detect(r) {
    return r.prompt !== undefined && Array.isArray(r.completions) && r.labels !== undefined ? 0.95 : 0;
  },
  check(r, report) {
    if (isBlank(r.prompt as string)) emit(report, ['prompt'], 'common/empty-content', 'warning', l10n.t('"prompt" is empty: the steps answer nothing'));
    const steps = r.completions as string[];
    const labels = r.labels as unknown[];
    for (let i = 0; i < steps.length; i++) {
      if (isBlank(steps[i])) emit(report, ['completions', i], 'common/empty-content', 'warning', l10n.t('step {0} of "completions" is empty', nth(i)));
    }
    for (let i = 0; i < labels.length; i++) checkBooleanLabel(labels[i], ['labels', i], `label ${nth(i)} of "labels"`, report);
    if (steps.length !== labels.length) {
      emit(report, ['labels'], 'trl/stepwise-length-mismatch', 'error',
        l10n.t('TRL needs one label per step: "completions" has {0} step(s) but "labels" has {1}', steps.length, labels.length));
    }
  },
  toCanonical(r) {
    const out: StepwiseRecord = {
      type: 'stepwise',
      prompt: [{ role: 'user', content: typeof r.prompt === 'string' ? r.prompt : '' }],
      completions: Array.isArray(r.completions) ? r.completions.map(String) : [],
      labels: Array.isArray(r.labels) ? r.labels.map((l) => l === true) : [],
    };
    const meta = makeMeta('trl-stepwise', extraKeys(r, KNOWN), undefined);
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'stepwise') return { lost: [{ field: 'type', reason: l10n.t('trl-stepwise holds step-labelled solutions, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    let prompt = rec.prompt;
    if (prompt.length > 1 && prompt[0].role === 'system') {
      lost.push({ field: 'prompt[0]', reason: l10n.t('stepwise records have no system prompt; dropped') });
      prompt = prompt.slice(1);
    }
    if (prompt.length !== 1) return { lost: [...lost, { field: 'prompt', reason: l10n.t('stepwise records hold the prompt as one text; this one has {0} turn(s)', prompt.length) }] };
    const record: Record<string, unknown> = { prompt: prompt[0].content, completions: rec.completions, labels: rec.labels };
    restoreExtras(record, rec.meta, 'trl-stepwise', true, lost);
    return { record, lost };
  },
};
