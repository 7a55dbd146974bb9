/**
 * Messages between the extension host and the labeling panel webview. The host holds the session
 * (queue, log, draft of the current pair, toggles); the webview posts `ready` and gets the full
 * `state`, and every change it makes goes to the host first and comes back as a new `state`. So a
 * reloaded webview, or a window reload through the panel serializer, shows the same thing.
 *
 * Nothing here says which model wrote which side: the state carries only the texts.
 */
import type { AgreementReport, RubricAgreementReport, LabelingInput, Choice, Strength, SessionFilter, SessionState, ModelResult, DiffSegment, LeaderboardEntry } from '../core/labeling';
import type { Message } from '../core/model';
import { bool, guard, index, messages, oneOf, optional, str } from './messageChecks';
import { criterionScores, type RubricToHost, type RubricView } from './labelingRubric';
import { REWRITE_MESSAGE_CHECKS, type RewriteDraftResume, type RewriteToHost, type RewriteView } from './rewrite';

export type { Choice, Strength, SessionFilter, SessionState, Message, DiffSegment };

/** Keyboard actions; `pairwise.labeling.keys` maps each to key names. */
export const LABELING_ACTIONS = ['left', 'right', 'tie', 'bothBad', 'skip', 'undo', 'redo', 'previous', 'next', 'turnPrevious', 'turnNext', 'diff', 'help', 'rewrite'] as const;
export type LabelingAction = (typeof LABELING_ACTIONS)[number];
export type KeyMap = Record<LabelingAction, string[]>;

/**
 * Key names as KeyboardEvent.key, with `Ctrl+`, `Alt+`, `Meta+`, `Shift+` prefixes. For a single
 * character the shifted character is the key (`Shift+Z` and `Z` are the same).
 */
export const DEFAULT_KEYS: KeyMap = {
  left: ['1', 'ArrowLeft'],
  right: ['2', 'ArrowRight'],
  tie: ['3', 't'],
  bothBad: ['4', 'b'],
  skip: ['s'],
  undo: ['z', 'Ctrl+z'],
  redo: ['Shift+Z', 'Ctrl+Shift+Z', 'Ctrl+y'],
  previous: ['p'],
  next: ['n'],
  // Multi-turn: the previous / next turn of the same conversation.
  turnPrevious: ['[', 'Alt+ArrowUp'],
  turnNext: [']', 'Alt+ArrowDown'],
  diff: ['d'],
  help: ['?'],
  rewrite: ['e'],
};

/** Descriptor the panel serializer keeps across window reloads (the webview persists it with setState). */
export interface LabelingResume {
  input: LabelingInput;
  logPath: string;
  annotator: string;
  otherLogs: string[];
  /** The pair on screen, to come back to it. */
  index?: number;
  /** A rubric file chosen for the session (else `<input>.rubric.yaml` beside the input, if there is one). */
  rubric?: string;
  /** Labeling order: the input's (default) or the pairs the AI judge is least sure of first (judgeUncertaintyQueue.ts). */
  order?: 'input' | 'judgeUncertainty';
  /** A rewrite being typed on that pair, to bring it back. */
  rewrite?: RewriteDraftResume;
}

export interface AgreementView {
  /** Logs read. */
  logs: string[];
  annotators: string[];
  decisions: number;
  /** Absent with fewer than two annotators. */
  report?: AgreementReport;
  winRates: ModelResult[];
  /** Bradley-Terry scores (Elo-like scale) with bootstrap 95% intervals, from pair decisions and rankings. */
  leaderboard?: LeaderboardEntry[];
  /** Audit mode: how often this annotator agreed with the dataset's own label. */
  withDataset?: { pairs: number; agree: number; percent: number | null };
  /** A rubric judge's judgements beside a candidates input: per criterion against the annotators' scores, and its position bias. */
  rubricJudge?: RubricAgreementReport;
  error?: string;
  /** Win rates and scores withheld until this annotator has labeled every pair (they would tell which side was which model). */
  modelsWithheld?: boolean;
}

