/**
 * The model a dataset is trained with, and the trainer's view of its records (core/chatTemplate).
 *
 * The model is a local folder (tokenizer.json, a chat template) or a Hugging Face Hub id (fetched
 * and cached by hubModels.ts): the file's own choice ("Select
 * Model", kept per file in workspace state), else `pairwise.model` for its folder. The trainer is
 * the file's target trainer (DatasetFormatOverrides); its loss and length options come from the YAML
 * config that names the file when there is one (core/trainerConfigs yamlTrainingOptions), else the
 * trainer's defaults. The model's status bar item and Select Model are modelStatusBar.ts.
 *
 * `pairwise.model` is restricted in Restricted Mode: a cloned repository does not get to point the
 * extension at files of its choosing (model files are read only as regular files of a sane size).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadModelFolder, parseHubReference, recordTrainerViews, type ChatModel, type TrainerViewOptions } from '../core/chatTemplate';
import { resolveModelReference } from './hubModels';
import { getFormat, isFormatId } from '../core/formats';
import type { CanonicalRecord } from '../core/model';
import { MAX_CONFIG_BYTES, yamlTrainingOptions, type ConfigTrainingOptions } from '../core/trainerConfigs';
import { trainerName, type TrainerId } from '../core/trainers';
import type { RecordTrainerView } from '../protocol/datasetView';
import type { DatasetFormatOverrides } from './datasetFormatOverrides';
import { Disposable } from './disposable';
import { PerFileChoice } from './perFileChoice';

const STATE_KEY = 'pairwise.modelChoices';
export const MODEL_SETTING = 'pairwise.model';

/** The trainer and the options its view uses for one file, and where they came from. */
export interface FileTrainingSetup {
  trainer: TrainerId;
  options: TrainerViewOptions;
  /** "configs/sft.yaml line 4", when a config set an option. */
  optionsFrom?: string;
}

