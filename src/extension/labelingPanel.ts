/**
 * The preference labeling panel: a webview showing one pair at a time, driven by a LabelingSession
 * that lives here in the host. The webview holds nothing the host does not have (even the draft
 * rationale is sent here), so hiding the panel (retainContextWhenHidden is off), reloading the
 * webview, or reloading the window (the panel serializer reopens input and log) shows the same pair.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { judgementsPathFor } from '../core/generation';
import { loadLabelLogs, readGuidelinesFile, withholdModelFigures, agreementWithJudge, judgeSide, readJudgements, type JudgementsRead, type StoredJudgement, openLabelingInput, labelLogsBeside, type OpenedInput, LabelingSession, RewriteSession, wordDiff } from '../core/labeling';
import type { DecisionRecord, SessionState } from '../core/labeling';
import {
  DEFAULT_KEYS,
  isLabelingToHost,
  LABELING_ACTIONS,
  type AgreementView,
  type HostToLabeling,
  type JudgeSuggestionView,
  type JudgeView,
  type KeyMap,
  type LabelingResume,
  type LabelingToHost,
  type LabelingViewState,
  type Strength,
} from '../protocol/labeling';
import { agreementView } from './labelingAgreement';
import { isPersistedRubricDraft, type PersistedRubricDraft } from '../protocol/labelingRubric';
import { LabelingRubric, type ShownPair } from './labelingRubric';
import { inJudgeUncertaintyOrder } from './judgeUncertaintyOrder';
import { onRewriteMessage, rewriteView } from './labelingRewrite';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { PanelRegistry } from './panelRegistry';
import { initPanelGrants, panelGrants } from './panelGrants';
import { WebviewPanelBase } from './webviewPanelBase';

const MAX_RATIONALE_CHARS = 10_000;
/** A judge job appends many lines a second: reload the judgements at most this often... */
const JUDGEMENTS_RELOAD_MS = 300;
/** ...and, for a large file, wait this many times as long as the last reload took (bounds the CPU spent rereading). */
const JUDGEMENTS_RELOAD_FACTOR = 4;

type JudgeMode = JudgeView['mode'];
function judgeMode(): JudgeMode {
  return vscode.workspace.getConfiguration('pairwise.judge').get<string>('showSuggestions') === 'always' ? 'always' : 'afterDecision';
}

/** What the agreement with the judge needs of a decision. */
type SideDecision = Pick<DecisionRecord, 'pair' | 'left' | 'right' | 'choice'>;

/** The labeling keys: the defaults, with each action the setting names replaced by its keys. */
export function labelingKeys(): KeyMap {
  const keys: KeyMap = { ...DEFAULT_KEYS };
  const set = vscode.workspace.getConfiguration('pairwise.labeling').get<Record<string, unknown>>('keys') ?? {};
  for (const a of LABELING_ACTIONS) {
    const v = set[a];
    if (Array.isArray(v) && v.every((k) => typeof k === 'string')) keys[a] = v as string[];
  }
  return keys;
}

function isResume(v: unknown): v is LabelingResume {
  const r = v as LabelingResume | undefined;
  return (
    !!r &&
    typeof r.logPath === 'string' &&
    typeof r.annotator === 'string' &&
    Array.isArray(r.otherLogs) &&
    !!r.input &&
    typeof r.input.path === 'string' &&
    ['candidates', 'audit', 'sft'].includes(r.input.kind)
  );
}

export class LabelingPanel extends WebviewPanelBase<LabelingToHost, HostToLabeling> {
  /** Decisions in this window, for the walkthrough's "Label five pairs" step (completes on its context key). */
  private static walkthroughDecisions = 0;
  static readonly WALKTHROUGH_CONTEXT_KEY = 'pairwise.walkthrough.fivePairsLabeled';

  private static countWalkthroughDecision(): void {
    if (++LabelingPanel.walkthroughDecisions === 5) void vscode.commands.executeCommand('setContext', LabelingPanel.WALKTHROUGH_CONTEXT_KEY, true);
  }

  static readonly viewType = 'pairwise.labeling';
  private static readonly panels = new PanelRegistry<LabelingPanel>();

