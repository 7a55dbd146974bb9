/**
 * The target of a diagnostic's rule link: a read-only virtual Markdown document
 * (`pairwise-rule:/<rule id>.md`) rendering the rule catalog entry, so the link works in the
 * desktop and in code-server without commands or network.
 */
import * as vscode from 'vscode';
import { ruleInfo } from '../core/formats';

export const RULE_SCHEME = 'pairwise-rule';

export function ruleUri(rule: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${rule}.md` });
}

// The one rule the editor reports that is not a rule of the core's catalog (formats/ruleCatalog.ts).
// A function, not a constant: l10n.t must run in the display language, not at module load.
const extra = (): Record<string, { title: string; explanation: string }> => ({
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
