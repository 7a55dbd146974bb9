/**
 * TRL: one Python script per run. Trainer and config classes and their arguments follow TRL's
 * current docs (dpo_trainer, reward_trainer, kto_trainer, grpo_trainer, sft_trainer,
 * migration_v0_to_v1): `processing_class`, `max_length`, `beta`; ORPO and KTO live in
 * `trl.experimental` since TRL 0.29 (the script falls back to the old import). Prompt-only data
 * trains with GRPOTrainer, the online method TRL keeps in its stable API (PPOTrainer moved to
 * trl.experimental.ppo), with a reward function the user must write.
 */
import type { Method } from './methods';
import { commentLines, type PlanContext } from './planContext';
import type { PlannedFile } from './planContext';
import { pyString } from './pythonLiteral';

interface TrainerSpec {
  trainer: string;
  config: string;
  /** Import path in current TRL, and the pre-0.29 one when it moved. */
  module: string;
  legacyModule?: string;
}

const SPECS: Record<Method, TrainerSpec> = {
  sft: { trainer: 'SFTTrainer', config: 'SFTConfig', module: 'trl' },
  rm: { trainer: 'RewardTrainer', config: 'RewardConfig', module: 'trl' },
  dpo: { trainer: 'DPOTrainer', config: 'DPOConfig', module: 'trl' },
  orpo: { trainer: 'ORPOTrainer', config: 'ORPOConfig', module: 'trl.experimental.orpo', legacyModule: 'trl' },
  kto: { trainer: 'KTOTrainer', config: 'KTOConfig', module: 'trl.experimental.kto', legacyModule: 'trl' },
  ppo: { trainer: 'GRPOTrainer', config: 'GRPOConfig', module: 'trl' },
};

const py = pyString;

/** A Python float literal that round-trips the number. */
function pyNumber(n: number): string {
  return String(n);
}

