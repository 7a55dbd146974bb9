/** Quick picks and input boxes shared by the generation commands. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResolvedEndpoint } from './endpointSettings';

export interface ModelChoice {
  endpoint: string;
  model: string;
}

/** A file path from a command argument: a Uri, a file URI string or a path. */
export function pathOfArg(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? arg.fsPath : undefined;
  if (typeof arg !== 'string' || arg === '') return undefined;
  return arg.startsWith('file:') ? vscode.Uri.parse(arg).fsPath : arg;
}

/** The file of the active editor tab (text or custom editor), if it is on disk. */
export function activeFilePath(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri.scheme === 'file' ? input.uri.fsPath : undefined;
  return undefined;
}

/**
 * A dataset file: the active editor's (offered first), one found in the workspace, or any file
 * through the open dialog.
 */
export async function pickFile(title: string, accept: (p: string) => boolean): Promise<string | undefined> {
  const active = activeFilePath();
  const found = await vscode.workspace.findFiles('**/*.{jsonl,json}', '**/{node_modules,.git,.vscode}/**', 500);
  type Item = vscode.QuickPickItem & { file?: string };
  const items: Item[] = [];
  if (active && accept(active)) items.push({ label: path.basename(active), description: vscode.l10n.t('active editor'), file: active });
  for (const u of found) {
    if (u.fsPath === active || !accept(u.fsPath)) continue;
    items.push({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), file: u.fsPath });
  }
  items.push({ label: `$(folder-opened) ${vscode.l10n.t('Browse…')}` });
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose a file'), matchOnDescription: true });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const uris = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { [vscode.l10n.t('Datasets')]: ['jsonl', 'json'] } });
  return uris?.[0]?.fsPath;
}

function modelItems(endpoints: ResolvedEndpoint[]): (vscode.QuickPickItem & { choice?: ModelChoice })[] {
  const items: (vscode.QuickPickItem & { choice?: ModelChoice })[] = [];
  for (const e of endpoints) {
    if (e.problems.length || e.config.models.length === 0) continue;
    items.push({ label: e.config.name, kind: vscode.QuickPickItemKind.Separator });
    for (const model of e.config.models) {
      items.push({
        label: model,
        description: e.workspaceConfigured ? vscode.l10n.t('{0} · from workspace settings', e.config.name) : e.config.name,
        detail: e.config.baseURL,
        choice: { endpoint: e.config.name, model },
      });
    }
  }
  return items;
}

async function offerManageEndpoints(message: string): Promise<void> {
  const pick = await vscode.window.showInformationMessage(message, vscode.l10n.t('Manage Endpoints'));
  if (pick) await vscode.commands.executeCommand('pairwise.manageEndpoints');
}

/** One or more endpoint/model pairs. */
export async function pickModels(endpoints: ResolvedEndpoint[], title: string): Promise<ModelChoice[] | undefined> {
  const items = modelItems(endpoints);
  if (!items.some((i) => i.choice)) {
    await offerManageEndpoints(vscode.l10n.t('No endpoint with models is configured (setting pairwise.endpoints).'));
    return undefined;
  }
  const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: vscode.l10n.t('Models to ask (space to select, Enter to confirm)'), matchOnDescription: true });
  if (!picks || picks.length === 0) return undefined;
  return picks.filter((p) => p.choice).map((p) => p.choice!);
}

/** Exactly one endpoint/model pair. */
export async function pickModel(endpoints: ResolvedEndpoint[], title: string, placeHolder = vscode.l10n.t('Judge model')): Promise<ModelChoice | undefined> {
  const items = modelItems(endpoints);
  if (!items.some((i) => i.choice)) {
    await offerManageEndpoints(vscode.l10n.t('No endpoint with models is configured (setting pairwise.endpoints).'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
  return pick?.choice;
}

/** A number from an input box; undefined when cancelled. */
export async function askNumber(title: string, prompt: string, value: number, check: (n: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (s) => {
      const n = Number(s);
      return s.trim() === '' || !Number.isFinite(n) ? vscode.l10n.t('Enter a number') : check(n);
    },
  });
  return text === undefined ? undefined : Number(text);
}
