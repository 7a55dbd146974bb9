/**
 * Rubric files (`*.rubric.yaml`): the criteria an annotator or an AI judge scores each answer on,
 * the scale, and the guidelines in Markdown. YAML because rubrics are written by hand and hold
 * long Markdown blocks (`|`); the file comes from the workspace, so it is read as a regular file
 * of bounded size (readGuidelinesFile) and parsed as data only: no tags, few aliases, and keys
 * are never used as code or property paths (criterion ids are checked against a strict pattern).
 */
import * as l10n from '@vscode/l10n';
import { parse } from 'yaml';
import { readGuidelinesFile } from './guidelinesFile';
import { hashText } from './hashing';

export interface RubricCriterion {
  id: string;
  title: string;
  /** Markdown. */
  guidelines: string;
}

export interface RubricScale {
  min: number;
  max: number;
  /** Names of some scale points (score -> label). */
  labels: Record<number, string>;
}

export interface Rubric {
  name: string;
  scale: RubricScale;
  /** General guidelines, Markdown. */
  guidelines: string;
  criteria: RubricCriterion[];
  /** Content hash of the normalized rubric: scores name the rubric they were given on. */
  hash: string;
}

export const MAX_CRITERIA = 12;
export const MAX_RUBRIC_BYTES = 1 << 20;
const CRITERION_ID = /^[a-z][a-z0-9_-]{0,39}$/;

export class RubricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RubricError';
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new RubricError(l10n.t('rubric: "{0}" must be text', field));
  return v;
}

function scaleOf(v: unknown): RubricScale {
  if (v === undefined) return { min: 1, max: 5, labels: {} };
  let min: unknown;
  let max: unknown;
  let labels: unknown;
  if (Array.isArray(v) && v.length === 2) [min, max] = v;
  else if (isMap(v)) ({ min, max, labels } = v);
  else throw new RubricError(l10n.t('rubric: "scale" must be [min, max] or a mapping with min, max and labels'));
  if (!Number.isInteger(min) || !Number.isInteger(max) || (min as number) < 0 || (max as number) > 10 || (min as number) >= (max as number)) {
    throw new RubricError(l10n.t('rubric: "scale" needs whole numbers with 0 <= min < max <= 10'));
  }
  const out: Record<number, string> = {};
  if (labels !== undefined && labels !== null) {
    if (!isMap(labels)) throw new RubricError(l10n.t('rubric: "scale.labels" must map scores to names'));
    for (const [k, name] of Object.entries(labels)) {
      const n = Number(k);
      if (!Number.isInteger(n) || n < (min as number) || n > (max as number)) throw new RubricError(l10n.t('rubric: "scale.labels" names {0}, which is not on the scale', k));
      out[n] = text(name, `scale.labels.${n}`);
    }
  }
  return { min: min as number, max: max as number, labels: out };
}

/** Parses the text of a rubric file; throws a RubricError naming the field (or the YAML line). */
export function parseRubric(source: string): Rubric {
  let doc: unknown;
  try {
    // Data only: a rubric has no use for custom tags, and few aliases keep "billion laughs" out.
    doc = parse(source, { maxAliasCount: 20, uniqueKeys: true, prettyErrors: true, logLevel: 'error' });
  } catch (e) {
    throw new RubricError(l10n.t('rubric: not valid YAML: {0}', (e as Error).message.split('\n')[0]));
  }
  if (!isMap(doc)) throw new RubricError(l10n.t('rubric: the file must be a YAML mapping with "criteria"'));
  const scale = scaleOf(doc.scale);
  const list = doc.criteria;
  if (!Array.isArray(list) || list.length === 0) throw new RubricError(l10n.t('rubric: "criteria" must be a non-empty list'));
  if (list.length > MAX_CRITERIA) throw new RubricError(l10n.t('rubric: {0} criteria; at most {1}', list.length, MAX_CRITERIA));
  const seen = new Set<string>();
  const criteria = list.map((c, i): RubricCriterion => {
    if (!isMap(c)) throw new RubricError(l10n.t('rubric: "criteria[{0}]" must be a mapping with "id"', i));
    const id = c.id;
    if (typeof id !== 'string' || !CRITERION_ID.test(id)) {
      throw new RubricError(l10n.t('rubric: "criteria[{0}].id" must be lower-case letters, digits, "_" or "-", starting with a letter (at most 40)', i));
    }
    if (seen.has(id)) throw new RubricError(l10n.t('rubric: criterion "{0}" appears twice', id));
    seen.add(id);
    const title = text(c.title, `criteria[${i}].title`).trim() || id;
    return { id, title, guidelines: text(c.guidelines, `criteria[${i}].guidelines`) };
  });
  const rubric = { name: text(doc.name, 'name').trim(), scale, guidelines: text(doc.guidelines, 'guidelines'), criteria };
  return { ...rubric, hash: hashText(JSON.stringify(rubric)) };
}

/** Reads and parses a rubric file (a regular file of at most 1 MB; see readGuidelinesFile). */
export async function readRubric(file: string, opts: { baseFolder?: string } = {}): Promise<Rubric> {
  let source: string;
  try {
    source = await readGuidelinesFile(file, { baseFolder: opts.baseFolder, maxBytes: MAX_RUBRIC_BYTES });
  } catch (e) {
    throw new RubricError(l10n.t('rubric {0}: {1}', file, (e as Error).message));
  }
  return parseRubric(source);
}

/** `<input without .jsonl/.json>.rubric.yaml`, beside the input. */
export function rubricPathFor(input: string): string {
  return input.replace(/\.(jsonl|json)$/i, '') + '.rubric.yaml';
}

/** Whether `score` is a point of the rubric's scale. */
export function onScale(rubric: Pick<Rubric, 'scale'>, score: unknown): score is number {
  return Number.isInteger(score) && (score as number) >= rubric.scale.min && (score as number) <= rubric.scale.max;
}
