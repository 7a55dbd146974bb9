/**
 * The argument objects of the curation commands (Deduplicate, Split, Filter, Sample, Merge,
 * Register in dataset_info.json) as scripts and tests pass them: one type and one validator per
 * command. A validator takes what the caller gave (unknown), checks every field and returns the
 * typed arguments, or throws a TypeError / RangeError that names the command and the field. The
 * extension asks the same questions from the palette and checks its answers with the same rules.
 */
import * as l10n from '@vscode/l10n';
import type { FormatId } from '../formats/formatModule';
import { isFormatId } from '../formats/registry';
import type { Role } from '../model';
import type { FilterCriteria, FilterField } from './filter';
import { checkRatios } from './split';

export const DEDUPE_MODES = ['exact', 'normalized', 'near'] as const;
export const FILTER_ROLES: readonly Role[] = ['system', 'user', 'assistant', 'tool'];
export const FILTER_FIELDS: readonly FilterField[] = ['prompt', 'response', 'system', 'any'];

/** Every argument object may carry a signal: aborting it cancels the run like the notification's Cancel. */
export interface Cancellable {
  signal?: AbortSignal;
}

export interface DedupeArgs extends Cancellable {
  /** `exact`: identical records; `normalized`: identical ignoring whitespace and case; `near`: also MinHash near duplicates. */
  mode: (typeof DEDUPE_MODES)[number];
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
  /** Files to merge (paths), in order. */
  inputs: string[];
  to: FormatId;
  out?: string;
  allowLossy?: boolean;
}

export interface RegisterArgs extends Cancellable {
  /** dataset_info.json to create or update; default the one beside the file. */
  info?: string;
  name?: string;
}

// ---- Field readers: each names the command and the field in its error ---------------------------

type Fields = Record<string, unknown>;

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v).slice(0, 80);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The argument as an object with only the known keys (a typo is an error, not an ignored option). */
function fields(command: string, arg: unknown, known: readonly string[]): Fields {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) throw new TypeError(l10n.t('{0}: the argument must be an object of options, not {1}', command, shown(arg)));
  const unknown = Object.keys(arg).filter((k) => !known.includes(k) && k !== 'signal');
  if (unknown.length > 0) throw new TypeError(l10n.t('{0}: unknown option {1} (the options are {2})', command, unknown.join(', '), [...known, 'signal'].join(', ')));
  return arg as Fields;
}

function optString(command: string, o: Fields, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new TypeError(l10n.t('{0}: {1} must be a non-empty string, not {2}', command, key, shown(v)));
  return v;
}

function optInteger(command: string, o: Fields, key: string, min: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    if (min === Number.MIN_SAFE_INTEGER) throw new RangeError(l10n.t('{0}: {1} must be an integer, not {2}', command, key, shown(v)));
    throw new RangeError(l10n.t('{0}: {1} must be an integer of at least {2}, not {3}', command, key, min, shown(v)));
  }
  return v;
}

function optBoolean(command: string, o: Fields, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new TypeError(l10n.t('{0}: {1} must be true or false, not {2}', command, key, shown(v)));
  return v;
}

function oneOf<T extends string>(command: string, o: Fields, key: string, allowed: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new RangeError(l10n.t('{0}: {1} must be one of {2}, not {3}', command, key, allowed.join(', '), shown(v)));
  return v as T;
}

function signalOf(command: string, o: Fields): Cancellable {
  const v = o.signal;
  if (v === undefined) return {};
  if (!(v instanceof AbortSignal)) throw new TypeError(l10n.t('{0}: signal must be an AbortSignal', command));
  return { signal: v };
}

/** Drops the keys whose value is undefined, so a result compares equal to what was meant. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---- Ratios: shared by Split (arguments and its quick input) and `pairwise split --ratios` -------

/**
 * The ratios typed in the Split quick input: percentages ("95/5", "90 5 5") or shares
 * ("0.95,0.05"), separated by commas, slashes, colons or spaces; percentages become shares.
 */
export function parseRatioText(text: string): number[] {
  const parts = text
    .split(/[\s,/:]+/)
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/%$/, '')));
  const sum = parts.reduce((a, b) => a + b, 0);
  return sum > 1.5 ? parts.map((p) => p / 100) : parts;
}

/** Why the typed ratios cannot be used (undefined when they can): percentages must sum to 100, shares to 1. */
export function ratioTextError(text: string): string | undefined {
  const parts = text.split(/[\s,/:]+/).filter((s) => s !== '');
  const sum = parts.reduce((a, s) => a + Number(s.replace(/%$/, '')), 0);
  // Percentages are checked as percentages (checkRatios speaks of shares summing to 1).
  if (sum > 1.5 && Math.abs(sum - 100) > 1e-6) return l10n.t('The percentages sum to {0}, not 100', Math.round(sum * 1e4) / 1e4);
  try {
    checkRatios(parseRatioText(text));
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ---- One validator per command -----------------------------------------------------------------

export function validateDedupeArgs(arg: unknown): DedupeArgs {
  const c = 'deduplicate';
  const o = fields(c, arg, ['mode', 'threshold', 'out']);
  const mode = o.mode;
  if (typeof mode !== 'string' || !(DEDUPE_MODES as readonly string[]).includes(mode)) throw new RangeError(l10n.t('deduplicate: mode must be exact, normalized or near, not {0}', String(mode)));
  const threshold = o.threshold;
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold > 0 && threshold <= 1)) {
    throw new RangeError(l10n.t('deduplicate: threshold must be a number greater than 0 and at most 1, not {0}', shown(threshold)));
  }
  return defined({ mode: mode as DedupeArgs['mode'], threshold, out: optString(c, o, 'out'), ...signalOf(c, o) });
}

