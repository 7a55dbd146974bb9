/**
 * LLaMA-Factory's dataset_info.json, in one place: reading its entries into a format, the entry for a
 * dataset file, registering a file, editing the text in place, and the update after a preference
 * export. The only way into this area from src/cli, src/extension and src/protocol.
 */
export { findDatasetInfoFormat, parseDatasetInfo } from './datasetInfoRead';
export { withDatasetInfoEntry } from './datasetInfoEdit';
export { datasetInfoEntry, entryForFile, registerDataset, NotLoadableError, type DatasetInfoEntry, type RegisterOptions, type RegisterResult } from './datasetInfoEntry';
export { updateDatasetInfo, type DatasetInfoUpdate } from './exportUpdate';
