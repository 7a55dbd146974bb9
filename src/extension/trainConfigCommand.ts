/**
 * "Pairwise: Create Training Config": a dataset → trainer, method (only those its type supports),
 * base model, full / LoRA / QLoRA, hyperparameters and wandb, in one multi-step quick input → the
 * config or script (and converted dataset) written by the core, the main file opened. With an
 * argument object nothing is asked (tests, other commands); existing files are then only
 * overwritten with `overwrite: true`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AbortedError } from '../core/base';
import type { FormatId } from '../core/formats';
import { isFormatId } from '../core/formats';
import {
  defaultHyperparameters,
  inspectDataset,
  METHOD_TITLES,
  METHODS,
  MODEL_SUGGESTIONS,
  planClashes,
  planTrainingConfig,
  resolveHyperparameters,
  supportedMethods,
  TRAINER_TITLES,
  TRAINERS,
  unsupportedReason,
  writeTrainingConfig,
  type Finetuning,
  type Hyperparameters,
  type Method,
  type Trainer,
  type TrainingPlan,
  type WriteResult,
} from '../core/trainConfig';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { pickDatasetFile } from './labelingCommands';
import { diskPath } from './diskPath';
import { MultiStepInput, type InputStep } from './quickInputSteps';

export interface CreateTrainingConfigArgs {
  /** The dataset file (path or file URI). Default: the active editor's, else the user picks one. */
  dataset?: string | vscode.Uri;
  /** Overrides the format the status bar would use (user choice, dataset_info.json, detection). */
  format?: FormatId;
  trainer?: Trainer;
  method?: Method;
  model?: string;
  finetuning?: Finetuning;
  hyper?: Partial<Hyperparameters>;
  /** A Weights & Biases project; empty or absent = no wandb logging. */
  wandbProject?: string;
  outDir?: string;
  /** Without UI: replace existing files (default false: refuse and name them). */
  overwrite?: boolean;
  /** Open the main file when done (default true). */
  open?: boolean;
}

export interface CreateTrainingConfigResult {
  plan: TrainingPlan;
  write: WriteResult;
  /** The config or script the user runs. */
  mainFile: string;
}

interface Choices {
  trainer: Trainer;
  method: Method;
  model: string;
  finetuning: Finetuning;
  hyper: Hyperparameters;
  wandbProject?: string;
}

const HYPER_KEYS: readonly (keyof Hyperparameters)[] = ['learningRate', 'epochs', 'batchSize', 'gradientAccumulation', 'cutoffLength', 'loraRank', 'loraAlpha', 'loraDropout', 'beta'];

function hyperLabel(k: keyof Hyperparameters): string {
  switch (k) {
    case 'learningRate':
      return vscode.l10n.t('Learning rate');
    case 'epochs':
      return vscode.l10n.t('Epochs');
    case 'batchSize':
      return vscode.l10n.t('Batch size per device');
    case 'gradientAccumulation':
      return vscode.l10n.t('Gradient accumulation steps');
    case 'cutoffLength':
      return vscode.l10n.t('Cutoff length (tokens per example)');
    case 'loraRank':
      return vscode.l10n.t('LoRA rank');
    case 'loraAlpha':
      return vscode.l10n.t('LoRA alpha');
    case 'loraDropout':
      return vscode.l10n.t('LoRA dropout');
    case 'beta':
      return vscode.l10n.t('Beta (DPO/KTO beta, ORPO lambda)');
  }
}

/** The hyperparameters that matter for this method and fine-tuning type. */
export function relevantHyper(method: Method, finetuning: Finetuning): (keyof Hyperparameters)[] {
  return HYPER_KEYS.filter((k) => {
    if (k.startsWith('lora')) return finetuning !== 'full';
    if (k === 'beta') return method === 'dpo' || method === 'orpo' || method === 'kto';
    return true;
  });
}

