/**
 * Puts a plan on disk: first the dataset conversion (through the formats engine, atomically; a
 * refused conversion leaves nothing behind), then each file atomically. Existing files are left
 * alone unless `force`; dataset_info.json is merged (other entries kept), and an entry of the same
 * name that says something else is only replaced with `force`.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { convertFile, type ConvertResult } from '../convert/convertFile';
import type { FormatId } from '../formats/formatModule';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import { readFileRecords } from '../jsonl/readRecords';
import { checkReplaceTarget, ensureOutputDir } from '../jsonl/writeTargets';
import { modeForFileName } from '../jsonl/sourceRecord';
import { detectFormat, forcedDetection, type Detection } from '../validate/detect';
import { withDatasetInfoEntry } from '../datasetInfo/datasetInfoEdit';
import { validateFile, type ValidationResult } from '../validate/pipeline';
import { TrainConfigError, type TrainingPlan } from './plan';
import * as l10n from '@vscode/l10n';

export interface DatasetInspection {
  detection: Detection;
  format?: FormatId;
  sample: Record<string, unknown>[];
}

const SAMPLE = 200;

/** The format of a dataset file (detected unless forced) and its first records, for planTrainingConfig. */
export async function inspectDataset(file: string, opts: { format?: FormatId; signal?: AbortSignal } = {}): Promise<DatasetInspection> {
  const sample: Record<string, unknown>[] = [];
  for await (const item of readFileRecords(file, { mode: modeForFileName(file), signal: opts.signal })) {
    if (item.kind === 'record' && item.value) sample.push(item.value);
    if (sample.length >= SAMPLE) break;
  }
  const detection = opts.format ? forcedDetection(opts.format) : detectFormat(sample);
  return { detection, format: detection.format, sample };
}

export interface WriteOptions {
  force?: boolean;
  signal?: AbortSignal;
}

