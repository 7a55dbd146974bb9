/**
 * "Pairwise: Start Labeling": picks the input (a candidates file, a preference dataset to audit, or
 * two SFT files), the label log and the annotator, and opens the labeling panel. Called with
 * arguments (`executeCommand('pairwise.startLabeling', uri, { logPath?, annotator?, ... })`) it
 * asks nothing, which is how the tests and other commands start a session.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairStrategy } from '../core/labeling';
import { defaultLogPath, detectInputKind, labelLogsBeside, type LabelingInput, type LabelingInputKind } from '../core/labeling';
import { diskPath } from './diskPath';
import { judgementsPathFor } from '../core/generation';
import { hasJudgements } from './judgeUncertaintyOrder';
import { LabelingPanel } from './labelingPanel';
import { RankingPanel } from './rankingPanel';

export interface StartLabelingOptions {
  logPath?: string;
  annotator?: string;
  /** Override the detected kind of input. */
  kind?: LabelingInputKind;
  /** Model B's file when comparing two SFT files. */
  pathB?: string;
  strategy?: PairStrategy;
  /** Other annotators' logs (default: the other `*.labels.jsonl` beside the input with its name). */
  otherLogs?: string[];
  /** Candidates only: `rank` orders all candidates of a prompt at once (command "Rank Candidates"). */
  mode?: 'pairs' | 'rank';
  /** Pairs only: a rubric file to score with (default: `<input>.rubric.yaml` beside the input, when there is one). */
  rubric?: string;
  /** Candidates only: the input's order (default) or the pairs the AI judge is least sure of first. */
  order?: 'input' | 'judgeUncertainty';
}

export function annotatorName(): string {
  const set = vscode.workspace.getConfiguration('pairwise.labeling').get<string>('annotator')?.trim();
  if (set) return set;
  try {
    return os.userInfo().username || 'annotator';
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'annotator';
  }
}

function activeFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri.scheme === 'file' ? input.uri : undefined;
  return undefined;
}

/** A workspace dataset file chosen from a quick pick, or any file through the open dialog. */
export async function pickDatasetFile(title: string, exclude?: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles('**/*.{jsonl,json}', '**/{node_modules,.git}/**', 500);
  const browse = `$(folder-opened) ${vscode.l10n.t('Browse…')}`;
  const items: vscode.QuickPickItem[] = [
    ...found
      .filter((u) => u.fsPath !== exclude && !u.fsPath.endsWith('.labels.jsonl'))
      .map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), detail: undefined, uri: u })),
    { label: browse },
  ];
  const pick = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.label === browse) {
    const uris = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { [vscode.l10n.t('Datasets')]: ['jsonl', 'json'] } });
    return uris?.[0]?.fsPath;
  }
  return (pick as vscode.QuickPickItem & { uri: vscode.Uri }).uri.fsPath;
}

