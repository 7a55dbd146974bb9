/**
 * The curation commands: Deduplicate, Split Train/Validation, Filter Records, Sample Records, Merge
 * Datasets and Register in dataset_info.json. Each streams the file on disk through the curation
 * core (src/core/curate) under a cancellable progress notification, never modifies its input,
 * writes its outputs beside it (atomically, through the core), and ends with a summary
 * notification offering Open / Reveal. Every command also takes an argument object instead of the
 * quick picks (scripts and tests), and returns the core's result.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dedupeFile, type DedupeResult } from '../core/curate/dedupe';
import { registerDataset, type RegisterResult } from '../core/curate/datasetInfo';
import { filterFile, type FilterCriteria, type FilterField, type FilterResult } from '../core/curate/filter';
import { mergeFiles, type MergeResult } from '../core/curate/merge';
import { siblingPath } from '../core/curate/recordOutput';
import { sampleFile, type SampleResult } from '../core/curate/sample';
import { checkRatios, splitFile, type SplitResult } from '../core/curate/split';
import type { FormatId } from '../core/formats/formatModule';
import { allFormats, isFormatId } from '../core/formats/registry';
import type { Role } from '../core/model';

export interface DedupeArgs {
  /** `exact`: identical records; `normalized`: identical ignoring whitespace and case; `near`: also MinHash near duplicates. */
  mode: 'exact' | 'normalized' | 'near';
  /** Jaccard threshold of `near`; default 0.8. */
  threshold?: number;
  out?: string;
}

export interface SplitArgs {
  ratios: number[];
  seed?: number;
  groupByPrompt?: boolean;
  names?: string[];
}

export interface FilterArgs {
  minTokens?: number;
  maxTokens?: number;
  role?: Role;
  regex?: { field: FilterField; pattern: string; flags?: string };
  problems?: 'has' | 'none';
  out?: string;
  removedOut?: string;
}

export interface SampleArgs {
  n: number;
  seed?: number;
  out?: string;
}

export interface MergeArgs {
  /** Files to merge (paths or URIs), in order; default the files selected in the Explorer. */
  inputs?: (string | vscode.Uri)[];
  to: FormatId;
  out?: string;
  allowLossy?: boolean;
}

export interface RegisterArgs {
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
 * Cancel aborts the signal. Resolves undefined when cancelled (and says so); rethrows failures.
 */
export async function withCurationProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (bytesRead: number, totalBytes: number) => void) => Promise<T>,
  cancelled = 'cancelled; nothing was written.',
): Promise<T | undefined> {
  const ac = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => ac.abort());
      let shown = 0;
      return work(ac.signal, (bytes, total) => {
        // Percent of the current file; a new file (bytes back near 0) restarts the count.
        const pct = total > 0 ? Math.floor((bytes / total) * 100) : 100;
        if (pct < shown) shown = 0;
        if (pct > shown) {
          progress.report({ increment: pct - shown, message: `${pct}%` });
          shown = pct;
        }
      });
    });
  } catch (e) {
    if (ac.signal.aborted || isCancel(e)) {
      void vscode.window.showInformationMessage(`${title}: ${cancelled}`);
      return undefined;
    }
    throw e;
  }
}

/** The file a command works on: its argument, else the active editor's (text or Dataset View). */
export function targetFile(uri: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  if (typeof uri === 'string') return uri.includes('://') ? vscode.Uri.parse(uri) : vscode.Uri.file(uri);
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

/** Unsaved edits are not in the file the core reads: say so rather than silently ignore them. */
function warnIfDirty(uri: vscode.Uri): void {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) void vscode.window.showWarningMessage(`Pairwise: ${path.basename(uri.fsPath)} has unsaved changes; the command reads the saved file.`);
}