export function trlFiles(ctx: PlanContext): PlannedFile[] {
  const { method, finetuning, hyper: h } = ctx;
  const spec = SPECS[method];
  const scriptName = `train_${method}_${finetuning}.py`;
  const adapter = finetuning !== 'full';
  const rm = method === 'rm';
  const lines: string[] = [];
  const w = (s = '') => lines.push(s);

  const title = method === 'ppo' ? 'GRPO (online RL from prompts)' : spec.trainer.replace('Trainer', '');
  const head = commentLines([
    ...ctx.header,
    `TRL ${title} (${finetuning}). Run: accelerate launch ${scriptName}   (or: python ${scriptName})`,
    `Needs: pip install "trl>=0.29" datasets${adapter ? ' peft' : ''}${finetuning === 'qlora' ? ' bitsandbytes' : ''}${ctx.wandbProject ? ' wandb' : ''}`,
  ]);

  w('from pathlib import Path');
  if (ctx.wandbProject) w('import os');
  w();
  w('import torch');
  w('from datasets import load_dataset');
  if (adapter) w('from peft import LoraConfig');
  const tf = [rm ? 'AutoModelForSequenceClassification' : 'AutoModelForCausalLM', 'AutoTokenizer'];
  if (finetuning === 'qlora') tf.push('BitsAndBytesConfig');
  w(`from transformers import ${tf.join(', ')}`);
  if (spec.legacyModule) {
    w('try:');
    w(`    from ${spec.module} import ${spec.config}, ${spec.trainer}`);
    w('except ImportError:  # TRL before 0.29');
    w(`    from ${spec.legacyModule} import ${spec.config}, ${spec.trainer}`);
  } else {
    w(`from ${spec.module} import ${spec.config}, ${spec.trainer}`);
  }
  w();
  w('HERE = Path(__file__).resolve().parent');
  w(`MODEL_ID = ${py(ctx.model)}`);
  w(`DATA_FILE = HERE / ${py(ctx.trainingRel)}`);
  w(`OUTPUT_DIR = HERE / "outputs" / ${py(ctx.runName)}`);
  if (ctx.wandbProject) {
    w();
    w(`os.environ.setdefault("WANDB_PROJECT", ${py(ctx.wandbProject)})`);
  }
  w();
  w('train_dataset = load_dataset("json", data_files=str(DATA_FILE), split="train")');
  w();
  w('tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)');
  if (rm) {
    w('if tokenizer.pad_token is None:');
    w('    tokenizer.pad_token = tokenizer.eos_token');
  }
  w();
  const modelArgs = ['MODEL_ID'];
  if (rm) modelArgs.push('num_labels=1');
  modelArgs.push('dtype=torch.bfloat16');
  if (finetuning === 'qlora') {
    w('quantization_config = BitsAndBytesConfig(');
    w('    load_in_4bit=True,');
    w('    bnb_4bit_quant_type="nf4",');
    w('    bnb_4bit_compute_dtype=torch.bfloat16,');
    w(')');
    modelArgs.push('quantization_config=quantization_config');
  }
  w(`model = ${rm ? 'AutoModelForSequenceClassification' : 'AutoModelForCausalLM'}.from_pretrained(${modelArgs.join(', ')})`);
  if (rm) w('model.config.pad_token_id = tokenizer.pad_token_id');
  w();
  if (adapter) {
    w('peft_config = LoraConfig(');
    w(`    r=${h.loraRank},`);
    w(`    lora_alpha=${h.loraAlpha},`);
    w(`    lora_dropout=${pyNumber(h.loraDropout)},`);
    w('    target_modules="all-linear",');
    if (rm) {
      w('    task_type="SEQ_CLS",');
      w('    modules_to_save=["score"],  # train the new reward head too');
    } else {
      w('    task_type="CAUSAL_LM",');
    }
    w(')');
    w();
  }
  if (method === 'ppo') {
    w();
    w('def reward_placeholder(completions, **kwargs):');
    w('    """TODO: return one float per completion (higher is better).');
    w('');
    w('    GRPO generates several completions per prompt and learns from how their rewards compare.');
    w('    Dataset columns other than "prompt" arrive as keyword arguments. See TRL\'s GRPO docs.');
    w('    """');
    w('    raise NotImplementedError("write the reward function in reward_placeholder() before training")');
    w();
    w();
  }
  w(`training_args = ${spec.config}(`);
  w('    output_dir=str(OUTPUT_DIR),');
  w(`    learning_rate=${pyNumber(h.learningRate)},`);
  w(`    num_train_epochs=${pyNumber(h.epochs)},`);
  w(`    per_device_train_batch_size=${h.batchSize},`);
  w(`    gradient_accumulation_steps=${h.gradientAccumulation},`);
  w('    lr_scheduler_type="cosine",');
  w('    warmup_ratio=0.1,');
  w('    bf16=True,');
  w('    gradient_checkpointing=True,');
  w('    logging_steps=10,');
  if (method === 'ppo') {
    w(`    max_completion_length=${Math.min(512, h.cutoffLength)},`);
  } else {
    w(`    max_length=${h.cutoffLength},`);
  }
  if (method === 'dpo' || method === 'kto' || method === 'orpo') w(`    beta=${pyNumber(h.beta)},${method === 'orpo' ? '  # ORPO\'s lambda (weight of the odds-ratio loss)' : ''}`);
  if (ctx.wandbProject) {
    w('    report_to="wandb",');
    w(`    run_name=${py(ctx.runName)},`);
  } else {
    w('    report_to="none",');
  }
  w(')');
  w();
  const targs = ['    model=model,', '    args=training_args,', '    train_dataset=train_dataset,', '    processing_class=tokenizer,'];
  if (method === 'ppo') targs.splice(1, 0, '    reward_funcs=reward_placeholder,');
  if (adapter) targs.push('    peft_config=peft_config,');
  w(`trainer = ${spec.trainer}(`);
  for (const t of targs) w(t);
  w(')');
  w('trainer.train()');
  w('trainer.save_model(str(OUTPUT_DIR))');

  if (method === 'ppo') ctx.notes.push('TRL: prompt-only data trains with GRPOTrainer (TRL keeps GRPO in its stable API; PPOTrainer moved to trl.experimental.ppo). The script stops until reward_placeholder() is written');
  if (method === 'kto' && h.batchSize < 2) ctx.notes.push('TRL KTO estimates its KL term within a batch: per_device_train_batch_size must be greater than 1');
  return [{ path: scriptName, content: head + lines.join('\n') + '\n', role: 'script' }];
}
