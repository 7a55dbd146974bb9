/**
 * Hovering a record shows its token counts (prompt, response, total) and its turns, as untrusted
 * Markdown without HTML; the dataset text is escaped by the core renderer. With a model chosen for
 * the file, also its real token count with the target trainer's trained tokens and cut (trainerViews.ts).
 */
import { recordValueOf } from '../core/jsonl';
import * as vscode from 'vscode';
import { recordHoverMarkdown, type TokenCounting } from '../core/preview';
import { createTokenCounter } from '../core/tokens';
import type { DatasetDiagnostics } from './datasetDiagnostics';
import { DATASET_SELECTOR } from './quickFixes';
import type { TrainerViews } from './trainerViews';

let tokens: TokenCounting | undefined;

/** o200k_base, loaded on the first hover (its tables take a moment to build). */
function tokenCounting(): TokenCounting {
  // The core counter: linear on long runs of one character class (the library's encode is
  // quadratic there), and special-token text inside data counts as ordinary text.
  if (!tokens) {
    const counter = createTokenCounter({ tokenizer: 'o200k_base' });
    tokens = { label: vscode.l10n.t('o200k_base (GPT-4o) tokens; approximate for other model families'), count: (t) => counter.count(t) };
  }
  return tokens;
}

export class DatasetHover implements vscode.HoverProvider {
  static register(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, views?: TrainerViews): void {
    context.subscriptions.push(vscode.languages.registerHoverProvider(DATASET_SELECTOR, new DatasetHover(diagnostics, views)));
  }

  private constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly views?: TrainerViews,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const state = this.diagnostics.stateOf(doc);
    const format = state?.validator.formatModule;
    if (!state?.isDataset || !format) return undefined;
    const rec = state.validator.recordAt(doc.offsetAt(position));
    if (!rec) return undefined;
    let md: string;
    let canonical;
    try {
      const value = recordValueOf(JSON.parse(rec.text));
      if (!value) return undefined;
      canonical = format.toCanonical(value, state.choice.options);
      md = recordHoverMarkdown(canonical, rec.index, format.title, tokenCounting());
    } catch {
      return undefined;
    }
    // With a model chosen for the file: the real count, as the target trainer will see it.
    const trainerLine = this.views ? await this.views.hoverLine(doc.uri, canonical) : undefined;
    if (trainerLine) md += `\n\n${trainerLine}`;
    const content = new vscode.MarkdownString(md);
    content.isTrusted = false;
    content.supportHtml = false;
    content.supportThemeIcons = false;
    return new vscode.Hover(content, new vscode.Range(doc.positionAt(rec.offset), doc.positionAt(rec.endOffset)));
  }
}
