/**
 * The rubric part of the labeling panel's protocol: the rubric shown beside the pair and the
 * scores in progress, in on-screen sides (never response hashes or model names). The webview posts
 * every change of the scores (`rubricScores`); the host keeps them per pair, so a reloaded webview
 * gets them back with the state, and the webview persists them for a window reload.
 */
import * as l10n from '@vscode/l10n';
import type { ScoreAgreement } from '../core/labeling';
import type { Check } from './messageChecks';

export type { ScoreAgreement };

/** Criterion id -> score. */
export type CriterionScores = Record<string, number>;

export interface RubricScoresView {
  left: CriterionScores;
  right: CriterionScores;
}

export interface RubricView {
  /** Base name of the rubric file. */
  file: string;
  /** Why the rubric could not be used (the session works without it). */
  error?: string;
  rubric?: {
    name: string;
    scale: { min: number; max: number; labels: Record<string, string> };
    /** Markdown. */
    guidelines: string;
    criteria: { id: string; title: string; guidelines: string }[];
  };
  /** The scores in progress for the pair on screen (`key` as in the state's pair). */
  draft?: RubricScoresView & { key: string };
  /** This annotator's committed scores of the pair on screen. */
  committed?: RubricScoresView;
  /** Agreement between the annotators of the logs, per criterion (computed with the Agreement section). */
  agreement?: ScoreAgreement[];
}

/** What the webview persists for a window reload (the serializer hands it back to the host). */
export type PersistedRubricDraft = RubricScoresView & { key: string };

export type RubricToHost =
  /** The scores on screen changed (not committed: they go to the log with the pair's decision). */
  | { type: 'rubricScores'; key: string; left: CriterionScores; right: CriterionScores }
  /** "Rubric…": choose a rubric file for this session. */
  | { type: 'rubricChoose' };

const MAX_CRITERIA = 64;

/** Criterion id -> integer 0..100 (the rubric's own scale is checked by the host). */
export const criterionScores: Check<CriterionScores> = (value, at) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return l10n.t('{0}: expected an object', at);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_CRITERIA) return l10n.t('{0}: too many criteria', at);
  for (const [k, v] of entries) {
    if (k.length > 40) return l10n.t('{0}: unknown field {1}', at, JSON.stringify(k.slice(0, 40)));
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) return l10n.t('{0}: expected {1}', `${at}.${k}`, l10n.t('an integer score'));
  }
  return undefined;
};

/** Whether a persisted draft has the right shape (its scores are checked against the rubric later). */
export function isPersistedRubricDraft(v: unknown): v is PersistedRubricDraft {
  const d = v as PersistedRubricDraft | undefined;
  return !!d && typeof d === 'object' && typeof d.key === 'string' && criterionScores(d.left, 'left') === undefined && criterionScores(d.right, 'right') === undefined;
}
