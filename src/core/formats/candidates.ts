/**
 * Pairwise's own candidates file (`*.candidates.jsonl`): `{"id", "prompt": [messages], "responses":
 * [{"model", "content", "usage"?, "params"?}]}` — input of the labeling panel, output of generation.
 */
import type { CandidateResponse, CandidatesRecord, CanonicalRecord } from '../model';
import type { FormatModule, FromCanonicalResult, Loss } from './formatModule';
import { checkMessageList, fromCanonicalMessages, toCanonicalMessages, type Dialect, type ListHints } from './openAiMessages';
import { checkPromptEndsWithUser } from './preferenceRules';
import { compact, extraKeys, layoutOf, makeMeta, restoreExtras } from './recordMeta';
import { emit, nth } from './reportHelpers';
import { OPENAI_MESSAGES, STRING } from './schemaParts';
import { isBlank } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

const KNOWN = new Set(['id', 'prompt', 'responses']);
const RESPONSE_KEYS = new Set(['model', 'content']);

const PAIRWISE_DIALECT: Dialect = {
  ns: 'pairwise',
  trainer: 'Pairwise',
  roles: new Set(['system', 'user', 'assistant', 'tool']),
  strictKeys: false,
  fromValueSeverity: 'error',
};

export const candidates: FormatModule = {
  id: 'candidates',
  get title() {
    return l10n.t('Pairwise candidates (id / prompt / responses)');
  },
  kind: 'candidates',
  trainers: ['Pairwise'],
  example: {
    id: 'q-0001',
    prompt: [{ role: 'user', content: 'Explain recursion in one sentence.' }],
    responses: [
      { model: 'model-a', content: 'A function that calls itself on a smaller input.', usage: { prompt_tokens: 12, completion_tokens: 11 } },
      { model: 'model-b', content: 'Recursion is recursion.' },
    ],
  },
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string', minLength: 1 },
      prompt: OPENAI_MESSAGES,
      responses: {
        type: 'array',
        items: {
          type: 'object',
          properties: { model: STRING, content: STRING, usage: { type: 'object' }, params: { type: 'object' } },
          required: ['model', 'content'],
        },
      },
    },
    required: ['id', 'prompt', 'responses'],
  },
  detect(r) {
    return r.id !== undefined && Array.isArray(r.prompt) && Array.isArray(r.responses) ? 0.97 : Array.isArray(r.responses) ? 0.5 : 0;
  },
  check(r, report) {
    const prompt = r.prompt as unknown[];
    const sum = checkMessageList(prompt, ['prompt'], PAIRWISE_DIALECT, report);
    if (!sum.broken) checkPromptEndsWithUser(prompt, ['prompt'], 'the labeling panel', report);
    const responses = r.responses as { model: string; content: string }[];
    if (responses.length < 2) {
      emit(report, ['responses'], 'candidates/too-few-responses', 'warning', l10n.t('"responses" has {0} response(s): at least two are needed to make a pair to label', responses.length));
    }
    for (let i = 0; i < responses.length; i++) {
      const a = responses[i];
      if (isBlank(a.content)) emit(report, ['responses', i, 'content'], 'common/empty-content', 'warning', l10n.t('response {0} ({1}) is empty', nth(i), a.model));
      for (let j = 0; j < i; j++) {
        if (responses[j].content === a.content) {
          emit(report, ['responses', i, 'content'], 'common/identical-responses', 'warning', l10n.t('responses {0} and {1} are identical: a pair of them teaches nothing', nth(j), nth(i)));
          break;
        }
      }
    }
  },
  toCanonical(r) {
    const p = toCanonicalMessages(Array.isArray(r.prompt) ? r.prompt : []);
    const responses: CandidateResponse[] = (Array.isArray(r.responses) ? r.responses : []).map((x) => {
      const o = isPlainObject(x) ? x : {};
      const resp: CandidateResponse = { model: String(o.model ?? ''), content: String(o.content ?? '') };
      const rest = extraKeys(o, RESPONSE_KEYS);
      if (rest) resp.meta = rest;
      return resp;
    });
    const out: CandidatesRecord = { type: 'candidates', id: String(r.id ?? ''), prompt: p.messages, responses };
    const meta = makeMeta('candidates', extraKeys(r, KNOWN), compact({ prompt: p.hints }));
    if (meta) out.meta = meta;
    return out;
  },
  fromCanonical(rec: CanonicalRecord): FromCanonicalResult {
    if (rec.type !== 'candidates') return { lost: [{ field: 'type', reason: l10n.t('candidates holds responses to label, not {0}', rec.type) }] };
    const lost: Loss[] = [];
    const layout = layoutOf(rec.meta, 'candidates');
    const record: Record<string, unknown> = {
      id: rec.id,
      prompt: fromCanonicalMessages(rec.prompt, layout?.prompt as ListHints | undefined),
      responses: rec.responses.map((x) => ({ ...(x.meta ?? {}), model: x.model, content: x.content })),
    };
    restoreExtras(record, rec.meta, 'candidates', true, lost);
    return { record, lost };
  },
};
