/** Reading the node tree of a trainer's YAML config (never toJS: aliases are not expanded). */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { TrainerId } from '../base/trainerId';

export type Found = { raw: string; node: Node };

export function get(map: YAMLMap, key: string): unknown {
  for (const p of map.items) if (isScalar(p.key) && p.key.value === key) return p.value;
  return undefined;
}

/** The strings of a scalar, a list of scalars, or a mapping of them (`data_files: {train: x}`). */
export function strings(n: unknown): Found[] {
  if (isScalar(n)) return typeof n.value === 'string' ? [{ raw: n.value, node: n }] : [];
  if (isSeq(n) || isMap(n)) {
    const out: Found[] = [];
    for (const item of n.items) out.push(...strings(isMap(n) ? (item as { value: unknown }).value : item));
    return out;
  }
  return [];
}

export function hasTorchtuneComponent(n: unknown, depth = 0): boolean {
  if (depth > 6) return false;
  if (isMap(n)) {
    for (const p of n.items) {
      if (isScalar(p.key) && p.key.value === '_component_' && isScalar(p.value) && String(p.value.value).startsWith('torchtune.')) return true;
      if (hasTorchtuneComponent(p.value, depth + 1)) return true;
    }
  } else if (isSeq(n)) {
    for (const item of n.items) if (hasTorchtuneComponent(item, depth + 1)) return true;
  }
  return false;
}

export function maps(n: unknown): YAMLMap[] {
  if (isMap(n)) return [n];
  if (isSeq(n)) return n.items.filter((x): x is YAMLMap => isMap(x));
  return [];
}

/** Axolotl's dataset entries: `datasets`, `test_datasets` and `pretraining_dataset` maps. */
export function axolotlDatasets(root: YAMLMap): YAMLMap[] {
  return ['datasets', 'test_datasets', 'pretraining_dataset'].flatMap((k) => maps(get(root, k)));
}

/**
 * Which trainer a YAML config is for, told from its keys (see yamlConfigs.ts for the sources):
 * torchtune by a `torchtune.` component, LLaMA-Factory by `stage` / `finetuning_type` /
 * `dataset_dir`, Axolotl by dataset entries with a `path` (or a `pretraining_dataset` path),
 * ms-swift by `model` / `train_type` / `rlhf_type`.
 */
export function yamlTrainer(root: YAMLMap): TrainerId | undefined {
  if (hasTorchtuneComponent(root)) return 'torchtune';
  if (get(root, 'stage') !== undefined || get(root, 'finetuning_type') !== undefined || get(root, 'dataset_dir') !== undefined) return 'llamafactory';
  if (axolotlDatasets(root).some((m) => get(m, 'path') !== undefined) || isScalar(get(root, 'pretraining_dataset'))) return 'axolotl';
  if (get(root, 'model') !== undefined || get(root, 'train_type') !== undefined || get(root, 'rlhf_type') !== undefined) return 'ms-swift';
  return undefined;
}
