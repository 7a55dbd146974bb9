/**
 * Status bar item beside the dataset's format: the trainer that will read the active dataset, and
 * why it is that one (the file's choice, the folder's `pairwise.validation.trainer`, a trainer config
 * or script in the workspace that names the file, or LLaMA-Factory because a dataset_info.json names it). Severities follow it. Clicking it offers "Set Target
 * Trainer": every trainer, or the folder's setting / inference, stored per file.
 */
import * as vscode from 'vscode';
import { getFormat } from '../core/formats';
import { parseTrainerId, TRAINER_IDS, trainerName, type TrainerId } from '../core/trainers';
import { type ConfigReference } from '../core/trainerConfigs';
import type { DatasetDiagnostics } from './datasetDiagnostics';
import type { DatasetFormatChoice, DatasetFormatOverrides } from './datasetFormatOverrides';
import { Disposable } from './disposable';

function reason(t: NonNullable<DatasetFormatChoice['trainer']>): string {
  switch (t.source) {
    case 'user':
      return vscode.l10n.t('chosen for this file');
    case 'setting':
      return vscode.l10n.t('from the setting pairwise.validation.trainer');
    case 'dataset_info':
      return vscode.l10n.t('a dataset_info.json beside the file names it, so LLaMA-Factory reads it');
    case 'config':
      return vscode.l10n.t('named by {0}', places(t.configs ?? []));
  }
}

/** "configs/sft.yaml line 3 (Axolotl)", relative to the workspace. */
function places(refs: readonly ConfigReference[]): string {
  return refs.map((r) => vscode.l10n.t('{0} line {1} ({2})', vscode.workspace.asRelativePath(r.config), r.line, trainerName(r.trainer))).join(', ');
}

export class TrainerStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  /** The text last shown (undefined while hidden), and the tooltip; read by the integration tests. */
  lastText: string | undefined;
  lastTooltip: string | undefined;

  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, formats: DatasetFormatOverrides): TrainerStatusBar {
    const bar = new TrainerStatusBar(diagnostics, formats);
    context.subscriptions.push(bar);
    return bar;
  }

  private constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    super();
    // Priority just below the dataset item (100), so it sits to its right.
    this.item = this._register(vscode.window.createStatusBarItem('pairwise.trainer', vscode.StatusBarAlignment.Right, 99));
    this.item.name = vscode.l10n.t('Pairwise Target Trainer');
    this.item.command = 'pairwise.setTargetTrainer';
    this._register(vscode.commands.registerCommand('pairwise.setTargetTrainer', (uri?: vscode.Uri, trainer?: string) => this.pick(uri, trainer)));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this._register(diagnostics.onDidUpdate((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && this.refresh()));
    this.refresh();
  }

  private refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = doc ? this.diagnostics.stateOf(doc) : undefined;
    if (!doc || !state?.isDataset) {
      this.item.hide();
      this.lastText = this.lastTooltip = undefined;
      return;
    }
    const t = state.choice.trainer;
    const format = state.validator.format;
    const readers = format ? getFormat(format).trainers.join(', ') : '';
    if (t) {
      this.lastText = vscode.l10n.t('for {0}', trainerName(t.id));
      this.lastTooltip = vscode.l10n.t('Checked for {0}: {1}. A problem is an error when {0} rejects, drops or mis-trains the record, a warning when only another reader of the format would. Click to choose another trainer.', trainerName(t.id), reason(t));
    } else if (state.choice.configConflict) {
      this.lastText = vscode.l10n.t('any trainer');
      this.lastTooltip = vscode.l10n.t('Configs of different trainers name this file: {0}. No target trainer until you choose one: click to choose.', places(state.choice.configConflict));
    } else {
      this.lastText = vscode.l10n.t('any trainer');
      this.lastTooltip = readers
        ? vscode.l10n.t('No target trainer: a problem is an error when every reader of {0} ({1}) fails on it, a warning when some do. Click to choose the trainer that will read this file.', format!, readers)
        : vscode.l10n.t('No target trainer. Click to choose the trainer that will read this file.');
    }
    this.item.text = `$(target) ${this.lastText}`;
    this.item.tooltip = this.lastTooltip;
    this.item.show();
  }

  /** `trainer` ('auto' or a trainer id) skips the quick pick, for keybindings and scripts. */
  private async pick(uri?: vscode.Uri, trainer?: string): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a dataset file first.'));
      return;
    }
    if (trainer !== undefined) {
      const id = trainer === 'auto' ? undefined : parseTrainerId(trainer);
      if (trainer !== 'auto' && !id) throw new Error(vscode.l10n.t('Unknown trainer "{0}" (one of: {1})', trainer, TRAINER_IDS.join(', ')));
      await this.formats.setUserTrainer(target, id);
      return;
    }
    const current = this.formats.userTrainer(target);
    type Item = vscode.QuickPickItem & { trainer?: TrainerId };
    const items: Item[] = [
      {
        label: vscode.l10n.t('From the setting, a trainer config or dataset_info.json'),
        description: current ? '' : vscode.l10n.t('current'),
        detail: vscode.l10n.t('pairwise.validation.trainer for this folder; else the trainer whose config or script in the workspace names the file; else LLaMA-Factory when a dataset_info.json names it; else no target.'),
      },
      ...TRAINER_IDS.map((id) => ({ label: trainerName(id), description: id === current ? vscode.l10n.t('{0} · current', id) : id, trainer: id })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Set Target Trainer'), placeHolder: vscode.l10n.t('Which trainer will read this file?') });
    if (!picked) return;
    await this.formats.setUserTrainer(target, picked.trainer);
  }
}
