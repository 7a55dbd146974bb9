/**
 * Quick fixes for dataset diagnostics: each a WorkspaceEdit touching only what must change (a role
 * tag, a key, a KTO tag, two turns, a duplicate record), attached to the diagnostic it fixes; and a
 * refactoring that converts the whole file to another format.
 */
import * as vscode from 'vscode';
import { arrayElementDeletion, fixesFor } from '../core/fixes';
import { ruleOf, type DatasetDiagnostics } from './datasetDiagnostics';

export const DATASET_SELECTOR: vscode.DocumentSelector = [
  { language: 'jsonl' },
  { pattern: '**/*.jsonl' },
  { language: 'json', pattern: '**/*.json' },
  { pattern: '**/*.json' },
];

export class DatasetQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics): void {
    context.subscriptions.push(vscode.languages.registerCodeActionsProvider(DATASET_SELECTOR, new DatasetQuickFixes(diagnostics), { providedCodeActionKinds: DatasetQuickFixes.kinds }));
  }

  private constructor(private readonly diagnostics: DatasetDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const state = this.diagnostics.stateOf(doc);
    if (!state?.isDataset) return [];
    const out: vscode.CodeAction[] = [];
    const wantsFixes = !context.only || context.only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(context.only);
    if (wantsFixes) {
      for (const d of context.diagnostics) {
        const rule = ruleOf(d);
        if (!rule) continue;
        const start = doc.offsetAt(d.range.start);
        const rec = state.validator.recordAt(start);
        if (!rec) continue;
        if (rule === 'common/duplicate-record') {
          out.push(this.deleteRecord(doc, state.validator.readerMode, rec.index, d));
          continue;
        }
        const fixes = fixesFor({ rule, message: d.message, start: start - rec.offset, end: doc.offsetAt(d.range.end) - rec.offset }, rec.text, state.validator.formatModule, state.choice.options);
        for (const f of fixes) {
          const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [d];
          action.isPreferred = f.preferred;
          action.edit = new vscode.WorkspaceEdit();
          for (const e of f.edits) {
            action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(rec.offset + e.offset), doc.positionAt(rec.offset + e.offset + e.length)), e.text);
          }
          out.push(action);
        }
      }
    }
    const wantsRefactor = !context.only || vscode.CodeActionKind.Refactor.contains(context.only) || context.only.contains(vscode.CodeActionKind.Refactor);
    if (wantsRefactor && state.validator.format) {
      const convert = new vscode.CodeAction(vscode.l10n.t('Convert dataset to another format…'), vscode.CodeActionKind.RefactorRewrite);
      convert.command = { command: 'pairwise.convertDataset', title: vscode.l10n.t('Convert Dataset Format'), arguments: [doc.uri] };
      out.push(convert);
    }
    void range;
    return out;
  }

  private deleteRecord(doc: vscode.TextDocument, mode: 'json' | 'jsonl', index: number, d: vscode.Diagnostic): vscode.CodeAction {
    const state = this.diagnostics.stateOf(doc)!;
    const rec = state.validator.record(index)!;
    const action = new vscode.CodeAction(vscode.l10n.t('Delete this duplicate record (line {0})', rec.line), vscode.CodeActionKind.QuickFix);
    action.diagnostics = [d];
    action.isPreferred = true;
    action.edit = new vscode.WorkspaceEdit();
    if (mode === 'jsonl') {
      const first = doc.lineAt(rec.line - 1);
      const last = doc.lineAt(doc.positionAt(rec.endOffset).line);
      // The whole line with its line break; the last line of the file takes the break before it.
      const range =
        last.lineNumber < doc.lineCount - 1
          ? new vscode.Range(first.range.start, last.rangeIncludingLineBreak.end)
          : first.lineNumber > 0
            ? new vscode.Range(doc.lineAt(first.lineNumber - 1).range.end, last.range.end)
            : last.range;
      action.edit.delete(doc.uri, range);
    } else {
      const cut = arrayElementDeletion(rec, state.validator.record(index - 1), state.validator.record(index + 1));
      action.edit.delete(doc.uri, new vscode.Range(doc.positionAt(cut.start), doc.positionAt(cut.end)));
    }
    return action;
  }
}
