/** The dataset formats: their ids, modules and rules, the registry, and the rule catalog. The only way into this area from src/cli, src/extension and src/protocol. */
export { FORMAT_IDS, type FormatId, type FormatModule, type FormatOptions } from './formatModule';
export { allFormats, getFormat, isFormatId } from './registry';
export { ruleInfo } from './ruleCatalog';
