/** Reading and writing dataset files safely: JSON Lines readers, output paths and locks, atomic writes. The only way into this area from src/cli, src/extension and src/protocol. */
export { writeFileAtomic } from './atomicWrite';
export { recordValueOf } from './bareMessageList';
export { isParquetFileName } from './sourceRecord';
export { withOutputLocks } from './outputLock';
export { OutputClaims, refuseUnsafeOutputs, samePath } from './outputPaths';
export { ensureOutputDir } from './writeTargets';
