/**
 * Messages between the extension host and the rank-mode webview. As in the pair panel, the host
 * holds the session and the order being built (`draft`), the webview posts every change and gets
 * the full state back, so a reloaded webview shows the same prompt and the same order in progress.
 * Candidates are named by display position only: nothing says which model wrote which.
 */
import type { RankingState } from '../core/labeling';
import { guard, index, listOf, messages, str } from './messageChecks';
import type { LabelingResume } from './labeling';

export type { RankingState };

export interface RankingViewState {
  title: string;
  session: RankingState;
  /** The order being built for the prompt on screen: tiers of display positions, best first. */
  draft: { key?: string; order: number[][]; picked: number };
  message?: { kind: 'info' | 'error'; text: string };
  resume: LabelingResume;
}

export type HostToRanking = { type: 'state'; state: RankingViewState };

export type RankingToHost =
  | { type: 'ready' }
  /** The order on screen changed (not committed): kept by the host so a reload restores it. */
  | { type: 'order'; key: string; order: number[][]; picked: number }
  | { type: 'rank'; key: string; order: number[][] }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'next' }
  | { type: 'previous' };

const tiers = listOf(listOf(index));

/** The host accepts from the rank-mode webview only what passes this (see messageChecks.ts). */
export const isRankingToHost = guard<RankingToHost>(
  messages<RankingToHost>({
    ready: {},
    order: { key: str, order: tiers, picked: index },
    rank: { key: str, order: tiers },
    undo: {},
    redo: {},
    next: {},
    previous: {},
  }),
  'ranking',
);
