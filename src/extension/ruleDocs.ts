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

const EXTRA: Record<string, { title: string; explanation: string }> = {
  'jsonl/invalid-json': { title: 'Not valid JSON', explanation: 'The record is not valid JSON; every trainer fails to load the file (or drops the line). The message says what is wrong and where.' },
  'jsonl/not-an-object': { title: 'Record is not an object', explanation: 'Each record must be a JSON object ({...}); arrays, strings, numbers and null cannot be read as a training example.' },
  'common/duplicate-record': { title: 'Exact duplicate', explanation: 'The record is an exact copy of an earlier one: it is trained twice and, split across train/validation, leaks. The quick fix deletes it.' },
  'common/contradicting-preference': { title: 'Contradicting preference', explanation: 'The same prompt appears with chosen and rejected swapped (or the same completion labelled both ways): the two records cancel each other.' },
  'format/unknown-format': { title: 'Unknown format', explanation: 'No known dataset format fits the records. Choose one with "Pairwise: Set Dataset Format" to check them against it.' },
  'format/mixed-format': { title: 'Record of another format', explanation: 'This record has the shape of a different format than the rest of the file; the trainer will fail on it or read it wrongly.' },
  'format/unrecognized-record': { title: 'Unrecognised record', explanation: 'The record fits no known format.' },
  'pairwise/more-problems': { title: 'More problems than shown', explanation: 'The editor shows at most a fixed number of problems per file (errors first). Run `pairwise validate FILE` for the complete list, or open the Dataset View and filter by problem.' },
};

export function ruleMarkdown(rule: string): string {
  const info = ruleInfo(rule);
  const extra = EXTRA[rule];
  if (!info && !extra) return `# ${rule}\n\nNo explanation is recorded for this rule.\n`;
  const title = info?.title ?? extra!.title;
  const explanation = info?.explanation ?? extra!.explanation;
  const trainers = info ? `\n\n**Applies to:** ${info.trainers.join(', ')}` : '';
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
