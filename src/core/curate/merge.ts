/**
 * Merges several dataset files (same or convertible formats) into one file of a target format,
 * through the canonical model, as `convert` does for one file: records with errors or that the
 * target cannot hold are dropped and listed, dropped fields are listed per record and field, and
 * unless lossy output is allowed any loss refuses the merge and no output is left behind.
 */
import type { FormatId, FormatModule, FormatOptions } from '../formats/formatModule';
import { getFormat } from '../formats/registry';
import type { Detection } from '../validate/detect';
import { checkRecordGuarded } from '../validate/recordChecks';
import { detectFileFormat, scanRecords, type CurateRunOptions } from './datasetScan';
import { refuseUnsafeOutputs } from '../jsonl/outputPaths';
import { RecordOutput } from './recordOutput';
import * as l10n from '@vscode/l10n';

export interface MergeSource {
  path: string;
  /** Source format; detected when absent. */
  format?: FormatId;
  formatOptions?: FormatOptions;
}

export interface MergeOptions extends CurateRunOptions {
  to: FormatId;
  toOptions?: FormatOptions;
  /** Output path; a `.json` name writes a JSON array. */
  out: string;
  allowLossy?: boolean;
  /** Losses listed in detail (counts stay complete). Default 1000. */
  maxListedLosses?: number;
}

export interface MergeLoss {
  source: string;
  record?: number;
  line?: number;
  field: string;
  reason: string;
}

export interface MergeSourceResult {
  path: string;
  format?: FormatId;
  detection: Detection;
  records: number;
  written: number;
  droppedRecords: number;
  lossyRecords: number;
}

export interface MergeResult {
  to: FormatId;
  sources: MergeSourceResult[];
  written: number;
  losses: MergeLoss[];
  /** Per field, turn indices folded (`messages[].toolCalls`); `record` for whole records. */
  lossCounts: Record<string, number>;
  out?: string;
  refused?: string;
}

export async function mergeFiles(inputs: readonly (string | MergeSource)[], opts: MergeOptions): Promise<MergeResult> {
  if (inputs.length === 0) throw new RangeError(l10n.t('merge needs at least one input file'));
  const sources: MergeSource[] = inputs.map((s) => (typeof s === 'string' ? { path: s } : s));
  refuseUnsafeOutputs(sources.map((s) => s.path), [opts.out]);
  const to = getFormat(opts.to);
  const result: MergeResult = { to: opts.to, sources: [], written: 0, losses: [], lossCounts: {} };
  const maxListed = opts.maxListedLosses ?? 1000;
  const lose = (l: MergeLoss) => {
    const key = l.field.replace(/\[\d+\]/g, '[]');
    result.lossCounts[key] = (result.lossCounts[key] ?? 0) + 1;
    if (result.losses.length < maxListed) result.losses.push(l);
  };

  // Detect every source first: an undetectable one refuses the merge before anything is written.
  const detections: Detection[] = [];
  for (const s of sources) detections.push(await detectFileFormat(s.path, { format: s.format, mode: opts.mode, signal: opts.signal }));
  const unknown = sources.filter((_, i) => !detections[i].format);
  if (unknown.length > 0) {
    result.refused = l10n.t('the format of {0} could not be detected; name it', unknown.map((s) => s.path).join(', '));
    for (let i = 0; i < sources.length; i++) result.sources.push({ path: sources[i].path, format: detections[i].format, detection: detections[i], records: 0, written: 0, droppedRecords: 0, lossyRecords: 0 });
    return result;
  }

  const out = await RecordOutput.open(opts.out);
  let writing = true;
  const stop = async () => {
    if (!writing) return;
    writing = false;
    await out.abort();
  };
  try {
    for (let i = 0; i < sources.length; i++) {
      const src = sources[i];
      const from: FormatModule = getFormat(detections[i].format as FormatId);
      const sr: MergeSourceResult = { path: src.path, format: from.id, detection: detections[i], records: 0, written: 0, droppedRecords: 0, lossyRecords: 0 };
      result.sources.push(sr);
      await scanRecords(
        src.path,
        {
          problem: (p) => lose({ source: src.path, line: p.line, field: 'file', reason: p.message }),
          record: (rec) => {
            sr.records++;
            const where = { source: src.path, record: rec.index, line: rec.line };
            const drop = (reason: string) => {
              sr.droppedRecords++;
              lose({ ...where, field: 'record', reason });
            };
            if (!rec.value) return drop(rec.problems?.[0]?.message ?? 'not a JSON object');
            const value = rec.value;
            const err = checkRecordGuarded(value, rec, from, src.formatOptions, false).problems.find((p) => p.severity === 'error');
            if (err) return drop(l10n.t('the record has errors ({0}: {1})', err.rule, err.message));
            let conv: ReturnType<FormatModule['fromCanonical']>;
            try {
              conv = to.fromCanonical(from.toCanonical(value, src.formatOptions), opts.toOptions);
            } catch (e) {
              return drop(l10n.t('conversion failed: {0}', e instanceof Error ? e.message : String(e)));
            }
            if (!conv.record) return drop(conv.lost.map((l) => `${l.field}: ${l.reason}`).join('; ') || l10n.t('{0} cannot hold this record', to.id));
            if (conv.lost.length > 0) {
              sr.lossyRecords++;
              for (const l of conv.lost) lose({ ...where, field: l.field, reason: l.reason });
            }
            sr.written++;
            result.written++;
            if (writing) out.addObject(conv.record);
          },
          afterChunk: async () => {
            if (!opts.allowLossy && Object.keys(result.lossCounts).length > 0) await stop();
            if (writing && out.needsFlush) await out.flush();
          },
        },
        opts,
      );
    }
    if (!opts.allowLossy && Object.keys(result.lossCounts).length > 0) await stop();
    if (writing) {
      await out.commit();
      result.out = opts.out;
    } else {
      const n = Object.values(result.lossCounts).reduce((a, b) => a + b, 0);
      result.refused = n === 1 ? l10n.t('1 loss (see the list); nothing was written. Allow lossy merging to write anyway') : l10n.t('{0} losses (see the list); nothing was written. Allow lossy merging to write anyway', n);
    }
  } catch (e) {
    await out.abort();
    throw e;
  }
  return result;
}