function hyperSummary(h: Hyperparameters, method: Method, finetuning: Finetuning): string {
  const keys = relevantHyper(method, finetuning);
  const parts = [vscode.l10n.t('lr {0}', h.learningRate), vscode.l10n.t('epochs {0}', h.epochs), vscode.l10n.t('batch {0} × {1}', h.batchSize, h.gradientAccumulation), vscode.l10n.t('cutoff {0}', h.cutoffLength)];
  if (keys.includes('loraRank')) parts.push(vscode.l10n.t('LoRA r {0} α {1}', h.loraRank, h.loraAlpha));
  if (keys.includes('beta')) parts.push(vscode.l10n.t('beta {0}', h.beta));
  return parts.join(', ');
}

function finetuningLabel(f: Finetuning): string {
  return f === 'full' ? vscode.l10n.t('Full fine-tuning') : f === 'lora' ? vscode.l10n.t('LoRA') : vscode.l10n.t('QLoRA (4-bit)');
}

function finetuningDetail(f: Finetuning): string {
  return f === 'full'
    ? vscode.l10n.t('All weights train: the most memory')
    : f === 'lora'
      ? vscode.l10n.t('Small adapters on a frozen model (PEFT)')
      : vscode.l10n.t('LoRA on a 4-bit quantized model (bitsandbytes): the least memory');
}

/** Methods this trainer can run on this dataset (Axolotl has no reward model layout, for one). */
function methodsFor(trainer: Trainer, format: FormatId, sample: readonly Record<string, unknown>[]): Method[] {
  return supportedMethods(format).filter((method) => {
    try {
      planTrainingConfig({ dataset: 'x.jsonl', format, sample, trainer, method, model: 'm', pairwiseVersion: '0' });
      return true;
    } catch {
      return false;
    }
  });
}

function mainFileOf(plan: TrainingPlan): string {
  const f = plan.files.find((x) => x.role !== 'dataset-info') ?? plan.files[0];
  return path.resolve(plan.outDir, f.path);
}

function toPath(d: string | vscode.Uri): string {
  if (typeof d !== 'string') return diskPath(d);
  return d.startsWith('file:') ? vscode.Uri.parse(d).fsPath : d;
}

/** The active dataset: the text editor's file, else the tab's (custom editors such as the Dataset View). */
function activeDataset(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && /\.jsonl?$/i.test(doc.uri.fsPath)) return doc.uri.fsPath;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    if (input.uri.scheme === 'file' && /\.jsonl?$/i.test(input.uri.fsPath)) return input.uri.fsPath;
  }
  return undefined;
}

const TOTAL_STEPS = 6;

