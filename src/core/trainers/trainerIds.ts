/**
 * The trainers Pairwise knows by name: the programs that will read a dataset file. Validation takes
 * one of them as the file's target; its severity then follows what that trainer does with a record.
 */
import * as l10n from '@vscode/l10n';
import { TRAINER_IDS, type TrainerId } from '../base/trainerId';


/** Names users type for a trainer beyond its id (Unsloth builds on TRL's trainers and data types). */
const ALIASES: Readonly<Record<string, TrainerId>> = {
  'openai-fine-tuning': 'openai',
  unsloth: 'trl',
  'llama-factory': 'llamafactory',
  swift: 'ms-swift',
  msswift: 'ms-swift',
};

export function isTrainerId(v: unknown): v is TrainerId {
  return typeof v === 'string' && (TRAINER_IDS as readonly string[]).includes(v);
}

/** A trainer id from user input (case-insensitive, aliases such as `unsloth` → `trl`), or undefined. */
export function parseTrainerId(v: string): TrainerId | undefined {
  const k = v.trim().toLowerCase();
  if (isTrainerId(k)) return k;
  return Object.prototype.hasOwnProperty.call(ALIASES, k) ? ALIASES[k] : undefined;
}

/** The trainer's name as its users write it, for messages. */
export function trainerName(id: TrainerId): string {
  switch (id) {
    case 'openai':
      // Names stay as their projects write them, in every language (as in the trainers' own messages).
      return 'OpenAI fine-tuning';
    case 'trl':
      return 'TRL';
    case 'llamafactory':
      return 'LLaMA-Factory';
    case 'axolotl':
      return 'Axolotl';
    case 'torchtune':
      return 'torchtune';
    case 'ms-swift':
      return 'ms-swift';
    case 'xtuner':
      return 'xtuner';
  }
}

/** "A, B and C" in the message language. */
export function trainerList(ids: readonly TrainerId[]): string {
  const names = ids.map(trainerName);
  if (names.length <= 1) return names.join('');
  const head = names.slice(0, -1).reduce((a, b) => l10n.t('{0}, {1}', a, b));
  return l10n.t('{0} and {1}', head, names[names.length - 1]);
}
