/**
 * Every format module, looked up by id; schema validation (ajv: the build's validators, or compiled
 * once per format on first use) mapped to RuleReports; and detection scores for one record.
 */
import type { ValidateFunction } from 'ajv';
import { alpaca, instructResponse } from './alpaca';
import { rlPromptMessages } from './rlPromptMessages';
import { queryResponse } from './queryResponse';
import { swiftPreference } from './swiftPreference';
import { swiftConversation } from './swiftConversation';
import { alpacaPreference } from './alpacaPreference';
import { axolotlChatmlArgilla } from './axolotlChatmlArgilla';
import { axolotlChatmlIntel } from './axolotlChatmlIntel';
import { torchtuneStackExchangePaired } from './torchtuneStackExchangePaired';
import { axolotlChatmlPromptPairs } from './axolotlChatmlPromptPairs';
import { axolotlChatmlUltra } from './axolotlChatmlUltra';
import { candidates } from './candidates';
import { distilabelDpo } from './distilabelDpo';
import { FORMAT_IDS, type FormatId, type FormatModule, type RuleReport } from './formatModule';
import { labelstudioPairwise } from './labelstudioPairwise';
import { llamafactoryKto } from './llamafactoryKto';
import { openaiChat } from './openaiChat';
import { openaiDpo } from './openaiDpo';
import { ranked } from './ranked';
import { reportsFromAjv } from './schemaReports';
import { compileValidator, loadPrecompiledValidator } from './schemaValidators';
import { sharegpt } from './sharegpt';
import { sharegptPreference } from './sharegptPreference';
import { isPlainObject } from '../base/jsonValue';
import { trlPreference } from './trlPreference';
import { trlPreferenceImplicit } from './trlPreferenceImplicit';
import { trlPromptCompletion } from './trlPromptCompletion';
import { trlPromptOnly } from './trlPromptOnly';
import { trlStepwise } from './trlStepwise';
import { trlText } from './trlText';
import { trlUnpaired } from './trlUnpaired';
import * as l10n from '@vscode/l10n';

const MODULES: Record<FormatId, FormatModule> = {
  alpaca,
  'alpaca-preference': alpacaPreference,
  sharegpt,
  'sharegpt-preference': sharegptPreference,
  'openai-chat': openaiChat,
  'openai-dpo': openaiDpo,
  'trl-text': trlText,
  'trl-prompt-completion': trlPromptCompletion,
  'trl-prompt-only': trlPromptOnly,
  'trl-preference': trlPreference,
  'trl-preference-implicit': trlPreferenceImplicit,
  'trl-unpaired': trlUnpaired,
  'trl-stepwise': trlStepwise,
  'llamafactory-kto': llamafactoryKto,
  'axolotl-chatml-intel': axolotlChatmlIntel,
  'torchtune-stack-exchange-paired': torchtuneStackExchangePaired,
  'instruct-response': instructResponse,
  'rl-prompt-messages': rlPromptMessages,
  'query-response': queryResponse,
  'swift-preference': swiftPreference,
  'swift-conversation': swiftConversation,
  'axolotl-chatml-argilla': axolotlChatmlArgilla,
  'axolotl-chatml-prompt-pairs': axolotlChatmlPromptPairs,
  'axolotl-chatml-ultra': axolotlChatmlUltra,
  'distilabel-dpo': distilabelDpo,
  'labelstudio-pairwise': labelstudioPairwise,
  ranked,
  candidates,
};

const ORDERED: readonly FormatModule[] = FORMAT_IDS.map((id) => MODULES[id]);
const ID_SET: ReadonlySet<string> = new Set(FORMAT_IDS);

/** All format modules, in FORMAT_IDS order. */
export function allFormats(): readonly FormatModule[] {
  return ORDERED;
}

export function isFormatId(s: string): s is FormatId {
  return ID_SET.has(s);
}

/** The module of a format id; throws for an id that is not one (check with isFormatId first). */
export function getFormat(id: FormatId | string): FormatModule {
  if (!isFormatId(id)) throw new Error(l10n.t('Unknown dataset format "{0}" (known: {1})', id, FORMAT_IDS.join(', ')));
  return MODULES[id];
}

const validators = new Map<FormatId, ValidateFunction>();

/** The format's validator: the build's (schemaValidators.ts), else compiled on first use. */
function validatorFor(f: FormatModule): ValidateFunction {
  let v = validators.get(f.id);
  if (!v) {
    v = loadPrecompiledValidator(f) ?? compileValidator(f);
    validators.set(f.id, v);
  }
  return v;
}

