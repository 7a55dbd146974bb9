/** The core's shared vocabulary: findings (Problem, Severity), cancellation, seeded randomness, canonical JSON, trainer ids, file names as printed. The only way into this area from src/cli, src/extension and src/protocol. */
export { AbortedError, isCancellation } from './cancellation';
export { type Problem, type Severity } from './problem';
export { shownPath } from './shownPath';
