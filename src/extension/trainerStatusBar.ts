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
import type { DatasetDiagnostics, DatasetState } from './datasetDiagnostics';
import type { DatasetFormatChoice, DatasetFormatOverrides } from './datasetFormatOverrides';
import { commandTarget, DatasetStatusItem } from './datasetStatusItem';

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

export class TrainerStatusBar extends DatasetStatusItem {
  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, formats: DatasetFormatOverrides): TrainerStatusBar {
    const bar = new TrainerStatusBar(diagnostics, formats);
    context.subscriptions.push(bar);
    return bar;
  }

  private constructor(
    diagnostics: DatasetDiagnostics,
    private readonly formats: DatasetFormatOverrides,
  ) {
    // Priority just below the dataset item (100), so it sits to its right.
    super(diagnostics, { id: 'pairwise.trainer', name: vscode.l10n.t('Pairwise Target Trainer'), command: 'pairwise.setTargetTrainer', priority: 99 });
    this._register(vscode.commands.registerCommand('pairwise.setTargetTrainer', (uri?: vscode.Uri, trainer?: string) => this.pick(uri, trainer)));
    this.refresh();
  }

  protected describe(_doc: vscode.TextDocument, state: DatasetState): { icon: string; text: string; tooltip: string } {
    let text: string;
    let tooltip: string;
    const t = state.choice.trainer;
    const format = state.validator.format;
    const readers = format ? getFormat(format).trainers.join(', ') : '';
    if (t) {
      text = vscode.l10n.t('for {0}', trainerName(t.id));
      tooltip = vscode.l10n.t('Checked for {0}: {1}. A problem is an error when {0} rejects, drops or mis-trains the record, a warning when only another reader of the format would. Click to choose another trainer.', trainerName(t.id), reason(t));
    } else if (state.choice.configConflict) {
      text = vscode.l10n.t('any trainer');
      tooltip = vscode.l10n.t('Configs of different trainers name this file: {0}. No target trainer until you choose one: click to choose.', places(state.choice.configConflict));
    } else {
      text = vscode.l10n.t('any trainer');
      tooltip = readers
        ? vscode.l10n.t('No target trainer: a problem is an error when every reader of {0} ({1}) fails on it, a warning when some do. Click to choose the trainer that will read this file.', format!, readers)
        : vscode.l10n.t('No target trainer. Click to choose the trainer that will read this file.');
    }
    return { icon: 'target', text, tooltip };
  }

  /** `trainer` ('auto' or a trainer id) skips the quick pick, for keybindings and scripts. */
  private async pick(uri?: vscode.Uri, trainer?: string): Promise<void> {
    const target = commandTarget(uri);
    if (!target) return;
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