/** The wizard: six steps of one multi-step input; Back returns to the previous step with its choice kept. */
async function askChoices(format: FormatId, sample: readonly Record<string, unknown>[], given: CreateTrainingConfigArgs, fileName: string): Promise<Choices | undefined> {
  const title = vscode.l10n.t('Create Training Config: {0}', fileName);
  let trainer = given.trainer;
  let method = given.method;
  let model = given.model;
  let finetuning = given.finetuning;
  let hyper: Hyperparameters | undefined;
  let wandb = given.wandbProject;

  const pickTrainer: InputStep = async (flow) => {
    type Item = vscode.QuickPickItem & { id: Trainer };
    const items: Item[] = TRAINERS.map((id) => ({
      id,
      label: TRAINER_TITLES[id],
      detail: id === 'llamafactory' ? vscode.l10n.t('A training YAML and its dataset_info.json entry') : id === 'trl' ? vscode.l10n.t('A short Python script with the matching TRL trainer') : vscode.l10n.t('A YAML config with the matching dataset type'),
    }));
    trainer = (await flow.showQuickPick({ title, step: 1, totalSteps: TOTAL_STEPS, items, active: items.find((i) => i.id === trainer), placeholder: vscode.l10n.t('Which trainer will run on your GPU machine?') })).id;
    return pickMethod;
  };
  const pickMethod: InputStep = async (flow) => {
    const t = trainer!;
    const offered = methodsFor(t, format, sample);
    const forData = supportedMethods(format);
    if (offered.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: {0} has no layout for {1} on {2} data; choose another trainer.', TRAINER_TITLES[t], forData.join(', '), format));
      return pickTrainer;
    }
    type Item = vscode.QuickPickItem & { id: Method };
    const items: Item[] = offered.map((id) => ({ id, label: METHOD_TITLES[id], description: id }));
    // Quick picks cannot show disabled items: the methods left out, and why, go in the placeholder.
    const why: string[] = [];
    const notForData = METHODS.filter((m) => !forData.includes(m));
    const notForTrainer = forData.filter((m) => !offered.includes(m));
    if (notForData.length > 0) why.push(vscode.l10n.t('{0} data cannot train {1}', format, notForData.join(', ')));
    if (notForTrainer.length > 0) why.push(vscode.l10n.t('{0} has no layout for {1}', TRAINER_TITLES[t], notForTrainer.join(', ')));
    const placeholder = why.length > 0 ? vscode.l10n.t('Training method ({0})', why.join('; ')) : vscode.l10n.t('Training method');
    const r = await flow.showQuickPick({ title, step: 2, totalSteps: TOTAL_STEPS, items, active: items.find((i) => i.id === method), placeholder });
    if (r.id !== method) hyper = undefined;
    method = r.id;
    return pickModel;
  };
  const pickModel: InputStep = async (flow) => {
    type Item = vscode.QuickPickItem & { id: string };
    const items: Item[] = MODEL_SUGGESTIONS.map((id) => ({ id, label: id }));
    const typed = (v: string): Item | undefined => {
      const id = v.trim();
      return id === '' || MODEL_SUGGESTIONS.includes(id) ? undefined : { id, label: id, description: vscode.l10n.t('your model id or local path'), alwaysShow: true };
    };
    model = (
      await flow.showQuickPick({
        title,
        step: 3,
        totalSteps: TOTAL_STEPS,
        items,
        typed,
        active: items.find((i) => i.id === model),
        value: model !== undefined && !MODEL_SUGGESTIONS.includes(model) ? model : undefined,
        placeholder: vscode.l10n.t('Base model: pick one or type any Hugging Face model id or local path'),
      })
    ).id;
    return pickFinetuning;
  };
  const pickFinetuning: InputStep = async (flow) => {
    type Item = vscode.QuickPickItem & { id: Finetuning };
    const items: Item[] = (['full', 'lora', 'qlora'] as const).map((id) => ({ id, label: finetuningLabel(id), detail: finetuningDetail(id) }));
    const r = await flow.showQuickPick({ title, step: 4, totalSteps: TOTAL_STEPS, items, active: items.find((i) => i.id === (finetuning ?? 'lora')), placeholder: vscode.l10n.t('Which weights train?') });
    if (r.id !== finetuning) hyper = undefined;
    finetuning = r.id;
    return pickHyper;
  };
  const pickHyper: InputStep = async (flow) => {
    const m = method!;
    const f = finetuning!;
    const current = hyper ?? resolveHyperparameters(m, f, given.hyper);
    type Item = vscode.QuickPickItem & { id: 'defaults' | 'edit' };
    const items: Item[] = [
      { id: 'defaults', label: hyper ? vscode.l10n.t('Use these values') : vscode.l10n.t('Use defaults'), description: hyperSummary(current, m, f) },
      { id: 'edit', label: vscode.l10n.t('Edit…'), description: vscode.l10n.t('change each value') },
    ];
    const r = await flow.showQuickPick({ title, step: 5, totalSteps: TOTAL_STEPS, items, placeholder: vscode.l10n.t('Hyperparameters') });
    if (r.id === 'defaults') {
      hyper = current;
      return askWandb;
    }
    // One input per value; after the last, this list comes back with "Use these values" first.
    return editHyper(m, f, { ...current }, title, (edited) => {
      hyper = edited;
      return pickHyper;
    });
  };
  const askWandb: InputStep = async (flow) => {
    const r = await flow.showInputBox({
      title,
      step: 6,
      totalSteps: TOTAL_STEPS,
      prompt: vscode.l10n.t('Weights & Biases project for logging; leave empty for no wandb'),
      placeholder: vscode.l10n.t('e.g. my-dpo-runs (empty = off)'),
      value: wandb ?? '',
      validate: (v) => (/[\r\n]/.test(v) ? vscode.l10n.t('One line, please') : undefined),
    });
    wandb = r.trim();
  };
  if (!(await MultiStepInput.run(pickTrainer))) return undefined;
  return { trainer: trainer!, method: method!, model: model!, finetuning: finetuning!, hyper: hyper!, wandbProject: wandb || undefined };
}

