/** The curation API the CLI and the VS Code commands call. */
export { computeStats, recordsInBin, type ChartId, type StatsOptions, type StatsReport, type StatsResult, type TokenMode } from './computeStats';
export { statsToMarkdown, histogramBars } from './statsMarkdown';
export { svgBarChart, escapeXml, type BarDatum, type BarChartOptions } from './svgBarChart';
export { dedupeFile, type DedupeOptions } from './dedupe';
export { type DedupeResult, type RemovedRecord } from './dedupeTypes';
export { splitFile, exactCounts, type SplitOptions, type SplitResult } from './split';
export { filterFile, type FilterCriteria, type FilterField, type FilterOptions, type FilterResult } from './filter';
export { sampleFile, Reservoir, type SampleOptions, type SampleResult } from './sample';
export { mergeFiles, type MergeOptions, type MergeResult, type MergeSource } from './merge';
export { datasetInfoEntry, entryForFile, registerDataset, NotLoadableError, type DatasetInfoEntry, type RegisterOptions, type RegisterResult } from './datasetInfo';
export type { CurateRunOptions, FormatChoice } from './datasetScan';
