/** `pairwise train-config`: a training config (or script) for LLaMA-Factory, TRL or Axolotl from a dataset, converting the data when the trainer needs another format. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  FINETUNING,
  inspectDataset,
  isFinetuning,
  isMethod,
  isTrainer,
  METHODS,
  planTrainingConfig,
  supportedMethods,
  TrainConfigError,
  TRAINERS,
  writeTrainingConfig,
  type Hyperparameters,
  type TrainingPlan,
} from '../core/trainConfig';
import { describeFsError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { TRAIN_CONFIG_HELP } from './usage';
import { parseFormatOption, plural } from './validateCommand';

function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${option} needs a number, not "${value}"`);
  return n;
}

function describePlan(plan: TrainingPlan): string {
  const lines = plan.files.map((f) => `  ${path.join(plan.outDir, f.path)}\n`);
  if (plan.conversion) lines.unshift(`  ${plan.conversion.out}  (${plan.conversion.from} -> ${plan.conversion.to})\n`);
  return lines.join('');
}

/** `version` is the Pairwise version stamped into the generated files (the CLI reads it from package.json). */
export async function trainConfigCommand(args: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      trainer: { type: 'string' },
      method: { type: 'string' },
      model: { type: 'string' },
      finetuning: { type: 'string' },
      wandb: { type: 'string' },
      'out-dir': { type: 'string' },
      format: { type: 'string' },
      lr: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'grad-accum': { type: 'string' },
      'cutoff-len': { type: 'string' },
      'lora-rank': { type: 'string' },
      'lora-alpha': { type: 'string' },
      'lora-dropout': { type: 'string' },
      beta: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(TRAIN_CONFIG_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('train-config needs exactly one dataset file');
  const { trainer, method, model, finetuning } = values;
  if (!trainer || !isTrainer(trainer)) throw new UsageError(`--trainer must be one of ${TRAINERS.join(', ')}`);
  if (!method || !isMethod(method)) throw new UsageError(`--method must be one of ${METHODS.join(', ')}`);
  if (!model || model.trim() === '') throw new UsageError('--model needs a base model id or path (e.g. meta-llama/Llama-3.1-8B-Instruct)');
  if (finetuning !== undefined && !isFinetuning(finetuning)) throw new UsageError(`--finetuning must be one of ${FINETUNING.join(', ')}`);
  const hyper: Partial<Hyperparameters> = {
    learningRate: numberOption(values.lr, '--lr'),
    epochs: numberOption(values.epochs, '--epochs'),
    batchSize: numberOption(values['batch-size'], '--batch-size'),
    gradientAccumulation: numberOption(values['grad-accum'], '--grad-accum'),
    cutoffLength: numberOption(values['cutoff-len'], '--cutoff-len'),
    loraRank: numberOption(values['lora-rank'], '--lora-rank'),
    loraAlpha: numberOption(values['lora-alpha'], '--lora-alpha'),
    loraDropout: numberOption(values['lora-dropout'], '--lora-dropout'),
    beta: numberOption(values.beta, '--beta'),
  };
  const input = positionals[0];
  const forced = parseFormatOption(values.format, '--format');

  let inspection;
  try {
    inspection = await inspectDataset(input, { format: forced });
  } catch (e) {
    io.err(`pairwise: cannot read ${input}: ${describeFsError(e)}\n`);
    return EXIT_USAGE;
  }
  if (!inspection.format) {
    io.err(`pairwise: the format of ${input} could not be detected (${inspection.detection.evidence}); name it with --format\n`);
    return EXIT_USAGE;
  }

  let plan: TrainingPlan;
  try {
    plan = planTrainingConfig({
      dataset: input,
      format: inspection.format,
      sample: inspection.sample,
      trainer,
      method,
      model,
      finetuning,
      wandbProject: values.wandb,
      outDir: values['out-dir'],
      hyper,
      pairwiseVersion: version,
    });
  } catch (e) {
    if (e instanceof TrainConfigError) {
      const ok = supportedMethods(inspection.format);
      io.err(`pairwise: ${e.message}\n${ok.length ? `Methods for ${inspection.format}: ${ok.join(', ')}\n` : ''}`);
      return EXIT_USAGE;
    }
    throw e;
  }

  if (values['dry-run']) {
    for (const f of plan.files) io.out(`==> ${path.join(plan.outDir, f.path)} <==\n${f.content}\n`);
    if (plan.conversion) io.out(`(would convert ${input} from ${plan.conversion.from} to ${plan.conversion.to} -> ${plan.conversion.out})\n`);
    for (const n of plan.notes) io.err(`note: ${n}\n`);
    return EXIT_OK;
  }

  try {
    const r = await writeTrainingConfig(plan, { force: values.force ?? false });
    if (r.conversion) {
      const c = r.conversion;
      const v = r.validation;
      const checked = v ? `; validated: ${plural(v.bySeverity.error, 'error')}, ${plural(v.bySeverity.warning, 'warning')}` : '';
      io.out(`${input}: converted ${c.written} of ${plural(c.records, 'record')} from ${c.from} to ${c.to}${c.droppedRecords ? `, ${plural(c.droppedRecords, 'record')} dropped` : ''}${checked}\n`);
    }
    io.out(`wrote ${plural(r.written.length, 'file')} for ${trainer} ${method} (${plan.finetuning}):\n${describePlan(plan)}`);
    for (const n of plan.notes) io.err(`note: ${n}\n`);
    return r.validation && r.validation.bySeverity.error > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (e instanceof TrainConfigError) {
      io.err(`pairwise: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    io.err(`pairwise: cannot write the training files: ${describeFsError(e)}\n`);
    return EXIT_USAGE;
  }
}
