/**
 * The trainers Pairwise knows by id: part of the core's vocabulary, since a Problem names the
 * trainers its verdict applies to. Names, aliases and parsing live in trainers/trainerIds.ts.
 */
export const TRAINER_IDS = ['openai', 'trl', 'llamafactory', 'axolotl', 'torchtune', 'ms-swift', 'xtuner'] as const;

export type TrainerId = (typeof TRAINER_IDS)[number];
