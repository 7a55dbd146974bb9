/**
 * Rewrites in a labeling session: the annotator edits one answer of the pair on screen, and saving
 * appends a `rewrite` line to their label log (durable before it resolves). A save on a pair the
 * annotator has not decided also records the pair decision "the rewritten answer is better":
 * choosing which answer to improve is that judgement (the panel opens the better answer), and the
 * pair then counts as done like any decision. A decision already recorded is kept as it is (a
 * rewrite of one of two bad answers must not turn "both bad" into a preference).
 *
 * Undo and redo work like decisions, in one history with them: undoing a save retracts the rewrite
 * and the decision it recorded. The draft being typed lives here (the host), so a reloaded webview
 * gets it back; `restore` brings it back after a window reload from the webview's saved state.
 */
import { DecisionLog, loadLabelLogs } from './decisionLog';
import { LabelStore } from './labelStore';
import type { Strength } from './pair';
import { isRewritable } from './rewriteExport';
import { makeRewrite, MAX_REWRITE_CHARS, type RewriteRecord } from './rewriteRecord';
import type { LabelingSession } from './session';
import { wordDiff, type DiffSegment } from './wordDiff';
import * as l10n from '@vscode/l10n';

export type RewriteSide = 'left' | 'right';

/** The draft in progress, as the webview shows it. */
export interface RewriteEditorView {
  /** Key of the pair it belongs to (the pair on screen). */
  key: string;
  side: RewriteSide;
  /** The answer as the input has it (the diff is against this). */
  original: string;
  /** What the editor started from: the original, or this annotator's saved rewrite (Esc asks before discarding a change to it). */
  start: string;
  /** What the annotator has typed so far. */
  text: string;
  /** Word diff original → text. */
  diff: DiffSegment[];
  /** The editor started from this annotator's saved rewrite of the answer. */
  fromSaved: boolean;
}

/** What the webview keeps across a window reload to bring the draft back. */
export interface RewriteDraftResume {
  key: string;
  side: RewriteSide;
  text: string;
}

/** This annotator's current rewrite of the pair on screen, if any. */
export interface SavedRewriteView {
  side: RewriteSide;
  /** Characters of the rewrite (shown in the badge). */
  chars: number;
}

interface Draft {
  key: string;
  pair: string;
  side: RewriteSide;
  base: string;
  original: string;
  start: string;
  text: string;
  fromSaved: boolean;
  since: number;
}

type HistoryEntry = { kind: 'decision' } | { kind: 'rewrite'; rewrite: RewriteRecord; decided: boolean; index: number };

/** Why a rewrite is refused: empty, or the same as the answer it rewrites (undefined: acceptable). */
export function rewriteRefusal(original: string, text: string): string | undefined {
  if (text.trim() === '') return l10n.t('An empty rewrite is not saved: type the improved answer, or press Esc to cancel.');
  if (text.trimEnd() === original.trimEnd()) return l10n.t('The rewrite is the same as the original answer: nothing to save. Edit it, or press Esc to cancel.');
  if (text.length > MAX_REWRITE_CHARS) return l10n.t('The rewrite is longer than {0} characters and is not saved.', MAX_REWRITE_CHARS);
  return undefined;
}

