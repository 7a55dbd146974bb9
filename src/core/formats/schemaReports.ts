/**
 * Turns ajv's errors into RuleReports that speak plainly: one report per real problem, a path to the
 * offending value (or key), `schema/<keyword>` rule ids, anyOf/oneOf cascades collapsed, and a
 * misspelt key named as such when a required key is missing.
 */
import type { ErrorObject } from 'ajv';
import type { JsonPath, RuleReport } from './formatModule';
import { editDistance } from './textChecks';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

/** JSON Pointer (`/messages/0/content`) to path keys; `~1` and `~0` unescaped; digits become indices. */
export function pointerToPath(pointer: string): JsonPath {
  if (pointer === '') return [];
  const out: JsonPath = [];
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out.push(/^(0|[1-9]\d*)$/.test(key) ? Number(key) : key);
  }
  return out;
}

/** `messages[2].content` style label for a path; the record itself is "the record". */
export function pathLabel(path: JsonPath): string {
  if (path.length === 0) return l10n.t('the record');
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return JSON.stringify(s);
}

/** Read when a message is built, so the words follow the language configured at activation. */
function typeWord(t: string): string {
  switch (t) {
    case 'string': return l10n.t('a string');
    case 'array': return l10n.t('a list');
    case 'object': return l10n.t('an object');
    case 'number': return l10n.t('a number');
    case 'integer': return l10n.t('an integer');
    case 'boolean': return l10n.t('true or false');
    default: return t;
  }
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => typeWord(String(x))).join(l10n.t(' or '));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return l10n.t('a list');
  if (typeof v === 'string') return l10n.t('a string');
  if (typeof v === 'boolean') return `${v}`;
  if (typeof v === 'number') return l10n.t('the number {0}', v);
  return l10n.t('an object');
}

function valueAt(record: unknown, path: JsonPath): unknown {
  let cur: unknown = record;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A key of `obj` that is probably a misspelling of `wanted` (and is not itself an expected key). */
function misspeltKey(obj: unknown, wanted: string, expected: ReadonlySet<string>): string | undefined {
  if (!isPlainObject(obj)) return undefined;
  const lw = wanted.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const k of Object.keys(obj)) {
    if (k === wanted || expected.has(k)) continue;
    const lk = k.toLowerCase().trim();
    const d = lk === lw ? 0 : editDistance(lk, lw, 2);
    const max = wanted.length <= 4 ? 1 : 2;
    if (d <= max && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function propertiesOf(schema: unknown): ReadonlySet<string> {
  return isPlainObject(schema) && isPlainObject(schema.properties) ? new Set(Object.keys(schema.properties)) : new Set();
}

function one(e: ErrorObject, record: unknown, parentSchema: unknown): RuleReport {
  const path = pointerToPath(e.instancePath);
  const label = pathLabel(path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return { path, severity: 'error', rule: 'schema/type', message: l10n.t('{0} must be {1}, not {2}', label, typeWords(p.type), describeValue(valueAt(record, path))) };
    case 'required': {
      const missing = String(p.missingProperty);
      const obj = valueAt(record, path);
      const typo = misspeltKey(obj, missing, propertiesOf(parentSchema));
      if (typo !== undefined) {
        return {
          path: [...path, typo], target: 'key', severity: 'error', rule: 'common/misspelt-key',
          message: l10n.t('{0} looks like a misspelling of {1}, which is required{2}', JSON.stringify(typo), JSON.stringify(missing), path.length ? l10n.t(' in {0}', label) : ''),
        };
      }
      return { path, severity: 'error', rule: 'schema/required', message: l10n.t('{0} has no {1}, which is required', label, JSON.stringify(missing)) };
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      return { path: [...path, extra], target: 'key', severity: 'error', rule: 'schema/additionalProperties', message: l10n.t('{0} has an unexpected key {1}', label, JSON.stringify(extra)) };
    }
    case 'enum':
      return { path, severity: 'error', rule: 'schema/enum', message: l10n.t('{0} must be one of {1}', label, (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')) };
    case 'minItems':
    case 'maxItems':
      return { path, severity: 'error', rule: `schema/${e.keyword}`, message: l10n.t('{0} must have {1} {2} item(s)', label, e.keyword === 'minItems' ? l10n.t('at least') : l10n.t('at most'), String(p.limit)) };
    case 'minLength':
      return { path, severity: 'error', rule: 'schema/minLength', message: l10n.t('{0} must not be empty', label) };
    case 'minimum':
      return { path, severity: 'error', rule: 'schema/minimum', message: l10n.t('{0} must be at least {1}', label, String(p.limit)) };
    default:
      return { path, severity: 'error', rule: `schema/${e.keyword}`, message: `${label} ${e.message ?? l10n.t('is invalid')}` };
  }
}

/** Collapses an anyOf/oneOf failure and its branch errors into one report. */
function collapsed(e: ErrorObject, branches: ErrorObject[]): RuleReport {
  const path = pointerToPath(e.instancePath);
  const label = pathLabel(path);
  const byBranch = new Map<string, string[]>();
  let allRequired = branches.length > 0;
  for (const b of branches) {
    if (b.keyword !== 'required' || b.instancePath !== e.instancePath) allRequired = false;
    const rest = b.schemaPath.slice(e.schemaPath.length + 1);
    const idx = rest.split('/')[0];
    const list = byBranch.get(idx) ?? [];
    if (b.keyword === 'required') list.push(JSON.stringify(String((b.params as Record<string, unknown>).missingProperty)));
    byBranch.set(idx, list);
  }
  if (allRequired) {
    const options = [...byBranch.values()].map((l) => l.join(l10n.t(' and ')));
    return { path, severity: 'error', rule: `schema/${e.keyword}`, message: l10n.t('{0} needs {1}', label, options.join(l10n.t(', or '))) };
  }
  return { path, severity: 'error', rule: `schema/${e.keyword}`, message: l10n.t('{0} does not match any of the shapes this format allows', label) };
}

/** Maps ajv's errors (with `allErrors`) to reports; `schemaOf` finds the parent schema for required errors. */
export function reportsFromAjv(errors: readonly ErrorObject[], record: unknown): RuleReport[] {
  const combos = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inCombo = (e: ErrorObject) => combos.some((c) => c !== e && e.schemaPath.startsWith(c.schemaPath + '/'));
  const out: RuleReport[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (inCombo(e)) continue;
    let r: RuleReport;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      r = collapsed(e, errors.filter((b) => b !== e && b.schemaPath.startsWith(e.schemaPath + '/')));
    } else {
      r = one(e, record, e.parentSchema);
    }
    const key = r.rule + '\u0000' + r.path.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
