/**
 * LLaMA-Factory: a dataset_info.json entry (built by the curate module's writer) and a training
 * YAML for `llamafactory-cli train`. Keys follow LLaMA-Factory's examples/train_lora,
 * train_qlora and train_full YAMLs and its hparams (model_args, finetuning_args: `pref_beta`,
 * `pref_loss` in sigmoid|orpo|…, `quantization_method` bnb).
 */
import { datasetInfoEntry, type DatasetInfoEntry } from '../datasetInfo/datasetInfoEntry';
import { llamaFactoryTemplate } from './llamaFactoryTemplate';
import type { Method } from './methods';
import { commentLines, commentValue, type PlanContext } from './planContext';
import type { PlannedFile } from './planContext';
import { emitYaml, float, type YamlLine } from './yamlEmitter';

const STAGES: Record<Method, string> = { sft: 'sft', rm: 'rm', ppo: 'ppo', dpo: 'dpo', orpo: 'dpo', kto: 'kto' };

/** The entry that makes LLaMA-Factory read the training file. */
export function llamaFactoryEntry(ctx: PlanContext): DatasetInfoEntry {
  if (ctx.trainingFormat === 'trl-prompt-only') {
    // Prompt-only strings read as alpaca-style prompts without answers (LLaMA-Factory's unsupervised examples, used by PPO).
    return { file_name: ctx.trainingRel, columns: { prompt: 'prompt' } };
  }
  return datasetInfoEntry(ctx.trainingFormat, ctx.trainingRel, ctx.trainingSample);
}

export function llamaFactoryFiles(ctx: PlanContext): PlannedFile[] {
  const { method, finetuning, hyper: h } = ctx;
  const entry = llamaFactoryEntry(ctx);
  const yamlName = `llamafactory_${method}_${finetuning}.yaml`;
  const tpl = llamaFactoryTemplate(ctx.model);
  if (!tpl.matched) ctx.notes.push(`LLaMA-Factory template: no rule matched "${ctx.model}"; "default" was written. Set "template" to the model's chat format (see LLaMA-Factory's README table of models and templates)`);

  const lines: YamlLine[] = [{ section: 'model' }, { key: 'model_name_or_path', value: ctx.model }, { key: 'trust_remote_code', value: true }];
  if (finetuning === 'qlora') {
    lines.push({ key: 'quantization_bit', value: 4 });
    lines.push({ key: 'quantization_method', value: 'bnb', comment: 'bitsandbytes (spelt "bitsandbytes" in older LLaMA-Factory releases)' });
  }
  if (method === 'ppo') {
    lines.push({ key: 'reward_model', value: `saves/${ctx.modelShort}/${finetuning === 'full' ? 'full' : 'lora'}/rm`, comment: 'TODO: the reward model (or adapter) trained with stage: rm' });
    ctx.notes.push('LLaMA-Factory PPO needs a reward model: train one first (--method rm on preference data) and point reward_model at it');
  }

  lines.push({ blank: true }, { section: 'method' });
  lines.push({ key: 'stage', value: STAGES[method] });
  lines.push({ key: 'do_train', value: true });
  lines.push({ key: 'finetuning_type', value: finetuning === 'full' ? 'full' : 'lora' });
  if (finetuning !== 'full') {
    lines.push({ key: 'lora_rank', value: h.loraRank });
    lines.push({ key: 'lora_alpha', value: h.loraAlpha });
    lines.push({ key: 'lora_dropout', value: float(h.loraDropout) });
    lines.push({ key: 'lora_target', value: 'all' });
  }
  if (method === 'dpo' || method === 'orpo' || method === 'kto') lines.push({ key: 'pref_beta', value: float(h.beta) });
  if (method === 'dpo') lines.push({ key: 'pref_loss', value: 'sigmoid' });
  if (method === 'orpo') lines.push({ key: 'pref_loss', value: 'orpo', comment: 'ORPO runs as stage dpo with the orpo loss (no reference model)' });

  lines.push({ blank: true }, { section: 'dataset' });
  lines.push({ key: 'dataset', value: ctx.datasetName, comment: 'the entry in dataset_info.json beside this file' });
  lines.push({ key: 'dataset_dir', value: '.' });
  lines.push({ key: 'template', value: tpl.template, comment: tpl.matched ? undefined : 'TODO: check: no template rule matched this model' });
  lines.push({ key: 'cutoff_len', value: h.cutoffLength });
  lines.push({ key: 'overwrite_cache', value: true });
  lines.push({ key: 'preprocessing_num_workers', value: 16 });

  lines.push({ blank: true }, { section: 'output' });
  lines.push({ key: 'output_dir', value: `saves/${ctx.modelShort}/${finetuning}/${method}` });
  lines.push({ key: 'logging_steps', value: 10 });
  lines.push({ key: 'save_steps', value: 500 });
  lines.push({ key: 'plot_loss', value: true });
  lines.push({ key: 'overwrite_output_dir', value: true });
  if (ctx.wandbProject) {
    lines.push({ key: 'report_to', value: 'wandb', comment: `export WANDB_PROJECT=${commentValue(ctx.wandbProject)} before training` });
    lines.push({ key: 'run_name', value: ctx.runName });
  } else {
    lines.push({ key: 'report_to', value: 'none' });
  }

  lines.push({ blank: true }, { section: 'train' });
  lines.push({ key: 'per_device_train_batch_size', value: h.batchSize });
  lines.push({ key: 'gradient_accumulation_steps', value: h.gradientAccumulation });
  lines.push({ key: 'learning_rate', value: float(h.learningRate) });
  lines.push({ key: 'num_train_epochs', value: float(h.epochs) });
  lines.push({ key: 'lr_scheduler_type', value: 'cosine' });
  lines.push({ key: 'warmup_ratio', value: float(0.1) });
  lines.push({ key: 'bf16', value: true });
  lines.push({ key: 'ddp_timeout', value: 180000000 });
  if (method === 'ppo') {
    lines.push({ blank: true }, { section: 'generate' });
    lines.push({ key: 'max_new_tokens', value: 512 });
    lines.push({ key: 'top_k', value: 0 });
    lines.push({ key: 'top_p', value: float(0.9) });
  }

  const head = commentLines([
    ...ctx.header,
    `LLaMA-Factory ${method === 'orpo' ? 'ORPO' : STAGES[method]} (${finetuning}). Run from this folder: llamafactory-cli train ${yamlName}`,
    'Paths are relative to this folder; dataset_info.json here registers the dataset.',
  ]);
  return [
    { path: 'dataset_info.json', content: JSON.stringify({ [ctx.datasetName]: entry }, null, 2) + '\n', role: 'dataset-info', datasetInfo: { name: ctx.datasetName, entry } },
    { path: yamlName, content: head + emitYaml(lines), role: 'config' },
  ];
}
