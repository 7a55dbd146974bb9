/**
 * Which trainer will read a dataset, inferred from the trainer configs and scripts around it: an
 * Axolotl, torchtune, LLaMA-Factory or ms-swift YAML config, an ms-swift command line in a shell
 * script, an xtuner Python config or a TRL script that names the file. Configs are only read as
 * text (YAML parsed with the `yaml` library, scripts matched with regular expressions), never run.
 * Relative paths are resolved the ways the trainers resolve them: against the folder the command
 * runs in (taken as the workspace folder) and against the config's own folder.
 */
import * as path from 'node:path';
import type { TrainerId } from '../base/trainerId';
import { yamlConfigReferences } from './yamlConfigs';
import { scriptConfigReferences } from './scriptConfigs';
import type { ConfigContext, NamedDataset } from './configParsing';

export interface ConfigReference {
  trainer: TrainerId;
  /** The config or script that names the dataset. */
  config: string;
  /** 1-based line of the name in the config. */
  line: number;
  /** The name as written. */
  raw: string;
  /** Absolute paths the name may stand for (several when the trainer's working folder is unknown). */
  candidates: string[];
}

/** Larger files are not configs: skipped. */
export const MAX_CONFIG_BYTES = 1 << 20;

/** True when a file name can be a trainer config or script that this module reads. */
export function isConfigCandidate(file: string): boolean {
  return /\.(ya?ml|py|sh)$/i.test(file);
}

/** Hub ids, URLs and globs name no local file. */
function looksLocal(raw: string): boolean {
  // A home folder (~) is the user's, not the workspace's: not resolved.
  if (raw === '' || raw.startsWith('~') || /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || /[*?[\]{}]/.test(raw)) return false;
  return /\.(jsonl|json|parquet|csv|arrow)$/i.test(raw) || raw.startsWith('.') || raw.startsWith('/');
}

/** The dataset files a config or script names; [] for anything else (or anything unreadable). */
export function configReferences(configPath: string, text: string, ctx: ConfigContext): ConfigReference[] {
  if (text.length > MAX_CONFIG_BYTES || text.includes('\u0000')) return [];
  let found: NamedDataset[];
  try {
    found = /\.ya?ml$/i.test(configPath) ? yamlConfigReferences(configPath, text, ctx) : scriptConfigReferences(configPath, text);
  } catch {
    // A config that does not parse names nothing; the trainer will say why when it runs.
    return [];
  }
  const dir = path.dirname(configPath);
  const out: ConfigReference[] = [];
  for (const f of found) {
    let candidates: string[];
    if (f.resolved !== undefined) candidates = [f.resolved];
    else {
      if (!looksLocal(f.raw)) continue;
      candidates = path.isAbsolute(f.raw) ? [path.normalize(f.raw)] : [...new Set([...ctx.roots, dir].map((r) => path.resolve(r, f.raw)))];
    }
    out.push({ trainer: f.trainer, config: configPath, line: f.line, raw: f.raw, candidates });
  }
  return out;
}

/** What the configs say about one dataset file. */
export interface ConfigVerdict {
  /** The trainer, when every config naming the file is for the same one. */
  trainer?: TrainerId;
  /** The references naming the file, in the order given. */
  references: ConfigReference[];
}

/** The trainer the configs name `file` for; undefined when none names it. Configs of different trainers leave it open. */
export function targetFromConfigs(all: readonly ConfigReference[], file: string): ConfigVerdict | undefined {
  const want = path.resolve(file);
  const references = all.filter((r) => r.candidates.includes(want));
  if (references.length === 0) return undefined;
  const trainers = new Set(references.map((r) => r.trainer));
  return trainers.size === 1 ? { trainer: references[0].trainer, references } : { references };
}
