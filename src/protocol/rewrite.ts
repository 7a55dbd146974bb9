/**
 * Rewrite in the labeling panel (the messages and state it adds to protocol/labeling.ts): the
 * annotator opens an answer of the pair on screen in an editor, the typed text goes to the host
 * (which answers with the word diff against the original), and a save appends a `rewrite` line.
 */
import type { RewriteDraftResume, RewriteEditorView, RewriteSide, SavedRewriteView } from '../core/labeling';
import { oneOf, optional, str } from './messageChecks';

export type { RewriteDraftResume, RewriteEditorView, RewriteSide, SavedRewriteView };

export interface RewriteView {
  /** The editor, while it is open on the pair on screen. */
  editor?: RewriteEditorView;
  /** This annotator's current rewrite of the pair on screen. */
  saved?: SavedRewriteView;
}

export type RewriteToHost =
  /** Opens the editor on an answer of the pair `key`; without `side` the host picks (the one rewritten before, the better one, else the left). */
  | { type: 'rewriteOpen'; key: string; side?: RewriteSide }
  /** The text typed so far (the host keeps it: a reloaded webview gets it back). */
  | { type: 'rewriteDraft'; key: string; side: RewriteSide; text: string }
  | { type: 'rewriteSave'; key: string; side: RewriteSide; text: string }
  | { type: 'rewriteCancel' };

const SIDES = ['left', 'right'] as const satisfies readonly RewriteSide[];

/** The checks of the rewrite messages, spread into the labeling panel's message table. */
export const REWRITE_MESSAGE_CHECKS = {
  rewriteOpen: { key: str, side: optional(oneOf(...SIDES)) },
  rewriteDraft: { key: str, side: oneOf(...SIDES), text: str },
  rewriteSave: { key: str, side: oneOf(...SIDES), text: str },
  rewriteCancel: {},
};