export function validateSplitArgs(arg: unknown): SplitArgs {
  const c = 'split';
  const o = fields(c, arg, ['ratios', 'seed', 'groupByPrompt', 'names']);
  const ratios = o.ratios;
  if (!Array.isArray(ratios) || !ratios.every((r) => typeof r === 'number')) throw new TypeError(l10n.t('split: ratios must be an array of numbers, e.g. [0.95, 0.05]'));
  try {
    checkRatios(ratios as number[]);
  } catch (e) {
    throw new RangeError(l10n.t('{0}: {1}', c, (e as Error).message));
  }
  const names = o.names;
  if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n !== ''))) {
    throw new TypeError(l10n.t('split: names must be an array of non-empty strings, e.g. ["train", "validation"]'));
  }
  return defined({
    ratios: [...(ratios as number[])],
    seed: optInteger(c, o, 'seed', Number.MIN_SAFE_INTEGER),
    groupByPrompt: optBoolean(c, o, 'groupByPrompt'),
    names: names as string[] | undefined,
    ...signalOf(c, o),
  });
}

export function validateFilterArgs(arg: unknown): FilterArgs {
  const c = 'filter';
  const o = fields(c, arg, ['minTokens', 'maxTokens', 'role', 'regex', 'problems', 'out', 'removedOut']);
  const minTokens = optInteger(c, o, 'minTokens', 0);
  const maxTokens = optInteger(c, o, 'maxTokens', 0);
  if (minTokens !== undefined && maxTokens !== undefined && maxTokens < minTokens) throw new RangeError(l10n.t('filter: maxTokens ({0}) is below minTokens ({1})', maxTokens, minTokens));
  let regex: FilterArgs['regex'];
  if (o.regex !== undefined) {
    const r = fields(c, o.regex, ['field', 'pattern', 'flags']);
    const field = r.field;
    if (typeof field !== 'string' || !FILTER_FIELDS.includes(field as FilterField)) throw new RangeError(l10n.t('filter: regex field must be one of {0}', FILTER_FIELDS.join(', ')));
    const pattern = optString(c, r, 'pattern');
    if (pattern === undefined) throw new TypeError(l10n.t('filter: regex needs a pattern'));
    const flags = r.flags;
    if (flags !== undefined && typeof flags !== 'string') throw new TypeError(l10n.t('{0}: {1} must be a string, not {2}', c, 'regex.flags', shown(flags)));
    try {
      new RegExp(pattern, flags);
    } catch (e) {
      throw new RangeError(l10n.t('filter: regex {0} is not a regular expression: {1}', shown(pattern), (e as Error).message));
    }
    regex = defined({ field: field as FilterField, pattern, flags });
  }
  const a = defined({
    minTokens,
    maxTokens,
    role: oneOf(c, o, 'role', FILTER_ROLES),
    regex,
    problems: oneOf(c, o, 'problems', ['has', 'none'] as const),
    out: optString(c, o, 'out'),
    removedOut: optString(c, o, 'removedOut'),
    ...signalOf(c, o),
  });
  if (Object.keys(filterCriteria(a)).length === 0) throw new RangeError(l10n.t('filter: give at least one criterion'));
  return a;
}

/** The core's criteria for valid Filter arguments (the regex compiled). */
export function filterCriteria(a: FilterArgs): FilterCriteria {
  const criteria: FilterCriteria = {};
  if (a.minTokens !== undefined) criteria.minTokens = a.minTokens;
  if (a.maxTokens !== undefined) criteria.maxTokens = a.maxTokens;
  if (a.role !== undefined) criteria.role = a.role;
  if (a.problems !== undefined) criteria.problems = a.problems;
  if (a.regex) criteria.regex = { field: a.regex.field, pattern: new RegExp(a.regex.pattern, a.regex.flags ?? '') };
  return criteria;
}

export function validateSampleArgs(arg: unknown): SampleArgs {
  const c = 'sample';
  const o = fields(c, arg, ['n', 'seed', 'out']);
  const n = optInteger(c, o, 'n', 1);
  if (n === undefined) throw new TypeError(l10n.t('sample: give n, the number of records to draw'));
  return defined({ n, seed: optInteger(c, o, 'seed', Number.MIN_SAFE_INTEGER), out: optString(c, o, 'out'), ...signalOf(c, o) });
}

export function validateMergeArgs(arg: unknown): MergeArgs {
  const c = 'merge';
  const o = fields(c, arg, ['inputs', 'to', 'out', 'allowLossy']);
  const inputs = o.inputs;
  if (inputs === undefined || (Array.isArray(inputs) && inputs.length === 0)) throw new TypeError(l10n.t('merge: give the input files'));
  if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string' && i !== '')) throw new TypeError(l10n.t('merge: inputs must be an array of file paths'));
  if (typeof o.to !== 'string' || !isFormatId(o.to)) throw new RangeError(l10n.t('merge: unknown target format {0}', String(o.to)));
  return defined({ inputs: [...(inputs as string[])], to: o.to, out: optString(c, o, 'out'), allowLossy: optBoolean(c, o, 'allowLossy'), ...signalOf(c, o) });
}

export function validateRegisterArgs(arg: unknown): RegisterArgs {
  const c = 'register';
  const o = fields(c, arg, ['info', 'name']);
  const name = optString(c, o, 'name');
  if (name !== undefined && name.trim() === '') throw new RangeError(l10n.t('register: name must not be blank'));
  return defined({ info: optString(c, o, 'info'), name, ...signalOf(c, o) });
}
