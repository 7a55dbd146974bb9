/** The training-handoff API: which methods a dataset supports, the plan of files for a trainer, and writing it. */
export { supportedMethods, unsupportedReason, MODEL_SUGGESTIONS, TRAINERS, METHODS, FINETUNING, TRAINER_TITLES, METHOD_TITLES, isTrainer, isMethod, isFinetuning, type Trainer, type Method, type Finetuning } from './methods';
export { defaultHyperparameters, resolveHyperparameters, type Hyperparameters, type TrainConfigOptions } from './options';
export { planTrainingConfig, TrainConfigError, type TrainingPlan, type PlannedConversion } from './plan';
export { type PlannedFile } from './planContext';
export { writeTrainingConfig, inspectDataset, planClashes, type PlanClashes, type WriteOptions, type WriteResult, type DatasetInspection } from './writeConfig';
export { llamaFactoryTemplate } from './llamaFactoryTemplate';
