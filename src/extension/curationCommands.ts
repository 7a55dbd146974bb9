/**
 * The curation commands: Deduplicate, Split Train/Validation, Filter Records, Sample Records, Merge
 * Datasets and Register in dataset_info.json. Each streams the file on disk through the curation
 * core (src/core/curate) under a cancellable progress notification, never modifies its input,
 * writes its outputs beside it (atomically, through the core), and ends with a summary
 * notification whose buttons open the outputs. From the palette each asks its questions as one
 * multi-step quick input (titles, "n of m", Back); an output that already exists is replaced only
 * after the user agrees. Every command also takes an argument object instead of the quick picks
 * (scripts and tests; existing outputs are then replaced, an output that is an input is refused),
 * and returns the core's result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACK, inputStep as sharedInputStep, pickStep as sharedPickStep, type StepResult } from './quickInputSteps';
import { detectFileFormat } from '../core/curate/datasetScan';
import { dedupeFile, type DedupeResult } from '../core/curate/dedupe';
import { registerDataset, type RegisterResult } from '../core/curate/datasetInfo';
import { filterFileOffThread, type FilterCriteria, type FilterField, type FilterResult } from '../core/curate/filter';
import { mergeFiles, type MergeResult } from '../core/curate/merge';
import { siblingPath } from '../core/curate/recordOutput';
import { refuseUnsafeOutputs, samePath } from '../core/jsonl/outputPaths';
import { sampleFile, type SampleResult } from '../core/curate/sample';
import { checkRatios, DEFAULT_SPLIT_NAMES, splitFile, type SplitResult } from '../core/curate/split';
import type { FormatId } from '../core/formats/formatModule';
import { allFormats, isFormatId } from '../core/formats/registry';
import type { Role } from '../core/model';
import { openDatasetView } from './datasetViewProvider';

/** Every argument object may carry a signal: aborting it cancels the run like the notification's Cancel. */
interface Cancellable {
  signal?: AbortSignal;
}

export interface DedupeArgs extends Cancellable {
  /** `exact`: identical records; `normalized`: identical ignoring whitespace and case; `near`: also MinHash near duplicates. */
  mode: 'exact' | 'normalized' | 'near';
  /** Jaccard threshold of `near`; default 0.8. */
  threshold?: number;
  out?: string;
}

export interface SplitArgs extends Cancellable {
  ratios: number[];
  seed?: number;
  groupByPrompt?: boolean;
  names?: string[];
}

export interface FilterArgs extends Cancellable {
  minTokens?: number;
  maxTokens?: number;
  role?: Role;
  regex?: { field: FilterField; pattern: string; flags?: string };
  problems?: 'has' | 'none';
  out?: string;
  removedOut?: string;
}

export interface SampleArgs extends Cancellable {
  n: number;
  seed?: number;
  out?: string;
}

export interface MergeArgs extends Cancellable {
  /** Files to merge (paths or URIs), in order; default the files selected in the Explorer. */
  inputs?: (string | vscode.Uri)[];
  to: FormatId;
  out?: string;
  allowLossy?: boolean;
}

export interface RegisterArgs extends Cancellable {
  /** dataset_info.json to create or update; default the one beside the file. */
  info?: string;
  name?: string;
}

/** Thrown by the reader when the signal aborts (its name is AbortError). */
function isCancel(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.message === 'cancelled');
}

/**
 * Runs `work` under a cancellable progress notification: the core's byte progress moves the bar,
 * Cancel (or `external`, a caller's signal) aborts the signal. Resolves undefined when cancelled
 * (and says so with `cancelled`, by default "nothing was written"); rethrows failures.
 */
export async function withCurationProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (bytesRead: number, totalBytes: number) => void) => Promise<T>,
  cancelled?: string,
  external?: AbortSignal,
): Promise<T | undefined> {
  const ac = new AbortController();
  const abort = () => ac.abort();
  if (external?.aborted) ac.abort();
  external?.addEventListener('abort', abort);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(abort);
      let shown = 0;
      return work(ac.signal, (bytes, total) => {
        // Percent of the current file; a new file (bytes back near 0) restarts the count.
        const pct = total > 0 ? Math.floor((bytes / total) * 100) : 100;
        if (pct < shown) shown = 0;
        if (pct > shown) {
          progress.report({ increment: pct - shown, message: vscode.l10n.t('{0}%', pct) });
          shown = pct;
        }
      });
    });
  } catch (e) {
    if (ac.signal.aborted || isCancel(e)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}', title, cancelled ?? vscode.l10n.t('cancelled; nothing was written.')));
      return undefined;
    }
    throw e;
  } finally {
    external?.removeEventListener('abort', abort);
  }
}