export class TrainerViews extends Disposable {
  private readonly models = new Map<string, { stamp: string; model: ChatModel }>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri | undefined>());
  /** Fires when a file's model (or any, on a setting change) changed. */
  readonly onDidChange = this.changed.event;
  static register(context: vscode.ExtensionContext, formats: DatasetFormatOverrides): TrainerViews {
    const v = new TrainerViews(context, formats);
    context.subscriptions.push(v);
    return v;
  }

  /** Each file's own model ("Select Model"); it follows the file when renamed. */
  private readonly choices: PerFileChoice;

  private constructor(
    context: vscode.ExtensionContext,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super();
    this.choices = this._register(new PerFileChoice(context.workspaceState, STATE_KEY, (uri) => this.changed.fire(uri)));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(MODEL_SETTING) && this.changed.fire(undefined)));
  }

  /**
   * The model reference for a file: its own choice, else `pairwise.model` — a folder (absolute, or
   * relative to the file's workspace folder) or a Hugging Face Hub id `org/name[@revision]`.
   */
  modelFolder(uri: vscode.Uri): string | undefined {
    const own = this.choices.get(uri);
    if (own) return own;
    const set = vscode.workspace.getConfiguration('pairwise', uri).get<string>('model');
    if (!set) return undefined;
    if (path.isAbsolute(set)) return set;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const local = folder ? path.join(folder.uri.fsPath, set) : undefined;
    // A relative path that is not a folder of the workspace but reads as a Hub id is one.
    if (local && fs.existsSync(local)) return local;
    return parseHubReference(set) ? set : local;
  }

  /** The model a reference names, fetched from the Hub first when it is a Hub id (progress, cancel); throws with a message for the user. */
  async load(reference: string): Promise<{ name: string; model: ChatModel }> {
    if (!fs.existsSync(reference) && parseHubReference(reference)) {
      const resolved = await resolveModelReference(reference);
      return { name: reference, model: this.model(resolved.folder) };
    }
    return { name: path.basename(reference), model: this.model(reference) };
  }

  async setModelFolder(uri: vscode.Uri, folder: string | undefined): Promise<void> {
    await this.choices.set(uri, folder || undefined);
    this.changed.fire(uri);
  }

  /** The model of a folder, read once per change of its files. Throws with a message for the user. */
  model(folder: string): ChatModel {
    const stamp = ['tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja']
      .map((f) => {
        try {
          const st = fs.statSync(path.join(folder, f));
          return `${st.size}:${st.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');
    const have = this.models.get(folder);
    if (have?.stamp === stamp) return have.model;
    const model = loadModelFolder(folder);
    this.models.set(folder, { stamp, model });
    return model;
  }

  /** The trainer and options the view of a file uses: its target trainer, with what that trainer's config sets. */
  async setupFor(uri: vscode.Uri): Promise<FileTrainingSetup | undefined> {
    const choice = await this.formats.choiceFor(uri);
    const t = choice.trainer;
    if (!t) return undefined;
    const config = t.source === 'config' ? (t.configs ?? []).find((r) => /\.ya?ml$/i.test(r.config)) : undefined;
    const set = config ? this.configOptions(config.config, uri) : undefined;
    const options: TrainerViewOptions = { trainer: t.id, ...(set ? stripLines(set) : {}) };
    // LLaMA-Factory always cuts, at 2048 tokens unless its config says otherwise (hparams/data_args.py).
    if (t.id === 'llamafactory' && options.maxLength === undefined) return { trainer: t.id, options: { ...options, maxLength: 2048 } };
    const lines = set ? Object.values(set.lines) : [];
    return { trainer: t.id, options, optionsFrom: config && lines.length > 0 ? vscode.l10n.t('{0} line {1}', vscode.workspace.asRelativePath(config.config), Math.min(...lines)) : undefined };
  }

  private configOptions(config: string, file: vscode.Uri): ConfigTrainingOptions | undefined {
    try {
      if (fs.statSync(config).size > MAX_CONFIG_BYTES) return undefined;
      const text = fs.readFileSync(config, 'utf8');
      const names = (raw: string) => [path.resolve(path.dirname(config), raw), ...(vscode.workspace.workspaceFolders ?? []).map((f) => path.resolve(f.uri.fsPath, raw))].includes(file.fsPath);
      return yamlTrainingOptions(text, names);
    } catch {
      return undefined;
    }
  }

  /** The trainer's view of one parsed record of `uri` in `format`; an error message when there is none. */
  async viewOf(uri: vscode.Uri, value: Record<string, unknown>, format: string | undefined): Promise<{ view?: RecordTrainerView; error?: string }> {
    const folder = this.modelFolder(uri);
    if (!folder) return { error: vscode.l10n.t('No model chosen for this file: choose a model folder (tokenizer.json and a chat template) with "Pairwise: Select Model".') };
    const setup = await this.setupFor(uri);
    if (!setup) return { error: vscode.l10n.t('No target trainer for this file: choose the trainer that will read it with "Pairwise: Set Target Trainer".') };
    if (!format || !isFormatId(format)) return { error: vscode.l10n.t('The file\'s format is not known, so its records cannot be rendered.') };
    let model: ChatModel;
    let name: string;
    try {
      ({ model, name } = await this.load(folder));
    } catch (e) {
      return { error: vscode.l10n.t('Cannot read the model in {0}: {1}', folder, e instanceof Error ? e.message : String(e)) };
    }
    const choice = await this.formats.choiceFor(uri);
    let canonical;
    try {
      canonical = getFormat(format).toCanonical(value, choice.options);
    } catch (e) {
      return { error: vscode.l10n.t('This record cannot be read as {0}: {1}', format, e instanceof Error ? e.message : String(e)) };
    }
    const views = recordTrainerViews(canonical, model, setup.options);
    if (views.length === 0) return { error: vscode.l10n.t('A {0} record has no conversation to render.', format) };
    return { view: { model: name, trainer: trainerName(setup.trainer), maxLength: setup.options.maxLength, optionsFrom: setup.optionsFrom, views } };
  }

  /**
   * One line for a record's hover, with the file's model and trainer: its real token count, the
   * trained tokens and the cut; undefined without a model or a trainer, or when it cannot render.
   */
  async hoverLine(uri: vscode.Uri, canonical: CanonicalRecord): Promise<string | undefined> {
    const folder = this.modelFolder(uri);
    const setup = folder ? await this.setupFor(uri) : undefined;
    if (!folder || !setup) return undefined;
    let views;
    let name: string;
    try {
      let model: ChatModel;
      ({ model, name } = await this.load(folder));
      views = recordTrainerViews(canonical, model, setup.options);
    } catch {
      return undefined;
    }
    if (views.length === 0) return undefined;
    const parts = views.map((v) => {
      const label = v.label ? `${v.label}: ` : '';
      if (v.error) return label + vscode.l10n.t('the chat template refuses it ({0})', v.error);
      const over = v.overBy > 0 ? vscode.l10n.t(', {0} over the limit of {1} ({2} trained tokens left)', v.overBy, setup.options.maxLength ?? '', v.trainedAfterCut) : '';
      return label + vscode.l10n.t('{0} tokens, {1} trained{2}', v.tokens, v.trainedTokens, over);
    });
    return vscode.l10n.t('**{0} with {1}**: {2}', trainerName(setup.trainer), name, parts.join('; '));
  }
}

function stripLines(o: ConfigTrainingOptions): Omit<TrainerViewOptions, 'trainer'> {
  const out: { -readonly [K in keyof Omit<TrainerViewOptions, 'trainer'>]?: TrainerViewOptions[K] } = {};
  if (o.maxLength !== undefined) out.maxLength = o.maxLength;
  if (o.trainOnPrompt !== undefined) out.trainOnPrompt = o.trainOnPrompt;
  if (o.maskHistory !== undefined) out.maskHistory = o.maskHistory;
  if (o.rolesToTrain !== undefined) out.rolesToTrain = o.rolesToTrain;
  if (o.trainOnEos === 'turn' || o.trainOnEos === 'all' || o.trainOnEos === 'last' || o.trainOnEos === 'none') out.trainOnEos = o.trainOnEos;
  return out;
}
