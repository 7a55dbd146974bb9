/**
 * Runtime checks of the messages a webview posts to the extension host. The TypeScript types of
 * the protocol hold only at compile time; at run time a webview is a browser page showing dataset
 * text and model output, so the host treats what it posts as untrusted input and drops anything
 * that is not exactly one of the declared messages.
 *
 * Hand-written combinators, not ajv: the checks are tiny and closed (no schema files), they give a
 * one-line reason naming the field, and they run anywhere, the webview bundles included (ajv
 * compiles its validators with `new Function`, which the webviews' CSP forbids). The `fields`
 * mapping is typed from the protocol's own types, so a message type without a check, a field
 * without a check, or a check of the wrong type is a compile error.
 */
import * as l10n from '@vscode/l10n';

/** Checks one value: undefined when it conforms, else why not (naming the field at `at`). */
export interface Check<T> {
  (value: unknown, at: string): string | undefined;
  /** Never set: carries the checked type, so a check can only stand where its type fits. */
  readonly admits?: [T];
}

/** A check of an optional field: the field may be absent (or undefined). */
export interface OptionalCheck<T> extends Check<T | undefined> {
  readonly optional: true;
}

type FieldChecks<T> = { [K in keyof T]-?: undefined extends T[K] ? OptionalCheck<Exclude<T[K], undefined>> : Check<T[K]> };

function check<T>(test: (value: unknown) => boolean, expected: () => string): Check<T> {
  return (value, at) => (test(value) ? undefined : l10n.t('{0}: expected {1}', at, expected()));
}

export const str: Check<string> = check((v) => typeof v === 'string', () => l10n.t('a string'));
export const bool: Check<boolean> = check((v) => typeof v === 'boolean', () => l10n.t('true or false'));
/** A finite number. */
export const num: Check<number> = check((v) => typeof v === 'number' && Number.isFinite(v), () => l10n.t('a number'));
/** An integer ≥ 0 (an index, a request id). */
export const index: Check<number> = check((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, () => l10n.t('an integer ≥ 0'));

export function oneOf<const V extends readonly string[]>(...values: V): Check<V[number]> {
  return check((v) => typeof v === 'string' && values.includes(v), () => l10n.t('one of {0}', values.join(', ')));
}

export function optional<T>(c: Check<T>): OptionalCheck<T> {
  return Object.assign((value: unknown, at: string) => (value === undefined ? undefined : c(value, at)), { optional: true as const });
}

export function either<A, B>(a: Check<A>, b: Check<B>): Check<A | B> {
  return (value, at) => {
    const whyA = a(value, at);
    return whyA === undefined || b(value, at) === undefined ? undefined : whyA;
  };
}

export function listOf<T>(item: Check<T>): Check<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) return l10n.t('{0}: expected a list', at);
    for (let i = 0; i < value.length; i++) {
      const why = item(value[i], `${at}[${i}]`);
      if (why !== undefined) return why;
    }
    return undefined;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An object with exactly these fields (an unknown field is refused: the sender is not ours). */
export function fields<T>(checks: FieldChecks<T>): Check<T> {
  const table = checks as Record<string, Check<unknown> & { optional?: true }>;
  return (value, at) => {
    if (!isPlainObject(value)) return l10n.t('{0}: expected an object', at);
    for (const k of Object.keys(value)) if (!own(table, k)) return l10n.t('{0}: unknown field {1}', at, JSON.stringify(k.slice(0, 40)));
    for (const k of Object.keys(table)) {
      const c = table[k];
      if (!own(value, k)) {
        if (c.optional) continue;
        return l10n.t('{0}: missing field "{1}"', at, k);
      }
      const why = c(value[k], `${at}.${k}`);
      if (why !== undefined) return why;
    }
    return undefined;
  };
}

type Variant<M extends { type: string }, K extends M['type']> = Omit<Extract<M, { type: K }>, 'type'>;

/** A union of messages told apart by `type`: the checks of the other fields, per message type. */
export function messages<M extends { type: string }>(variants: { [K in M['type']]: FieldChecks<Variant<M, K>> }): Check<M> {
  const table = new Map<string, Check<unknown>>(Object.entries(variants).map(([type, checks]) => [type, fields(checks as FieldChecks<unknown>)]));
  return (value, at) => {
    if (!isPlainObject(value)) return l10n.t('{0}: expected an object', at);
    const type = value.type;
    const c = typeof type === 'string' ? table.get(type) : undefined;
    if (!c) return l10n.t('{0}: unknown message type {1}', at, String(JSON.stringify(type)).slice(0, 40));
    const { type: _type, ...rest } = value;
    return c(rest, `${at}.${type as string}`);
  };
}

/** A type guard and the reason of a refusal, from a check. */
export interface Guard<T> {
  (value: unknown): value is T;
  /** Why `value` is refused (undefined when it passes). */
  problem(value: unknown): string | undefined;
}

export function guard<T>(c: Check<T>, name: string): Guard<T> {
  const problem = (value: unknown): string | undefined => {
    try {
      return c(value, name);
    } catch (e) {
      // A getter or a proxy cannot reach a structured-cloned message, but a check must never throw.
      return l10n.t('{0}: unreadable ({1})', name, e instanceof Error ? e.message : String(e));
    }
  };
  return Object.assign((value: unknown): value is T => problem(value) === undefined, { problem });
}
