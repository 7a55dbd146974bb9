/** `pairwise export --rewrites-sft FILE`: the annotators' rewrites as SFT records beside the preference export. */
import * as path from 'node:path';
import { ensureOutputDir } from '../core/jsonl';
import { defaultRewriteSftFormat, exportRewritesSft, REWRITE_SFT_FORMATS, type OpenedInput, type PreferenceExportFormat, type RewriteExportSummary, type RewriteSftFormat, type RewritesSftSummary } from '../core/labeling';
import { UsageError } from './io';
import * as l10n from '@vscode/l10n';

export function parseRewritesSftFormat(value: string | undefined, preference: PreferenceExportFormat): RewriteSftFormat {
  if (value === undefined) return defaultRewriteSftFormat(preference);
  if (!(REWRITE_SFT_FORMATS as readonly string[]).includes(value)) throw new UsageError(l10n.t('--rewrites-sft-to must be one of {0}', REWRITE_SFT_FORMATS.join(', ')));
  return value as RewriteSftFormat;
}

export async function writeRewritesSft(options: { queue: OpenedInput['queue']; logs: string[]; format: RewriteSftFormat; output: string; inputs: string[] }): Promise<RewritesSftSummary> {
  await ensureOutputDir(path.dirname(path.resolve(options.output)));
  return exportRewritesSft({ ...options, container: options.output.toLowerCase().endsWith('.json') ? 'json' : 'jsonl' });
}

/** The summary lines of the rewrites (none when the logs hold no rewrite and no SFT file was asked for). */
export function rewritesSftLines(r: RewriteExportSummary, sft: RewritesSftSummary | undefined): string[] {
  const out: string[] = [];
  if (r.rewrites) {
    out.push(l10n.t('  {0} rewrite(s): {1} pair(s) rewrite vs original, {2} vs the other answer ({3})', r.rewrites, r.vsOriginal, r.vsOther, r.mode) + '\n');
    if (r.otherNotImplied) out.push(l10n.t('  {0} rewrite(s) not paired with the other answer (the annotator preferred it, skipped or did not decide)', r.otherNotImplied) + '\n');
    if (r.notInInput) out.push(l10n.t('  {0} rewrite(s) of pairs not in the input', r.notInInput) + '\n');
    if (r.unsupported) out.push(l10n.t('  {0} rewrite(s) of answers with several messages or tool calls left out', r.unsupported) + '\n');
  }
  if (sft) {
    out.push(l10n.t('{0}: {1} SFT record(s) ({2}) from {3} rewrite(s)', sft.output, sft.written, sft.format, sft.rewrites) + '\n');
    if (sft.duplicates) out.push(l10n.t('  {0} identical rewrite(s) of the same prompt written once', sft.duplicates) + '\n');
    for (const l of sft.lost) out.push(l10n.t('  lost {0}: {1} ({2})', l.field, l.reason, l.count) + '\n');
  }
  return out;
}
