/**
 * The target of a diagnostic's rule link: a read-only virtual Markdown document
 * (`pairwise-rule:/<rule id>.md`) rendering the rule catalog entry, so the link works in the
 * desktop and in code-server without commands or network.
 */
import * as vscode from 'vscode';
import { ruleInfo } from '../core/formats/ruleCatalog';

export const RULE_SCHEME = 'pairwise-rule';

export function ruleUri(rule: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${rule}.md` });
}

// A function, not a constant: l10n.t must run in the display language, not at module load.
const extra = (): Record<string, { title: string; explanation: string }> => ({
  'jsonl/invalid-json': { title: vscode.l10n.t('Not valid JSON'), explanation: vscode.l10n.t('The record is not valid JSON; every trainer fails to load the file (or drops the line). The message says what is wrong and where.') },
  'jsonl/not-an-object': { title: vscode.l10n.t('Record is not an object'), explanation: vscode.l10n.t('Each record must be a JSON object ({...}); arrays, strings, numbers and null cannot be read as a training example.') },
  'common/duplicate-record': { title: vscode.l10n.t('Exact duplicate'), explanation: vscode.l10n.t('The record is an exact copy of an earlier one: it is trained twice and, split across train/validation, leaks. The quick fix deletes it.') },
  'common/contradicting-preference': { title: vscode.l10n.t('Contradicting preference'), explanation: vscode.l10n.t('The same prompt appears with chosen and rejected swapped (or the same completion labelled both ways): the two records cancel each other.') },
  'format/unknown-format': { title: vscode.l10n.t('Unknown format'), explanation: vscode.l10n.t('No known dataset format fits the records. Choose one with "Pairwise: Set Dataset Format" to check them against it.') },
  'format/mixed-format': { title: vscode.l10n.t('Record of another format'), explanation: vscode.l10n.t('This record has the shape of a different format than the rest of the file; the trainer will fail on it or read it wrongly.') },
  'format/unrecognized-record': { title: vscode.l10n.t('Unrecognised record'), explanation: vscode.l10n.t('The record fits no known format.') },
  'pairwise/more-problems': { title: vscode.l10n.t('More problems than shown'), explanation: vscode.l10n.t('The editor shows at most a fixed number of problems per file (errors first). Run `pairwise validate FILE` for the complete list, or open the Dataset View and filter by problem.') },
});

export function ruleMarkdown(rule: string): string {
  const info = ruleInfo(rule);
  const more = extra()[rule];
  if (!info && !more) return `# ${rule}\n\n${vscode.l10n.t('No explanation is recorded for this rule.')}\n`;
  const title = info?.title ?? more!.title;
  const explanation = info?.explanation ?? more!.explanation;
  const trainers = info ? `\n\n**${vscode.l10n.t('Applies to:')}** ${info.trainers.join(', ')}` : '';
  return `# ${title}\n\n\`${rule}\`\n\n${explanation}${trainers}\n`;
}

export class RuleDocs implements vscode.TextDocumentContentProvider {
  static register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, new RuleDocs()));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return ruleMarkdown(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
  }
}