  private session: LabelingSession | undefined;
  /** Rewrites of answers, and the one history of undo with the decisions (labelingRewrite.ts). */
  private rewrites: RewriteSession | undefined;
  private opened: OpenedInput | undefined;
  private readonly ready: Promise<void>;
  private diffOn = false;
  private draft: LabelingViewState['draft'] = { rationale: '' };
  private message: LabelingViewState['message'];
  private agreement: AgreementView | undefined;
  private guidelines: LabelingViewState['guidelines'];
  private last: LabelingViewState | undefined;
  /** The judge's verdicts beside a candidates input (undefined: no judgements file). */
  private judgements: JudgementsRead | undefined;
  private judgementsPath: string | undefined;
  private judgementsTimer: ReturnType<typeof setTimeout> | undefined;
  private judgementsLoadMs = 0;
  /** This annotator's current decisions (from the log, then kept up to date), for the agreement with the judge. */
  private myDecisions = new Map<string, SideDecision>();
  /** The pair decided last in this session, to show the judge's verdict on it after the panel moved on. */
  private lastDecided: { index: number; decision: SideDecision } | undefined;
  /** The rubric beside the pair and the scores in progress. */
  private readonly rubric: LabelingRubric;

  static register(context: vscode.ExtensionContext): void {
    initPanelGrants(context.workspaceState);
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(LabelingPanel.viewType, {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
          const persisted = state as { resume?: unknown; rubricDraft?: unknown } | undefined;
          // The page names its session; the files are those the session was opened on (panelGrants.ts).
          const resume = isResume(persisted?.resume) ? panelGrants().restore(LabelingPanel.viewType, persisted.resume) : undefined;
          if (!resume) {
            panel.dispose();
            if (isResume(persisted?.resume)) void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: the labeling panel was not reopened: no labeling session on {0} was started in this workspace. Start it again from the command palette.', path.basename(persisted.resume.logPath)));
            return;
          }
          try {
            await fsp.access(resume.input.path);
          } catch {
            panel.dispose();
            void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: the labeling input {0} is gone; the panel was closed.', resume.input.path));
            return;
          }
          // The rubric scores in progress the page persisted come back with it.
          const p = new LabelingPanel(context.extensionUri, panel, resume, isPersistedRubricDraft(persisted?.rubricDraft) ? persisted.rubricDraft : undefined);
          await p.ready.catch(() => undefined);
        },
      }),
      { dispose: () => LabelingPanel.panels.disposeAll() },
    );
  }

  /** Opens a panel on the input and log, or reveals the one already open on that log. */
  static async show(extensionUri: vscode.Uri, resume: LabelingResume): Promise<LabelingPanel> {
    const existing = LabelingPanel.panels.all().find((p) => p.resume.logPath === resume.logPath);
    if (existing) {
      existing.panel.reveal();
      await existing.ready;
      return existing;
    }
    await panelGrants().record(LabelingPanel.viewType, resume);
    const panel = vscode.window.createWebviewPanel(LabelingPanel.viewType, vscode.l10n.t('Label: {0}', path.basename(resume.input.path)), vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    const p = new LabelingPanel(extensionUri, panel, resume);
    await p.ready;
    return p;
  }

  /** The panel the user looked at last (for Export Preferences and the tests). */
  static current(): LabelingPanel | undefined {
    return LabelingPanel.panels.current();
  }

  private constructor(
    extensionUri: vscode.Uri,
    panel: vscode.WebviewPanel,
    readonly resume: LabelingResume,
    rubricDraft?: PersistedRubricDraft,
  ) {
    // Serialized: a fast double key press cannot interleave two decisions.
    super(panel, { guard: isLabelingToHost, viewName: vscode.l10n.t('labeling panel of {0}', path.basename(resume.input.path)), registry: LabelingPanel.panels, serialized: true });
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'labeling', `Label: ${path.basename(resume.input.path)}`);
    this.rubric = new LabelingRubric(rubricDraft);
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pairwise.labeling.guidelinesFile')) void this.loadGuidelines().then(() => this.post());
        else if (e.affectsConfiguration('pairwise.labeling.keys') || e.affectsConfiguration('pairwise.judge.showSuggestions')) this.post();
      }),
    );
    this.ready = this.open();
  }

  private async open(): Promise<void> {
    try {
      this.opened = await openLabelingInput(this.resume.input);
      if (this.resume.order === 'judgeUncertainty' && this.resume.input.kind === 'candidates') this.opened = await inJudgeUncertaintyOrder(this.opened, judgementsPathFor(this.resume.input.path));
      this.session = await LabelingSession.open({ queue: this.opened.queue, logPath: this.resume.logPath, annotator: this.resume.annotator, otherLogs: this.resume.otherLogs });
      this.rewrites = await RewriteSession.open(this.resume.logPath, this.resume.annotator);
      if (this.isDisposed) {
        await this.closeSession();
        return;
      }
      if (this.resume.index !== undefined) await this.session.jump(this.resume.index).catch(() => undefined);
      this.rewrites.restore(this.session, this.resume.rewrite);
      await this.loadGuidelines();
      await this.rubric.load(this.resume.input.path, this.resume.rubric);
      if (this.resume.input.kind === 'candidates') await this.watchJudgements(judgementsPathFor(this.resume.input.path));
      if (this.resume.otherLogs.length > 0) this.agreement = await agreementView([this.resume.logPath, ...this.resume.otherLogs], { annotator: this.resume.annotator, known: this.opened.known, judgements: this.judgementsPath });
      if (this.agreement) await this.rubric.refreshAgreement([this.resume.logPath, ...this.resume.otherLogs]);
      this.post();
      void this.reportProblems();
    } catch (e) {
      const msg = vscode.l10n.t('Pairwise: cannot open {0} for labeling: {1}', path.basename(this.resume.input.path), (e as Error).message);
      void vscode.window.showErrorMessage(msg);
      this.dispose();
      throw new Error(msg);
    }
  }

  /** Input problems (bad lines) and log problems (torn or invalid lines) as one warning, once the input is indexed. */
  private async reportProblems(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    await opened.queue.whenComplete().catch(() => undefined);
    if (this.isDisposed || !this.session) return;
    const logProblems = this.session.state().problems.log;
    const input = opened.problems;
    if (input.length === 0 && logProblems.length === 0) return;
    const parts: string[] = [];
    const torn = logProblems.filter((p) => p.kind === 'torn');
    if (torn.length) parts.push(vscode.l10n.t('{0} line {1}: torn last line (an interrupted write) set aside; earlier decisions are intact', path.basename(torn[0].path), torn[0].line));
    const invalid = logProblems.filter((p) => p.kind !== 'torn');
    if (invalid.length) parts.push(vscode.l10n.t('{0} invalid line(s) in the label log(s) set aside (first: {1} line {2}: {3})', invalid.length, path.basename(invalid[0].path), invalid[0].line, invalid[0].message));
    if (input.length) parts.push(vscode.l10n.t('{0} line(s) of the input could not become pairs (first: {1} line {2}: {3})', input.length, input[0].file, input[0].line, input[0].message));
    void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise labeling: {0}.', parts.join('; ')));
  }

  private async loadGuidelines(): Promise<void> {
    // Read for the input's folder: in a multi-root workspace each folder may name its own guidelines.
    const inputUri = vscode.Uri.file(this.resume.input.path);
    const setting = vscode.workspace.getConfiguration('pairwise.labeling', inputUri).get<string>('guidelinesFile')?.trim();
    if (!setting) {
      this.guidelines = undefined;
      return;
    }
    // A relative path is relative to the input's workspace folder; with none (no folder open, a file
    // from elsewhere) to the input's own folder, never to the extension host's working directory.
    const folder = vscode.workspace.getWorkspaceFolder(inputUri)?.uri.fsPath ?? path.dirname(this.resume.input.path);
    try {
      // A regular file under the size bound, whose links stay inside that folder (guidelinesFile.ts).
      this.guidelines = { file: setting, markdown: await readGuidelinesFile(setting, { baseFolder: folder }) };
    } catch (e) {
      this.guidelines = { file: setting, error: (e as Error).message };
    }
  }

  /** Loads the judge's verdicts beside the candidates file and reloads them whenever a judge job writes to it. */
  private async watchJudgements(file: string): Promise<void> {
    this.judgementsPath = file;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const schedule = (): void => {
      if (this.judgementsTimer || this.isDisposed) return;
      this.judgementsTimer = setTimeout(() => {
        this.judgementsTimer = undefined;
        // In the message line, so a reload never interleaves with a decision.
        void this.channel.enqueue(() => this.loadJudgements().then(() => this.post())).catch(() => undefined);
      }, Math.max(JUDGEMENTS_RELOAD_MS, JUDGEMENTS_RELOAD_FACTOR * this.judgementsLoadMs));
    };
    this._register(watcher);
    this._register(watcher.onDidCreate(schedule));
    this._register(watcher.onDidChange(schedule));
    this._register(watcher.onDidDelete(schedule));
    this._register({ dispose: () => this.judgementsTimer && clearTimeout(this.judgementsTimer) });
    await this.loadJudgements();
  }

  private async loadJudgements(): Promise<void> {
    if (!this.judgementsPath) return;
    const hadJudgements = !!this.judgements;
    const started = Date.now();
    try {
      const read = await readJudgements(this.judgementsPath);
      this.judgementsLoadMs = Date.now() - started;
      this.judgements = read.missing ? undefined : read;
    } catch (e) {
      this.judgements = undefined;
      this.message = { kind: 'error', text: vscode.l10n.t('Cannot read the judge\'s verdicts in {0}: {1}', path.basename(this.judgementsPath), (e as Error).message) };
    }
    if (this.judgements && !hadJudgements) await this.loadMyDecisions();
  }

  /** Rereads this annotator's current decisions from the log (at the start, and after undo or redo). */
  private async loadMyDecisions(): Promise<void> {
    const { store } = await loadLabelLogs([this.resume.logPath]);
    this.myDecisions = new Map(store.currentFor(this.resume.annotator));
  }

  /** The judge's verdict in the sides the pair was shown with. */
  private suggestionView(j: StoredJudgement, leftHash: string, rightHash: string, choice: SideDecision['choice'] | undefined): JudgeSuggestionView | undefined {
    const verdict = judgeSide(j, leftHash, rightHash);
    if (!verdict) return undefined;
    const v: JudgeSuggestionView = { verdict, model: j.model, consistent: j.consistent };
    if (j.reason) v.reason = j.reason;
    if (verdict !== 'uncertain' && (choice === 'left' || choice === 'right' || choice === 'tie')) v.agreesWithYou = verdict === choice;
    return v;
  }

  private judgeView(state: SessionState): JudgeView | undefined {
    const read = this.judgements;
    if (!read || !this.judgementsPath) return undefined;
    const mode = judgeMode();
    const view: JudgeView = {
      mode,
      file: path.basename(this.judgementsPath),
      agreement: agreementWithJudge(this.myDecisions.values(), read.byPair),
      judged: read.byPair.size,
      badLines: read.badLines.length,
    };
    const cur = this.session?.current;
    if (cur && state.pair) {
      const j = read.byPair.get(cur.pair.id);
      if (j) {
        const choice = state.pair.decision?.choice;
        // A skip is not a decision: revealing the verdict on skip would let it anchor the label given later.
        const decided = choice !== undefined && choice !== 'skip';
        const [leftHash, rightHash] = cur.leftIsA ? [cur.pair.a.hash, cur.pair.b.hash] : [cur.pair.b.hash, cur.pair.a.hash];
        if (mode === 'always' || decided) view.suggestion = this.suggestionView(j, leftHash, rightHash, decided ? choice : undefined);
        else view.pending = true;
      }
    }
    const last = this.lastDecided;
    if (last && last.decision.pair !== cur?.pair.id && last.decision.choice !== 'skip') {
      const j = read.byPair.get(last.decision.pair);
      const suggestion = j && this.suggestionView(j, last.decision.left, last.decision.right, last.decision.choice);
      if (suggestion) view.lastDecided = { pairNumber: last.index + 1, suggestion };
    }
    return view;
  }

  /** What the webview was last sent. */
  lastState(): LabelingViewState | undefined {
    return this.last;
  }

  /**
   * A message as if the webview had posted it (the tests and the webview go through the same
   * channel: one at a time, and one that is not a LabelingToHost is dropped).
   */
  async handleMessage(m: unknown): Promise<void> {
    await this.channel.receive(m);
  }

  protected async onMessage(m: LabelingToHost): Promise<void> {
    await this.ready.catch(() => undefined);
    const s = this.session;
    if (!s || this.isDisposed) return;
    this.message = undefined;
    try {
      switch (m.type) {
        case 'ready':
          break;
        case 'decide': {
          const rationale = typeof m.rationale === 'string' ? m.rationale.slice(0, MAX_RATIONALE_CHARS).trim() : '';
          const strength: Strength | undefined = m.strength === 'slightly' || m.strength === 'clearly' ? m.strength : undefined;
          const before = s.current;
          // Rubric scores in progress are committed with the decision (a skip is not a decision: they wait).
          const shown = this.shownPair();
          const scores = shown && m.choice !== 'skip' ? this.rubric.toCommit(shown, s.annotator, s.currentScores(shown.pair)) : undefined;
          await s.decide(m.choice, { key: m.key, strength, rationale: rationale || undefined, with: scores ? [scores] : undefined });
          this.rewrites?.noteDecision();
          if (before) {
            const [left, right] = before.leftIsA ? [before.pair.a.hash, before.pair.b.hash] : [before.pair.b.hash, before.pair.a.hash];
            const decision: SideDecision = { pair: before.pair.id, left, right, choice: m.choice };
            this.myDecisions.set(decision.pair, decision);
            this.lastDecided = { index: before.index, decision };
          }
          this.draft = { rationale: '' };
          if (m.choice !== 'skip') LabelingPanel.countWalkthroughDecision();
          if (this.agreement) this.agreement = await agreementView([this.resume.logPath, ...this.resume.otherLogs], { annotator: this.resume.annotator, known: this.opened?.known, judgements: this.judgementsPath });
          if (this.agreement) await this.rubric.refreshAgreement([this.resume.logPath, ...this.resume.otherLogs]);
          break;
        }
        case 'undo':
          await (this.rewrites ? this.rewrites.undo(s) : s.undo());
          this.lastDecided = undefined;
          if (this.judgements) await this.loadMyDecisions();
          break;
        case 'redo':
          await (this.rewrites ? this.rewrites.redo(s) : s.redo());
          if (this.judgements) await this.loadMyDecisions();
          break;
        case 'next':
          await s.next();
          break;
        case 'previous':
          await s.previous();
          break;
        case 'turn':
          await s.turn(m.step === 'next' ? 1 : -1);
          break;
        case 'jump':
          if (!Number.isInteger(m.index) || m.index < 0) throw new RangeError('pair number must be 1 or more');
          await s.jump(m.index);
          break;
        case 'filter':
          await s.setFilter(m.filter);
          break;
        case 'diff':
          this.diffOn = !!m.on;
          break;
        case 'draft':
          this.draft = { key: m.key, strength: m.strength, rationale: String(m.rationale ?? '').slice(0, MAX_RATIONALE_CHARS) };
          return; // nothing on screen changes
        case 'agreement':
          // Logs of other annotators may have appeared beside the input since the session opened.
          for (const l of await labelLogsBeside(this.resume.input.path, this.resume.logPath)) if (!this.resume.otherLogs.includes(l)) this.resume.otherLogs.push(l);
          await panelGrants().record(LabelingPanel.viewType, this.resume);
          this.agreement = await agreementView([this.resume.logPath, ...this.resume.otherLogs], { annotator: this.resume.annotator, known: this.opened?.known, judgements: this.judgementsPath });
          await this.rubric.refreshAgreement([this.resume.logPath, ...this.resume.otherLogs]);
          break;
        case 'openLink':
          await this.openLink(m.href);
          return;
        case 'rubricScores':
          this.rubric.setDraft(m.key, { left: m.left, right: m.right });
          return; // the webview already shows them
        case 'rubricChoose': {
          const file = await LabelingRubric.pick(this.resume.input.path);
          if (!file) return;
          this.resume.rubric = file;
          await panelGrants().record(LabelingPanel.viewType, this.resume);
          await this.rubric.load(this.resume.input.path, file);
          break;
        }
        case 'rewriteOpen':
        case 'rewriteDraft':
        case 'rewriteSave':
        case 'rewriteCancel': {
          if (!this.rewrites) return;
          const out = await onRewriteMessage(this.rewrites, s, m, this.draft);
          this.message = out.message;
          if (out.decided) {
            this.draft = { rationale: '' };
            if (this.judgements) await this.loadMyDecisions();
          }
          break;
        }
        default:
          return;
      }
    } catch (e) {
      this.message = { kind: 'error', text: e instanceof RangeError ? vscode.l10n.t('No such pair: {0}', e.message) : (e as Error).message };
    }
    this.post();
  }

  private async openLink(href: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(String(href), true);
    } catch {
      return;
    }
    if (uri.scheme !== 'http' && uri.scheme !== 'https') return;
    const open = vscode.l10n.t('Open Link');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Open this link from the labeled data in your browser?\n\n{0}', uri.toString(true)), { modal: true }, open);
    if (pick === open) await vscode.env.openExternal(uri);
  }

  /** Replaces the Agreement section (the export command shows what it computed). */
  setAgreement(view: AgreementView): void {
    this.agreement = view;
    this.post();
  }

  /** The pair on screen with its hashes in on-screen sides (host side only). */
  private shownPair(): ShownPair | undefined {
    const cur = this.session?.current;
    const key = this.session?.state().pair?.key;
    if (!cur || key === undefined) return undefined;
    const [leftHash, rightHash] = cur.leftIsA ? [cur.pair.a.hash, cur.pair.b.hash] : [cur.pair.b.hash, cur.pair.a.hash];
    return { key, pair: cur.pair.id, leftHash, rightHash };
  }

  private viewState(state: SessionState): LabelingViewState {
    if (this.diffOn && state.pair && !state.pair.diff) state.pair.diff = wordDiff(state.pair.left.content, state.pair.right.content);
    const key = state.pair?.key;
    // A draft belongs to the pair it was typed for.
    const draft = key !== undefined && this.draft.key === key ? this.draft : { key, rationale: '' };
    this.draft = draft;
    const resume: LabelingResume = { ...this.resume, index: state.pair?.index, rewrite: this.rewrites?.resume() };
    const shown = this.shownPair();
    const rubric = this.rubric.view(shown, shown && this.session?.currentScores(shown.pair));
    // Undo and redo go through the one history of decisions and rewrites.
    if (this.rewrites) [state.canUndo, state.canRedo] = [this.rewrites.canUndo, this.rewrites.canRedo];
    return {
      title: path.basename(this.resume.input.path),
      source: this.opened?.summary ?? '',
      session: state,
      keys: labelingKeys(),
      diffOn: this.diffOn,
      guidelines: this.guidelines,
      // Blind: per-model figures would tell which side each model was on (comparisonBlinding.ts).
      agreement: withholdModelFigures(this.agreement, state.progress),
      judge: this.judgeView(state),
      draft,
      message: this.message,
      resume,
      ...(rubric ? { rubric } : {}),
      rewrite: this.rewrites && rewriteView(this.rewrites, this.session!),
    };
  }

  private post(): void {
    if (!this.session || this.isDisposed) return;
    this.last = this.viewState(this.session.state());
    this.channel.post({ type: 'state', state: this.last });
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.close().catch(() => undefined);
    await this.rewrites?.close().catch(() => undefined);
    await this.opened?.queue.close().catch(() => undefined);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    // Wait for a decision under way before closing the log.
    void this.channel.idle().then(() => this.closeSession());
    super.dispose();
  }

  /** Resolves once the log is closed (tests reopen the same log right after). */
  async disposeAndWait(): Promise<void> {
    this.dispose();
    await this.channel.idle();
    await this.closeSession();
  }
}