/** Webview surfaces that stand for a file (the statistics report): each gives its file while its panel is active. */
const activeWebviewFiles = new Set<() => vscode.Uri | undefined>();

/** Lets the commands act on the file behind an active webview (e.g. a statistics report). */
export function registerActiveWebviewFile(fileOfActivePanel: () => vscode.Uri | undefined): vscode.Disposable {
  activeWebviewFiles.add(fileOfActivePanel);
  return { dispose: () => activeWebviewFiles.delete(fileOfActivePanel) };
}

/** The file a command works on: its argument, else the active editor's (text, Dataset View or statistics report). */
export function targetFile(uri: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  if (typeof uri === 'string') return uri.includes('://') ? vscode.Uri.parse(uri) : vscode.Uri.file(uri);
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  if (input instanceof vscode.TabInputWebview) {
    for (const f of activeWebviewFiles) {
      const u = f();
      if (u) return u;
    }
  }
  return vscode.window.activeTextEditor?.document.uri;
}

/** Unsaved edits are not in the file the core reads: say so rather than silently ignore them. */
function warnIfDirty(uri: vscode.Uri): void {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: {0} has unsaved changes; the command reads the saved file.', path.basename(uri.fsPath)));
}

/**
 * Outputs never overwrite an input, nor each other (refused with an error). Existing outputs are
 * replaced: silently for scripts (`interactive` false), after a modal question from the palette.
 * Resolves false when the user declines.
 */
async function checkOutputs(inputs: readonly string[], outputs: readonly string[], interactive: boolean): Promise<boolean> {
  refuseUnsafeOutputs(inputs, outputs);
  if (!interactive) return true;
  const existing = outputs.filter((o) => fs.existsSync(o));
  if (existing.length === 0) return true;
  const replace = vscode.l10n.t('Replace');
  const names = existing.map((o) => path.basename(o)).join(', ');
  const answer = await vscode.window.showWarningMessage(
    existing.length === 1 ? vscode.l10n.t('{0} already exists. Replace it?', names) : vscode.l10n.t('{0} already exist. Replace them?', names),
    { modal: true, detail: vscode.l10n.t('The input file is not changed either way.') },
    replace,
  );
  return answer === replace;
}

/** Opens an output: as text, or in the Dataset View when it is too large for a text editor. */
async function openOutput(file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  try {
    await vscode.window.showTextDocument(uri, { preview: false });
  } catch {
    await openDatasetView(uri);
  }
}

interface OutputLink {
  /** Button label, e.g. "Open train". */
  label: string;
  path: string;
}

/** The summary notification: one button per output, and Reveal (in the Explorer) for the first. */
function summarize(message: string, links: readonly OutputLink[]): void {
  const reveal = vscode.l10n.t('Reveal');
  const actions = [...links.map((l) => l.label), ...(links.length > 0 ? [reveal] : [])];
  void vscode.window.showInformationMessage(message, ...actions).then(async (a) => {
    const link = links.find((l) => l.label === a);
    if (link) await openOutput(link.path);
    else if (a === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(links[0].path));
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

// ---- Multi-step quick input -------------------------------------------------------------------

type Outcome = 'next' | 'back' | 'cancel' | 'skip';

interface Frame {
  title: string;
  step: number;
  totalSteps: number;
}

// The shared quick-input steps (quickInputSteps.ts), with Back offered after the first step.
function pickStep<T extends vscode.QuickPickItem>(f: Frame, items: readonly T[], placeholder?: string, active?: T): Promise<StepResult<T>> {
  return sharedPickStep({ ...f, back: f.step > 1, items, placeholder, active });
}

function inputStep(f: Frame, prompt: string, value: string, validate: (v: string) => string | undefined): Promise<StepResult<string>> {
  return sharedInputStep({ ...f, back: f.step > 1, prompt, value, validate });
}

/** Maps a step's result to the flow: a value is taken and the flow moves on. */
function taken<T>(r: StepResult<T>, take: (v: T) => void): Outcome {
  if (r === BACK) return 'back';
  if (r === undefined) return 'cancel';
  take(r);
  return 'next';
}

/** Runs the steps in order; Back returns to the previous step that was shown. False when the user escaped. */
async function runSteps(steps: readonly (() => Promise<Outcome> | Outcome)[]): Promise<boolean> {
  let i = 0;
  let dir = 1;
  while (i < steps.length) {
    const o = await steps[Math.max(0, i)]();
    if (o === 'cancel') return false;
    if (o === 'back') {
      dir = -1;
      i = Math.max(0, i - 1);
    } else if (o === 'skip') i = Math.max(0, i + dir);
    else {
      dir = 1;
      i++;
    }
  }
  return true;
}

function integerCheck(v: string, min: number, what: () => string): string | undefined {
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isInteger(n) && n >= min ? undefined : what();
}

function parseRatios(v: string): number[] {
  // Percentages ("95/5", "90 5 5") or shares ("0.95,0.05").
  const parts = v
    .split(/[\s,/:]+/)
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/%$/, '')));
  const sum = parts.reduce((a, b) => a + b, 0);
  return sum > 1.5 ? parts.map((p) => p / 100) : parts;
}