/**
 * The record against the format's JSON Schema. A valid record costs one compiled-validator call and
 * returns an empty list.
 */
export function schemaCheck(format: FormatModule | FormatId, record: unknown): RuleReport[] {
  const f = typeof format === 'string' ? getFormat(format) : format;
  if (!isPlainObject(record)) {
    const what = record === null ? 'null' : Array.isArray(record) ? l10n.t('a list') : typeof record;
    return [{ path: [], severity: 'error', rule: 'schema/type', message: l10n.t('each record must be a JSON object, not {0} ({1})', what, f.title) }];
  }
  const validate = validatorFor(f);
  if (validate(record)) return NO_REPORTS;
  return reportsFromAjv(validate.errors ?? [], record);
}

/** What a valid record gets from schemaCheck and withRules: one empty list, shared (so frozen). */
const NO_REPORTS = Object.freeze([]) as unknown as RuleReport[];

/** Schema then semantic rules (the rules run only when the schema passes, as FormatModule.check expects). */
export function checkRecord(format: FormatModule | FormatId, record: unknown, options?: Parameters<FormatModule['check']>[2]): RuleReport[] {
  const f = typeof format === 'string' ? getFormat(format) : format;
  return withRules(f, record as Record<string, unknown>, schemaCheck(f, record), options);
}

/** The reports of the record withRules is checking (undefined until the first). */
let collected: RuleReport[] | undefined;
const collect = (r: RuleReport): void => {
  (collected ??= []).push(r);
};

/**
 * The schema's reports, then the format's rules. A schema problem does not hide the others: every
 * rule that can still run reports too (a tool-calling record with one mistyped value still gets its
 * calls checked); a rule that relies on the types the schema found wrong may throw, and then the
 * schema problem says what to fix.
 */
export function withRules(f: FormatModule, record: Record<string, unknown>, schemaReports: RuleReport[], options?: Parameters<FormatModule['check']>[2]): RuleReport[] {
  if (schemaReports.length === 0) {
    // One reporter for every record, collecting into a list made at the first report: a record
    // that passes allocates nothing here (a list and a closure a record were a tenth of what
    // validating a chat file allocated beyond its text and parsed values). A rule that validates
    // another record meanwhile gets its own collection (saved and restored).
    const outer = collected;
    collected = undefined;
    try {
      f.check(record, collect, options);
      return collected ?? NO_REPORTS;
    } finally {
      collected = outer;
    }
  }
  // A rule's report on a value the schema already rejected (or inside it) would say the same again,
  // unless the rule knows better (`supersedesSchema`: the old reward layout, not "must be a string").
  const within = (r: RuleReport) => schemaReports.some((s) => s.path.length <= r.path.length && s.path.every((k, i) => r.path[i] === k));
  const rules: RuleReport[] = [];
  try {
    f.check(record, (r) => {
      if (r.supersedesSchema || !within(r)) rules.push(r);
    }, options);
  } catch {
    // Reported by the schema.
  }
  const superseded = rules.filter((r) => r.supersedesSchema).map((r) => r.path.join('\u0000'));
  return [...schemaReports.filter((s) => !superseded.includes(s.path.join('\u0000'))), ...rules.map(({ supersedesSchema: _, ...r }) => r)];
}

/**
 * How well each format fits one record, best first, formats scoring 0 left out. Ties between
 * look-alikes are broken inside each module's detect (documented there): TRL wins against Axolotl
 * when nothing marks the record as Axolotl's; openai-chat against trl-text; llamafactory-kto needs
 * a boolean tag.
 */
export function scoreRecord(record: unknown): { id: FormatId; score: number }[] {
  if (!isPlainObject(record)) return [];
  const out: { id: FormatId; score: number }[] = [];
  for (const f of ORDERED) {
    const score = f.detect(record);
    if (score > 0) out.push({ id: f.id, score });
  }
  out.sort((a, b) => b.score - a.score);
  return out;
}

/** The format most records of a sample score best for, with its share of votes (0..1). */
export function detectFormat(sample: readonly unknown[]): { id: FormatId; share: number } | undefined {
  const votes = new Map<FormatId, number>();
  let n = 0;
  for (const r of sample) {
    const best = scoreRecord(r)[0];
    if (!best) continue;
    n++;
    votes.set(best.id, (votes.get(best.id) ?? 0) + 1);
  }
  let top: FormatId | undefined;
  let topVotes = 0;
  for (const [id, v] of votes) if (v > topVotes) [top, topVotes] = [id, v];
  return top === undefined ? undefined : { id: top, share: topVotes / n };
}
