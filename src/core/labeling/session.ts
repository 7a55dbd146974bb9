/**
 * One annotator's labeling session over a pair queue: shows a pair with seeded random sides,
 * records each decision durably before moving on, undoes and redoes by appending, resumes at the
 * next undecided pair, and filters to unlabeled, skipped or disputed pairs. `state()` is what the
 * host sends to the webview.
 */
import { DecisionLog, loadLabelLogs, makeDecision, type LogProblem } from './decisionLog';
import { sideFreeChoice, type DecisionRecord } from './decisionRecord';
import { hashText } from './hashing';
import { LabelStore } from './labelStore';
import type { Choice, LabelPair, Strength } from './pair';
import type { PairFilterSets, PairQueue } from './pairQueue';
import type { RewriteRecord } from './rewriteRecord';
import type { ScoresRecord } from './scoresRecord';
import { progressOf, responseView, type SessionFilter, type SessionState } from './sessionState';
import { leftIsA } from './sides';
import { turnView } from './turns';
import { turnStep } from './turnsQueue';
import { wordDiff } from './wordDiff';
import * as l10n from '@vscode/l10n';

export interface SessionOptions {
  queue: PairQueue;
  /** This annotator's log; created if missing. */
  logPath: string;
  annotator: string;
  /** Seed of the side randomisation; defaults to the annotator name so a reload shows the same sides. */
  seed?: string;
  /** Other annotators' logs, read for the disagreements filter. */
  otherLogs?: string[];
  filter?: SessionFilter;
  /** Include a word diff of the two responses in the state. */
  diff?: boolean;
  clock?: () => number;
}

interface Shown {
  index: number;
  pair: LabelPair;
  leftIsA: boolean;
  since: number;
}

/** A line committed together with a pair decision (rubric scores): undone and redone with it. */
export type CompanionRecord = ScoresRecord | RewriteRecord;

/** A decision and the records committed with it: undone and redone together. */
interface Committed {
  decision: DecisionRecord;
  index: number;
  with?: CompanionRecord[];
}

/** The next pair index at or after `from` this annotator has not decided (skips count as decided), or -1. */
export async function nextUndecided(queue: PairQueue, store: LabelStore, annotator: string, from = 0): Promise<number> {
  return queue.findNext(from, 1, { exclude: new Set(store.currentFor(annotator).keys()) });
}

export class LabelingSession {
  private readonly mine = new Set<string>();
  private readonly skipped = new Set<string>();
  private readonly disputed = new Set<string>();
  private readonly undoStack: Committed[] = [];
  private readonly redoStack: Committed[] = [];
  private readonly decisionTimes: number[] = [];
  private shown: Shown | undefined;
  private filter: SessionFilter;
  private readonly seed: string;
  private readonly clock: () => number;

  private constructor(
    private readonly options: SessionOptions,
    private readonly log: DecisionLog,
    private readonly store: LabelStore,
    private readonly logProblems: LogProblem[],
  ) {
    this.filter = options.filter ?? 'unlabeled';
    this.seed = options.seed ?? options.annotator;
    this.clock = options.clock ?? Date.now;
    for (const pair of store.pairs()) this.refresh(pair);
  }

  /** Reads the logs and positions at the first pair the filter allows (resume). */
  static async open(options: SessionOptions): Promise<LabelingSession> {
    const { store, problems } = await loadLabelLogs([options.logPath, ...(options.otherLogs ?? [])]);
    const log = await DecisionLog.open(options.logPath);
    try {
      const s = new LabelingSession(options, log, store, problems);
      await s.moveTo(0, 1, true);
      return s;
    } catch (e) {
      // The input could not be read: no session, so nobody else would close the log.
      await log.close();
      throw e;
    }
  }

  get annotator(): string {
    return this.options.annotator;
  }

  /** The pair on screen, with hashes and models (host side only; never put this in the state). */
  get current(): { index: number; pair: LabelPair; leftIsA: boolean } | undefined {
    return this.shown && { index: this.shown.index, pair: this.shown.pair, leftIsA: this.shown.leftIsA };
  }

  state(): SessionState {
    const q = this.options.queue;
    const st: SessionState = {
      annotator: this.options.annotator,
      filter: this.filter,
      progress: progressOf(this.mine.size - this.skipped.size, this.skipped.size, q.known, q.complete, this.decisionTimes),
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
      problems: { input: q.problems(), log: this.logProblems },
    };
    const sh = this.shown;
    if (sh) {
      const left = sh.leftIsA ? sh.pair.a : sh.pair.b;
      // Multi-turn: the history once (with the turns both answers share), then the two continuations.
      const tv = turnView(sh.pair);
      const [leftText, rightText] = sh.leftIsA ? [tv.a, tv.b] : [tv.b, tv.a];
      st.pair = { index: sh.index, key: this.keyOf(sh.pair.id), prompt: tv.history, left: responseView(leftText), right: responseView(rightText) };
      if (tv.turn) st.pair.turn = tv.turn;
      const d = this.store.current(sh.pair.id, this.options.annotator);
      if (d) {
        let choice = d.choice;
        // The log may have recorded other sides (another seed): translate to what is on screen.
        if (choice === 'left' || choice === 'right') {
          const preferred = choice === 'left' ? d.left : d.right;
          choice = preferred === left.hash ? 'left' : 'right';
        }
        st.pair.decision = { choice };
        if (d.strength) st.pair.decision.strength = d.strength;
        if (d.rationale) st.pair.decision.rationale = d.rationale;
      }
      if (this.options.diff) st.pair.diff = wordDiff(leftText, rightText);
    }
    return st;
  }

