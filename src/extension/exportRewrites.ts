/**
 * The rewrite part of "Pairwise: Export Preferences": which pairs the rewrites become, and whether
 * to write them as SFT records too (asked only when the logs hold rewrites), then that SFT file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureOutputDir } from '../core/jsonl';
import { defaultRewriteSftFormat, exportRewritesSft, REWRITE_SFT_FORMATS, type LabelStore, type OpenedInput, type PreferenceExportFormat, type RewriteExportMode, type RewriteSftFormat, type RewritesSftSummary } from '../core/labeling';
import { getFormat } from '../core/formats';

export interface RewritesSftTarget {
  output: string;
  /** Default: the SFT format of the preference format's trainer. */
  format?: RewriteSftFormat;
}

export interface RewriteAnswers {
  rewrites?: RewriteExportMode;
  rewritesSft?: RewritesSftTarget;
}

function hasRewrites(store: LabelStore): boolean {
  return !store.currentRewrites()[Symbol.iterator]().next().done;
}

/** Asks what the arguments leave out; undefined when the user cancels. */
export async function askRewrites(store: LabelStore, format: PreferenceExportFormat, output: string, given: RewriteAnswers): Promise<RewriteAnswers | undefined> {
  if (!hasRewrites(store) || given.rewrites !== undefined) return given;
  const mode = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('rewrite vs original'), description: vscode.l10n.t('chosen: the rewrite; rejected: the answer it rewrote'), value: 'original' as const },
      { label: vscode.l10n.t('also vs the other answer'), description: vscode.l10n.t('and the rewrite over the other answer, where the annotator did not prefer that one'), value: 'with-other' as const },
      { label: vscode.l10n.t('leave the rewrites out'), value: 'none' as const },
    ],
    { title: vscode.l10n.t('Rewrites become which pairs'), ignoreFocusOut: true },
  );
  if (!mode) return undefined;
  const def = defaultRewriteSftFormat(format);
  const formats = [def, ...REWRITE_SFT_FORMATS.filter((f) => f !== def)];
  const no = { label: vscode.l10n.t('No SFT file'), format: undefined };
  const sft = await vscode.window.showQuickPick([no, ...formats.map((f) => ({ label: vscode.l10n.t('SFT records as {0}', f), description: getFormat(f).title, format: f }))], {
    title: vscode.l10n.t('Also write the rewrites as SFT records (the prompt, then the rewrite)?'),
    ignoreFocusOut: true,
  });
  if (!sft) return undefined;
  if (!sft.format) return { rewrites: mode.value };
  const stem = output.replace(/\.(jsonl|json)$/i, '');
  const uri = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Rewrites as SFT records to'), defaultUri: vscode.Uri.file(`${stem}.rewrites.${sft.format}.jsonl`), filters: { 'JSON Lines': ['jsonl'], [vscode.l10n.t('JSON array')]: ['json'] } });
  if (!uri) return undefined;
  return { rewrites: mode.value, rewritesSft: { output: uri.fsPath, format: sft.format } };
}

/** Writes the SFT file of the rewrites (atomically, never over an input, a log or the preference export). */
export async function writeRewritesSft(target: RewritesSftTarget, preference: PreferenceExportFormat, queue: OpenedInput['queue'], logs: string[], inputs: string[]): Promise<RewritesSftSummary> {
  await ensureOutputDir(path.dirname(target.output));
  return exportRewritesSft({ queue, logs, format: target.format ?? defaultRewriteSftFormat(preference), output: target.output, inputs, container: target.output.toLowerCase().endsWith('.json') ? 'json' : 'jsonl' });
}