/** The summary notification; Open shows the first output, Reveal selects it in the Explorer / OS. */
function summarize(message: string, outputs: string[]): void {
  const actions = outputs.length > 0 ? ['Open', 'Reveal'] : [];
  void vscode.window.showInformationMessage(message, ...actions).then(async (a) => {
    if (a === 'Open') await vscode.window.showTextDocument(vscode.Uri.file(outputs[0]), { preview: false });
    else if (a === 'Reveal') await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outputs[0]));
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

async function askNumber(title: string, value: string, check: (n: number) => string | undefined): Promise<number | undefined> {
  const s = await vscode.window.showInputBox({ title, value, validateInput: (v) => (Number.isFinite(Number(v)) && v.trim() !== '' ? check(Number(v)) : 'Enter a number') });
  return s === undefined ? undefined : Number(s);
}

async function askYesNo(title: string): Promise<boolean | undefined> {
  const p = await vscode.window.showQuickPick([{ label: 'Yes', v: true }, { label: 'No', v: false }], { title });
  return p?.v;
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
          void vscode.window.showErrorMessage(`Pairwise: ${e instanceof Error ? e.message : String(e)}`);
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
    if (!u) void vscode.window.showInformationMessage('Pairwise: open a dataset file (or pick one in the Explorer) first.');
    else if (u.scheme !== 'file') {
      void vscode.window.showWarningMessage('Pairwise: curation commands work on files on disk.');
      return undefined;
    }
    if (u) warnIfDirty(u);
    return u;
  }

  async deduplicate(uri: unknown, arg: unknown): Promise<DedupeResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    let a = isObject(arg) ? (arg as unknown as DedupeArgs) : undefined;
    if (!a) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Exact', detail: 'Remove records identical to an earlier one', mode: 'exact' as const },
          { label: 'Exact, ignoring whitespace and case', detail: 'Compare the text after collapsing whitespace and lower-casing', mode: 'normalized' as const },
          { label: 'Near-duplicate', detail: 'Also remove records whose word 3-grams overlap (MinHash Jaccard) at or above a threshold', mode: 'near' as const },
        ],
        { title: 'Deduplicate: which duplicates?' },
      );
      if (!pick) return undefined;
      let threshold: number | undefined;
      if (pick.mode === 'near') {
        threshold = await askNumber('Near-duplicate threshold (Jaccard similarity, 0–1]', '0.8', (n) => (n > 0 && n <= 1 ? undefined : 'Between 0 (exclusive) and 1'));
        if (threshold === undefined) return undefined;
      }
      a = { mode: pick.mode, threshold };
    }
    if (!['exact', 'normalized', 'near'].includes(a.mode)) throw new Error(`deduplicate: mode must be exact, normalized or near, not ${String(a.mode)}`);
    const mode = a.mode;
    const normalize = mode === 'exact' ? { whitespace: false, case: false } : { whitespace: true, case: true };
    const input = u.fsPath;
    const r = await withCurationProgress(`Pairwise: deduplicating ${path.basename(input)}`, (signal, onProgress) =>
      dedupeFile(input, { normalize, near: mode === 'near', threshold: a.threshold, out: a.out, signal, onProgress }),
    );
    if (!r) return undefined;
    summarize(
      `Deduplicated ${path.basename(input)}: kept ${fmt(r.kept)} of ${fmt(r.records)} records; removed ${fmt(r.exactDuplicates)} exact${mode === 'near' ? ` and ${fmt(r.nearDuplicates)} near` : ''} duplicates.`,
      [r.out, r.report].filter((p): p is string => !!p),
    );
    return r;
  }

  async split(uri: unknown, arg: unknown): Promise<SplitResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    let a = isObject(arg) ? (arg as unknown as SplitArgs) : undefined;
    if (!a) {
      const ratiosText = await vscode.window.showInputBox({
        title: 'Split: shares of train, validation (, test), summing to 1',
        value: '0.95,0.05',
        validateInput: (v) => {
          try {
            checkRatios(v.split(',').map((s) => Number(s.trim())));
            return undefined;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        },
      });
      if (ratiosText === undefined) return undefined;
      const seed = await askNumber('Split: random seed', '42', (n) => (Number.isInteger(n) ? undefined : 'An integer'));
      if (seed === undefined) return undefined;
      const groupByPrompt = await askYesNo('Split: keep records with the same prompt in the same split?');
      if (groupByPrompt === undefined) return undefined;
      a = { ratios: ratiosText.split(',').map((s) => Number(s.trim())), seed, groupByPrompt };
    }
    if (!Array.isArray(a.ratios)) throw new Error('split: ratios must be an array of numbers, e.g. [0.95, 0.05]');
    const input = u.fsPath;
    const opts = a;
    const r = await withCurationProgress(`Pairwise: splitting ${path.basename(input)}`, (signal, onProgress) =>
      splitFile(input, { ratios: opts.ratios, seed: opts.seed, groupByPrompt: opts.groupByPrompt, names: opts.names, signal, onProgress }),
    );
    if (!r) return undefined;
    summarize(
      `Split ${path.basename(input)} (${fmt(r.records)} records${r.groups !== undefined ? `, ${fmt(r.groups)} prompts` : ''}): ${r.splits.map((s) => `${s.name} ${fmt(s.records)}`).join(', ')}.`,
      r.splits.map((s) => s.path),
    );
    return r;
  }

  async filter(uri: unknown, arg: unknown): Promise<FilterResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const a = isObject(arg) ? (arg as FilterArgs) : await this.askFilter();
    if (!a) return undefined;
    const criteria: FilterCriteria = {};
    if (a.minTokens !== undefined) criteria.minTokens = a.minTokens;
    if (a.maxTokens !== undefined) criteria.maxTokens = a.maxTokens;
    if (a.role !== undefined) criteria.role = a.role;
    if (a.problems !== undefined) criteria.problems = a.problems;
    if (a.regex) {
      if (!FIELDS.includes(a.regex.field)) throw new Error(`filter: regex field must be one of ${FIELDS.join(', ')}`);
      criteria.regex = { field: a.regex.field, pattern: new RegExp(a.regex.pattern, a.regex.flags ?? '') };
    }
    if (Object.keys(criteria).length === 0) throw new Error('filter: give at least one criterion');
    const input = u.fsPath;
    const model = vscode.workspace.getConfiguration('pairwise.stats').get<string>('model') || undefined;
    const r = await withCurationProgress(`Pairwise: filtering ${path.basename(input)}`, (signal, onProgress) =>
      filterFile(input, { criteria, out: a.out, removedOut: a.removedOut, model, signal, onProgress }),
    );
    if (!r) return undefined;
    const why = Object.entries(r.removedBy)
      .map(([k, n]) => `${k}: ${fmt(n)}`)
      .join(', ');
    summarize(`Filtered ${path.basename(input)}: kept ${fmt(r.kept)} of ${fmt(r.records)} records; removed ${fmt(r.removed)}${why ? ` (${why})` : ''}.`, [r.out, r.removedOut]);
    return r;
  }

  /** The predicate builder: one criterion per pick, repeated until "Done". */
  private async askFilter(): Promise<FilterArgs | undefined> {
    const a: FilterArgs = {};
    for (;;) {
      const chosen = Object.keys(a).length;
      const pick = await vscode.window.showQuickPick(
        [
          ...(chosen > 0 ? [{ label: '$(check) Done', detail: describeFilter(a), id: 'done' }] : []),
          { label: 'Token range', detail: 'Keep records whose token count (all messages) is within bounds', id: 'tokens' },
          { label: 'Role present', detail: 'Keep records with a message of a role', id: 'role' },
          { label: 'Regex on a field', detail: 'Keep records whose prompt / response / system / any text matches', id: 'regex' },
          { label: 'Has problems', detail: 'Keep only records the validator reports problems for', id: 'has' },
          { label: 'No problems', detail: 'Keep only records without problems', id: 'none' },
        ],
        { title: chosen > 0 ? `Filter: add a criterion or Done (${describeFilter(a)})` : 'Filter: keep records that…' },
      );
      if (!pick) return undefined;
      if (pick.id === 'done') return a;
      if (pick.id === 'tokens') {
        const min = await vscode.window.showInputBox({ title: 'Minimum tokens (empty: none)', validateInput: (v) => (v === '' || Number.isInteger(Number(v)) ? undefined : 'An integer') });
        if (min === undefined) return undefined;
        const max = await vscode.window.showInputBox({ title: 'Maximum tokens (empty: none)', validateInput: (v) => (v === '' || Number.isInteger(Number(v)) ? undefined : 'An integer') });
        if (max === undefined) return undefined;
        if (min !== '') a.minTokens = Number(min);
        if (max !== '') a.maxTokens = Number(max);
      } else if (pick.id === 'role') {
        const role = await vscode.window.showQuickPick(ROLES, { title: 'Role that must be present' });
        if (!role) return undefined;
        a.role = role as Role;
      } else if (pick.id === 'regex') {
        const field = await vscode.window.showQuickPick(FIELDS, { title: 'Field to match' });
        if (!field) return undefined;
        const pattern = await vscode.window.showInputBox({
          title: `Regular expression on ${field} (case-insensitive)`,
          validateInput: (v) => {
            try {
              new RegExp(v);
              return v ? undefined : 'Enter a pattern';
            } catch (e) {
              return e instanceof Error ? e.message : String(e);
            }
          },
        });
        if (pattern === undefined) return undefined;
        a.regex = { field: field as FilterField, pattern, flags: 'i' };
      } else a.problems = pick.id as 'has' | 'none';
    }
  }

  async sample(uri: unknown, arg: unknown): Promise<SampleResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    let a = isObject(arg) ? (arg as unknown as SampleArgs) : undefined;
    if (!a) {
      const n = await askNumber('Sample: how many records?', '100', (v) => (Number.isInteger(v) && v > 0 ? undefined : 'A positive integer'));
      if (n === undefined) return undefined;
      const seed = await askNumber('Sample: random seed', '42', (v) => (Number.isInteger(v) ? undefined : 'An integer'));
      if (seed === undefined) return undefined;
      a = { n, seed };
    }
    const input = u.fsPath;
    const opts = a;
    const r = await withCurationProgress(`Pairwise: sampling ${path.basename(input)}`, (signal, onProgress) => sampleFile(input, { n: opts.n, seed: opts.seed, out: opts.out, signal, onProgress }));
    if (!r) return undefined;
    summarize(`Sampled ${fmt(r.sampled)} of ${fmt(r.records)} records of ${path.basename(input)}.`, [r.out]);
    return r;
  }

  async merge(uri: unknown, arg: unknown): Promise<MergeResult | undefined> {
    // From the Explorer the second argument is the selection; from a script, the argument object.
    const selected = Array.isArray(arg) ? (arg as unknown[]).filter((x): x is vscode.Uri => x instanceof vscode.Uri) : [];
    let a = isObject(arg) ? (arg as unknown as MergeArgs) : undefined;
    let inputs: string[] = (a?.inputs ?? (selected.length > 0 ? selected : [])).map((x) => (x instanceof vscode.Uri ? x.fsPath : x));
    if (inputs.length === 0 && !a) {
      const first = targetFile(uri);
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        title: 'Merge Datasets: pick the files to merge (in order)',
        defaultUri: first,
        filters: { Datasets: ['jsonl', 'json'] },
      });
      if (!picked || picked.length === 0) return undefined;
      inputs = picked.map((p) => p.fsPath);
    }
    if (inputs.length === 0) throw new Error('merge: give the input files');
    if (!a) {
      const to = await vscode.window.showQuickPick(
        allFormats().map((f) => ({ label: f.id, description: f.title, id: f.id })),
        { title: `Merge ${inputs.length} file(s) into which format?` },
      );
      if (!to) return undefined;
      a = { to: to.id };
    }
    if (!isFormatId(a.to)) throw new Error(`merge: unknown target format ${String(a.to)}`);
    const out = a.out ?? siblingPath(inputs[0], `merged.${a.to}`);
    const to = a.to;
    const allowLossy = a.allowLossy ?? true;
    const r = await withCurationProgress(`Pairwise: merging ${inputs.length} file(s) into ${to}`, (signal, onProgress) => mergeFiles(inputs, { to, out, allowLossy, signal, onProgress }));
    if (!r) return undefined;
    if (r.refused || !r.out) {
      void vscode.window.showErrorMessage(`Pairwise: merge refused: ${r.refused ?? 'nothing written'}.`);
      return r;
    }
    const lossy = r.sources.reduce((s, x) => s + x.lossyRecords, 0);
    const dropped = r.sources.reduce((s, x) => s + x.droppedRecords, 0);
    summarize(
      `Merged ${r.sources.map((s) => `${path.basename(s.path)} (${fmt(s.written)})`).join(' + ')} into ${path.basename(r.out)}: ${fmt(r.written)} records as ${to}${lossy + dropped > 0 ? `; ${fmt(lossy)} lost fields, ${fmt(dropped)} dropped` : ''}.`,
      [r.out],
    );
    return r;
  }

  async register(uri: unknown, arg: unknown): Promise<RegisterResult | undefined> {
    const u = this.input(uri);
    if (!u) return undefined;
    const a = isObject(arg) ? (arg as RegisterArgs) : {};
    const input = u.fsPath;
    const r = await withCurationProgress(`Pairwise: registering ${path.basename(input)}`, (signal) => registerDataset(input, { info: a.info, name: a.name, signal }));
    if (!r) return undefined;
    summarize(`${r.replaced ? 'Updated' : 'Added'} "${r.name}" (${r.format}) in ${r.created ? 'a new ' : ''}${path.basename(r.info)}.`, [r.info]);
    return r;
  }
}

function describeFilter(a: FilterArgs): string {
  const parts: string[] = [];
  if (a.minTokens !== undefined || a.maxTokens !== undefined) parts.push(`tokens ${a.minTokens ?? 0}–${a.maxTokens ?? '∞'}`);
  if (a.role) parts.push(`has ${a.role}`);
  if (a.regex) parts.push(`${a.regex.field} ~ /${a.regex.pattern}/`);
  if (a.problems) parts.push(a.problems === 'has' ? 'has problems' : 'no problems');
  return parts.join(', ');
}