export class RewriteSession {
  private draft: Draft | undefined;
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];

  private constructor(
    private readonly log: DecisionLog,
    private readonly store: LabelStore,
    private readonly annotator: string,
    private readonly clock: () => number,
  ) {}

  /** Reads this annotator's rewrites from the log and opens it for appending. */
  static async open(logPath: string, annotator: string, clock: () => number = Date.now): Promise<RewriteSession> {
    const { store } = await loadLabelLogs([logPath]);
    return new RewriteSession(await DecisionLog.open(logPath), store, annotator, clock);
  }

  private shownSides(session: LabelingSession): { pair: string; key: string; left: { hash: string; content: string; ok: boolean }; right: { hash: string; content: string; ok: boolean } } | undefined {
    const cur = session.current;
    const key = session.state().pair?.key;
    if (!cur || key === undefined) return undefined;
    const [l, r] = cur.leftIsA ? [cur.pair.a, cur.pair.b] : [cur.pair.b, cur.pair.a];
    return { pair: cur.pair.id, key, left: { hash: l.hash, content: l.content, ok: isRewritable(l) }, right: { hash: r.hash, content: r.content, ok: isRewritable(r) } };
  }

  /** This annotator's current rewrite of the pair on screen. */
  saved(session: LabelingSession): SavedRewriteView | undefined {
    const shown = this.shownSides(session);
    const r = shown && this.store.currentRewrite(shown.pair, this.annotator);
    if (!shown || !r) return undefined;
    return { side: r.base === shown.left.hash ? 'left' : 'right', chars: r.text.length };
  }

  /**
   * Opens the editor on an answer of the pair on screen: `side` if given (the answer the annotator
   * clicked or focused), else the one they rewrote before, else the better one by their decision,
   * else the left one.
   */
  start(session: LabelingSession, key: string, side?: RewriteSide): void {
    const shown = this.shownSides(session);
    if (!shown || shown.key !== key) throw new Error(l10n.t('the pair on screen changed; open the editor again'));
    const prior = this.store.currentRewrite(shown.pair, this.annotator);
    const priorSide: RewriteSide | undefined = prior ? (prior.base === shown.left.hash ? 'left' : 'right') : undefined;
    const choice = session.state().pair?.decision?.choice;
    const better: RewriteSide | undefined = choice === 'left' || choice === 'right' ? choice : undefined;
    const s = side ?? priorSide ?? better ?? 'left';
    const target = shown[s];
    if (!target.ok) throw new Error(l10n.t('This answer has several messages or tool calls; a rewrite replaces one plain answer.'));
    const fromSaved = !!prior && priorSide === s;
    const startText = fromSaved ? prior.text : target.content;
    this.draft = { key, pair: shown.pair, side: s, base: target.hash, original: target.content, start: startText, text: startText, fromSaved, since: this.clock() };
  }

  /** The text typed so far (ignored unless it is for the draft open on the pair on screen). */
  setText(key: string, side: RewriteSide, text: string): void {
    const d = this.draft;
    if (d && d.key === key && d.side === side) d.text = text.slice(0, MAX_REWRITE_CHARS + 1);
  }

  cancel(): void {
    this.draft = undefined;
  }

  /** The editor to show for the pair on screen (a draft of another pair is dropped: it belonged there). */
  editor(session: LabelingSession): RewriteEditorView | undefined {
    const d = this.draft;
    if (!d) return undefined;
    if (this.shownSides(session)?.key !== d.key) {
      this.draft = undefined;
      return undefined;
    }
    return { key: d.key, side: d.side, original: d.original, start: d.start, text: d.text, diff: wordDiff(d.original, d.text), fromSaved: d.fromSaved };
  }

  /** What the webview persists to bring the draft back after a window reload. */
  resume(): RewriteDraftResume | undefined {
    const d = this.draft;
    return d && { key: d.key, side: d.side, text: d.text };
  }

  /** Brings a draft back after a window reload, if it is for the pair on screen. */
  restore(session: LabelingSession, r: RewriteDraftResume | undefined): void {
    if (!r || typeof r.key !== 'string' || (r.side !== 'left' && r.side !== 'right') || typeof r.text !== 'string') return;
    try {
      this.start(session, r.key, r.side);
      this.setText(r.key, r.side, r.text);
    } catch {
      this.draft = undefined;
    }
  }

  /**
   * Saves the rewrite of the pair on screen (on disk before it resolves). On a pair without a
   * decision it also records the rewritten answer as the better one (through the session, which
   * then shows the next pair); returns whether it did.
   */
  async save(session: LabelingSession, key: string, side: RewriteSide, text: string, extra: { strength?: Strength; rationale?: string } = {}): Promise<{ decided: boolean }> {
    const d = this.draft;
    if (!d || d.key !== key || d.side !== side) throw new Error(l10n.t('the pair on screen changed; rewrite not saved'));
    const shown = this.shownSides(session);
    if (!shown || shown.key !== key || shown.pair !== d.pair) throw new Error(l10n.t('the pair on screen changed; rewrite not saved'));
    d.text = text;
    const refusal = rewriteRefusal(d.original, text);
    if (refusal) throw new Error(refusal);
    const prior = this.store.currentRewrite(d.pair, this.annotator);
    if (prior && prior.base === d.base && prior.text === text.trimEnd()) throw new Error(l10n.t('This rewrite is already saved.'));
    const now = this.clock();
    const rewrite = makeRewrite({ pair: d.pair, base: d.base, text: text.trimEnd(), annotator: this.annotator, ms: now - d.since }, now);
    await this.log.append(rewrite);
    this.store.add(rewrite);
    this.draft = undefined;
    const index = session.current!.index;
    const decided = !session.state().pair?.decision;
    if (decided) await session.decide(side, { key, strength: extra.strength, rationale: extra.rationale });
    this.undoStack.push({ kind: 'rewrite', rewrite, decided, index });
    this.redoStack.length = 0;
    return { decided };
  }

  /** A pair decision of the session (made outside this class): it takes its place in the history. */
  noteDecision(): void {
    this.undoStack.push({ kind: 'decision' });
    this.redoStack.length = 0;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Undoes the last save or decision of this session (a decision through the session). */
  async undo(session: LabelingSession): Promise<void> {
    const e = this.undoStack.pop();
    if (!e) return;
    this.redoStack.push(e);
    this.draft = undefined;
    if (e.kind === 'decision') {
      await session.undo();
      return;
    }
    this.store.add(await this.log.retract(e.rewrite.id, this.annotator, this.clock()));
    if (e.decided) await session.undo();
    else await session.jump(e.index);
  }

  /** Re-applies the last undone save or decision. */
  async redo(session: LabelingSession): Promise<void> {
    const e = this.redoStack.pop();
    if (!e) return;
    this.draft = undefined;
    if (e.kind === 'decision') {
      this.undoStack.push(e);
      await session.redo();
      return;
    }
    const copy = await this.log.redo(e.rewrite, this.clock());
    this.store.add(copy);
    this.undoStack.push({ ...e, rewrite: copy });
    if (e.decided) await session.redo();
    else await session.jump(e.index);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
