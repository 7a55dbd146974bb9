/** What the user chooses for a training config, and the defaults filled in for what they leave out. */
import type { FormatId } from '../formats/formatModule';
import type { Finetuning, Method, Trainer } from './methods';
import * as l10n from '@vscode/l10n';

export interface Hyperparameters {
  learningRate: number;
  epochs: number;
  /** Per device. */
  batchSize: number;
  gradientAccumulation: number;
  /** Tokens per example (prompt + answer); longer examples are truncated. */
  cutoffLength: number;
  loraRank: number;
  loraAlpha: number;
  loraDropout: number;
  /** DPO/KTO beta, ORPO lambda (TRL `beta`, LLaMA-Factory `pref_beta`, Axolotl `rl_beta` / `orpo_alpha`). */
  beta: number;
}

export interface TrainConfigOptions {
  /** The dataset file as the user named it. */
  dataset: string;
  /** Its format (detected or forced). */
  format: FormatId;
  /** Some of its records, to see optional columns (system, history, tools) and the TRL shape; may be empty. */
  sample?: readonly Record<string, unknown>[];
  trainer: Trainer;
  method: Method;
  /** Base model: a Hugging Face id or a local path. */
  model: string;
  /** Default lora. */
  finetuning?: Finetuning;
  /** A Weights & Biases project turns on wandb logging. */
  wandbProject?: string;
  /** Where the files go; default `<dataset folder>/<dataset name>-<trainer>-<method>`. */
  outDir?: string;
  hyper?: Partial<Hyperparameters>;
  /** The Pairwise version written into every file's header. */
  pairwiseVersion: string;
  /** ISO timestamp for the header; default now. */
  generatedAt?: string;
}

/** Learning rates by method and by whether all weights train (adapters take ~10x larger steps). */
const LEARNING_RATES: Record<Method, { full: number; adapter: number }> = {
  sft: { full: 1e-5, adapter: 1e-4 },
  rm: { full: 1e-5, adapter: 1e-4 },
  ppo: { full: 1e-6, adapter: 1e-5 },
  dpo: { full: 5e-7, adapter: 5e-6 },
  orpo: { full: 5e-7, adapter: 5e-6 },
  kto: { full: 5e-7, adapter: 5e-6 },
};

export function defaultHyperparameters(method: Method, finetuning: Finetuning): Hyperparameters {
  const lr = LEARNING_RATES[method];
  return {
    learningRate: finetuning === 'full' ? lr.full : lr.adapter,
    epochs: method === 'ppo' ? 1 : 3,
    // TRL's KTO estimates its KL term from mismatched pairs within a batch: it needs more than one example per device.
    batchSize: method === 'kto' ? 2 : 1,
    gradientAccumulation: method === 'kto' ? 4 : 8,
    cutoffLength: 2048,
    loraRank: 8,
    loraAlpha: 16,
    loraDropout: 0.05,
    beta: 0.1,
  };
}

/** Checks user-given values; throws with the field named. */
export function resolveHyperparameters(method: Method, finetuning: Finetuning, given: Partial<Hyperparameters> = {}): Hyperparameters {
  const h = { ...defaultHyperparameters(method, finetuning) };
  for (const [k, v] of Object.entries(given) as [keyof Hyperparameters, number | undefined][]) {
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(l10n.t('{0} must be a number', k));
    h[k] = v;
  }
  const positive: (keyof Hyperparameters)[] = ['learningRate', 'epochs', 'batchSize', 'gradientAccumulation', 'cutoffLength', 'loraRank', 'loraAlpha', 'beta'];
  for (const k of positive) if (!(h[k] > 0)) throw new Error(l10n.t('{0} must be greater than 0 (got {1})', k, h[k]));
  const integers: (keyof Hyperparameters)[] = ['batchSize', 'gradientAccumulation', 'cutoffLength', 'loraRank', 'loraAlpha'];
  for (const k of integers) if (!Number.isInteger(h[k])) throw new Error(l10n.t('{0} must be a whole number (got {1})', k, h[k]));
  if (h.loraDropout < 0 || h.loraDropout >= 1) throw new Error(l10n.t('loraDropout must be at least 0 and below 1 (got {0})', h.loraDropout));
  return h;
}