/**
 * The steps that edit the hyperparameters, one input box per value, each checked by the core's own
 * rules (shown as step 5, "i of n" in the title); Back on the first returns to the list. After the
 * last value `done` takes the edited set and names the step that follows.
 */
function editHyper(method: Method, finetuning: Finetuning, h: Hyperparameters, title: string, done: (edited: Hyperparameters) => InputStep, i = 0): InputStep {
  const keys = relevantHyper(method, finetuning);
  return async (flow) => {
    const k = keys[i];
    const r = await flow.showInputBox({
      title: vscode.l10n.t('{0} ({1} of {2})', title, i + 1, keys.length),
      step: 5,
      totalSteps: TOTAL_STEPS,
      prompt: hyperLabel(k),
      value: String(h[k]),
      validate: (v) => {
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) return vscode.l10n.t('Enter a number');
        try {
          resolveHyperparameters(method, finetuning, { ...h, [k]: n });
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    h[k] = Number(r);
    return i + 1 < keys.length ? editHyper(method, finetuning, h, title, done, i + 1) : done({ ...h });
  };
}

async function confirmOverwrite(plan: TrainingPlan): Promise<boolean> {
  const c = await planClashes(plan);
  const lines = c.existing.map((p) => path.relative(path.dirname(plan.outDir), p));
  if (c.datasetInfoEntry) lines.push(vscode.l10n.t('the "{0}" entry of {1}', c.datasetInfoEntry.name, path.relative(path.dirname(plan.outDir), c.datasetInfoEntry.file)));
  if (lines.length === 0) return true;
  const overwrite = vscode.l10n.t('Overwrite');
  const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Replace what is already there?'), { modal: true, detail: lines.join('\n') }, overwrite);
  return pick === overwrite;
}

export async function createTrainingConfig(formats: DatasetFormatOverrides, version: string, args: CreateTrainingConfigArgs, interactive: boolean): Promise<CreateTrainingConfigResult | undefined> {
  const dataset = args.dataset !== undefined ? toPath(args.dataset) : (activeDataset() ?? (interactive ? await pickDatasetFile(vscode.l10n.t('Dataset to train on')) : undefined));
  if (!dataset) {
    if (interactive) return undefined;
    throw new Error(vscode.l10n.t('No dataset given'));
  }
  const uri = vscode.Uri.file(dataset);
  const fileName = path.basename(dataset);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty && interactive) {
    // The core reads the file from disk: unsaved edits would be left out of the training data.
    const save = vscode.l10n.t('Save and Continue');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('{0} has unsaved changes.', fileName), { modal: true, detail: vscode.l10n.t('The training config reads the file on disk.') }, save);
    if (pick !== save) return undefined;
    if (!(await open.save())) return undefined;
  }

  // The format the status bar shows: the user's choice, the dataset_info.json entry, else detection.
  const choice = args.format ? { format: args.format } : await formats.choiceFor(uri);
  let inspection;
  try {
    inspection = await inspectDataset(dataset, { format: choice.format });
  } catch (e) {
    throw new Error(vscode.l10n.t('cannot read {0}: {1}', fileName, (e as Error).message));
  }
  const format = inspection.format;
  if (!format || !isFormatId(format)) {
    const set = vscode.l10n.t('Set Dataset Format');
    const msg = vscode.l10n.t('Pairwise: the format of {0} could not be detected ({1}).', fileName, inspection.detection.evidence);
    if (!interactive) throw new Error(msg);
    const pick = await vscode.window.showErrorMessage(msg, set);
    if (pick === set) await vscode.commands.executeCommand('pairwise.setDatasetFormat', uri);
    return undefined;
  }
  const why = !interactive && args.method ? unsupportedReason(format, args.method) : undefined;
  if (why) throw new Error(vscode.l10n.t('{0} cannot train {1}: {2}', fileName, args.method ?? '', why));

  if (supportedMethods(format).length === 0) {
    // Candidates, ranked, text or stepwise data: nothing here trains on it directly.
    throw new Error(unsupportedReason(format, 'dpo') ?? format);
  }

  let choices: Choices;
  if (interactive) {
    const c = await askChoices(format, inspection.sample, args, fileName);
    if (!c) return undefined;
    choices = c;
  } else {
    const { trainer, method, model } = args;
    if (!trainer || !method || !model) throw new Error(vscode.l10n.t('trainer, method and model are needed when the command is given arguments'));
    const finetuning = args.finetuning ?? 'lora';
    choices = { trainer, method, model, finetuning, hyper: { ...defaultHyperparameters(method, finetuning), ...args.hyper }, wandbProject: args.wandbProject?.trim() || undefined };
  }

  // planTrainingConfig checks every value again and says which is wrong (unsupported method included).
  const plan = planTrainingConfig({
    dataset,
    format,
    sample: inspection.sample,
    trainer: choices.trainer,
    method: choices.method,
    model: choices.model,
    finetuning: choices.finetuning,
    hyper: choices.hyper,
    wandbProject: choices.wandbProject,
    outDir: args.outDir,
    pairwiseVersion: version,
  });

  let force = false;
  if (interactive) {
    if (!(await confirmOverwrite(plan))) return undefined;
    force = true;
  } else {
    force = args.overwrite ?? false;
  }

  const write = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: plan.conversion ? vscode.l10n.t('Converting {0} to {1} and writing the training files', fileName, plan.conversion.to) : vscode.l10n.t('Writing the training files'), cancellable: true },
    (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return writeTrainingConfig(plan, { force, signal: ac.signal });
    },
  );
  const mainFile = mainFileOf(plan);
  if (args.open ?? true) await vscode.window.showTextDocument(vscode.Uri.file(mainFile), { preview: false });
  void notifyWritten(plan, write, mainFile);
  return { plan, write, mainFile };
}

