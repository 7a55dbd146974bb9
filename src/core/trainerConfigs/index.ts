/** Trainer configs in the workspace: which trainer reads a dataset file, from the configs that name it. */
export { configReferences, isConfigCandidate, MAX_CONFIG_BYTES, targetFromConfigs, type ConfigReference, type ConfigVerdict } from './configReferences';
export { type ConfigContext } from './configParsing';
export { yamlTrainingOptions, type ConfigTrainingOptions } from './trainingOptions';
