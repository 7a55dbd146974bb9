/**
 * Axolotl: a YAML for `axolotl train`. Keys follow Axolotl's docs (rlhf.qmd: `rl`, `rl_beta`,
 * `orpo_alpha`, dataset types per method; dataset-formats/conversation.qmd: `chat_template`,
 * `field_messages`; dataset_loading.qmd: local `path` + `ds_type: json`) and its examples
 * (examples/llama-3/qlora.yml, lora-1b.yml: `adapter`, `load_in_4bit`, `lora_r`,
 * `lora_target_linear`, `sequence_len`, `micro_batch_size`, `optimizer`, `lr_scheduler`).
 */
import type { FormatId } from '../formats/formatModule';
import { isLlama3Family } from './llamaFactoryTemplate';
import { commentLines, type PlanContext } from './planContext';
import type { PlannedFile } from './planContext';
import { emitYaml, float, type YamlLine, type YamlMap } from './yamlEmitter';
import * as l10n from '@vscode/l10n';

/** The DPO / KTO dataset types for a preference or unpaired format; the prefix picks the prompt wrapping. */
const DPO_TYPES: Partial<Record<FormatId, string>> = {
  'axolotl-chatml-intel': 'intel',
  'axolotl-chatml-prompt-pairs': 'prompt_pairs',
  'axolotl-chatml-argilla': 'argilla',
  'axolotl-chatml-ultra': 'ultra',
};

function datasetEntry(ctx: PlanContext, prefix: string): YamlMap {
  const d: YamlMap = { path: ctx.trainingRel, ds_type: 'json', split: 'train' };
  switch (ctx.method) {
    case 'sft':
      if (ctx.trainingFormat === 'alpaca') {
        d.type = 'alpaca';
      } else {
        d.type = 'chat_template';
        d.field_messages = 'messages';
      }
      break;
    case 'dpo':
      d.type = `${prefix}.${DPO_TYPES[ctx.trainingFormat] ?? 'intel'}`;
      break;
    case 'orpo':
      d.type = 'chat_template.argilla';
      break;
    case 'kto':
      d.type = `${prefix}.prompt_pairs`;
      break;
    default:
      throw new Error(l10n.t('no Axolotl dataset type for {0}', ctx.method));
  }
  return d;
}

export function axolotlFiles(ctx: PlanContext): PlannedFile[] {
  const { method, finetuning, hyper: h } = ctx;
  const name = `axolotl_${method}_${finetuning}.yaml`;
  // chatml.* types wrap prompts in ChatML tokens, llama3.* in Llama 3's: pick the one the model speaks.
  const prefix = isLlama3Family(ctx.model) ? 'llama3' : 'chatml';
  const wrapsPrompt = method === 'dpo' || method === 'kto';
  if (wrapsPrompt && prefix === 'chatml') {
    ctx.notes.push(`Axolotl ${method}: the chatml.* dataset type formats prompts with ChatML tokens (<|im_start|>…); check that ${ctx.model} uses ChatML (Qwen does) or add the tokens`);
  }

  const lines: YamlLine[] = [{ key: 'base_model', value: ctx.model }];
  if (finetuning === 'qlora') lines.push({ key: 'load_in_4bit', value: true });
  if (method !== 'sft') {
    lines.push({ blank: true }, { key: 'rl', value: method });
    if (method === 'dpo' || method === 'kto') lines.push({ key: 'rl_beta', value: float(h.beta) });
    if (method === 'orpo') lines.push({ key: 'orpo_alpha', value: float(h.beta) });
    if (method === 'orpo' || method === 'kto') lines.push({ key: 'remove_unused_columns', value: false });
  }
  if (method === 'orpo' || (method === 'sft' && ctx.trainingFormat !== 'alpaca')) {
    lines.push({ key: 'chat_template', value: 'tokenizer_default_fallback_chatml', comment: "the model's own chat template, ChatML when it has none" });
  }
  lines.push({ blank: true }, { key: 'datasets', value: [datasetEntry(ctx, prefix)] });
  lines.push({ key: 'dataset_prepared_path', value: 'last_run_prepared' });
  lines.push({ key: 'val_set_size', value: 0 });
  lines.push({ key: 'output_dir', value: `./outputs/${ctx.runName}` });

  lines.push({ blank: true });
  if (finetuning !== 'full') {
    lines.push({ key: 'adapter', value: finetuning });
    lines.push({ key: 'lora_r', value: h.loraRank });
    lines.push({ key: 'lora_alpha', value: h.loraAlpha });
    lines.push({ key: 'lora_dropout', value: float(h.loraDropout) });
    lines.push({ key: 'lora_target_linear', value: true });
    lines.push({ blank: true });
  }
  lines.push({ key: 'sequence_len', value: h.cutoffLength });
  lines.push({ key: 'micro_batch_size', value: h.batchSize });
  lines.push({ key: 'gradient_accumulation_steps', value: h.gradientAccumulation });
  lines.push({ key: 'num_epochs', value: float(h.epochs) });
  lines.push({ key: 'optimizer', value: finetuning === 'qlora' ? 'paged_adamw_32bit' : 'adamw_torch' });
  lines.push({ key: 'lr_scheduler', value: 'cosine' });
  lines.push({ key: 'learning_rate', value: float(h.learningRate) });
  lines.push({ key: 'warmup_ratio', value: float(0.1) });
  lines.push({ key: 'bf16', value: 'auto' });
  lines.push({ key: 'gradient_checkpointing', value: true });
  lines.push({ key: 'logging_steps', value: 10 });
  if (ctx.wandbProject) {
    lines.push({ blank: true });
    lines.push({ key: 'wandb_project', value: ctx.wandbProject });
    lines.push({ key: 'wandb_name', value: ctx.runName });
  }

  const head = commentLines([
    ...ctx.header,
    `Axolotl ${method === 'sft' ? 'SFT' : method.toUpperCase()} (${finetuning}). Run from this folder: axolotl train ${name}`,
    'Paths are relative to this folder.',
  ]);
  return [{ path: name, content: head + emitYaml(lines), role: 'config' }];
}
