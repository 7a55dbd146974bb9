/**
 * What the commands that work on dataset files share: the file a command acts on (its argument,
 * else the editor, Dataset View or statistics report in front), the cancellable progress
 * notification, and runFileCommand, the common tail of the curation commands (refuse outputs that
 * are inputs, ask before replacing existing ones, run under progress, end with a summary whose
 * buttons open the outputs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { refuseUnsafeOutputs } from '../core/jsonl';
import { openDatasetView } from './datasetViewProvider';
import { isCancellation } from '../core/base';

/**
 * Runs `work` under a cancellable progress notification: the core's byte progress moves the bar,
 * Cancel (or `external`, a caller's signal) aborts the signal. Resolves undefined when cancelled
 * (and says so with `cancelled`, by default "nothing was written"); rethrows failures.
 */
export async function withCurationProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (bytesRead: number, totalBytes: number) => void) => Promise<T>,
  cancelled?: string,
  external?: AbortSignal,
): Promise<T | undefined> {
  const ac = new AbortController();
  const abort = () => ac.abort();
  if (external?.aborted) ac.abort();
  external?.addEventListener('abort', abort);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(abort);
      let shown = 0;
      return work(ac.signal, (bytes, total) => {
        // Percent of the current file; a new file (bytes back near 0) restarts the count.
        const pct = total > 0 ? Math.floor((bytes / total) * 100) : 100;
        if (pct < shown) shown = 0;
        if (pct > shown) {
          progress.report({ increment: pct - shown, message: vscode.l10n.t('{0}%', pct) });
          shown = pct;
        }
      });
    });
  } catch (e) {
    if (ac.signal.aborted || isCancellation(e)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}', title, cancelled ?? vscode.l10n.t('cancelled; nothing was written.')));
      return undefined;
    }
    throw e;
  } finally {
    external?.removeEventListener('abort', abort);
  }
}

/** Webview surfaces that stand for a file (the statistics report): each gives its file while its panel is active. */
const activeWebviewFiles = new Set<() => vscode.Uri | undefined>();

/** Lets the commands act on the file behind an active webview (e.g. a statistics report). */
export function registerActiveWebviewFile(fileOfActivePanel: () => vscode.Uri | undefined): vscode.Disposable {
  activeWebviewFiles.add(fileOfActivePanel);
  return { dispose: () => activeWebviewFiles.delete(fileOfActivePanel) };
}

/** The file a command works on: its argument, else the active editor's (text, Dataset View or statistics report). */
export function targetFile(uri: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  if (typeof uri === 'string') return uri.includes('://') ? vscode.Uri.parse(uri) : vscode.Uri.file(uri);
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  if (input instanceof vscode.TabInputWebview) {
    for (const f of activeWebviewFiles) {
      const u = f();
      if (u) return u;
    }
  }
  return vscode.window.activeTextEditor?.document.uri;
}

/**
 * The file on disk a curation command reads (its path), or undefined after telling the user there is
 * none. Unsaved edits are not in the file the core reads: the user is told rather than left to guess.
 */
export function curationInput(uri: unknown): string | undefined {
  const u = targetFile(uri);
  if (!u) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: open a dataset file (or pick one in the Explorer) first.'));
    return undefined;
  }
  if (u.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: curation commands work on files on disk.'));
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
  if (doc?.isDirty) void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: {0} has unsaved changes; the command reads the saved file.', path.basename(u.fsPath)));
  return u.fsPath;
}

/**
 * Outputs never overwrite an input, nor each other (refused with an error). Existing outputs are
 * replaced: silently for scripts, after a modal question from the palette (`confirm`). Resolves
 * false when the user declines.
 */
async function checkOutputs(inputs: readonly string[], outputs: readonly string[], confirm: boolean): Promise<boolean> {
  refuseUnsafeOutputs(inputs, outputs);
  if (!confirm) return true;
  const existing = outputs.filter((o) => fs.existsSync(o));
  if (existing.length === 0) return true;
  const replace = vscode.l10n.t('Replace');
  const names = existing.map((o) => path.basename(o)).join(', ');
  const answer = await vscode.window.showWarningMessage(
    existing.length === 1 ? vscode.l10n.t('{0} already exists. Replace it?', names) : vscode.l10n.t('{0} already exist. Replace them?', names),
    { modal: true, detail: vscode.l10n.t('The input file is not changed either way.') },
    replace,
  );
  return answer === replace;
}

/** Opens an output: as text, or in the Dataset View when it is too large for a text editor. */
async function openOutput(file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  try {
    await vscode.window.showTextDocument(uri, { preview: false });
  } catch {
    await openDatasetView(uri);
  }
}

export interface OutputLink {
  /** Button label, e.g. "Open train". */
  label: string;
  path: string;
}

export interface Summary {
  message: string;
  /** One button per output, and Reveal (in the Explorer) for the first. */
  links: readonly OutputLink[];
  /** The run wrote nothing (e.g. a refused merge): an error notification. */
  error?: boolean;
}

function showSummary(s: Summary): void {
  if (s.error) {
    void vscode.window.showErrorMessage(s.message);
    return;
  }
  const reveal = vscode.l10n.t('Reveal');
  const actions = [...s.links.map((l) => l.label), ...(s.links.length > 0 ? [reveal] : [])];
  void vscode.window.showInformationMessage(s.message, ...actions).then(async (a) => {
    const link = s.links.find((l) => l.label === a);
    if (link) await openOutput(link.path);
    else if (a === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(s.links[0].path));
  });
}

export interface FileCommand<R> {
  /** The progress notification's title. */
  title: string;
  inputs: readonly string[];
  /** The files the run writes: checked against the inputs and each other before anything runs. */
  outputs: readonly string[];
  /** From the palette: ask before replacing an existing output (scripts replace silently). */
  confirmReplace: boolean;
  /** The caller's signal (scripts, tests): aborting it is the notification's Cancel. */
  signal?: AbortSignal;
  work: (signal: AbortSignal, onProgress: (bytesRead: number, totalBytes: number) => void) => Promise<R>;
  summarize: (result: R) => Summary;
}

/** Checks the outputs, runs the work under progress, shows the summary. Undefined when declined or cancelled. */
export async function runFileCommand<R>(c: FileCommand<R>): Promise<R | undefined> {
  if (!(await checkOutputs(c.inputs, c.outputs, c.confirmReplace))) return undefined;
  const r = await withCurationProgress(c.title, c.work, undefined, c.signal);
  if (r === undefined) return undefined;
  showSummary(c.summarize(r));
  return r;
}

/** Numbers in summaries: grouped digits. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
