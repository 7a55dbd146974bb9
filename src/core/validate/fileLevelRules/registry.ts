/**
 * The file-level rules that relate a record to an earlier one, in the order a record's problems
 * list them (within a stage). A new rule is one module beside this one and one line here; the
 * pipeline, `filter` and the incremental validator all read this list.
 */
import { recordRangeOf, type RecordText } from '../positions';
import { problemAt, type Problem } from '../../base/problem';
import { checkFailedProblem } from '../recordChecks';
import { contradictingPreference } from './contradictingPreference';
import { duplicateRecord } from './duplicateRecord';
import type { FileLevelRule, KeyInput, RuleStage } from './fileLevelRule';
import { UNKNOWN_FORMAT } from './unknownFormat';

export const FILE_LEVEL_RULES: readonly FileLevelRule<unknown>[] = [duplicateRecord, contradictingPreference];

/** Every rule id the file-level rules report (the per-record rules and the file's unknown format). */
export const FILE_LEVEL_RULE_IDS: ReadonlySet<string> = new Set([...FILE_LEVEL_RULES.map((r) => r.id), UNKNOWN_FORMAT]);

const NO_PROBLEMS: readonly Problem[] = [];

/** The problem on a record that conflicts with the record on `earlierLine` (`place` false: see unplacedRange). */
export function findingProblem<K>(rule: FileLevelRule<K>, rec: RecordText & { index: number }, earlierLine: number, key: K, place = true): Problem {
  return problemAt(recordRangeOf(rec, place), rule.severity, rule.id, rule.message(earlierLine, key), rec.index);
}

/**
 * Puts the keys of the rules of `stage` into `keys` (at each rule's position in FILE_LEVEL_RULES).
 * A rule whose key function throws on the record (a canonical mapping that fails) gives a
 * common/check-failed problem instead, as any check would; those are returned.
 */
export function collectKeys(stage: RuleStage, input: KeyInput, rec: RecordText, keys: unknown[]): readonly Problem[] {
  let failed: Problem[] | undefined;
  for (let r = 0; r < FILE_LEVEL_RULES.length; r++) {
    const rule = FILE_LEVEL_RULES[r];
    if (rule.stage !== stage) continue;
    try {
      keys[r] = rule.key(input);
    } catch (err) {
      keys[r] = undefined;
      (failed ??= []).push(checkFailedProblem(err, rec));
    }
  }
  return failed ?? NO_PROBLEMS;
}
