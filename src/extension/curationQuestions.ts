/**
 * The palette side of the curation commands: each `ask…` shows the command's questions as one
 * multi-step quick input and resolves to the same argument object a script would pass (undefined
 * when the user escapes). UI only: nothing here reads or writes a dataset.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FILTER_FIELDS, FILTER_ROLES, parseRatioText, ratioTextError, type DedupeArgs, type FilterArgs, type MergeArgs, type RegisterArgs, type SampleArgs, type SplitArgs, detectFileFormat } from '../core/curate';
import type { FilterField } from '../core/curate';
import { samePath } from '../core/jsonl';
import { allFormats } from '../core/formats';
import type { Role } from '../core/model';
import { targetFile } from './commandSupport';
import { MultiStepInput, type InputStep } from './quickInputSteps';

function integerCheck(v: string, min: number, what: () => string): string | undefined {
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isInteger(n) && n >= min ? undefined : what();
}

const anyInteger = (v: string) => integerCheck(v, Number.MIN_SAFE_INTEGER, () => vscode.l10n.t('Enter an integer'));

export async function askDedupe(input: string): Promise<DedupeArgs | undefined> {
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
  const askThreshold: InputStep = async (flow) => {
    const prompt = vscode.l10n.t('Jaccard similarity at or above which two records are near duplicates (0 to 1; 0.8 is a common choice)');
    const v = await flow.showInputBox({ title, totalSteps: 2, prompt, value: threshold, validate: (v) => {
      const n = Number(v.trim());
      return v.trim() !== '' && n > 0 && n <= 1 ? undefined : vscode.l10n.t('Enter a number greater than 0 and at most 1, e.g. 0.8');
    } });
    threshold = v.trim();
  };
  const pickMode: InputStep = async (flow) => {
    const placeholder = vscode.l10n.t('Which duplicates? The first occurrence is kept.');
    mode = (await flow.showQuickPick({ title, totalSteps: mode === 'near' ? 2 : 1, items, placeholder, active: items.find((i) => i.mode === mode) })).mode;
    return mode === 'near' ? askThreshold : undefined;
  };
  if (!(await MultiStepInput.run(pickMode))) return undefined;
  return mode === 'near' ? { mode, threshold: Number(threshold) } : { mode };
}

export async function askSplit(input: string): Promise<SplitArgs | undefined> {
  const title = vscode.l10n.t('Split {0}', path.basename(input));
  const presets = [
    { label: vscode.l10n.t('95 / 5'), description: vscode.l10n.t('train, validation'), ratios: [0.95, 0.05] },
    { label: vscode.l10n.t('90 / 10'), description: vscode.l10n.t('train, validation'), ratios: [0.9, 0.1] },
    { label: vscode.l10n.t('90 / 5 / 5'), description: vscode.l10n.t('train, validation, test'), ratios: [0.9, 0.05, 0.05] },
    { label: vscode.l10n.t('80 / 10 / 10'), description: vscode.l10n.t('train, validation, test'), ratios: [0.8, 0.1, 0.1] },
    { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('your own shares'), ratios: undefined },
  ];
  const groupItems = [
    { label: vscode.l10n.t('No'), detail: vscode.l10n.t('Exact counts: each split gets its share of the records'), grouped: false },
    { label: vscode.l10n.t('Yes, keep records with the same prompt together'), detail: vscode.l10n.t('No prompt straddles two splits; counts follow the shares approximately'), grouped: true },
  ];
  let preset = presets[0];
  let custom = '70/20/10';
  let seed = '42';
  let grouped = false;
  // The custom shares add a step.
  const total = () => (preset.ratios ? 3 : 4);
  const pickGrouping: InputStep = async (flow) => {
    const placeholder = vscode.l10n.t('Keep records that share a prompt in the same split?');
    grouped = (await flow.showQuickPick({ title, totalSteps: total(), items: groupItems, placeholder, active: groupItems.find((g) => g.grouped === grouped) })).grouped;
  };
  const askSeed: InputStep = async (flow) => {
    seed = (await flow.showInputBox({ title, totalSteps: total(), prompt: vscode.l10n.t('Random seed (the same seed gives the same split)'), value: seed, validate: anyInteger })).trim();
    return pickGrouping;
  };
  const askCustom: InputStep = async (flow) => {
    const prompt = vscode.l10n.t('Percentages of train, validation (and test) summing to 100, e.g. 70/20/10, or shares such as 0.7,0.2,0.1');
    custom = await flow.showInputBox({ title, totalSteps: 4, prompt, value: custom, validate: ratioTextError });
    return askSeed;
  };
  const pickPreset: InputStep = async (flow) => {
    preset = await flow.showQuickPick({ title, totalSteps: total(), items: presets, placeholder: vscode.l10n.t('Shares of train, validation (and test)'), active: preset });
    return preset.ratios ? askSeed : askCustom;
  };
  if (!(await MultiStepInput.run(pickPreset))) return undefined;
  return { ratios: preset.ratios ?? parseRatioText(custom), seed: Number(seed), groupByPrompt: grouped };
}

function describeFilter(a: FilterArgs): string {
  const parts: string[] = [];
  if (a.minTokens !== undefined || a.maxTokens !== undefined) parts.push(vscode.l10n.t('tokens {0}–{1}', a.minTokens ?? 0, a.maxTokens ?? '∞'));
  if (a.role) parts.push(vscode.l10n.t('has {0}', a.role));
  if (a.regex) parts.push(vscode.l10n.t('{0} ~ /{1}/', a.regex.field, a.regex.pattern));
  if (a.problems) parts.push(a.problems === 'has' ? vscode.l10n.t('has problems') : vscode.l10n.t('no problems'));
  return parts.join(', ');
}

/** The predicate builder: one criterion per pick (step 1), its values (step 2), back to step 1 until "Done". */
export async function askFilter(input: string): Promise<FilterArgs | undefined> {
  const a: FilterArgs = {};
  const title = vscode.l10n.t('Filter {0}', path.basename(input));
  const next = { title, step: 2, totalSteps: 2 };
  const bound = (v: string) => (v.trim() === '' ? undefined : integerCheck(v, 0, () => vscode.l10n.t('Enter a non-negative integer, or nothing for no bound')));
  let done = false as boolean;
  let lo: number | undefined;

  const chooseCriterion: InputStep = async (flow) => {
    const chosen = Object.keys(a).length > 0;
    const pick = await flow.showQuickPick({
      title,
      step: 1,
      totalSteps: 2,
      items: [
        ...(chosen ? [{ label: vscode.l10n.t('$(check) Done'), detail: describeFilter(a), id: 'done' }] : []),
        { label: vscode.l10n.t('Token range'), detail: vscode.l10n.t('Keep records whose token count (all messages) is within bounds'), id: 'tokens' },
        { label: vscode.l10n.t('Role present'), detail: vscode.l10n.t('Keep records with a message of a role'), id: 'role' },
        { label: vscode.l10n.t('Regex on a field'), detail: vscode.l10n.t('Keep records whose prompt / response / system / any text matches'), id: 'regex' },
        { label: vscode.l10n.t('Has problems'), detail: vscode.l10n.t('Keep only records the validator reports problems for'), id: 'has' },
        { label: vscode.l10n.t('No problems'), detail: vscode.l10n.t('Keep only records without problems'), id: 'none' },
      ],
      placeholder: chosen ? vscode.l10n.t('Add a criterion, or Done to keep records matching: {0}', describeFilter(a)) : vscode.l10n.t('Keep the records that…'),
    });
    if (pick.id === 'done') {
      done = true;
      return undefined;
    }
    if (pick.id === 'has' || pick.id === 'none') {
      a.problems = pick.id;
      return chooseCriterion;
    }
    return pick.id === 'tokens' ? minTokens : pick.id === 'role' ? role : regexField;
  };
  const minTokens: InputStep = async (flow) => {
    const min = await flow.showInputBox({ ...next, prompt: vscode.l10n.t('Minimum tokens per record (empty: no minimum)'), value: a.minTokens?.toString() ?? '', validate: bound });
    lo = min.trim() === '' ? undefined : Number(min);
    return maxTokens;
  };
  const maxTokens: InputStep = async (flow) => {
    const max = await flow.showInputBox({
      ...next,
      prompt: vscode.l10n.t('Maximum tokens per record (empty: no maximum)'),
      value: a.maxTokens?.toString() ?? '',
      validate: (v) => bound(v) ?? (v.trim() !== '' && lo !== undefined && Number(v) < lo ? vscode.l10n.t('The maximum must be at least the minimum ({0})', lo) : undefined),
    });
    const hi = max.trim() === '' ? undefined : Number(max);
    if (lo !== undefined || hi !== undefined) {
      delete a.minTokens;
      delete a.maxTokens;
      if (lo !== undefined) a.minTokens = lo;
      if (hi !== undefined) a.maxTokens = hi;
    }
    return chooseCriterion;
  };
  const role: InputStep = async (flow) => {
    const r = await flow.showQuickPick({ ...next, items: FILTER_ROLES.map((label) => ({ label })), placeholder: vscode.l10n.t('Role that must be present') });
    a.role = r.label as Role;
    return chooseCriterion;
  };
  let field: FilterField = 'prompt';
  const regexPattern: InputStep = async (flow) => {
    const pattern = await flow.showInputBox({ ...next, prompt: vscode.l10n.t('Regular expression on {0} (case-insensitive)', field), value: a.regex?.pattern ?? '', validate: (v) => {
      try {
        new RegExp(v);
        return v ? undefined : vscode.l10n.t('Enter a pattern');
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    } });
    a.regex = { field, pattern, flags: 'i' };
    return chooseCriterion;
  };
  const regexField: InputStep = async (flow) => {
    field = (await flow.showQuickPick({ ...next, items: FILTER_FIELDS.map((label) => ({ label })), placeholder: vscode.l10n.t('Field to match') })).label as FilterField;
    return regexPattern;
  };
  return (await MultiStepInput.run(chooseCriterion)) && done ? a : undefined;
}

export async function askSample(input: string): Promise<SampleArgs | undefined> {
  const title = vscode.l10n.t('Sample {0}', path.basename(input));
  let n = '100';
  let seed = '42';
  const askSeed: InputStep = async (flow) => {
    seed = (await flow.showInputBox({ title, totalSteps: 2, prompt: vscode.l10n.t('Random seed (the same seed gives the same sample)'), value: seed, validate: anyInteger })).trim();
  };
  const askCount: InputStep = async (flow) => {
    const prompt = vscode.l10n.t('How many records? (drawn uniformly at random, written in file order)');
    n = (await flow.showInputBox({ title, totalSteps: 2, prompt, value: n, validate: (v) => integerCheck(v, 1, () => vscode.l10n.t('Enter a positive integer')) })).trim();
    return askSeed;
  };
  if (!(await MultiStepInput.run(askCount))) return undefined;
  return { n: Number(n), seed: Number(seed) };
}

/**
 * Merge's files: the Explorer's selection when it holds two or more, else picked in a dialog (the
 * file at hand first); then the target format, the inputs' own formats offered first.
 */
export async function askMerge(uri: unknown, selected: readonly vscode.Uri[]): Promise<MergeArgs | undefined> {
  let inputs = selected.length > 1 ? selected.map((s) => s.fsPath) : [];
  if (inputs.length === 0) {
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
  // The inputs' own formats are offered first (the first input's active): no conversion loss.
  const detected = await Promise.all(inputs.map((i) => detectFileFormat(i).then((d) => d.format, () => undefined)));
  const items = allFormats().map((f) => {
    const own = inputs.filter((_, k) => detected[k] === f.id).map((i) => path.basename(i));
    return { label: f.id, description: f.title, detail: own.length > 0 ? vscode.l10n.t('the format of {0}', own.join(', ')) : undefined, id: f.id };
  });
  items.sort((x, y) => Number(!!y.detail) - Number(!!x.detail));
  let to: MergeArgs['to'] | undefined;
  const pickFormat: InputStep = async (flow) => {
    const title = vscode.l10n.t('Merge {0} files', inputs.length);
    const placeholder = vscode.l10n.t('Target format of the merged file (records are converted to it)');
    to = (await flow.showQuickPick({ title, totalSteps: 1, items, placeholder, active: items.find((i) => i.id === detected[0]) })).id;
  };
  if (!(await MultiStepInput.run(pickFormat)) || !to) return undefined;
  return { inputs, to };
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

/** The dataset's name in the dataset_info.json beside it; replacing an entry is asked first. */
export async function askRegister(input: string, info: string): Promise<RegisterArgs | undefined> {
  let name = path.basename(input, path.extname(input));
  const askName: InputStep = async (flow) => {
    name = await flow.showInputBox({
      title: vscode.l10n.t('Register {0} in {1}', path.basename(input), path.basename(info)),
      totalSteps: 1,
      prompt: vscode.l10n.t('Dataset name (what LLaMA-Factory calls it in `dataset:`)'),
      value: name,
      validate: (v) => (v.trim() === '' || v.trim() === '__proto__' ? vscode.l10n.t('Enter a name') : undefined),
    });
  };
  if (!(await MultiStepInput.run(askName))) return undefined;
  if (existingEntries(info).has(name.trim())) {
    const replace = vscode.l10n.t('Replace');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already has an entry "{1}". Replace it?', path.basename(info), name.trim()), { modal: true }, replace);
    if (answer !== replace) return undefined;
  }
  return { info, name: name.trim() };
}
