/**
 * Status bar item beside the target trainer: the model the active dataset is trained with (its own
 * choice, else `pairwise.model`), for the trainer's view and the pre-flight (trainerViews.ts).
 * Clicking it runs "Select Model": a model folder, or the setting, stored per file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetDiagnostics, DatasetState } from './datasetDiagnostics';
import { commandTarget, DatasetStatusItem } from './datasetStatusItem';
import type { TrainerViews } from './trainerViews';
import { parseHubReference } from '../core/chatTemplate';

export class ModelStatusBar extends DatasetStatusItem {
  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, views: TrainerViews): ModelStatusBar {
    const bar = new ModelStatusBar(diagnostics, views);
    context.subscriptions.push(bar);
    return bar;
  }

  private constructor(
    diagnostics: DatasetDiagnostics,
    private readonly views: TrainerViews,
  ) {
    // Just right of the target trainer (99).
    super(diagnostics, { id: 'pairwise.model', name: vscode.l10n.t('Pairwise Model'), command: 'pairwise.selectModel', priority: 98 });
    this._register(vscode.commands.registerCommand('pairwise.selectModel', (uri?: vscode.Uri, folder?: string) => this.select(uri, folder)));
    this._register(views.onDidChange(() => this.refresh()));
    this.refresh();
  }

  protected describe(doc: vscode.TextDocument, _state: DatasetState): { icon: string; text: string; tooltip: string } {
    const folder = this.views.modelFolder(doc.uri);
    return {
      icon: 'symbol-namespace',
      text: folder ? (fs.existsSync(folder) ? path.basename(folder) : folder) : vscode.l10n.t('no model'),
      tooltip: folder
        ? vscode.l10n.t('Model for the trainer\'s view and the pre-flight: {0}. Click to choose another.', folder)
        : vscode.l10n.t('No model for the trainer\'s view and the pre-flight of this file. Click to choose a model folder (tokenizer.json and a chat template).'),
    };
  }

  /** `folder` ('' for the setting) skips the dialogs, for keybindings and scripts. */
  private async select(uri?: vscode.Uri, folder?: string): Promise<void> {
    const target = commandTarget(uri);
    if (!target) return;
    if (folder !== undefined) {
      await this.views.setModelFolder(target, folder === '' ? undefined : folder);
      return;
    }
    type Item = vscode.QuickPickItem & { action: 'browse' | 'hub' | 'setting' };
    const setting = vscode.workspace.getConfiguration('pairwise', target).get<string>('model');
    const items: Item[] = [
      { label: vscode.l10n.t('$(folder-opened) Choose a model folder…'), detail: vscode.l10n.t('A folder with tokenizer.json and tokenizer_config.json (chat_template) or chat_template.jinja, as on the Hugging Face Hub.'), action: 'browse' },
      { label: vscode.l10n.t('$(cloud-download) A Hugging Face Hub model…'), detail: vscode.l10n.t('org/name[@revision]: its tokenizer and chat template are fetched once and cached (Pairwise: Set Hugging Face Token for a gated model).'), action: 'hub' },
      { label: vscode.l10n.t('From the setting pairwise.model'), description: setting || vscode.l10n.t('not set'), action: 'setting' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select Model'), placeHolder: vscode.l10n.t('Which model will be trained on this file?') });
    if (!picked) return;
    if (picked.action === 'setting') {
      await this.views.setModelFolder(target, undefined);
      return;
    }
    if (picked.action === 'hub') {
      const id = await vscode.window.showInputBox({
        title: vscode.l10n.t('Select Model'),
        prompt: vscode.l10n.t('A Hugging Face Hub model id, e.g. Qwen/Qwen2.5-0.5B-Instruct or meta-llama/Llama-3.2-1B-Instruct@main'),
        validateInput: (v) => (parseHubReference(v.trim()) ? undefined : vscode.l10n.t('Not a Hub model id: org/name, optionally @revision')),
      });
      if (!id) return;
      try {
        await this.views.load(id.trim());
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return;
      }
      await this.views.setModelFolder(target, id.trim());
      return;
    }
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Use this model') });
    if (!chosen?.[0]) return;
    try {
      this.views.model(chosen[0].fsPath);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read the model in {0}: {1}', chosen[0].fsPath, e instanceof Error ? e.message : String(e)));
      return;
    }
    await this.views.setModelFolder(target, chosen[0].fsPath);
  }
}
