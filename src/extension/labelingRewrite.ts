/**
 * The labeling panel's rewrite messages (see src/core/labeling/rewriteSession.ts): open the editor,
 * keep the draft, save with its checks, cancel. Kept apart from labelingPanel.ts, which calls
 * `onRewriteMessage` and shows `rewriteView` in its state.
 */
import * as vscode from 'vscode';
import type { LabelingSession, RewriteSession } from '../core/labeling';
import type { LabelingViewState } from '../protocol/labeling';
import type { RewriteToHost, RewriteView } from '../protocol/rewrite';

export interface RewriteOutcome {
  /** A line for the panel's message area. */
  message?: LabelingViewState['message'];
  /** The save recorded the pair decision too (the panel counts it like a decision). */
  decided?: boolean;
}

/** Handles one rewrite message; `draft` is the panel's draft strength and rationale for the pair, which a decision made by a save carries. */
export async function onRewriteMessage(rw: RewriteSession, s: LabelingSession, m: RewriteToHost, draft: LabelingViewState['draft']): Promise<RewriteOutcome> {
  switch (m.type) {
    case 'rewriteOpen':
      rw.start(s, m.key, m.side);
      return {};
    case 'rewriteDraft':
      rw.setText(m.key, m.side, m.text);
      return {};
    case 'rewriteCancel':
      rw.cancel();
      return {};
    case 'rewriteSave': {
      const extra = draft.key === m.key ? { strength: draft.strength, rationale: draft.rationale.trim() || undefined } : {};
      const { decided } = await rw.save(s, m.key, m.side, m.text, extra);
      const side = m.side === 'left' ? vscode.l10n.t('left') : vscode.l10n.t('right');
      const text = decided
        ? vscode.l10n.t('Rewrite of the {0} answer saved, and the pair labeled: {0} is better.', side)
        : vscode.l10n.t('Rewrite of the {0} answer saved; your label of the pair is unchanged.', side);
      return { message: { kind: 'info', text }, decided };
    }
  }
}

/** The rewrite part of the panel's state for the pair on screen. */
export function rewriteView(rw: RewriteSession, s: LabelingSession): RewriteView | undefined {
  const editor = rw.editor(s);
  const saved = rw.saved(s);
  if (!editor && !saved) return undefined;
  const v: RewriteView = {};
  if (editor) v.editor = editor;
  if (saved) v.saved = saved;
  return v;
}
