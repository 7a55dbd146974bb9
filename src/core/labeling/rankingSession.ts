/**
 * One annotator ranking the candidates of each prompt, best first. Candidates are shown in a seeded
 * order (the same after a reload, independent of the file's model order); a committed ranking is
 * on disk (fsynced append) before the session moves on; undo and redo append; opening the session
 * again resumes at the first prompt this annotator has not ranked. `state()` is what the host sends
 * to the webview: texts and display positions, never hashes or models.
 */
import { seededRandomFromString, shuffled } from '../base/random';
import { DecisionLog, loadLabelLogs, makeRanking, type LogProblem } from './decisionLog';
import { hashText } from './hashing';
import type { LabelStore } from './labelStore';
import type { PairResponse } from './pair';
import type { InputProblem } from './pairQueue';
import type { RankingItem } from './rankingItems';
import type { RankingRecord } from './rankingRecord';
import { progressOf, responseView, type ProgressView, type ResponseView } from './sessionState';
import type { Message } from '../model';
import * as l10n from '@vscode/l10n';

export interface RankingView {
  /** Position of the prompt in the input (0-based). */
  index: number;
  /** Opaque key of the item on screen; echoed with a ranking so a stale commit cannot rank another prompt. */
  key: string;
  prompt: Message[];
  /** The candidates in display order; rankings refer to them by position in this list. */
  candidates: ResponseView[];
  /** This annotator's committed ranking of the item: tiers of display positions, best first. */
  ranking?: number[][];
}

export interface RankingState {
  annotator: string;
  /** Absent when every prompt is ranked. */
  item?: RankingView;
  /** `done`: prompts this annotator has ranked; `total`: prompts with enough candidates. */
  progress: ProgressView;
  canUndo: boolean;
  canRedo: boolean;
  problems: { input: InputProblem[]; log: LogProblem[] };
}

export interface RankingSessionOptions {
  items: readonly RankingItem[];
  inputProblems?: InputProblem[];
  logPath: string;
  annotator: string;
  /** Seed of the display order; defaults to the annotator name so a reload shows the same order. */
  seed?: string;
  clock?: () => number;
}

interface Shown {
  index: number;
  item: RankingItem;
  order: PairResponse[];
  since: number;
}

export class RankingSession {
  private readonly undoStack: { record: RankingRecord; index: number }[] = [];
  private readonly redoStack: { record: RankingRecord; index: number }[] = [];
  private readonly times: number[] = [];
  private shown: Shown | undefined;
  private readonly seed: string;
  private readonly clock: () => number;

  private constructor(
    private readonly options: RankingSessionOptions,
    private readonly log: DecisionLog,
    private readonly store: LabelStore,
    private readonly logProblems: LogProblem[],
  ) {
    this.seed = options.seed ?? options.annotator;
    this.clock = options.clock ?? Date.now;
  }

  /** Reads the log and shows the first prompt not ranked yet (resume). */
  static async open(options: RankingSessionOptions): Promise<RankingSession> {
    const { store, problems } = await loadLabelLogs([options.logPath]);
    const log = await DecisionLog.open(options.logPath);
    const s = new RankingSession(options, log, store, problems);
    s.moveToUnranked(0);
    return s;
  }

  get annotator(): string {
    return this.options.annotator;
  }

  /** The item on screen with its candidates in display order (host side only). */
  get current(): { index: number; item: RankingItem; order: PairResponse[] } | undefined {
    return this.shown && { index: this.shown.index, item: this.shown.item, order: this.shown.order };
  }

  state(): RankingState {
    const items = this.options.items;
    const done = items.filter((it) => this.store.currentRanking(it.group, this.options.annotator)).length;
    const st: RankingState = {
      annotator: this.options.annotator,
      progress: progressOf(done, 0, items.length, true, this.times),
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
      problems: { input: this.options.inputProblems ?? [], log: this.logProblems },
    };
    const sh = this.shown;
    if (sh) {
      st.item = { index: sh.index, key: this.keyOf(sh.item.group), prompt: sh.item.prompt, candidates: sh.order.map((r) => responseView(r.content)) };
      const r = this.store.currentRanking(sh.item.group, this.options.annotator);
      if (r) {
        const pos = new Map(sh.order.map((x, i) => [x.hash, i]));
        st.item.ranking = r.ranking.map((t) => t.map((h) => pos.get(h)!));
      }
    }
    return st;
  }

