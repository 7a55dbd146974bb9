/** Trainer profiles: which trainers exist, and how a finding's severity follows the one that reads the file. */
export { TRAINER_IDS, type TrainerId } from '../base/trainerId';
export { isTrainerId, parseTrainerId, trainerList, trainerName } from './trainerIds';
export { readerVerdict, readerVerdictFor, type ReaderContext, type ReaderVerdict } from './readerSeverity';
export { LOSS_KEYS, MESSAGE_KEYS, masksTurn, type MessageKeyProfile, type OtherKeys } from './messageKeys';
