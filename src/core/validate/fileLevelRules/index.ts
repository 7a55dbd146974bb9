/** The file-level rules: one module per rule, the registry, and the streaming and editable rule sets built on it. */
export { contradictingPreference, contradictionKey, type ContradictionKey } from './contradictingPreference';
export { DuplicateIndex, duplicateRecord, fileByteFetcher, sameBytes, sampledHash, trimJson } from './duplicateRecord';
export { EditableFileLevelRules, keyAt, KeyCollector, recordKeys, type Finding, type RecordKeys } from './editableRules';
export { fileLimitProblem } from './fileLimit';
export type { ByteFetcher, FileLevelRule, KeyInput, RecordAccess, RuleStage } from './fileLevelRule';
export { collectKeys, FILE_LEVEL_RULE_IDS, FILE_LEVEL_RULES, findingProblem } from './registry';
export { FileLevelRules, reserveRuleIndexes, type FileLevelHandler } from './streamingRules';
export { UNKNOWN_FORMAT, unknownFormatProblem } from './unknownFormat';
