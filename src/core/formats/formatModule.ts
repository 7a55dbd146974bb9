/**
 * The seam between the validation pipeline and the format modules: one module per dataset format
 * (../shared/docs/formats.md), each with its JSON Schema, detector, semantic rules and mapping to
 * and from the canonical model.
 */
import type { CanonicalRecord, CanonicalType } from '../model';
import type { Severity } from '../base/problem';
import type { TrainerId } from '../trainers';

export const FORMAT_IDS = [
  'alpaca',
  'alpaca-preference',
  'sharegpt',
  'sharegpt-preference',
  'openai-chat',
  'openai-dpo',
  'trl-text',
  'trl-prompt-completion',
  'trl-prompt-only',
  'trl-preference',
  'trl-preference-implicit',
  'trl-unpaired',
  'trl-stepwise',
  'llamafactory-kto',
  'axolotl-chatml-intel',
  'axolotl-chatml-argilla',
  'axolotl-chatml-prompt-pairs',
  'axolotl-chatml-ultra',
  'torchtune-stack-exchange-paired',
  'instruct-response',
  'rl-prompt-messages',
  'query-response',
  'swift-preference',
  'swift-conversation',
  'distilabel-dpo',
  'labelstudio-pairwise',
  'ranked',
  'candidates',
] as const;

export type FormatId = (typeof FORMAT_IDS)[number];

/** A path into a record, as ajv's instancePath split into keys and indices. */
export type JsonPath = (string | number)[];

/** A finding of a format's rules, placed by path; the pipeline maps the path to a source range. */
export interface RuleReport {
  path: JsonPath;
  /** Point at the property name rather than its value (unknown keys, misspelt keys). */
  target?: 'key' | 'value';
  severity: Severity;
  rule: string;
  message: string;
  /** For a rule whose verdict depends on the trainer: the readers of the format it applies to. */
  trainers?: TrainerId[];
  /** Says better what the schema's report at the same path says (the schema's is left out). */
  supersedesSchema?: boolean;
}

/** What a conversion could not carry into the target format. */
export interface Loss {
  /** Canonical field that was dropped or changed, e.g. `messages[].toolCalls`, `system`. */
  field: string;
  reason: string;
}

export interface FromCanonicalResult {
  /** Absent when the target cannot hold the record at all (then `lost` says why). */
  record?: Record<string, unknown>;
  lost: Loss[];
}

/** Per-file options, e.g. LLaMA-Factory `columns`/`tags` overrides from `dataset_info.json`. */
export interface FormatOptions {
  columns?: Record<string, string>;
  tags?: Record<string, string>;
  /** Variant of a format with two shapes, e.g. `conversational` vs `standard` for TRL formats. */
  variant?: string;
  /** The trainer that will read the file: severities follow it (see trainers/readerSeverity.ts). */
  trainer?: TrainerId;
}

export interface FormatModule {
  readonly id: FormatId;
  readonly title: string;
  /** The canonical record type this format maps to. */
  readonly kind: CanonicalType;
  /** Trainers that read this format, as named in messages ("LLaMA-Factory", "TRL", …). */
  readonly trainers: readonly string[];
  /** One valid example record, shown by `pairwise formats`. */
  readonly example: Record<string, unknown>;
  /** JSON Schema (draft-07); the registry compiles it once with ajv. */
  readonly schema: object;
  /** How strongly a record looks like this format: 0 (not at all) to 1 (certainly). */
  detect(record: Record<string, unknown>): number;
  /** Semantic rules beyond the schema; only called for records that pass the schema. */
  check(record: Record<string, unknown>, report: (r: RuleReport) => void, options?: FormatOptions): void;
  toCanonical(record: Record<string, unknown>, options?: FormatOptions): CanonicalRecord;
  fromCanonical(record: CanonicalRecord, options?: FormatOptions): FromCanonicalResult;
}

/**
 * The canonical form of a parsed record, or undefined when it has none (not an object, or mapping
 * failed). Here, not beside the file scans, so that a worker mapping records does not load the
 * file readers (the Parquet reader among them) with it.
 */
export function canonicalOf(format: FormatModule | undefined, rec: { value?: Record<string, unknown> }, options?: FormatOptions): CanonicalRecord | undefined {
  if (!format || !rec.value) return undefined;
  try {
    return format.toCanonical(rec.value, options);
  } catch {
    return undefined;
  }
}
