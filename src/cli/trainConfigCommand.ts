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
import { parseFormatOption } from './validateCommand';
import * as count from './counts';
import * as l10n from '@vscode/l10n';

function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(l10n.t('{0} needs a number, not "{1}"', option, value));
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
  if (positionals.length !== 1) throw new UsageError(l10n.t('train-config needs exactly one dataset file'));
  const { trainer, method, model, finetuning } = values;
  if (!trainer || !isTrainer(trainer)) throw new UsageError(l10n.t('--trainer must be one of {0}', TRAINERS.join(', ')));
  if (!method || !isMethod(method)) throw new UsageError(l10n.t('--method must be one of {0}', METHODS.join(', ')));
  if (!model || model.trim() === '') throw new UsageError(l10n.t('--model needs a base model id or path (e.g. meta-llama/Llama-3.1-8B-Instruct)'));
  if (finetuning !== undefined && !isFinetuning(finetuning)) throw new UsageError(l10n.t('--finetuning must be one of {0}', FINETUNING.join(', ')));
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
    io.err(l10n.t('pairwise: cannot read {0}: {1}', input, describeFsError(e)) + '\n');
    return EXIT_USAGE;
  }
  if (!inspection.format) {
    io.err(l10n.t('pairwise: the format of {0} could not be detected ({1}); name it with --format', input, inspection.detection.evidence) + '\n');
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
      io.err(l10n.t('pairwise: {0}\n{1}', e.message, ok.length ? l10n.t('Methods for {0}: {1}\n', inspection.format, ok.join(', ')) : ''));
      return EXIT_USAGE;
    }
    throw e;
  }

  if (values['dry-run']) {
    for (const f of plan.files) io.out(`==> ${path.join(plan.outDir, f.path)} <==\n${f.content}\n`);
    if (plan.conversion) io.out(l10n.t('(would convert {0} from {1} to {2} -> {3})', input, plan.conversion.from, plan.conversion.to, plan.conversion.out) + '\n');
    for (const n of plan.notes) io.err(l10n.t('note: {0}', n) + '\n');
    return EXIT_OK;
  }

  try {
    const r = await writeTrainingConfig(plan, { force: values.force ?? false });
    if (r.conversion) {
      const c = r.conversion;
      const v = r.validation;
      const checked = v ? l10n.t('; validated: {0}, {1}', count.errors(v.bySeverity.error), count.warnings(v.bySeverity.warning)) : '';
      io.out(l10n.t('{0}: converted {1} of {2} from {3} to {4}{5}{6}', input, c.written, count.records(c.records), String(c.from), c.to, c.droppedRecords ? l10n.t(', {0} dropped', count.records(c.droppedRecords)) : '', checked) + '\n');
    }
    io.out(l10n.t('wrote {0} for {1} {2} ({3}):\n{4}', count.files(r.written.length), trainer, method, plan.finetuning, describePlan(plan)));
    for (const n of plan.notes) io.err(l10n.t('note: {0}', n) + '\n');
    return r.validation && r.validation.bySeverity.error > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (e instanceof TrainConfigError) {
      io.err(l10n.t('pairwise: {0}', e.message) + '\n');
      return EXIT_FINDINGS;
    }
    io.err(l10n.t('pairwise: cannot write the training files: {0}', describeFsError(e)) + '\n');
    return EXIT_USAGE;
  }
}