  /**
   * Records the ranking of the item on screen, as tiers of display positions best first (every
   * candidate exactly once), durable before it resolves, and shows the next unranked prompt.
   */
  async rank(tiers: readonly (readonly number[])[], extra: { key?: string } = {}): Promise<RankingState> {
    const sh = this.shown;
    if (!sh) throw new Error(l10n.t('no prompt to rank'));
    if (extra.key !== undefined && extra.key !== this.keyOf(sh.item.group)) throw new Error(l10n.t('the prompt on screen changed; ranking not recorded'));
    const n = sh.order.length;
    const flat = tiers.flat();
    if (tiers.some((t) => t.length === 0) || flat.length !== n || new Set(flat).size !== n || flat.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
      throw new Error(l10n.t('a ranking must place each of the {0} candidates exactly once', n));
    }
    const now = this.clock();
    const record = makeRanking(
      { promptHash: sh.item.promptHash, tiers: tiers.map((t) => t.map((i) => sh.order[i])), annotator: this.options.annotator, ms: now - sh.since },
      now,
    );
    await this.log.append(record);
    this.store.add(record);
    this.undoStack.push({ record, index: sh.index });
    this.redoStack.length = 0;
    this.times.push(now);
    this.moveToUnranked(sh.index + 1);
    return this.state();
  }

  /** Retracts this session's last ranking and shows its prompt again. */
  async undo(): Promise<RankingState> {
    const last = this.undoStack.pop();
    if (!last) return this.state();
    const r = await this.log.retract(last.record.id, this.options.annotator, this.clock());
    this.store.add(r);
    this.redoStack.push(last);
    this.times.pop();
    this.show(last.index);
    return this.state();
  }

  async redo(): Promise<RankingState> {
    const next = this.redoStack.pop();
    if (!next) return this.state();
    const now = this.clock();
    const copy = await this.log.redo(next.record, now);
    this.store.add(copy);
    this.undoStack.push({ record: copy, index: next.index });
    this.times.push(now);
    this.moveToUnranked(next.index + 1);
    return this.state();
  }

  /** The next prompt not ranked yet (wrapping), or nothing when all are ranked. */
  async next(): Promise<RankingState> {
    this.moveToUnranked((this.shown?.index ?? -1) + 1);
    return this.state();
  }

  /** The prompt before the one on screen, ranked or not (to look at or change a ranking). */
  async previous(): Promise<RankingState> {
    const i = (this.shown?.index ?? this.options.items.length) - 1;
    if (i >= 0) this.show(i);
    return this.state();
  }

  async jump(index: number): Promise<RankingState> {
    if (!this.options.items[index]) throw new RangeError(l10n.t('no prompt at index {0}', index));
    this.show(index);
    return this.state();
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private keyOf(group: string): string {
    return hashText(`${this.seed}\u0001${group}`);
  }

  private ranked(i: number): boolean {
    return this.store.currentRanking(this.options.items[i].group, this.options.annotator) !== undefined;
  }

  private moveToUnranked(from: number): void {
    const n = this.options.items.length;
    for (let k = 0; k < n; k++) {
      const i = (from + k) % n;
      if (!this.ranked(i)) return this.show(i);
    }
    this.shown = undefined;
  }

  private show(index: number): void {
    const item = this.options.items[index];
    if (!item) {
      this.shown = undefined;
      return;
    }
    // Seeded by the item so each prompt has its own order, the same after a reload.
    const order = shuffled(item.responses, seededRandomFromString(`${this.seed}\u0001${item.group}`));
    this.shown = { index, item, order, since: this.clock() };
  }
}
