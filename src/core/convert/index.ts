/** Converting a dataset file from one format to another. The only way into this area from src/cli, src/extension and src/protocol. */
export { convertFile, type ConvertResult, defaultOutputPath } from './convertFile';
