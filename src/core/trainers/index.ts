/** Trainer profiles: which trainers exist, and how a finding's severity follows the one that reads the file. */
export { TRAINER_IDS, isTrainerId, parseTrainerId, trainerList, trainerName, type TrainerId } from './trainerIds';
export { readerVerdict, type ReaderContext, type ReaderVerdict } from './readerSeverity';
export { fileLimitFinding, OPENAI_MIN_EXAMPLES, type FileLimitFinding } from './fileLimits';
export { LOSS_KEYS, MESSAGE_KEYS, masksTurn, type MessageKeyProfile, type OtherKeys } from './messageKeys';
export { configReferences, isConfigCandidate, MAX_CONFIG_BYTES, targetFromConfigs, type ConfigContext, type ConfigReference, type ConfigVerdict } from './configReferences';
