/**
 * Which training methods a dataset can feed, and the choices the generator offers (trainers,
 * methods, full / LoRA / QLoRA, model suggestions). A dataset's record kind decides its methods:
 * SFT data trains SFT; prompt-only data feeds online RL (PPO, or GRPO in current TRL); paired
 * preferences train a reward model, DPO or ORPO; unpaired (KTO-style) labels train KTO.
 */
import type { FormatId } from '../formats/formatModule';
import { getFormat, isFormatId } from '../formats/registry';
import type { CanonicalType } from '../model';
import * as l10n from '@vscode/l10n';

export const TRAINERS = ['llamafactory', 'trl', 'axolotl'] as const;
export type Trainer = (typeof TRAINERS)[number];

export const METHODS = ['sft', 'rm', 'ppo', 'dpo', 'orpo', 'kto'] as const;
export type Method = (typeof METHODS)[number];

export const FINETUNING = ['full', 'lora', 'qlora'] as const;
export type Finetuning = (typeof FINETUNING)[number];

export const TRAINER_TITLES: Record<Trainer, string> = { llamafactory: 'LLaMA-Factory', trl: 'TRL', axolotl: 'Axolotl' };

/** Getters: read when shown, after the language is configured (this module loads before that). */
export const METHOD_TITLES: Record<Method, string> = {
  get sft() {
    return l10n.t('supervised fine-tuning (SFT)');
  },
  get rm() {
    return l10n.t('reward model (RM)');
  },
  get ppo() {
    return l10n.t('online RL from prompts (PPO)');
  },
  dpo: 'DPO',
  orpo: 'ORPO',
  kto: 'KTO',
};

/** A few base models to offer; any Hugging Face model id (or local path) is accepted. */
export const MODEL_SUGGESTIONS: readonly string[] = [
  'meta-llama/Llama-3.1-8B-Instruct',
  'meta-llama/Llama-3.2-3B-Instruct',
  'Qwen/Qwen2.5-7B-Instruct',
  'Qwen/Qwen3-4B-Instruct-2507',
  'mistralai/Mistral-7B-Instruct-v0.3',
  'google/gemma-2-9b-it',
  'microsoft/Phi-3.5-mini-instruct',
];

/** Prompt sets with no answers: TRL's prompt-only type and messages ending with the user (ms-swift GRPO, OpenAI RFT). */
const PROMPT_ONLY: ReadonlySet<string> = new Set(['trl-prompt-only', 'rl-prompt-messages']);

function isPromptOnly(formatOrKind: string): boolean {
  return PROMPT_ONLY.has(formatOrKind);
}

/** Methods a record kind can feed (prompt-only data is told apart by its format id). */
const BY_KIND: Partial<Record<CanonicalType, readonly Method[]>> = {
  sft: ['sft'],
  preference: ['rm', 'dpo', 'orpo'],
  unpaired: ['kto'],
};

/**
 * The methods a dataset of this format (or record kind) supports, in METHODS order. Prompt-only
 * data has no answers to imitate, so it feeds only online RL; text, stepwise, ranked and
 * candidates data feed none of the methods offered here (rank or label them into pairs first).
 */
export function supportedMethods(formatOrKind: FormatId | CanonicalType): Method[] {
  if (isPromptOnly(formatOrKind)) return ['ppo'];
  const kind: CanonicalType = isFormatId(formatOrKind) ? getFormat(formatOrKind).kind : formatOrKind;
  return [...(BY_KIND[kind] ?? [])];
}

/** Why a format cannot train with a method, in words; undefined when it can. */
export function unsupportedReason(format: FormatId, method: Method): string | undefined {
  const ok = supportedMethods(format);
  if (ok.includes(method)) return undefined;
  const f = getFormat(format);
  const what = isPromptOnly(format) ? l10n.t('prompt-only data (no answers)') : l10n.t('{0} data', f.kind);
  const offer = ok.length > 0 ? l10n.t('it supports {0}', ok.join(', ')) : l10n.t('no training method offered here reads it directly');
  const hint =
    method === 'ppo' && f.kind === 'sft'
      ? l10n.t('; PPO needs prompt-only data: convert it with "pairwise convert FILE --to trl-prompt-only --allow-lossy" (the answers are dropped)')
      : f.kind === 'ranked' || f.kind === 'candidates'
        ? l10n.t('; label or rank it into preference pairs first')
        : '';
  return l10n.t('{0} ({1}) is {2}: {3} needs {4}, and {5}{6}', format, f.title, what, method, needsFor(method), offer, hint);
}

function needsFor(m: Method): string {
  switch (m) {
    case 'sft':
      return l10n.t('conversations or instruction/answer records');
    case 'ppo':
      return l10n.t('prompt-only records (trl-prompt-only)');
    case 'kto':
      return l10n.t('unpaired records with a boolean label (trl-unpaired, llamafactory-kto)');
    default:
      return l10n.t('preference pairs (chosen / rejected)');
  }
}

export function isTrainer(s: string): s is Trainer {
  return (TRAINERS as readonly string[]).includes(s);
}
export function isMethod(s: string): s is Method {
  return (METHODS as readonly string[]).includes(s);
}
export function isFinetuning(s: string): s is Finetuning {
  return (FINETUNING as readonly string[]).includes(s);
}
