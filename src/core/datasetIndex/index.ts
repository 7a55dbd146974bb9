/** The Dataset View's model: an index of a file's records, queries, record cards, field edits and regex search. The only way into this area from src/cli, src/extension and src/protocol. */
export { type DatasetIndex, type IndexSummary } from './datasetIndex';
export { type JsonPathSegment, stringTokenEdit } from './fieldEdit';
export { FileRecordIndex } from './fileRecordIndex';
export { type ProblemBrief, type RecordCard } from './recordCard';
export { type QueryResult, type RecordQuery } from './recordQuery';
export { TextRecordIndex } from './textRecordIndex';
