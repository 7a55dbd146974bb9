/**
 * The rubric of a labeling panel: which file (chosen for the session, else `<input>.rubric.yaml`
 * beside the input), what the webview is shown of it, and the scores in progress per pair. The
 * scores in progress live here (the webview posts every change) and in the webview's persisted
 * state (handed back by the panel serializer after a window reload), so no reload loses them. They
 * reach the log as a `scores` line committed with the pair's decision (LabelingSession.decide).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cleanScores, humanScoresAgreement, loadLabelLogs, readRubric, rubricPathFor, scoresToCommit, sideScoresOf, type Rubric, type ScoreAgreement, type ScoresRecord } from '../core/labeling';
import type { PersistedRubricDraft, RubricScoresView, RubricView } from '../protocol/labelingRubric';

/** Drafts kept per pair key (the pairs visited lately in this panel). */
const MAX_DRAFTS = 200;

/** The pair on screen as the host knows it (hashes never reach the webview). */
export interface ShownPair {
  key: string;
  pair: string;
  leftHash: string;
  rightHash: string;
}

export class LabelingRubric {
  private rubric: Rubric | undefined;
  private file: string | undefined;
  private error: string | undefined;
  /** pair key -> scores in progress (insertion order: oldest first). */
  private readonly drafts = new Map<string, RubricScoresView>();
  /** pair key -> when its scoring started (for the `ms` of the scores line). */
  private readonly since = new Map<string, number>();
  /** Agreement between annotators per criterion, once the Agreement section asked for it. */
  private agreement: ScoreAgreement[] | undefined;

  constructor(restored?: PersistedRubricDraft) {
    if (restored) this.drafts.set(restored.key, { left: restored.left, right: restored.right });
  }

  get current(): Rubric | undefined {
    return this.rubric;
  }

  /** Loads the chosen rubric, or the one beside the input if there is one. A bad file is reported in the view, not thrown. */
  async load(input: string, chosen?: string): Promise<void> {
    const file = chosen ?? rubricPathFor(input);
    this.file = file;
    this.error = undefined;
    this.rubric = undefined;
    if (!chosen) {
      try {
        await fsp.lstat(file);
      } catch {
        this.file = undefined; // no rubric beside the input: pairs only
        return;
      }
    }
    try {
      // The rubric found beside the input comes with the workspace: a symbolic link out of its folder
      // is not followed (as for the guidelines file). One the user chose is read where it is.
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(input))?.uri.fsPath ?? path.dirname(input);
      this.rubric = await readRubric(file, chosen ? {} : { baseFolder: folder });
      this.agreement = undefined;
      // Drafts restored or kept from an earlier rubric: only what this one allows.
      for (const [k, d] of this.drafts) this.drafts.set(k, cleanScores(this.rubric, d));
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Rereads the logs for the agreement between annotators on this rubric (with the panel's Agreement section). */
  async refreshAgreement(logs: readonly string[]): Promise<void> {
    if (!this.rubric) return;
    try {
      const { store } = await loadLabelLogs(logs);
      this.agreement = humanScoresAgreement(store.currentScoresAll(), this.rubric);
    } catch {
      this.agreement = undefined; // the Agreement section reports unreadable logs
    }
  }

  /** Asks for a rubric file ("Rubric…"); undefined when the user cancels. */
  static async pick(input: string): Promise<string | undefined> {
    const uris = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Rubric for labeling {0}', path.basename(input)),
      defaultUri: vscode.Uri.file(path.dirname(input)),
      canSelectMany: false,
      filters: { [vscode.l10n.t('Rubrics')]: ['yaml', 'yml'] },
    });
    return uris?.[0]?.fsPath;
  }

  /** The scores on screen changed: kept (cleaned against the rubric) for the pair they belong to. */
  setDraft(key: string, scores: RubricScoresView): void {
    if (!this.rubric) return;
    this.drafts.delete(key);
    this.drafts.set(key, cleanScores(this.rubric, scores));
    while (this.drafts.size > MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value as string);
  }

  /**
   * The `scores` line to commit with the decision on `shown`, if anything is scored and changed.
   * Throws (nothing written) when a criterion is scored for one response only.
   */
  toCommit(shown: ShownPair, annotator: string, committed: ScoresRecord | undefined, now = Date.now()): ScoresRecord | undefined {
    const rubric = this.rubric;
    const scores = this.drafts.get(shown.key);
    if (!rubric || !scores) return undefined;
    return scoresToCommit({ rubric, pair: shown.pair, leftHash: shown.leftHash, rightHash: shown.rightHash, scores, annotator, ms: now - (this.since.get(shown.key) ?? now), committed }, now);
  }

  /** What the webview shows: the rubric, and for the pair on screen the scores in progress and the committed ones. */
  view(shown: ShownPair | undefined, committed: ScoresRecord | undefined, now = Date.now()): RubricView | undefined {
    if (!this.file) return undefined;
    const v: RubricView = { file: path.basename(this.file) };
    if (this.error !== undefined) v.error = this.error;
    const r = this.rubric;
    if (!r) return v;
    const labels: Record<string, string> = {};
    for (const [k, t] of Object.entries(r.scale.labels)) labels[k] = t;
    v.rubric = { name: r.name, scale: { min: r.scale.min, max: r.scale.max, labels }, guidelines: r.guidelines, criteria: r.criteria.map((c) => ({ id: c.id, title: c.title, guidelines: c.guidelines })) };
    if (this.agreement) v.agreement = this.agreement;
    if (!shown) return v;
    if (!this.since.has(shown.key)) {
      this.since.set(shown.key, now);
      while (this.since.size > MAX_DRAFTS) this.since.delete(this.since.keys().next().value as string);
    }
    const done = committed ? sideScoresOf(committed, shown.leftHash, shown.rightHash, r) : undefined;
    if (done) v.committed = done;
    // A pair comes back with its scores in progress; else (a pair scored before) with its committed scores.
    const draft = this.drafts.get(shown.key) ?? done;
    if (draft) v.draft = { key: shown.key, left: draft.left, right: draft.right };
    return v;
  }
}
