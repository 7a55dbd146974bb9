/**
 * Everything the labeling page remembers between two messages, in one object. The host holds the
 * session; this is only what the page needs to draw the next state and to not send twice.
 */
import type { LabelingAction, LabelingViewState } from '../../src/protocol/labeling';

export interface LabelingPageState {
  /** The state the host sent last. */
  view: LabelingViewState | undefined;
  /** Key of the pair on screen. */
  shownKey: string | undefined;
  /** Key of the pair a decision was sent for; further choices wait for the host's answer. */
  pending: string | undefined;
  /** The draft rationale waits this long after the last keystroke before it goes to the host. */
  draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the guidelines section shows (rendered again only when it changes). */
  guidelinesShown: string | undefined;
  /** Canonical key name → action, from the state's key map. */
  keyIndex: Map<string, LabelingAction>;
}

export const page: LabelingPageState = {
  view: undefined,
  shownKey: undefined,
  pending: undefined,
  draftTimer: undefined,
  guidelinesShown: undefined,
  keyIndex: new Map(),
};
