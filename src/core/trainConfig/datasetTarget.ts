/**
 * The dataset format each trainer reads for each method, and whether the user's file must be
 * converted to it (through the formats engine) first. Sources the trainer already reads are used
 * as they are, so the config points at the user's own file.
 */
import { datasetInfoEntry } from '../datasetInfo/datasetInfoEntry';
import type { FormatId, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { Method, Trainer } from './methods';
import { TRAINER_TITLES } from './methods';
import * as l10n from '@vscode/l10n';

export interface DatasetTarget {
  /** The format the trainer will read. */
  format: FormatId;
  /** The source must be converted to `format` first. */
  convert: boolean;
  /** Options of the conversion target (e.g. the TRL string shape). */
  toOptions?: FormatOptions;
}

function isStringShape(sample: readonly Record<string, unknown>[], key: string): boolean {
  const first = sample.find((r) => r[key] !== undefined);
  return first !== undefined && typeof first[key] === 'string';
}

/** LLaMA-Factory reads the file as it is when a dataset_info.json entry can describe it. */
function llamaFactoryReads(format: FormatId, sample: readonly Record<string, unknown>[]): boolean {
  try {
    datasetInfoEntry(format, 'x', sample);
    return true;
  } catch {
    return false;
  }
}

const keep = (format: FormatId): DatasetTarget => ({ format, convert: false });
const to = (format: FormatId, toOptions?: FormatOptions): DatasetTarget => ({ format, convert: true, toOptions });

export class UnsupportedCombinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedCombinationError';
  }
}

export function chooseTarget(trainer: Trainer, method: Method, source: FormatId, sample: readonly Record<string, unknown>[]): DatasetTarget {
  const kind = getFormat(source).kind;
  switch (trainer) {
    case 'llamafactory':
      switch (method) {
        case 'sft':
          return kind === 'sft' && llamaFactoryReads(source, sample) ? keep(source) : to('sharegpt');
        case 'rm':
        case 'dpo':
        case 'orpo':
          return kind === 'preference' && llamaFactoryReads(source, sample) ? keep(source) : to('sharegpt-preference');
        case 'kto':
          return source === 'llamafactory-kto' ? keep(source) : to('llamafactory-kto');
        case 'ppo':
          // LLaMA-Factory reads prompts through an alpaca-style "prompt" column (a string); a
          // message-list prompt is flattened to that string shape first.
          return isStringShape(sample, 'prompt') ? keep(source) : to('trl-prompt-only', { variant: 'standard' });
      }
      break;
    case 'trl':
      switch (method) {
        case 'sft':
          return source === 'openai-chat' || source === 'trl-prompt-completion' ? keep(source) : to('openai-chat');
        case 'rm':
          return source === 'trl-preference' || source === 'trl-preference-implicit' ? keep(source) : to('trl-preference');
        case 'dpo':
        case 'orpo':
          return source === 'trl-preference' ? keep(source) : to('trl-preference');
        case 'kto':
          return source === 'trl-unpaired' ? keep(source) : to('trl-unpaired');
        case 'ppo':
          // GRPOTrainer reads a "prompt" column (trl/trainer/grpo_trainer.py); a messages prompt set is rewritten to it.
          return source === 'trl-prompt-only' ? keep(source) : to('trl-prompt-only');
      }
      break;
    case 'axolotl':
      switch (method) {
        case 'sft':
          return source === 'alpaca' || source === 'openai-chat' ? keep(source) : to('openai-chat');
        case 'dpo':
          return source === 'axolotl-chatml-intel' || source === 'axolotl-chatml-prompt-pairs' || source === 'axolotl-chatml-argilla' || source === 'axolotl-chatml-ultra'
            ? keep(source)
            : to('axolotl-chatml-intel');
        case 'orpo':
          // Axolotl's ORPO type chat_template.argilla reads {system?, prompt, chosen: [messages], rejected: [messages]}.
          return source === 'axolotl-chatml-ultra' ? keep(source) : to('axolotl-chatml-ultra');
        case 'kto':
          // Axolotl's KTO types read string prompt/completion and keep the boolean "label" column.
          return source === 'trl-unpaired' && isStringShape(sample, 'prompt') ? keep(source) : to('trl-unpaired', { variant: 'standard' });
        case 'rm':
          throw new UnsupportedCombinationError(
            l10n.t('{0} reward modelling reads its own bradley_terry.chat_template layout ({"input", "chosen", "rejected"}), which Pairwise does not write; use --trainer trl or --trainer llamafactory for a reward model', TRAINER_TITLES.axolotl),
          );
        case 'ppo':
          throw new UnsupportedCombinationError(
            l10n.t('{0} online RL (rl: grpo) needs reward-function and dataset-transform Python modules that Pairwise does not write; use --trainer trl (GRPO script with a reward function to fill in) or --trainer llamafactory (PPO with a reward model)', TRAINER_TITLES.axolotl),
          );
      }
      break;
  }
  throw new UnsupportedCombinationError(l10n.t('{0} has no {1} configuration here', TRAINER_TITLES[trainer], method));
}
