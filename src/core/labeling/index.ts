/** Pairwise labeling: inputs, sessions, decision logs, agreement, win rates and export of preferences. The only way into this area from src/cli, src/extension and src/protocol. */
export { agreement, type AgreementReport, agreementWithKnown } from './agreement';
export { type PairStrategy } from './candidateRecord';
export { loadLabelLogs, readLabelLog } from './decisionLog';
export { type DecisionRecord, isPairDecision, isRetraction } from './decisionRecord';
export { exportPreferences, type ExportSummary, PREFERENCE_EXPORT_FORMATS, type PreferenceExportFormat } from './exportPreferences';
export { readGuidelinesFile } from './guidelinesFile';
export { agreementWithJudge, type JudgementsRead, judgeSide, readJudgements, type StoredJudgement } from './judgeSuggestions';
export { defaultLogPath, detectInputKind, type LabelingInput, type LabelingInputKind, type OpenedInput, openLabelingInput } from './labelingInput';
export { LabelStore } from './labelStore';
export { type MergeRule } from './merge';
export { type Choice, type Strength } from './pair';
export { LabelingSession } from './session';
export { type SessionFilter, type SessionState } from './sessionState';
export { type ModelResult, winRatesFromStore } from './winRates';
export { type DiffSegment, wordDiff } from './wordDiff';
