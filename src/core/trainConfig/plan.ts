/**
 * planTrainingConfig: every file of a training handoff (config or script, dataset_info.json for
 * LLaMA-Factory) and the conversion the dataset needs, computed without touching the disk, so it
 * can be shown, tested and then written by writeTrainingConfig.
 */
import * as path from 'node:path';
import type { FormatId, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import { axolotlFiles } from './axolotlConfig';
import { chooseTarget, UnsupportedCombinationError } from './datasetTarget';
import { llamaFactoryFiles } from './llamaFactoryConfig';
import { isFinetuning, isMethod, isTrainer, TRAINER_TITLES, unsupportedReason, type Finetuning, type Method, type Trainer } from './methods';
import { resolveHyperparameters, type Hyperparameters, type TrainConfigOptions } from './options';
import { commentValue, safeName, versionLine, type PlanContext, type PlannedFile } from './planContext';
import { trlFiles } from './trlScript';
import * as l10n from '@vscode/l10n';

export interface PlannedConversion {
  from: FormatId;
  to: FormatId;
  /** The converted file (absolute when outDir is). */
  out: string;
  toOptions?: FormatOptions;
}

export interface TrainingPlan {
  trainer: Trainer;
  method: Method;
  finetuning: Finetuning;
  model: string;
  hyper: Hyperparameters;
  outDir: string;
  dataset: { path: string; format: FormatId; trainingFile: string; trainingFormat: FormatId };
  files: PlannedFile[];
  conversion?: PlannedConversion;
  notes: string[];
}

export class TrainConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainConfigError';
  }
}

const posix = (p: string) => p.split(path.sep).join('/');

function shortModelName(model: string): string {
  const parts = model.split(/[\\/]/).filter((p) => p !== '');
  return safeName(parts[parts.length - 1] ?? model);
}

/** The sample as the trainer will read it: converted in memory when the plan converts the file. */
function convertSample(from: FormatId, to: FormatId, toOptions: FormatOptions | undefined, sample: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const src = getFormat(from);
  const dst = getFormat(to);
  const out: Record<string, unknown>[] = [];
  for (const r of sample) {
    try {
      const res = dst.fromCanonical(src.toCanonical(r), toOptions);
      if (res.record) out.push(res.record);
    } catch {
      /* a record the conversion drops; the real conversion reports it */
    }
  }
  return out;
}

export function planTrainingConfig(opts: TrainConfigOptions): TrainingPlan {
  const { trainer, method, format } = opts;
  if (!isTrainer(trainer)) throw new TrainConfigError(l10n.t('unknown trainer "{0}" (llamafactory, trl or axolotl)', String(trainer)));
  if (!isMethod(method)) throw new TrainConfigError(l10n.t('unknown method "{0}" (sft, rm, ppo, dpo, orpo or kto)', String(method)));
  const finetuning = opts.finetuning ?? 'lora';
  if (!isFinetuning(finetuning)) throw new TrainConfigError(l10n.t('unknown finetuning "{0}" (full, lora or qlora)', String(finetuning)));
  getFormat(format);
  const model = opts.model.trim();
  if (model === '' || /[\r\n]/.test(model)) throw new TrainConfigError(l10n.t('the base model must be a model id or path on one line'));
  if (opts.wandbProject !== undefined && (opts.wandbProject.trim() === '' || /[\r\n]/.test(opts.wandbProject))) throw new TrainConfigError(l10n.t('the wandb project must be a name on one line'));
  const why = unsupportedReason(format, method);
  if (why) throw new TrainConfigError(l10n.t('cannot train {0} on this dataset: {1}', method, why));

  let hyper: Hyperparameters;
  try {
    hyper = resolveHyperparameters(method, finetuning, opts.hyper);
  } catch (e) {
    throw new TrainConfigError((e as Error).message);
  }
  const sample = opts.sample ?? [];
  let target;
  try {
    target = chooseTarget(trainer, method, format, sample);
  } catch (e) {
    if (e instanceof UnsupportedCombinationError) throw new TrainConfigError(e.message);
    throw e;
  }

  const ext = path.extname(opts.dataset);
  const base = path.basename(opts.dataset, ext);
  const outDir = opts.outDir ?? path.join(path.dirname(opts.dataset), `${safeName(base)}-${trainer}-${method}`);
  const trainingFile = target.convert ? path.join(outDir, `${safeName(base)}.${target.format}.jsonl`) : opts.dataset;
  const trainingRel = posix(path.relative(path.resolve(outDir), path.resolve(trainingFile)));
  const datasetRel = posix(path.relative(path.resolve(outDir), path.resolve(opts.dataset)));
  const trainingSample = target.convert ? convertSample(format, target.format, target.toOptions, sample) : [...sample];

  const header = [versionLine(opts.pairwiseVersion, opts.generatedAt ?? new Date().toISOString()), `Dataset: ${commentValue(datasetRel)} (${format})`];
  if (target.convert) header.push(`Converted by Pairwise to ${commentValue(trainingRel)} (${target.format}), the format ${TRAINER_TITLES[trainer]} ${method} reads`);
  const datasetName = safeName(path.basename(trainingFile, path.extname(trainingFile)));
  const notes: string[] = [];
  const ctx: PlanContext = {
    trainer,
    method,
    model,
    finetuning,
    hyper,
    wandbProject: opts.wandbProject?.trim(),
    trainingFormat: target.format,
    trainingOptions: target.toOptions,
    trainingSample,
    trainingRel,
    datasetName,
    modelShort: shortModelName(model),
    runName: safeName(`${base}-${method}-${finetuning}`),
    header,
    notes,
  };
  if (target.convert) notes.push(l10n.t('{0} {1} reads {2}: the dataset is converted to {3} when the files are written', TRAINER_TITLES[trainer], method, target.format, posix(trainingFile)));

  let files: PlannedFile[];
  switch (trainer) {
    case 'llamafactory':
      try {
        files = llamaFactoryFiles(ctx);
      } catch (e) {
        throw new TrainConfigError(l10n.t('LLaMA-Factory cannot read the training file: {0}', (e as Error).message));
      }
      break;
    case 'trl':
      files = trlFiles(ctx);
      break;
    case 'axolotl':
      files = axolotlFiles(ctx);
      break;
  }
  return {
    trainer,
    method,
    finetuning,
    model,
    hyper,
    outDir,
    dataset: { path: opts.dataset, format, trainingFile, trainingFormat: target.format },
    files,
    conversion: target.convert ? { from: format, to: target.format, out: trainingFile, toOptions: target.toOptions } : undefined,
    notes,
  };
}
