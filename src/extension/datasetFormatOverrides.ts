/**
 * Which format a dataset file is checked against: the user's choice ("Set Dataset Format", kept per
 * file in workspace state), else the LLaMA-Factory `dataset_info.json` entry next to the file that
 * names it, else detection. A file with either of the first two is a dataset even when it is a
 * `.json` the detector would not recognise.
 *
 * And which trainer will read it (severities follow it): the file's own choice ("Set Target
 * Trainer", workspace state), else `pairwise.validation.trainer` for its folder, else the trainer
 * whose config or script in the workspace names it (trainerConfigIndex.ts: more specific than a
 * registry entry, since it is the run that will read the file), else LLaMA-Factory when a
 * `dataset_info.json` beside it names it, else none.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FormatId, FormatOptions } from '../core/formats';
import { isFormatId } from '../core/formats';
import { isTrainerId, type TrainerId } from '../core/trainers';
import { type ConfigReference } from '../core/trainerConfigs';
import { findDatasetInfoFormat, parseDatasetInfo } from '../core/datasetInfo';
import { Disposable } from './disposable';
import { PerFileChoice } from './perFileChoice';
import type { TrainerConfigIndex } from './trainerConfigIndex';

const STATE_KEY = 'pairwise.formatOverrides';

export interface DatasetFormatChoice {
  format?: FormatId;
  options?: FormatOptions;
  /** Where the choice comes from. */
  source: 'user' | 'dataset_info' | 'detect';
  /** The dataset_info.json entry name, when it applies. */
  infoName?: string;
  /** The trainer that will read the file, and why it is that one; absent: no target. */
  trainer?: { id: TrainerId; source: 'user' | 'setting' | 'dataset_info' | 'config'; configs?: readonly ConfigReference[] };
  /** Configs of different trainers name the file, so none is the target. */
  configConflict?: readonly ConfigReference[];
}

const TRAINER_STATE_KEY = 'pairwise.trainerTargets';
export const TRAINER_SETTING = 'pairwise.validation.trainer';