async function pickLogPath(input: string): Promise<string | undefined> {
  const def = defaultLogPath(input);
  const use = vscode.l10n.t('Use {0}', path.basename(def));
  const other = vscode.l10n.t('Choose another log file…');
  const pick = await vscode.window.showQuickPick([{ label: use, description: vscode.l10n.t('beside the input') }, { label: other }], { title: vscode.l10n.t('Label log'), ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.label === use) return def;
  const uri = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Label log (decisions are appended)'), defaultUri: vscode.Uri.file(def), filters: { [vscode.l10n.t('Label logs')]: ['jsonl'] } });
  return uri?.fsPath;
}

/** Asked when the AI judge has judged the candidates: which pairs come first. */
async function pickOrder(): Promise<'input' | 'judgeUncertainty' | undefined> {
  const items: (vscode.QuickPickItem & { order: 'input' | 'judgeUncertainty' })[] = [
    { label: vscode.l10n.t('Order: input order'), description: vscode.l10n.t('pairs as they come in the file'), order: 'input' },
    { label: vscode.l10n.t('Order: judge uncertainty first'), description: vscode.l10n.t("pairs whose judge verdict flipped with the order first, then the closest scores"), order: 'judgeUncertainty' },
  ];
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Labeling order'), ignoreFocusOut: true }))?.order;
}

/** With `options` (and not `interactive`) nothing is asked: missing values take their defaults. */
export async function startLabeling(extensionUri: vscode.Uri, target?: vscode.Uri, options?: StartLabelingOptions, interactive = options === undefined): Promise<LabelingPanel | RankingPanel | undefined> {
  const quiet = !interactive;
  const opts = options ?? {};
  let input: string | undefined;
  try {
    input = target ? diskPath(target) : (activeFile()?.fsPath ?? (await pickDatasetFile(vscode.l10n.t('File to label'))));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: {0}', (e as Error).message));
    return undefined;
  }
  if (!input) return undefined;
  let kind = opts.kind;
  let format;
  if (!kind) {
    try {
      ({ kind, format } = await detectInputKind(input));
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: {0}', (e as Error).message));
      return undefined;
    }
  }
  const descriptor: LabelingInput = { kind, path: input };
  if (format) descriptor.format = format;
  const mode = opts.mode ?? 'pairs';
  if (mode === 'rank' && kind !== 'candidates') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: rank mode needs a candidates file (several answers per prompt); {0} is not one.', path.basename(input)));
    return undefined;
  }
  if (kind === 'candidates') descriptor.strategy = opts.strategy ?? vscode.workspace.getConfiguration('pairwise.labeling').get<PairStrategy>('pairStrategy') ?? 'all';
  if (kind === 'sft') {
    const b = opts.pathB ?? (quiet ? undefined : await pickDatasetFile(vscode.l10n.t("{0} is SFT data: pick model B's file (same prompts) to compare", path.basename(input)), input));
    if (!b) {
      if (quiet) void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: comparing SFT files needs the second file (pathB).'));
      return undefined;
    }
    descriptor.pathB = b;
  }
  const logPath = opts.logPath ?? (quiet ? defaultLogPath(input) : await pickLogPath(input));
  if (!logPath) return undefined;
  const annotator = opts.annotator ?? annotatorName();
  const otherLogs = opts.otherLogs ?? (await labelLogsBeside(input, logPath));
  let order = opts.order;
  if (!order && !quiet && mode === 'pairs' && kind === 'candidates' && (await hasJudgements(judgementsPathFor(input)))) {
    order = await pickOrder();
    if (!order) return undefined;
  }
  try {
    if (mode === 'rank' && kind === 'candidates') return await RankingPanel.show(extensionUri, { input: descriptor, logPath, annotator, otherLogs });
    return await LabelingPanel.show(extensionUri, { input: descriptor, logPath, annotator, otherLogs, ...(opts.rubric ? { rubric: opts.rubric } : {}), ...(order === 'judgeUncertainty' ? { order } : {}) });
  } catch {
    return undefined; // the panel reported it
  }
}

export class LabelingCommands {
  static register(context: vscode.ExtensionContext): void {
    LabelingPanel.register(context);
    RankingPanel.register(context);
    context.subscriptions.push(
      vscode.commands.registerCommand('pairwise.startLabeling', async (uri?: vscode.Uri, options?: StartLabelingOptions) => {
        // From the explorer context menu VS Code passes (uri, selected uris[]): two selected SFT files are model A and model B.
        const target = uri instanceof vscode.Uri ? uri : undefined;
        if (Array.isArray(options)) {
          const other = options.length === 2 && target ? (options as vscode.Uri[]).find((u) => u.fsPath !== target.fsPath) : undefined;
          await startLabeling(context.extensionUri, target, other ? { pathB: other.fsPath } : {}, true);
        } else {
          await startLabeling(context.extensionUri, target, options);
        }
      }),
      vscode.commands.registerCommand('pairwise.startRanking', async (uri?: vscode.Uri, options?: StartLabelingOptions) => {
        const target = uri instanceof vscode.Uri ? uri : undefined;
        const given = options && !Array.isArray(options) ? options : undefined;
        await startLabeling(context.extensionUri, target, { ...given, mode: 'rank' }, given === undefined);
      }),
    );
  }
}
