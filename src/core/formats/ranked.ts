/**
 * Ranked answers (Axolotl `zephyr.nectar`, LLaMA-Factory ranked-list requests):
 * `{"prompt", "answers": [{"answer", "rank", "model"?}]}`, rank 1 best. Becomes preference pairs.
 */
import type { CanonicalRecord, RankedRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, nth } from './reportHelpers';
import { STRING } from './schemaParts';
import { isBlank } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['prompt', 'answers']);
const ANSWER_KEYS = new Set(['answer', 'rank', 'model']);

export const ranked: FormatModule = {
  id: 'ranked',
  get title() {
    return l10n.t('Ranked answers (prompt / answers with rank)');
  },
  kind: 'ranked',
  trainers: ['Axolotl'],
  example: {
    prompt: 'Suggest a name for a cat.',
    answers: [
      { answer: 'Miso', rank: 1, model: 'model-a' },
      { answer: 'Cat', rank: 2, model: 'model-b' },
    ],
  },
  schema: {
    type: 'object',
    properties: {
      prompt: STRING,
      answers: {
        type: 'array',
        items: { type: 'object', properties: { answer: STRING, rank: { type: 'number' }, model: STRING }, required: ['answer', 'rank'] },
      },
    },
    required: ['prompt', 'answers'],
  },
  detect(r) {
    return r.prompt !== undefined && Array.isArray(r.answers) ? 0.95 : 0;
  },
  check(r, report) {
    if (isBlank(r.prompt as string)) emit(report, ['prompt'], 'common/empty-content', 'warning', l10n.t('"prompt" is empty: the answers reply to nothing'));
    const answers = r.answers as { answer: string; rank: number }[];
    if (answers.length < 2) {
      emit(report, ['answers'], 'ranked/too-few-answers', 'warning', l10n.t('"answers" has {0} answer(s): at least two are needed to make a pair', answers.length));
    }
    for (let i = 0; i < answers.length; i++) {
      const a = answers[i];
      if (isBlank(a.answer)) emit(report, ['answers', i, 'answer'], 'common/empty-content', 'warning', l10n.t('answer {0} is empty', nth(i)));
      for (let j = 0; j < i; j++) {
        if (answers[j].rank === a.rank) {
          emit(report, ['answers', i, 'rank'], 'ranked/tied-ranks', 'warning', l10n.t('answers {0} and {1} share rank {2}: no pair can be made between them', nth(j), nth(i), a.rank));
          break;
        }
        if (answers[j].answer === a.answer) {
          emit(report, ['answers', i, 'answer'], 'common/identical-responses', 'warning', l10n.t('answers {0} and {1} are identical but ranked differently', nth(j), nth(i)));
          break;
        }
      }
    }
  },
  toCanonical(r) {
    const list = Array.isArray(r.answers) ? r.answers : [];
    const answerExtra: (Record<string, unknown> | null)[] = [];
    const out: RankedRecord = {
      type: 'ranked',
      prompt: [{ role: 'user', content: String(r.prompt ?? '') }],
      answers: list.map((a) => {
        const o = isPlainObject(a) ? a : {};
        answerExtra.push(extraKeys(o, ANSWER_KEYS) ?? null);
        const ans: RankedRecord['answers'][number] = { content: String(o.answer ?? ''), rank: typeof o.rank === 'number' ? o.rank : 0 };
        if (typeof o.model === 'string') ans.model = o.model;
        return ans;
      }),
    };
    const meta = makeMeta('ranked', extraKeys(r, KNOWN), compact({ answerExtra: answerExtra.some((x) => x) ? answerExtra : undefined }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'ranked') return { lost: [{ field: 'type', reason: l10n.t('ranked holds ranked answers, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'ranked');
    const extra = Array.isArray(layout?.answerExtra) && layout.answerExtra.length === rec.answers.length ? layout.answerExtra : undefined;
    let prompt = rec.prompt;
    if (prompt.length > 1 && prompt[0].role === 'system') {
      lost.push({ field: 'prompt[0]', reason: l10n.t('ranked records have no system prompt; dropped') });
      prompt = prompt.slice(1);
    }
    if (prompt.length !== 1) return { lost: [...lost, { field: 'prompt', reason: l10n.t('ranked records hold the prompt as one text; this one has {0} turn(s)', prompt.length) }] };
    const record: Record<string, unknown> = {
      prompt: prompt[0].content,
      answers: rec.answers.map((a, i) => {
        const o: Record<string, unknown> = { answer: a.content, rank: a.rank };
        if (a.model !== undefined) o.model = a.model;
        const x = extra?.[i];
        if (isPlainObject(x)) Object.assign(o, x);
        return o;
      }),
    };
    restoreExtras(record, rec.meta, 'ranked', true, lost);
    return { record, lost };
  },
};
