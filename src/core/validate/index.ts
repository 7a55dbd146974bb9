/** Validation: of a whole file (pipeline) and of an open document as it is edited (incremental). The only way into this area from src/cli, src/extension and src/protocol. */
export { capProblems, hiddenSummary } from './displayCap';
export { type DocumentLines, IncrementalValidator, type TextChange } from './incremental';
export { validateFile, type ValidationResult } from './pipeline';