async function notifyWritten(plan: TrainingPlan, write: WriteResult, mainFile: string): Promise<void> {
  const base = path.dirname(path.resolve(plan.outDir));
  const listed = write.written.map((p) => path.relative(base, p)).join(', ');
  const errors = write.validation?.bySeverity.error ?? 0;
  const converted = write.conversion ? vscode.l10n.t(' Converted {0} of {1} records to {2}; {3} error(s) in the converted file.', write.conversion.written, write.conversion.records, write.conversion.to, errors) : '';
  const message = vscode.l10n.t('Pairwise: {0} {1} config written: {2}.', TRAINER_TITLES[plan.trainer], plan.method, listed) + converted;
  const uri = vscode.Uri.file(mainFile);
  // Files outside the open folders (the walkthrough's samples live in global storage) are not in the Explorer.
  const reveal = vscode.workspace.getWorkspaceFolder(uri) ? [vscode.l10n.t('Reveal in Explorer')] : [];
  const pick = await (errors > 0 ? vscode.window.showWarningMessage(message, ...reveal) : vscode.window.showInformationMessage(message, ...reveal));
  if (pick !== undefined) await vscode.commands.executeCommand('revealInExplorer', uri);
}

export class TrainConfigCommand {
  static register(context: vscode.ExtensionContext, formats: DatasetFormatOverrides): void {
    const version = (context.extension.packageJSON as { version?: string }).version ?? '0.0.0';
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.createTrainingConfig', async (arg?: CreateTrainingConfigArgs | vscode.Uri) => {
        // From the explorer or an editor menu the argument is the file; with an object nothing is asked.
        const fromMenu = arg instanceof vscode.Uri;
        const args: CreateTrainingConfigArgs = fromMenu ? { dataset: arg } : (arg ?? {});
        const interactive = arg === undefined || fromMenu;
        try {
          return await createTrainingConfig(formats, version, args, interactive);
        } catch (e) {
          // Cancelled from the progress notification: nothing was left behind, and nothing to report.
          if (e instanceof AbortedError) return undefined;
          void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: could not create the training config: {0}', (e as Error).message));
          // A caller with arguments (a test, another command) gets the error too.
          if (!interactive) throw e;
          return undefined;
        }
      }),
    );
  }
}