export class DatasetFormatOverrides extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri | undefined>());
  /** Fires with the file whose choice changed, or undefined when any may have (a dataset_info.json changed). */
  readonly onDidChange = this.changed.event;
  private readonly infoCache = new Map<string, Promise<ReturnType<typeof parseDatasetInfo>>>();
  /** Folders outside the workspace folders whose dataset_info.json has its own watcher. */
  private readonly watchedOutside = new Set<string>();
  /** The user's own choices per file ("Set Dataset Format", "Set Target Trainer"). */
  private readonly formatChoices: PerFileChoice;
  private readonly trainerChoices: PerFileChoice;
  private readonly dropInfo = (uri: vscode.Uri): void => {
    this.infoCache.delete(path.dirname(uri.fsPath));
    this.changed.fire(undefined);
  };

  static register(context: vscode.ExtensionContext, configs: TrainerConfigIndex): DatasetFormatOverrides {
    const o = new DatasetFormatOverrides(context, configs);
    context.subscriptions.push(o);
    return o;
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly configs: TrainerConfigIndex,
  ) {
    super();
    const moved = (uri: vscode.Uri) => this.changed.fire(uri);
    this.formatChoices = this._register(new PerFileChoice(context.workspaceState, STATE_KEY, moved));
    this.trainerChoices = this._register(new PerFileChoice(context.workspaceState, TRAINER_STATE_KEY, moved));
    this._register(configs.onDidChange(() => this.changed.fire(undefined)));
    this.watch(vscode.workspace.createFileSystemWatcher('**/dataset_info.json'));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(TRAINER_SETTING) && this.changed.fire(undefined)));
    // Unsaved edits of an open dataset_info.json count too once saved; the watcher covers saves.
    this._register(vscode.workspace.onDidSaveTextDocument((d) => path.basename(d.uri.fsPath) === 'dataset_info.json' && this.dropInfo(d.uri)));
  }

  private watch(watcher: vscode.FileSystemWatcher): void {
    this._register(watcher);
    this._register(watcher.onDidChange(this.dropInfo));
    this._register(watcher.onDidCreate(this.dropInfo));
    this._register(watcher.onDidDelete(this.dropInfo));
  }

  /**
   * The '**' watcher sees only the workspace folders. A dataset opened from elsewhere (no folder
   * open, the walkthrough's samples in global storage) gets a watcher on its own folder, so that
   * Register in dataset_info.json or an export there is seen without a window reload.
   */
  private watchOutsideWorkspace(uri: vscode.Uri, dir: string): void {
    if (this.watchedOutside.has(dir) || vscode.workspace.getWorkspaceFolder(uri)) return;
    this.watchedOutside.add(dir);
    this.watch(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), 'dataset_info.json')));
    // VS Code's watcher of a folder outside the workspace delivered no event in code-server 4.100
    // (the integration test, once its wait really waited, timed out): the folder is also watched
    // directly. Events are only a hint to read dataset_info.json again; nothing is trusted from them.
    try {
      const info = vscode.Uri.file(path.join(dir, 'dataset_info.json'));
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || String(name) === 'dataset_info.json') this.dropInfo(info);
      });
      w.on('error', () => w.close());
      this._register({ dispose: () => w.close() });
    } catch {
      // A folder that cannot be watched: the VS Code watcher and a save in an editor remain.
    }
  }

  userFormat(uri: vscode.Uri): FormatId | undefined {
    const f = this.formatChoices.get(uri);
    return f && isFormatId(f) ? f : undefined;
  }

  async setUserFormat(uri: vscode.Uri, format: FormatId | undefined): Promise<void> {
    await this.formatChoices.set(uri, format);
    this.changed.fire(uri);
  }

  /** The file's own target trainer ("Set Target Trainer"), if any. */
  userTrainer(uri: vscode.Uri): TrainerId | undefined {
    const t = this.trainerChoices.get(uri);
    return isTrainerId(t) ? t : undefined;
  }

  async setUserTrainer(uri: vscode.Uri, trainer: TrainerId | undefined): Promise<void> {
    await this.trainerChoices.set(uri, trainer);
    this.changed.fire(uri);
  }

  private async trainerFor(uri: vscode.Uri, namedByInfo: boolean): Promise<Pick<DatasetFormatChoice, 'trainer' | 'configConflict'>> {
    const user = this.userTrainer(uri);
    if (user) return { trainer: { id: user, source: 'user' } };
    const set = vscode.workspace.getConfiguration('pairwise.validation', uri).get<string>('trainer');
    if (isTrainerId(set)) return { trainer: { id: set, source: 'setting' } };
    const verdict = await this.configs.verdictFor(uri);
    if (verdict?.trainer) return { trainer: { id: verdict.trainer, source: 'config', configs: verdict.references } };
    if (verdict) return { configConflict: verdict.references };
    // LLaMA-Factory reads a file through the dataset_info.json entry that names it (data/loader.py).
    if (namedByInfo) return { trainer: { id: 'llamafactory', source: 'dataset_info' } };
    return {};
  }

  private readInfo(dir: string): Promise<ReturnType<typeof parseDatasetInfo>> {
    let p = this.infoCache.get(dir);
    if (!p) {
      p = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.file(path.join(dir, 'dataset_info.json')))).then(
        (bytes) => parseDatasetInfo(Buffer.from(bytes).toString('utf8')),
        () => undefined,
      );
      this.infoCache.set(dir, p);
    }
    return p;
  }

  /** The format to check a file against, and the trainer whose verdict counts (in `options.trainer` too). */
  async choiceFor(uri: vscode.Uri): Promise<DatasetFormatChoice> {
    const choice = await this.formatChoiceFor(uri);
    const { trainer, configConflict } = await this.trainerFor(uri, choice.source === 'dataset_info' || (choice.source === 'user' && choice.options !== undefined));
    if (!trainer) return configConflict ? { ...choice, configConflict } : choice;
    return { ...choice, trainer, options: { ...choice.options, trainer: trainer.id } };
  }

  private async formatChoiceFor(uri: vscode.Uri): Promise<DatasetFormatChoice> {
    if (uri.scheme !== 'file') {
      const f = this.userFormat(uri);
      return f ? { format: f, source: 'user' } : { source: 'detect' };
    }
    this.watchOutsideWorkspace(uri, path.dirname(uri.fsPath));
    const info = await this.readInfo(path.dirname(uri.fsPath));
    const entry = info ? findDatasetInfoFormat(info, path.basename(uri.fsPath)) : undefined;
    const user = this.userFormat(uri);
    if (user) return { format: user, options: entry?.format === user ? entry.options : undefined, source: 'user' };
    if (entry) return { format: entry.format, options: entry.options, source: 'dataset_info', infoName: entry.name };
    return { source: 'detect' };
  }
}