export interface WriteResult {
  /** Absolute paths written, conversion output first. */
  written: string[];
  conversion?: ConvertResult;
  /** Validation of the converted file. */
  validation?: ValidationResult;
  /** dataset_info.json already existed and the entry was merged into it. */
  datasetInfoMerged?: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** dataset_info.json names the dataset already, differently: only `force` replaces the entry. */
class DatasetInfoConflictError extends TrainConfigError {}

async function mergedDatasetInfo(file: string, name: string, entry: unknown, force: boolean): Promise<string | undefined> {
  let text: string;
  // A link planted as dataset_info.json is refused before it is read (its target's text would be echoed in errors).
  await checkReplaceTarget(file);
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let edit;
  try {
    edit = withDatasetInfoEntry(text, file, name, entry);
  } catch (e) {
    throw new TrainConfigError((e as Error).message);
  }
  if (edit.had && JSON.stringify(edit.previous) !== JSON.stringify(entry) && !force) {
    throw new DatasetInfoConflictError(l10n.t('{0} already has a different "{1}" entry; use --force to replace it', file, name));
  }
  return edit.text;
}

/** What writing a plan without `force` would refuse: files that exist, and a dataset_info.json entry of the same name that differs. */
export interface PlanClashes {
  /** Absolute paths of config/script files and the converted dataset that already exist. */
  existing: string[];
  /** dataset_info.json that holds a different entry of the plan's dataset name. */
  datasetInfoEntry?: { file: string; name: string };
}

/** Checks the disk for everything writeTrainingConfig would refuse, so a UI can ask first. */
export async function planClashes(plan: TrainingPlan): Promise<PlanClashes> {
  const outDir = path.resolve(plan.outDir);
  const out: PlanClashes = { existing: [] };
  for (const f of plan.files) {
    const abs = path.resolve(outDir, f.path);
    if (f.role !== 'dataset-info') {
      if (await exists(abs)) out.existing.push(abs);
    } else if (f.datasetInfo) {
      try {
        await mergedDatasetInfo(abs, f.datasetInfo.name, f.datasetInfo.entry, false);
      } catch (e) {
        // Only the "different entry" refusal is a clash the user can overrule; a broken file stays an error on write.
        if (e instanceof DatasetInfoConflictError) out.datasetInfoEntry = { file: abs, name: f.datasetInfo.name };
      }
    }
  }
  if (plan.conversion && (await exists(path.resolve(plan.conversion.out)))) out.existing.push(path.resolve(plan.conversion.out));
  return out;
}

export async function writeTrainingConfig(plan: TrainingPlan, opts: WriteOptions = {}): Promise<WriteResult> {
  const force = opts.force ?? false;
  const outDir = path.resolve(plan.outDir);
  const targets = plan.files.map((f) => ({ file: f, abs: path.resolve(outDir, f.path) }));
  for (const t of targets) if (path.relative(outDir, t.abs).startsWith('..')) throw new TrainConfigError(l10n.t('refusing to write {0} outside {1}', t.file.path, outDir));

  if (!force) {
    const clash: string[] = [];
    for (const t of targets) if (t.file.role !== 'dataset-info' && (await exists(t.abs))) clash.push(t.abs);
    if (plan.conversion && (await exists(path.resolve(plan.conversion.out)))) clash.push(path.resolve(plan.conversion.out));
    if (clash.length > 0) throw new TrainConfigError(clash.length === 1 ? l10n.t('this file exists: {0}; use --force to overwrite', clash[0]) : l10n.t('these files exist: {0}; use --force to overwrite', clash.join(', ')));
  }
  // Merge checks before anything is written, so a refusal leaves the folder as it was.
  const contents = new Map<string, string>();
  let merged = false;
  for (const t of targets) {
    if (t.file.role === 'dataset-info' && t.file.datasetInfo) {
      const m = await mergedDatasetInfo(t.abs, t.file.datasetInfo.name, t.file.datasetInfo.entry, force);
      if (m !== undefined) merged = true;
      contents.set(t.abs, m ?? t.file.content);
    } else {
      contents.set(t.abs, t.file.content);
    }
  }

  const madeDir = !(await exists(outDir));
  await ensureOutputDir(outDir);
  const result: WriteResult = { written: [] };
  if (plan.conversion) {
    const c = plan.conversion;
    let conv: ConvertResult;
    const convertedBefore = await exists(c.out);
    try {
      conv = await convertFile(plan.dataset.path, { from: c.from, to: c.to, out: c.out, toOptions: c.toOptions, signal: opts.signal });
    } catch (e) {
      if (madeDir) await fsp.rmdir(outDir).catch(() => undefined);
      throw e;
    }
    result.conversion = conv;
    if (!conv.out) {
      // Leave no empty folder behind for a refused run (rmdir only removes an empty one).
      if (madeDir) await fsp.rmdir(outDir).catch(() => undefined);
      const first = conv.losses.slice(0, 5).map((l) => (l.line ? l10n.t('line {0}: ', l.line) : '') + `${l.field}: ${l.reason}`);
      throw new TrainConfigError(
        l10n.t('the conversion to {0} was refused ({1}){2}; convert it yourself (pairwise convert --allow-lossy) and run again on the result', c.to, conv.refused ?? l10n.t('unknown reason'), first.length ? ': ' + first.join('; ') : ''),
      );
    }
    result.written.push(path.resolve(conv.out));
    try {
      result.validation = await validateFile(conv.out, { format: c.to, formatOptions: c.toOptions, signal: opts.signal });
    } catch (e) {
      // A cancel (or a failure) here would leave a converted file with no config: a rerun without
      // --force would then refuse because the file "exists". Take back what this run added.
      if (!convertedBefore) await fsp.rm(conv.out, { force: true });
      if (madeDir) await fsp.rmdir(outDir).catch(() => undefined);
      throw e;
    }
  }
  for (const t of targets) {
    await writeFileAtomic(t.abs, contents.get(t.abs) ?? t.file.content);
    result.written.push(t.abs);
  }
  if (plan.files.some((f) => f.role === 'dataset-info')) result.datasetInfoMerged = merged;
  return result;
}
