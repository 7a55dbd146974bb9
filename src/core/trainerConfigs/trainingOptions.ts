/**
 * What a trainer's YAML config sets about loss and length, for the trainer's view of a dataset
 * (core/chatTemplate): the length limit and the options that change which tokens are trained, each
 * with the line that set it. The trainer is told from the config's keys (yamlNodes.yamlTrainer).
 *
 * - LLaMA-Factory (hparams/data_args.py): `cutoff_len` (default 2048, one less with `packing` or
 *   `neat_packing`, as its __post_init__ does), `train_on_prompt`, `mask_history`.
 * - Axolotl (prompt_strategies/chat_template.py StrategyLoader): top-level `sequence_len` and
 *   `train_on_inputs`; per dataset entry `roles_to_train` and `train_on_eos`.
 * - torchtune (recipe configs): `tokenizer.max_seq_len`, `dataset.train_on_input`.
 * - ms-swift (Command-line-parameters.md): `max_length`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { TrainerId } from '../base/trainerId';
import { axolotlDatasets, get, maps, strings, yamlTrainer } from './yamlNodes';

export interface ConfigTrainingOptions {
  trainer: TrainerId;
  maxLength?: number;
  trainOnPrompt?: boolean;
  maskHistory?: boolean;
  rolesToTrain?: string[];
  /** Axolotl train_on_eos as written ("turn", "all", "last"; false reads as "none"). */
  trainOnEos?: string;
  /** The 1-based line of each option the config sets. */
  lines: Partial<Record<'maxLength' | 'trainOnPrompt' | 'maskHistory' | 'rolesToTrain' | 'trainOnEos', number>>;
}

function scalar(n: unknown): unknown {
  return isScalar(n) ? n.value : undefined;
}

/**
 * The options a YAML config sets; undefined when it is not a trainer config. `namesFile` picks the
 * Axolotl dataset entry whose `path` or `data_files` names the dataset (the first entry otherwise).
 */
export function yamlTrainingOptions(text: string, namesFile: (raw: string) => boolean = () => false): ConfigTrainingOptions | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const root = doc.contents;
  const trainer = yamlTrainer(root);
  if (!trainer) return undefined;
  const out: ConfigTrainingOptions = { trainer, lines: {} };
  const lineOf = (n: unknown): number => ((n as Node | undefined)?.range ? lc.linePos((n as Node).range![0]).line : 1);
  const int = (map: YAMLMap | undefined, key: string, field: 'maxLength'): void => {
    const n = map ? get(map, key) : undefined;
    const v = scalar(n);
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
      out[field] = v;
      out.lines[field] = lineOf(n);
    }
  };
  const bool = (map: YAMLMap | undefined, key: string, field: 'trainOnPrompt' | 'maskHistory'): void => {
    const n = map ? get(map, key) : undefined;
    const v = scalar(n);
    if (typeof v === 'boolean') {
      out[field] = v;
      out.lines[field] = lineOf(n);
    }
  };
  switch (trainer) {
    case 'llamafactory': {
      int(root, 'cutoff_len', 'maxLength');
      out.maxLength ??= 2048;
      if (scalar(get(root, 'packing')) === true || scalar(get(root, 'neat_packing')) === true) out.maxLength -= 1;
      bool(root, 'train_on_prompt', 'trainOnPrompt');
      bool(root, 'mask_history', 'maskHistory');
      break;
    }
    case 'axolotl': {
      int(root, 'sequence_len', 'maxLength');
      bool(root, 'train_on_inputs', 'trainOnPrompt');
      const entries = axolotlDatasets(root);
      const entry = entries.find((m) => [...strings(get(m, 'path')), ...strings(get(m, 'data_files'))].some((f) => namesFile(f.raw))) ?? entries[0];
      const roles = entry ? get(entry, 'roles_to_train') : undefined;
      if (isSeq(roles)) {
        out.rolesToTrain = roles.items.map(scalar).filter((r): r is string => typeof r === 'string');
        out.lines.rolesToTrain = lineOf(roles);
      }
      const eosNode = entry ? get(entry, 'train_on_eos') : undefined;
      const eos = scalar(eosNode);
      if (typeof eos === 'string' || eos === false) {
        out.trainOnEos = eos === false ? 'none' : eos;
        out.lines.trainOnEos = lineOf(eosNode);
      }
      break;
    }
    case 'torchtune': {
      int(maps(get(root, 'tokenizer'))[0], 'max_seq_len', 'maxLength');
      bool(maps(get(root, 'dataset'))[0], 'train_on_input', 'trainOnPrompt');
      break;
    }
    case 'ms-swift':
      int(root, 'max_length', 'maxLength');
      break;
    default:
      break;
  }
  return out;
}
