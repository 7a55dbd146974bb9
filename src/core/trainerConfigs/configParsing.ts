/** What the config parsers (yamlConfigs.ts, scriptConfigs.ts) take and return, before configReferences.ts resolves paths. */
import type { TrainerId } from '../base/trainerId';

/** What a parser found before paths are resolved. */
export interface NamedDataset {
  trainer: TrainerId;
  line: number;
  raw: string;
  /** A path to resolve (the default), or a file already resolved (a dataset_info.json entry). */
  resolved?: string;
}

export interface ConfigContext {
  /** Folders a relative path may be relative to, besides the config's own (the workspace folder). */
  roots: readonly string[];
  /** The text of `dir/dataset_info.json`, if there is one (LLaMA-Factory names datasets through it). */
  readDatasetInfo?: (dir: string) => string | undefined;
}
