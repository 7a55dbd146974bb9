/**
 * Dataset names in the YAML configs of Axolotl, torchtune, LLaMA-Factory and ms-swift, with the
 * line each is on. Which trainer a config is for is told from its keys:
 * - torchtune: a `_component_` under `torchtune.` (recipes' configs); the dataset's `data_files`
 *   when `source` is a local loader (torchtune/datasets/_sft.py `SFTDataset(source, **load_dataset_kwargs)`);
 * - LLaMA-Factory: `stage` / `finetuning_type` / `dataset_dir` (hparams/data_args.py, finetuning_args.py);
 *   `dataset` and `eval_dataset` are comma-separated names of `dataset_dir/dataset_info.json` entries;
 * - Axolotl: `datasets` / `test_datasets` lists of `{path, data_files?, type}` (docs/dataset_loading.qmd),
 *   and `pretraining_dataset`, a hub id or a list of `{path: json, data_files: [...]}`
 *   (docs/dataset-formats/index.qmd "Pre-training from local dataset files");
 * - ms-swift: `dataset` / `val_dataset` lists next to `model` or `train_type` / `rlhf_type`
 *   (docs/source_en/Instruction/Command-line-parameters.md); a `#N` suffix samples N rows.
 */
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { axolotlDatasets, get, maps, strings, yamlTrainer, type Found } from './yamlNodes';
import { parseDatasetInfo } from '../datasetInfo/datasetInfoRead';
import type { ConfigContext, NamedDataset } from './configParsing';
import type { TrainerId } from '../base/trainerId';

export function yamlConfigReferences(file: string, text: string, ctx: ConfigContext): NamedDataset[] {
  const lc = new LineCounter();
  // Only the node tree is walked (never toJS), so aliases are not expanded: no "billion laughs".
  // A config with errors names nothing.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const root = doc.contents;
  const lineOf = (n: Node) => (n.range ? lc.linePos(n.range[0]).line : 1);
  const named = (trainer: TrainerId, found: Found[], strip = false): NamedDataset[] =>
    found.map((f) => ({ trainer, line: lineOf(f.node), raw: strip ? f.raw.replace(/#\d+$/, '') : f.raw }));

  switch (yamlTrainer(root)) {
    case 'torchtune':
      return maps(get(root, 'dataset')).flatMap((m) => named('torchtune', strings(get(m, 'data_files'))));
    case 'llamafactory':
      return llamaFactoryDatasets(file, root, ctx, lineOf);
    case 'axolotl': {
      const fromMaps = axolotlDatasets(root).flatMap((m) => named('axolotl', [...strings(get(m, 'path')), ...strings(get(m, 'data_files'))]));
      // `pretraining_dataset: some/path`: the docs give a hub id here, but a local file loads the same way.
      const pretrainingPath = get(root, 'pretraining_dataset');
      const fromScalar = isScalar(pretrainingPath) ? named('axolotl', strings(pretrainingPath)) : [];
      return [...fromMaps, ...fromScalar].sort((a, b) => a.line - b.line);
    }
    case 'ms-swift':
      return ['dataset', 'val_dataset'].flatMap((k) => named('ms-swift', strings(get(root, k)), true));
    default:
      break;
  }
  return [];
}

/** `dataset: a,b` names entries of dataset_info.json in `dataset_dir` (default `data`), looked up from each root. */
function llamaFactoryDatasets(file: string, root: YAMLMap, ctx: ConfigContext, lineOf: (n: Node) => number): NamedDataset[] {
  const dirNode = get(root, 'dataset_dir');
  const datasetDir = isScalar(dirNode) && typeof dirNode.value === 'string' ? dirNode.value : 'data';
  const out: NamedDataset[] = [];
  for (const key of ['dataset', 'eval_dataset']) {
    for (const f of strings(get(root, key))) {
      for (const name of f.raw.split(',').map((s) => s.trim()).filter(Boolean)) {
        for (const base of new Set([...ctx.roots, path.dirname(file)])) {
          const infoDir = path.resolve(base, datasetDir);
          const text = ctx.readDatasetInfo?.(infoDir);
          const entry = text === undefined ? undefined : parseDatasetInfo(text)?.[name];
          if (typeof entry?.file_name === 'string') out.push({ trainer: 'llamafactory', line: lineOf(f.node), raw: name, resolved: path.resolve(infoDir, entry.file_name) });
        }
      }
    }
  }
  return out;
}