  /**
   * Records the decision on the pair on screen (durable before it resolves) and shows the next pair.
   * With `key` (from the state the webview saw), a decision meant for another pair is refused.
   */
  async decide(choice: Choice, extra: { strength?: Strength; rationale?: string; key?: string; with?: CompanionRecord[] } = {}): Promise<SessionState> {
    const sh = this.shown;
    if (!sh) throw new Error(l10n.t('no pair to decide'));
    if (extra.key !== undefined && extra.key !== this.keyOf(sh.pair.id)) throw new Error(l10n.t('the pair on screen changed; decision not recorded'));
    const now = this.clock();
    const d = makeDecision(
      { pair: sh.pair, leftIsA: sh.leftIsA, choice, strength: extra.strength, rationale: extra.rationale, annotator: this.options.annotator, ms: now - sh.since },
      now,
    );
    // Records committed with the decision (rubric scores) go first: a crash in between leaves them
    // without the decision, and the pair is shown again with them.
    for (const r of extra.with ?? []) {
      await this.log.append(r);
      this.store.add(r);
    }
    await this.log.append(d);
    this.store.add(d);
    this.refresh(d.pair);
    this.undoStack.push(extra.with?.length ? { decision: d, index: sh.index, with: extra.with } : { decision: d, index: sh.index });
    this.redoStack.length = 0;
    this.decisionTimes.push(now);
    await this.moveTo(sh.index + 1, 1, true);
    return this.state();
  }

  /** Retracts this session's last decision and shows its pair again. */
  async undo(): Promise<SessionState> {
    const last = this.undoStack.pop();
    if (!last) return this.state();
    const r = await this.log.retract(last.decision.id, this.options.annotator, this.clock());
    this.store.add(r);
    for (const w of last.with ?? []) this.store.add(await this.log.retract(w.id, this.options.annotator, this.clock()));
    this.refresh(last.decision.pair);
    this.redoStack.push(last);
    this.decisionTimes.pop();
    await this.show(last.index);
    return this.state();
  }

  /** Re-applies the last undone decision and moves past its pair. */
  async redo(): Promise<SessionState> {
    const next = this.redoStack.pop();
    if (!next) return this.state();
    const now = this.clock();
    const again: CompanionRecord[] = [];
    for (const w of next.with ?? []) {
      const copy = await this.log.redo(w, now);
      this.store.add(copy);
      again.push(copy);
    }
    const d = await this.log.redo(next.decision, now);
    this.store.add(d);
    this.refresh(d.pair);
    this.undoStack.push(again.length ? { decision: d, index: next.index, with: again } : { decision: d, index: next.index });
    this.decisionTimes.push(now);
    await this.moveTo(next.index + 1, 1, true);
    return this.state();
  }

  /** This annotator's current rubric scores of a pair (latest not retracted). */
  currentScores(pair: string): ScoresRecord | undefined {
    return this.store.currentScores(pair, this.options.annotator);
  }

  async next(): Promise<SessionState> {
    await this.moveTo((this.shown?.index ?? -1) + 1, 1, true);
    return this.state();
  }

  async previous(): Promise<SessionState> {
    const from = (this.shown?.index ?? this.options.queue.known) - 1;
    if (from >= 0) {
      const i = await this.options.queue.findNext(from, -1, this.filterSets());
      if (i >= 0) await this.show(i);
    }
    return this.state();
  }

  /** Multi-turn: shows the first pair of the next (1) or previous (-1) turn of the conversation on screen, whatever the filter. */
  async turn(step: 1 | -1): Promise<SessionState> {
    if (this.shown) {
      const i = await turnStep(this.options.queue, this.shown.index, step);
      if (i >= 0) await this.show(i);
    }
    return this.state();
  }

  /** Shows the pair at `index` whatever the filter (jump to a pair). */
  async jump(index: number): Promise<SessionState> {
    if (!(await this.options.queue.get(index))) throw new RangeError(l10n.t('no pair at index {0}', index));
    await this.show(index);
    return this.state();
  }

  async setFilter(filter: SessionFilter): Promise<SessionState> {
    this.filter = filter;
    await this.moveTo(0, 1, true);
    return this.state();
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private keyOf(pairId: string): string {
    return hashText(`${this.seed}\u0001${pairId}`);
  }

  private filterSets(): PairFilterSets {
    switch (this.filter) {
      case 'unlabeled':
        return { exclude: this.mine };
      case 'skipped':
        return { include: this.skipped };
      case 'disagreements':
        return { include: this.disputed };
      default:
        return {};
    }
  }

  /** Shows the first pair from `from` that the filter allows, wrapping to the start once. */
  private async moveTo(from: number, step: 1 | -1, wrap: boolean): Promise<void> {
    const q = this.options.queue;
    const f = this.filterSets();
    let i = await q.findNext(from, step, f);
    if (i < 0 && wrap && from > 0) i = await q.findNext(0, 1, f);
    if (i < 0) this.shown = undefined;
    else await this.show(i);
  }

  private async show(index: number): Promise<void> {
    const pair = await this.options.queue.get(index);
    if (!pair) {
      this.shown = undefined;
      return;
    }
    this.shown = { index, pair, leftIsA: leftIsA(pair.id, this.seed), since: this.clock() };
  }

  /** Updates the filter sets for one pair from the store. */
  private refresh(pair: string): void {
    const me = this.options.annotator;
    const all = this.store.decisionsFor(pair);
    const mine = all.get(me);
    if (mine) this.mine.add(pair);
    else this.mine.delete(pair);
    if (mine?.choice === 'skip') this.skipped.add(pair);
    else this.skipped.delete(pair);
    const kinds = new Set<string>();
    for (const d of all.values()) if (d.choice !== 'skip') kinds.add(sideFreeChoice(d));
    if (kinds.size > 1) this.disputed.add(pair);
    else this.disputed.delete(pair);
  }
}