/** The AI judge's verdict on the pair on screen, in the sides shown (never which model wrote which side). */
export interface JudgeSuggestionView {
  /** Which displayed side the judge preferred, a tie, or uncertain (its two position-swapped answers differed). */
  verdict: 'left' | 'right' | 'tie' | 'uncertain';
  /** The judge model. */
  model: string;
  /** Whether the judge gave the same answer with the responses in both orders. */
  consistent: boolean;
  reason?: string;
  /** Set once the annotator decided the pair: whether their label matches the judge's verdict. */
  agreesWithYou?: boolean;
}

/** Suggestions from `<candidates>.judgements.jsonl` (pairwise.judge.showSuggestions). */
export interface JudgeView {
  mode: 'afterDecision' | 'always';
  /** Base name of the judgements file. */
  file: string;
  /** The verdict for the pair on screen, when it may be shown (in afterDecision mode, only once the pair is decided). */
  suggestion?: JudgeSuggestionView;
  /** A verdict exists for the pair on screen but waits for the annotator's decision. */
  pending?: boolean;
  /** The verdict on the pair this annotator decided last in this session (the panel has moved on from it). */
  lastDecided?: { pairNumber: number; suggestion: JudgeSuggestionView };
  /** Pairs the annotator and the judge both decided, and how many they agree on. */
  agreement: { pairs: number; agree: number; percent: number | null };
  /** Pairs with a verdict in the file. */
  judged: number;
  /** Damaged lines that were skipped. */
  badLines: number;
}

export interface LabelingViewState {
  title: string;
  /** What is being labeled, e.g. "candidates, all pairs per prompt". */
  source: string;
  session: SessionState;
  keys: KeyMap;
  diffOn: boolean;
  /** Markdown of the guidelines file, when the setting names one. */
  guidelines?: { file: string; markdown?: string; error?: string };
  agreement?: AgreementView;
  /** Present when a judgements file lies beside the input. */
  judge?: JudgeView;
  /** What the annotator has typed/picked for the pair on screen but not decided yet. */
  draft: { key?: string; strength?: Strength; rationale: string };
  /** A one-line message (a refused decision, a write error). */
  message?: { kind: 'info' | 'error'; text: string };
  resume: LabelingResume;
  /** The rubric of the session and the scores in progress (labelingRubric.ts). */
  rubric?: RubricView;
  /** Rewrite of an answer of the pair on screen: the editor while open, and the saved rewrite. */
  rewrite?: RewriteView;
}

export type HostToLabeling = { type: 'state'; state: LabelingViewState };

export type LabelingToHost =
  | { type: 'ready' }
  | { type: 'decide'; choice: Choice; key: string; strength?: Strength; rationale?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'next' }
  | { type: 'previous' }
  /** Multi-turn: the first pair of the next or previous turn of the conversation on screen. */
  | { type: 'turn'; step: 'next' | 'previous' }
  /** 0-based queue index. */
  | { type: 'jump'; index: number }
  | { type: 'filter'; filter: SessionFilter }
  | { type: 'diff'; on: boolean }
  | { type: 'draft'; key: string; strength?: Strength; rationale: string }
  | { type: 'agreement' }
  /** An http(s) link in a response or the guidelines: the host asks before opening it outside. */
  | { type: 'openLink'; href: string }
  | RubricToHost
  | RewriteToHost;

const CHOICES = ['left', 'right', 'tie', 'both_bad', 'skip'] as const satisfies readonly Choice[];
const STRENGTHS = ['slightly', 'clearly'] as const satisfies readonly Strength[];
const FILTERS = ['all', 'unlabeled', 'skipped', 'disagreements'] as const satisfies readonly SessionFilter[];

/** The host accepts from the labeling webview only what passes this (see messageChecks.ts). */
export const isLabelingToHost = guard<LabelingToHost>(
  messages<LabelingToHost>({
    ready: {},
    decide: { choice: oneOf(...CHOICES), key: str, strength: optional(oneOf(...STRENGTHS)), rationale: optional(str) },
    undo: {},
    redo: {},
    next: {},
    previous: {},
    turn: { step: oneOf('next', 'previous') },
    jump: { index },
    filter: { filter: oneOf(...FILTERS) },
    diff: { on: bool },
    draft: { key: str, strength: optional(oneOf(...STRENGTHS)), rationale: str },
    agreement: {},
    openLink: { href: str },
    rubricScores: { key: str, left: criterionScores, right: criterionScores },
    rubricChoose: {},
    ...REWRITE_MESSAGE_CHECKS,
  }),
  'labeling',
);
