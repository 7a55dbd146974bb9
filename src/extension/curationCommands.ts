/**
 * The curation commands: Deduplicate, Split Train/Validation, Filter Records, Sample Records, Merge
 * Datasets and Register in dataset_info.json. Each streams the file on disk through the curation
 * core (src/core/curate) under a cancellable progress notification, never modifies its input,
 * writes its outputs beside it (atomically, through the core), and ends with a summary
 * notification whose buttons open the outputs.
 *
 * Every command is ask → validate → run: from the palette (or the Explorer, whose second argument
 * is its selection) it asks its questions (curationQuestions.ts) and an output that already exists
 * is replaced only after the user agrees; with an argument object (scripts, tests) the object is
 * checked by the core's validator (core/curate/commandArgs.ts) and nothing is asked (existing
 * outputs are then replaced, an output that is an input is refused). Both return the core's result.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { filterCriteria, validateDedupeArgs, validateFilterArgs, validateMergeArgs, validateRegisterArgs, validateSampleArgs, validateSplitArgs, type DedupeArgs, type FilterArgs, type MergeArgs, type RegisterArgs, type SampleArgs, type SplitArgs, dedupeFile, type DedupeResult, filterFileOffThread, type FilterResult, mergeFiles, type MergeResult, siblingPath, sampleFile, type SampleResult, splitFile, splitNames, type SplitResult } from '../core/curate';
import { registerDataset, type RegisterResult } from '../core/datasetInfo';
import { samePath } from '../core/jsonl';
import { curationInput, fmt, runFileCommand } from './commandSupport';
import { askDedupe, askFilter, askMerge, askRegister, askSample, askSplit } from './curationQuestions';

/** How a run was started: from the palette (asked, so existing outputs are confirmed) or by a script. */
interface RunContext {
  input: string;
  asked: boolean;
}

export function runDedupe({ input, asked }: RunContext, a: DedupeArgs): Promise<DedupeResult | undefined> {
  const normalize = a.mode === 'exact' ? { whitespace: false, case: false } : { whitespace: true, case: true };
  const out = a.out ?? siblingPath(input, 'dedup');
  // The core's default report path: beside the input, always JSON Lines.
  const report = siblingPath(input, 'dedup-report').replace(/\.json$/i, '.jsonl');
  const name = path.basename(input);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: deduplicating {0}', name),
    inputs: [input],
    outputs: [out, report],
    confirmReplace: asked,
    signal: a.signal,
    // Ranges go to workers only: this is the extension host, which other extensions share.
    work: (signal, onProgress) => dedupeFile(input, { normalize, near: a.mode === 'near', threshold: a.threshold, out, report, signal, onProgress, rangesOnThisThread: false }),
    summarize: (r) => ({
      message:
        a.mode === 'near'
          ? vscode.l10n.t('Deduplicated {0}: kept {1} of {2} records; removed {3} exact and {4} near duplicates.', name, fmt(r.kept), fmt(r.records), fmt(r.exactDuplicates), fmt(r.nearDuplicates))
          : vscode.l10n.t('Deduplicated {0}: kept {1} of {2} records; removed {3} duplicates.', name, fmt(r.kept), fmt(r.records), fmt(r.exactDuplicates)),
      links: [
        ...(r.out ? [{ label: vscode.l10n.t('Open Kept'), path: r.out }] : []),
        ...(r.report && r.exactDuplicates + r.nearDuplicates > 0 ? [{ label: vscode.l10n.t('Open Report'), path: r.report }] : []),
      ],
    }),
  });
}

export function runSplit({ input, asked }: RunContext, a: SplitArgs): Promise<SplitResult | undefined> {
  const name = path.basename(input);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: splitting {0}', name),
    inputs: [input],
    outputs: splitNames(a.ratios, a.names).map((n) => siblingPath(input, n)),
    confirmReplace: asked,
    signal: a.signal,
    work: (signal, onProgress) => splitFile(input, { ratios: a.ratios, seed: a.seed, groupByPrompt: a.groupByPrompt, names: a.names, signal, onProgress }),
    summarize: (r) => {
      const parts = r.splits.map((s) => vscode.l10n.t('{0} {1}', s.name, fmt(s.records))).join(', ');
      return {
        message:
          r.groups !== undefined
            ? vscode.l10n.t('Split {0} ({1} records, {2} prompts): {3}.', name, fmt(r.records), fmt(r.groups), parts)
            : vscode.l10n.t('Split {0} ({1} records): {2}.', name, fmt(r.records), parts),
        links: r.splits.map((s) => ({ label: vscode.l10n.t('Open {0}', s.name), path: s.path })),
      };
    },
  });
}

