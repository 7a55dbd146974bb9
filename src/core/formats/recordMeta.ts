/**
 * How a record's extra fields and layout survive the trip through the canonical model: toCanonical
 * puts them in `meta` (`format`, `extra`, `layout`), fromCanonical puts them back when it writes the
 * same format (layout) or a format that tolerates extra top-level keys (extra).
 */
import type { FormatId, Loss } from './formatModule';
import { hasOwn } from './roleNames';
import { isPlainObject } from '../base/jsonValue';
import * as l10n from '@vscode/l10n';

export interface RecordMeta {
  /** The format the record was read from. */
  format?: FormatId;
  /** Top-level keys the format does not define (ids, sources, scores), carried verbatim. */
  extra?: Record<string, unknown>;
  /** Format-specific layout hints, read only by the same format's fromCanonical. */
  layout?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Top-level keys of `record` outside `known`, or undefined when there are none. */
export function extraKeys(record: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in record) {
    if (known.has(k) || !hasOwn(record, k)) continue;
    (out ??= {})[k] = record[k];
  }
  return out;
}

/** Builds `meta` for a canonical record; undefined when there is nothing to keep. */
export function makeMeta(format: FormatId, extra: Record<string, unknown> | undefined, layout: Record<string, unknown> | undefined): RecordMeta | undefined {
  if (!extra && !layout) return { format };
  const meta: RecordMeta = { format };
  if (extra) meta.extra = extra;
  if (layout) meta.layout = layout;
  return meta;
}

/** Drops undefined values so layout objects stay small and deep-equal friendly. */
export function compact(o: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in o) if (o[k] !== undefined) (out ??= {})[k] = o[k];
  return out;
}

/** The layout hints of `meta` if they were written by `format`. */
export function layoutOf(meta: unknown, format: FormatId): Record<string, unknown> | undefined {
  if (!isPlainObject(meta) || meta.format !== format || !isPlainObject(meta.layout)) return undefined;
  return meta.layout;
}

/**
 * Copies `meta.extra` into `out`. A key the target already uses is lost; a target that rejects
 * unknown keys (`allowExtra` false) takes them only when it is the format they came from.
 */
export function restoreExtras(out: Record<string, unknown>, meta: unknown, target: FormatId, allowExtra: boolean, lost: Loss[]): void {
  if (!isPlainObject(meta) || !isPlainObject(meta.extra)) return;
  const same = meta.format === target;
  for (const k of Object.keys(meta.extra)) {
    if (hasOwn(out, k)) {
      lost.push({ field: `meta.extra.${k}`, reason: l10n.t('the target already uses the key "{0}"', k) });
    } else if (!allowExtra && !same) {
      lost.push({ field: `meta.extra.${k}`, reason: l10n.t('the target format does not allow extra top-level keys') });
    } else {
      out[k] = meta.extra[k];
    }
  }
}

/** Reports canonical `meta` that no writer can place (for record types without a meta-carrying target). */
export function metaLoss(meta: unknown, lost: Loss[]): void {
  if (!isPlainObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (k === 'format' || k === 'layout' || k === 'extra') continue;
    lost.push({ field: `meta.${k}`, reason: l10n.t('the target format has no place for it') });
  }
}