function ratiosError(v: string): string | undefined {
  const parts = v.split(/[\s,/:]+/).filter((s) => s !== '');
  const sum = parts.reduce((a, s) => a + Number(s.replace(/%$/, '')), 0);
  // Percentages are checked as percentages (the core speaks of shares summing to 1).
  if (sum > 1.5 && Math.abs(sum - 100) > 1e-6) return vscode.l10n.t('The percentages sum to {0}, not 100', Math.round(sum * 1e4) / 1e4);
  try {
    checkRatios(parseRatios(v));
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const ROLES: Role[] = ['system', 'user', 'assistant', 'tool'];
const FIELDS: FilterField[] = ['prompt', 'response', 'system', 'any'];

export class CurationCommands {
  static register(context: vscode.ExtensionContext): void {
    const c = new CurationCommands();
    const reg = (id: string, fn: (uri: unknown, arg: unknown) => Promise<unknown>) =>
      vscode.commands.registerCommand(id, async (uri: unknown, arg: unknown) => {
        try {
          return await fn(uri, arg);
        } catch (e) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: {0}', e instanceof Error ? e.message : String(e)));
          // Callers with arguments (tests, scripts) get the failure; the palette only the message.
          if (isObject(arg)) throw e;
          return undefined;
        }
      });
    context.subscriptions.push(
      reg('pairwise.deduplicate', (u, a) => c.deduplicate(u, a)),
      reg('pairwise.split', (u, a) => c.split(u, a)),
      reg('pairwise.filter', (u, a) => c.filter(u, a)),
      reg('pairwise.sample', (u, a) => c.sample(u, a)),
      reg('pairwise.merge', (u, a) => c.merge(u, a)),
      reg('pairwise.registerDatasetInfo', (u, a) => c.register(u, a)),
    );
  }

  private input(uri: unknown): vscode.Uri | undefined {
    const u = targetFile(uri);
    if (!u) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: open a dataset file (or pick one in the Explorer) first.'));
      return undefined;
    }
    if (u.scheme !== 'file') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Pairwise: curation commands work on files on disk.'));
      return undefined;
    }
    warnIfDirty(u);
    return u;
  }

  async deduplicate(uri: unknown, arg: unknown): Promise<DedupeResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const input = u.fsPath;
    const interactive = !isObject(arg);
    let a = interactive ? undefined : (arg as unknown as DedupeArgs);
    if (!a) {
      const title = vscode.l10n.t('Deduplicate {0}', path.basename(input));
      const items = [
        { label: vscode.l10n.t('Exact'), detail: vscode.l10n.t('Remove records identical to an earlier one'), mode: 'exact' as const },
        { label: vscode.l10n.t('Exact, ignoring whitespace and case'), detail: vscode.l10n.t('Compare the text after collapsing whitespace and lower-casing'), mode: 'normalized' as const },
        {
          label: vscode.l10n.t('Near-duplicate'),
          detail: vscode.l10n.t('Also remove records whose word 3-grams overlap (MinHash Jaccard similarity) at or above a threshold'),
          mode: 'near' as const,
        },
      ];
      let mode = 'exact' as DedupeArgs['mode'];
      let threshold = '0.8';
      const total = () => (mode === 'near' ? 2 : 1);
      const ok = await runSteps([
        async () =>
          taken(await pickStep({ title, step: 1, totalSteps: total() }, items, vscode.l10n.t('Which duplicates? The first occurrence is kept.'), items.find((i) => i.mode === mode)), (p) => (mode = p.mode)),
        async () =>
          mode !== 'near'
            ? 'skip'
            : taken(
                await inputStep({ title, step: 2, totalSteps: 2 }, vscode.l10n.t('Jaccard similarity at or above which two records are near duplicates (0 to 1; 0.8 is a common choice)'), threshold, (v) => {
                  const n = Number(v.trim());
                  return v.trim() !== '' && n > 0 && n <= 1 ? undefined : vscode.l10n.t('Enter a number greater than 0 and at most 1, e.g. 0.8');
                }),
                (v) => (threshold = v.trim()),
              ),
      ]);
      if (!ok) return undefined;
      a = { mode, threshold: mode === 'near' ? Number(threshold) : undefined };
    }
    if (!['exact', 'normalized', 'near'].includes(a.mode)) throw new Error(vscode.l10n.t('deduplicate: mode must be exact, normalized or near, not {0}', String(a.mode)));
    const mode = a.mode;
    const normalize = mode === 'exact' ? { whitespace: false, case: false } : { whitespace: true, case: true };
    const out = a.out ?? siblingPath(input, 'dedup');
    // The core's default report path: beside the input, always JSON Lines.
    const report = siblingPath(input, 'dedup-report').replace(/\.json$/i, '.jsonl');
    if (!(await checkOutputs([input], [out, report], interactive))) return undefined;
    const opts = a;
    const r = await withCurationProgress(
      vscode.l10n.t('Pairwise: deduplicating {0}', path.basename(input)),
      (signal, onProgress) => dedupeFile(input, { normalize, near: mode === 'near', threshold: opts.threshold, out, report, signal, onProgress }),
      undefined,
      a.signal,
    );
    if (!r) return undefined;
    const removed = r.exactDuplicates + r.nearDuplicates;
    summarize(
      mode === 'near'
        ? vscode.l10n.t('Deduplicated {0}: kept {1} of {2} records; removed {3} exact and {4} near duplicates.', path.basename(input), fmt(r.kept), fmt(r.records), fmt(r.exactDuplicates), fmt(r.nearDuplicates))
        : vscode.l10n.t('Deduplicated {0}: kept {1} of {2} records; removed {3} duplicates.', path.basename(input), fmt(r.kept), fmt(r.records), fmt(r.exactDuplicates)),
      [
        ...(r.out ? [{ label: vscode.l10n.t('Open Kept'), path: r.out }] : []),
        ...(r.report && removed > 0 ? [{ label: vscode.l10n.t('Open Report'), path: r.report }] : []),
      ],
    );
    return r;
  }

  async split(uri: unknown, arg: unknown): Promise<SplitResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const input = u.fsPath;
    const interactive = !isObject(arg);
    let a = interactive ? undefined : (arg as unknown as SplitArgs);
    if (!a) {
      const title = vscode.l10n.t('Split {0}', path.basename(input));
      const presets = [
        { label: vscode.l10n.t('95 / 5'), description: vscode.l10n.t('train, validation'), ratios: [0.95, 0.05] },
        { label: vscode.l10n.t('90 / 10'), description: vscode.l10n.t('train, validation'), ratios: [0.9, 0.1] },
        { label: vscode.l10n.t('90 / 5 / 5'), description: vscode.l10n.t('train, validation, test'), ratios: [0.9, 0.05, 0.05] },
        { label: vscode.l10n.t('80 / 10 / 10'), description: vscode.l10n.t('train, validation, test'), ratios: [0.8, 0.1, 0.1] },
        { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('your own shares'), ratios: undefined },
      ];
      let preset = presets[0];
      let custom = '70/20/10';
      let seed = '42';
      let grouped = false;
      const total = () => (preset.ratios ? 3 : 4);
      const groupItems = [
        { label: vscode.l10n.t('No'), detail: vscode.l10n.t('Exact counts: each split gets its share of the records'), grouped: false },
        { label: vscode.l10n.t('Yes, keep records with the same prompt together'), detail: vscode.l10n.t('No prompt straddles two splits; counts follow the shares approximately'), grouped: true },
      ];
      const ok = await runSteps([
        async () =>
          taken(await pickStep({ title, step: 1, totalSteps: total() }, presets, vscode.l10n.t('Shares of train, validation (and test)'), preset), (p) => (preset = p)),
        async () =>
          preset.ratios
            ? 'skip'
            : taken(await inputStep({ title, step: 2, totalSteps: 4 }, vscode.l10n.t('Percentages of train, validation (and test) summing to 100, e.g. 70/20/10, or shares such as 0.7,0.2,0.1'), custom, ratiosError), (v) => (custom = v)),
        async () =>
          taken(
            await inputStep({ title, step: total() - 1, totalSteps: total() }, vscode.l10n.t('Random seed (the same seed gives the same split)'), seed, (v) => integerCheck(v, Number.MIN_SAFE_INTEGER, () => vscode.l10n.t('Enter an integer'))),
            (v) => (seed = v.trim()),
          ),
        async () =>
          taken(
            await pickStep({ title, step: total(), totalSteps: total() }, groupItems, vscode.l10n.t('Keep records that share a prompt in the same split?'), groupItems.find((g) => g.grouped === grouped)),
            (g) => (grouped = g.grouped),
          ),
      ]);
      if (!ok) return undefined;
      a = { ratios: preset.ratios ?? parseRatios(custom), seed: Number(seed), groupByPrompt: grouped };
    }
    if (!Array.isArray(a.ratios)) throw new Error(vscode.l10n.t('split: ratios must be an array of numbers, e.g. [0.95, 0.05]'));
    const opts = a;
    const names = opts.ratios.map((_, i) => opts.names?.[i] ?? DEFAULT_SPLIT_NAMES[i] ?? `split${i + 1}`);
    if (!(await checkOutputs([input], names.map((n) => siblingPath(input, n)), interactive))) return undefined;
    const r = await withCurationProgress(
      vscode.l10n.t('Pairwise: splitting {0}', path.basename(input)),
      (signal, onProgress) => splitFile(input, { ratios: opts.ratios, seed: opts.seed, groupByPrompt: opts.groupByPrompt, names: opts.names, signal, onProgress }),
      undefined,
      a.signal,
    );
    if (!r) return undefined;
    const parts = r.splits.map((s) => vscode.l10n.t('{0} {1}', s.name, fmt(s.records))).join(', ');
    summarize(
      r.groups !== undefined
        ? vscode.l10n.t('Split {0} ({1} records, {2} prompts): {3}.', path.basename(input), fmt(r.records), fmt(r.groups), parts)
        : vscode.l10n.t('Split {0} ({1} records): {2}.', path.basename(input), fmt(r.records), parts),
      r.splits.map((s) => ({ label: vscode.l10n.t('Open {0}', s.name), path: s.path })),
    );
    return r;
  }

  async filter(uri: unknown, arg: unknown): Promise<FilterResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const input = u.fsPath;
    const interactive = !isObject(arg);
    const a = interactive ? await this.askFilter(path.basename(input)) : (arg as FilterArgs);
    if (!a) return undefined;
    const criteria: FilterCriteria = {};
    if (a.minTokens !== undefined) criteria.minTokens = a.minTokens;
    if (a.maxTokens !== undefined) criteria.maxTokens = a.maxTokens;
    if (a.role !== undefined) criteria.role = a.role;
    if (a.problems !== undefined) criteria.problems = a.problems;
    if (a.regex) {
      if (!FIELDS.includes(a.regex.field)) throw new Error(vscode.l10n.t('filter: regex field must be one of {0}', FIELDS.join(', ')));
      criteria.regex = { field: a.regex.field, pattern: new RegExp(a.regex.pattern, a.regex.flags ?? '') };
    }
    if (Object.keys(criteria).length === 0) throw new Error(vscode.l10n.t('filter: give at least one criterion'));
    const out = a.out ?? siblingPath(input, 'kept');
    const removedOut = a.removedOut ?? siblingPath(input, 'removed');
    if (!(await checkOutputs([input], [out, removedOut], interactive))) return undefined;
    const model = vscode.workspace.getConfiguration('pairwise.stats').get<string>('model') || undefined;
    const r = await withCurationProgress(
      vscode.l10n.t('Pairwise: filtering {0}', path.basename(input)),
      (signal, onProgress) => filterFileOffThread(input, { criteria, out, removedOut, model, signal, onProgress }),
      undefined,
      a.signal,
    );
    if (!r) return undefined;
    const why = Object.entries(r.removedBy)
      .map(([k, n]) => vscode.l10n.t('{0}: {1}', k, fmt(n)))
      .join(', ');
    summarize(
      why
        ? vscode.l10n.t('Filtered {0}: kept {1} of {2} records; removed {3} ({4}).', path.basename(input), fmt(r.kept), fmt(r.records), fmt(r.removed), why)
        : vscode.l10n.t('Filtered {0}: kept {1} of {2} records; removed {3}.', path.basename(input), fmt(r.kept), fmt(r.records), fmt(r.removed)),
      [
        { label: vscode.l10n.t('Open Kept'), path: r.out },
        { label: vscode.l10n.t('Open Removed'), path: r.removedOut },
      ],
    );
    return r;
  }

  /** The predicate builder: one criterion per pick, repeated until "Done". */
  private async askFilter(fileName: string): Promise<FilterArgs | undefined> {
    const a: FilterArgs = {};
    const title = vscode.l10n.t('Filter {0}', fileName);
    for (;;) {
      const chosen = Object.keys(a).length;
      const frame = { title, step: 1, totalSteps: 2 };
      const pick = await pickStep(
        frame,
        [
          ...(chosen > 0 ? [{ label: vscode.l10n.t('$(check) Done'), detail: describeFilter(a), id: 'done' }] : []),
          { label: vscode.l10n.t('Token range'), detail: vscode.l10n.t('Keep records whose token count (all messages) is within bounds'), id: 'tokens' },
          { label: vscode.l10n.t('Role present'), detail: vscode.l10n.t('Keep records with a message of a role'), id: 'role' },
          { label: vscode.l10n.t('Regex on a field'), detail: vscode.l10n.t('Keep records whose prompt / response / system / any text matches'), id: 'regex' },
          { label: vscode.l10n.t('Has problems'), detail: vscode.l10n.t('Keep only records the validator reports problems for'), id: 'has' },
          { label: vscode.l10n.t('No problems'), detail: vscode.l10n.t('Keep only records without problems'), id: 'none' },
        ],
        chosen > 0 ? vscode.l10n.t('Add a criterion, or Done to keep records matching: {0}', describeFilter(a)) : vscode.l10n.t('Keep the records that…'),
      );
      if (pick === undefined) return undefined;
      if (pick === BACK) continue;
      if (pick.id === 'done') return a;
      const next = { title, step: 2, totalSteps: 2 };
      if (pick.id === 'tokens') {
        const bound = (v: string) => (v.trim() === '' ? undefined : integerCheck(v, 0, () => vscode.l10n.t('Enter a non-negative integer, or nothing for no bound')));
        const min = await inputStep(next, vscode.l10n.t('Minimum tokens per record (empty: no minimum)'), a.minTokens?.toString() ?? '', bound);
        if (min === undefined) return undefined;
        if (min === BACK) continue;
        const lo = min.trim() === '' ? undefined : Number(min);
        const max = await inputStep(next, vscode.l10n.t('Maximum tokens per record (empty: no maximum)'), a.maxTokens?.toString() ?? '', (v) =>
          bound(v) ?? (v.trim() !== '' && lo !== undefined && Number(v) < lo ? vscode.l10n.t('The maximum must be at least the minimum ({0})', lo) : undefined),
        );
        if (max === undefined) return undefined;
        if (max === BACK) continue;
        const hi = max.trim() === '' ? undefined : Number(max);
        if (lo === undefined && hi === undefined) continue;
        a.minTokens = lo;
        a.maxTokens = hi;
        if (lo === undefined) delete a.minTokens;
        if (hi === undefined) delete a.maxTokens;
      } else if (pick.id === 'role') {
        const role = await pickStep(
          next,
          ROLES.map((r) => ({ label: r })),
          vscode.l10n.t('Role that must be present'),
        );
        if (role === undefined) return undefined;
        if (role === BACK) continue;
        a.role = role.label as Role;
      } else if (pick.id === 'regex') {
        const field = await pickStep(
          next,
          FIELDS.map((f) => ({ label: f })),
          vscode.l10n.t('Field to match'),
        );
        if (field === undefined) return undefined;
        if (field === BACK) continue;
        const pattern = await inputStep({ title, step: 2, totalSteps: 2 }, vscode.l10n.t('Regular expression on {0} (case-insensitive)', field.label), a.regex?.pattern ?? '', (v) => {
          try {
            new RegExp(v);
            return v ? undefined : vscode.l10n.t('Enter a pattern');
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        });
        if (pattern === undefined) return undefined;
        if (pattern === BACK) continue;
        a.regex = { field: field.label as FilterField, pattern, flags: 'i' };
      } else a.problems = pick.id as 'has' | 'none';
    }
  }

  async sample(uri: unknown, arg: unknown): Promise<SampleResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const input = u.fsPath;
    const interactive = !isObject(arg);
    let a = interactive ? undefined : (arg as unknown as SampleArgs);
    if (!a) {
      const title = vscode.l10n.t('Sample {0}', path.basename(input));
      let n = '100';
      let seed = '42';
      const ok = await runSteps([
        async () =>
          taken(await inputStep({ title, step: 1, totalSteps: 2 }, vscode.l10n.t('How many records? (drawn uniformly at random, written in file order)'), n, (v) => integerCheck(v, 1, () => vscode.l10n.t('Enter a positive integer'))), (v) => (n = v.trim())),
        async () =>
          taken(
            await inputStep({ title, step: 2, totalSteps: 2 }, vscode.l10n.t('Random seed (the same seed gives the same sample)'), seed, (v) => integerCheck(v, Number.MIN_SAFE_INTEGER, () => vscode.l10n.t('Enter an integer'))),
            (v) => (seed = v.trim()),
          ),
      ]);
      if (!ok) return undefined;
      a = { n: Number(n), seed: Number(seed) };
    }
    const opts = a;
    const out = opts.out ?? siblingPath(input, `sample${opts.n}`);
    if (!(await checkOutputs([input], [out], interactive))) return undefined;
    const r = await withCurationProgress(
      vscode.l10n.t('Pairwise: sampling {0}', path.basename(input)),
      (signal, onProgress) => sampleFile(input, { n: opts.n, seed: opts.seed, out, signal, onProgress }),
      undefined,
      a.signal,
    );
    if (!r) return undefined;
    summarize(vscode.l10n.t('Sampled {0} of {1} records of {2}.', fmt(r.sampled), fmt(r.records), path.basename(input)), [{ label: vscode.l10n.t('Open Sample'), path: r.out }]);
    return r;
  }

  async merge(uri: unknown, arg: unknown): Promise<MergeResult | undefined> {
    // From the Explorer the second argument is the selection; from a script, the argument object.
    const selected = Array.isArray(arg) ? (arg as unknown[]).filter((x): x is vscode.Uri => x instanceof vscode.Uri) : [];
    const interactive = !isObject(arg);
    let a = interactive ? undefined : (arg as unknown as MergeArgs);
    let inputs: string[] = (a?.inputs ?? (selected.length > 1 ? selected : [])).map((x) => (x instanceof vscode.Uri ? x.fsPath : x));
    if (inputs.length === 0 && interactive) {
      // One file or none selected: the user picks the files (the first is the one at hand).
      const first = targetFile(uri);
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        title: vscode.l10n.t('Merge Datasets: pick the files to merge (at least two)'),
        openLabel: vscode.l10n.t('Merge'),
        defaultUri: first && first.scheme === 'file' ? vscode.Uri.file(path.dirname(first.fsPath)) : undefined,
        filters: { [vscode.l10n.t('Datasets')]: ['jsonl', 'json'] },
      });
      if (!picked || picked.length === 0) return undefined;
      inputs = picked.map((p) => p.fsPath);
      // The file at hand first; the rest in the order the dialog gave them.
      if (first) inputs.sort((x, y) => Number(samePath(y, first.fsPath)) - Number(samePath(x, first.fsPath)));
      if (inputs.length < 2) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Pairwise: pick at least two files to merge (to change the format of one file, use Convert Dataset Format).'));
        return undefined;
      }
    }
    if (inputs.length === 0) throw new Error(vscode.l10n.t('merge: give the input files'));
    if (!a) {
      // The inputs' own formats are offered first (the first input's active): no conversion loss.
      const detected = await Promise.all(inputs.map((i) => detectFileFormat(i).then((d) => d.format, () => undefined)));
      const items = allFormats().map((f) => {
        const own = inputs.filter((_, k) => detected[k] === f.id).map((i) => path.basename(i));
        return { label: f.id, description: f.title, detail: own.length > 0 ? vscode.l10n.t('the format of {0}', own.join(', ')) : undefined, id: f.id };
      });
      items.sort((x, y) => Number(!!y.detail) - Number(!!x.detail));
      const to = await pickStep(
        { title: vscode.l10n.t('Merge {0} files', inputs.length), step: 1, totalSteps: 1 },
        items,
        vscode.l10n.t('Target format of the merged file (records are converted to it)'),
        items.find((i) => i.id === detected[0]),
      );
      if (!to || to === BACK) return undefined;
      a = { to: to.id };
    }
    if (!isFormatId(a.to)) throw new Error(vscode.l10n.t('merge: unknown target format {0}', String(a.to)));
    const out = a.out ?? siblingPath(inputs[0], `merged.${a.to}`);
    if (!(await checkOutputs(inputs, [out], interactive))) return undefined;
    const to = a.to;
    const allowLossy = a.allowLossy ?? true;
    const r = await withCurationProgress(
      vscode.l10n.t('Pairwise: merging {0} files into {1}', inputs.length, to),
      (signal, onProgress) => mergeFiles(inputs, { to, out, allowLossy, signal, onProgress }),
      undefined,
      a.signal,
    );
    if (!r) return undefined;
    if (r.refused || !r.out) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: merge refused: {0}.', r.refused ?? vscode.l10n.t('nothing written')));
      return r;
    }
    const lossy = r.sources.reduce((s, x) => s + x.lossyRecords, 0);
    const dropped = r.sources.reduce((s, x) => s + x.droppedRecords, 0);
    const sources = r.sources.map((s) => vscode.l10n.t('{0} ({1})', path.basename(s.path), fmt(s.written))).join(' + ');
    summarize(
      lossy + dropped > 0
        ? vscode.l10n.t('Merged {0} into {1}: {2} records as {3}; {4} lost fields, {5} dropped.', sources, path.basename(r.out), fmt(r.written), to, fmt(lossy), fmt(dropped))
        : vscode.l10n.t('Merged {0} into {1}: {2} records as {3}.', sources, path.basename(r.out), fmt(r.written), to),
      [{ label: vscode.l10n.t('Open Merged'), path: r.out }],
    );
    return r;
  }

  async register(uri: unknown, arg: unknown): Promise<RegisterResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const input = u.fsPath;
    const interactive = !isObject(arg);
    const a = interactive ? {} : (arg as RegisterArgs);
    const info = a.info ?? path.join(path.dirname(input), 'dataset_info.json');
    if (samePath(info, input)) throw new Error(vscode.l10n.t('{0} is the registry itself; register a dataset file in it.', path.basename(input)));
    if (interactive) {
      const existing = existingEntries(info);
      const name = await inputStep(
        { title: vscode.l10n.t('Register {0} in {1}', path.basename(input), path.basename(info)), step: 1, totalSteps: 1 },
        vscode.l10n.t('Dataset name (what LLaMA-Factory calls it in `dataset:`)'),
        path.basename(input, path.extname(input)),
        (v) => (v.trim() === '' || v.trim() === '__proto__' ? vscode.l10n.t('Enter a name') : undefined),
      );
      if (name === undefined || name === BACK) return undefined;
      if (existing.has(name.trim())) {
        const replace = vscode.l10n.t('Replace');
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already has an entry "{1}". Replace it?', path.basename(info), name.trim()), { modal: true }, replace);
        if (answer !== replace) return undefined;
      }
      a.name = name.trim();
    }
    const r = await withCurationProgress(vscode.l10n.t('Pairwise: registering {0}', path.basename(input)), (signal) => registerDataset(input, { info, name: a.name, signal }), undefined, a.signal);
    if (!r) return undefined;
    summarize(
      r.replaced
        ? vscode.l10n.t('Updated "{0}" ({1}) in {2}.', r.name, r.format, path.basename(r.info))
        : r.created
          ? vscode.l10n.t('Added "{0}" ({1}) to a new {2}.', r.name, r.format, path.basename(r.info))
          : vscode.l10n.t('Added "{0}" ({1}) to {2}.', r.name, r.format, path.basename(r.info)),
      [{ label: vscode.l10n.t('Open {0}', path.basename(r.info)), path: r.info }],
    );
    return r;
  }
}

/** The entry names of a dataset_info.json (none when it is missing or unreadable; the core reports those). */
function existingEntries(info: string): Set<string> {
  try {
    const doc = JSON.parse(fs.readFileSync(info, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? new Set(Object.keys(doc)) : new Set();
  } catch {
    return new Set();
  }
}

function describeFilter(a: FilterArgs): string {
  const parts: string[] = [];
  if (a.minTokens !== undefined || a.maxTokens !== undefined) parts.push(vscode.l10n.t('tokens {0}–{1}', a.minTokens ?? 0, a.maxTokens ?? '∞'));
  if (a.role) parts.push(vscode.l10n.t('has {0}', a.role));
  if (a.regex) parts.push(vscode.l10n.t('{0} ~ /{1}/', a.regex.field, a.regex.pattern));
  if (a.problems) parts.push(a.problems === 'has' ? vscode.l10n.t('has problems') : vscode.l10n.t('no problems'));
  return parts.join(', ');
}