export function runFilter({ input, asked }: RunContext, a: FilterArgs): Promise<FilterResult | undefined> {
  const criteria = filterCriteria(a);
  const out = a.out ?? siblingPath(input, 'kept');
  const removedOut = a.removedOut ?? siblingPath(input, 'removed');
  const model = vscode.workspace.getConfiguration('pairwise.stats').get<string>('model') || undefined;
  const name = path.basename(input);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: filtering {0}', name),
    inputs: [input],
    outputs: [out, removedOut],
    confirmReplace: asked,
    signal: a.signal,
    work: (signal, onProgress) => filterFileOffThread(input, { criteria, out, removedOut, model, signal, onProgress }),
    summarize: (r) => {
      const why = Object.entries(r.removedBy)
        .map(([k, n]) => vscode.l10n.t('{0}: {1}', k, fmt(n)))
        .join(', ');
      return {
        message: why
          ? vscode.l10n.t('Filtered {0}: kept {1} of {2} records; removed {3} ({4}).', name, fmt(r.kept), fmt(r.records), fmt(r.removed), why)
          : vscode.l10n.t('Filtered {0}: kept {1} of {2} records; removed {3}.', name, fmt(r.kept), fmt(r.records), fmt(r.removed)),
        links: [
          { label: vscode.l10n.t('Open Kept'), path: r.out },
          { label: vscode.l10n.t('Open Removed'), path: r.removedOut },
        ],
      };
    },
  });
}

export function runSample({ input, asked }: RunContext, a: SampleArgs): Promise<SampleResult | undefined> {
  const out = a.out ?? siblingPath(input, `sample${a.n}`);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: sampling {0}', path.basename(input)),
    inputs: [input],
    outputs: [out],
    confirmReplace: asked,
    signal: a.signal,
    work: (signal, onProgress) => sampleFile(input, { n: a.n, seed: a.seed, out, signal, onProgress }),
    summarize: (r) => ({
      message: vscode.l10n.t('Sampled {0} of {1} records of {2}.', fmt(r.sampled), fmt(r.records), path.basename(input)),
      links: [{ label: vscode.l10n.t('Open Sample'), path: r.out }],
    }),
  });
}

export function runMerge(asked: boolean, a: MergeArgs): Promise<MergeResult | undefined> {
  const { inputs, to } = a;
  const out = a.out ?? siblingPath(inputs[0], `merged.${to}`);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: merging {0} files into {1}', inputs.length, to),
    inputs,
    outputs: [out],
    confirmReplace: asked,
    signal: a.signal,
    work: (signal, onProgress) => mergeFiles(inputs, { to, out, allowLossy: a.allowLossy ?? true, signal, onProgress }),
    summarize: (r) => {
      if (r.refused || !r.out) return { message: vscode.l10n.t('Pairwise: merge refused: {0}.', r.refused ?? vscode.l10n.t('nothing written')), links: [], error: true };
      const lossy = r.sources.reduce((s, x) => s + x.lossyRecords, 0);
      const dropped = r.sources.reduce((s, x) => s + x.droppedRecords, 0);
      const sources = r.sources.map((s) => vscode.l10n.t('{0} ({1})', path.basename(s.path), fmt(s.written))).join(' + ');
      return {
        message:
          lossy + dropped > 0
            ? vscode.l10n.t('Merged {0} into {1}: {2} records as {3}; {4} lost fields, {5} dropped.', sources, path.basename(r.out), fmt(r.written), to, fmt(lossy), fmt(dropped))
            : vscode.l10n.t('Merged {0} into {1}: {2} records as {3}.', sources, path.basename(r.out), fmt(r.written), to),
        links: [{ label: vscode.l10n.t('Open Merged'), path: r.out }],
      };
    },
  });
}

