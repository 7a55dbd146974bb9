/**
 * "Pairwise: Open Walkthrough Sample": the Getting Started walkthrough's datasets, shipped in the
 * extension (media/walkthrough/samples, inside the .vsix) and opened from a copy in the extension's
 * global storage, so the steps work whatever folder is open (or none) and the user's workspace gets
 * no files it did not ask for. The copy is made once and then kept: labels, generated candidates
 * and training configs written beside it survive between steps and sessions.
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_SAMPLES = ['preferences.jsonl', 'candidates.candidates.jsonl', 'prompts.jsonl'] as const;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export class WalkthroughSamples {
  static register(context: vscode.ExtensionContext): void {
    const samples = new WalkthroughSamples(context);
    context.subscriptions.push(vscode.commands.registerCommand('pairwise.openSample', (name?: string) => samples.open(name)));
  }

  private constructor(private readonly context: vscode.ExtensionContext) {}

  /** The copies in global storage (made when missing); returns the folder. */
  async ensureCopies(): Promise<vscode.Uri> {
    const dir = vscode.Uri.joinPath(this.context.globalStorageUri, 'samples');
    await vscode.workspace.fs.createDirectory(dir);
    for (const name of WALKTHROUGH_SAMPLES) {
      const target = vscode.Uri.joinPath(dir, name);
      if (!(await exists(target))) await vscode.workspace.fs.copy(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'walkthrough', 'samples', name), target);
    }
    return dir;
  }

  /** Opens the named sample (one of WALKTHROUGH_SAMPLES; asks when not given); returns its URI. */
  async open(name?: string): Promise<vscode.Uri | undefined> {
    let chosen = name;
    if (chosen === undefined) {
      const pick = await vscode.window.showQuickPick(
        WALKTHROUGH_SAMPLES.map((n) => ({ label: n })),
        { title: vscode.l10n.t('Open a walkthrough sample') },
      );
      if (!pick) return undefined;
      chosen = pick.label;
    }
    if (!(WALKTHROUGH_SAMPLES as readonly string[]).includes(chosen)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: there is no sample named {0}.', chosen));
      return undefined;
    }
    const dir = await this.ensureCopies();
    const uri = vscode.Uri.joinPath(dir, chosen);
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }
}