/** The registry a dataset is registered in: the given one, else the dataset_info.json beside it (never the dataset itself). */
function registryOf(input: string, info: string | undefined): string {
  const file = info ?? path.join(path.dirname(input), 'dataset_info.json');
  if (samePath(file, input)) throw new Error(vscode.l10n.t('{0} is the registry itself; register a dataset file in it.', path.basename(input)));
  return file;
}

export function runRegister({ input, asked }: RunContext, a: RegisterArgs): Promise<RegisterResult | undefined> {
  const info = registryOf(input, a.info);
  return runFileCommand({
    title: vscode.l10n.t('Pairwise: registering {0}', path.basename(input)),
    // The core updates the registry itself (atomically); there is no output file to check here.
    inputs: [input],
    outputs: [],
    confirmReplace: asked,
    signal: a.signal,
    work: (signal) => registerDataset(input, { info, name: a.name, signal }),
    summarize: (r) => {
      const file = path.basename(r.info);
      return {
        message: r.replaced
          ? vscode.l10n.t('Updated "{0}" ({1}) in {2}.', r.name, r.format, file)
          : r.created
            ? vscode.l10n.t('Added "{0}" ({1}) to a new {2}.', r.name, r.format, file)
            : vscode.l10n.t('Added "{0}" ({1}) to {2}.', r.name, r.format, file),
        links: [{ label: vscode.l10n.t('Open {0}', file), path: r.info }],
      };
    },
  });
}

/** Nothing, or the Explorer's selection, as second argument: the command asks. Anything else is an argument object. */
function asks(arg: unknown): boolean {
  return arg === undefined || Array.isArray(arg);
}

/** A command on the file at hand: ask or validate, then run. */
function onFile<A, R>(ask: (input: string) => Promise<A | undefined>, validate: (arg: unknown) => A, run: (c: RunContext, a: A) => Promise<R | undefined>) {
  return async (uri: unknown, arg: unknown): Promise<R | undefined> => {
    const input = curationInput(uri);
    if (!input) return undefined;
    const asked = asks(arg);
    const a = asked ? await ask(input) : validate(arg);
    return a === undefined ? undefined : run({ input, asked }, a);
  };
}

/** Merge's inputs may be URIs (the Explorer's, a script's): the core's validator takes paths. */
function mergeArgsWithPaths(arg: unknown): unknown {
  if (!arg || typeof arg !== 'object' || !('inputs' in arg) || !Array.isArray(arg.inputs)) return arg;
  return { ...arg, inputs: arg.inputs.map((x: unknown) => (x instanceof vscode.Uri ? x.fsPath : x)) };
}

async function merge(uri: unknown, arg: unknown): Promise<MergeResult | undefined> {
  const asked = asks(arg);
  const selected = Array.isArray(arg) ? arg.filter((x): x is vscode.Uri => x instanceof vscode.Uri) : [];
  const a = asked ? await askMerge(uri, selected) : validateMergeArgs(mergeArgsWithPaths(arg));
  return a === undefined ? undefined : runMerge(asked, a);
}

function askRegisterBeside(input: string): Promise<RegisterArgs | undefined> {
  return askRegister(input, registryOf(input, undefined));
}

export class CurationCommands {
  static register(context: vscode.ExtensionContext): void {
    const reg = (id: string, fn: (uri: unknown, arg: unknown) => Promise<unknown>) =>
      vscode.commands.registerCommand(id, async (uri: unknown, arg: unknown) => {
        try {
          return await fn(uri, arg);
        } catch (e) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Pairwise: {0}', e instanceof Error ? e.message : String(e)));
          // Callers with arguments (tests, scripts) get the failure; the palette only the message.
          if (!asks(arg)) throw e;
          return undefined;
        }
      });
    context.subscriptions.push(
      reg('pairwise.deduplicate', onFile(askDedupe, validateDedupeArgs, runDedupe)),
      reg('pairwise.split', onFile(askSplit, validateSplitArgs, runSplit)),
      reg('pairwise.filter', onFile(askFilter, validateFilterArgs, runFilter)),
      reg('pairwise.sample', onFile(askSample, validateSampleArgs, runSample)),
      reg('pairwise.merge', merge),
      reg('pairwise.registerDatasetInfo', onFile(askRegisterBeside, validateRegisterArgs, runRegister)),
    );
  }
}
