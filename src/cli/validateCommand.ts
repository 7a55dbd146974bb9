/** `pairwise validate`: problems of each file, as lines for people or one JSON document for tools. */
import { parseArgs } from 'node:util';
import { isFormatId } from '../core/formats';
import type { FormatId } from '../core/formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configReferences, MAX_CONFIG_BYTES, targetFromConfigs, type ConfigReference } from '../core/trainerConfigs';
import { parseTrainerId, TRAINER_IDS, trainerName, type TrainerId } from '../core/trainers';
import { validateFileInParallel } from '../core/curate';
import type { ValidationResult } from '../core/validate';
import { describeFsError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { ProgressBar } from './progressBar';
import { favourMemoryFor } from './gcTuning';
import { intOption } from './curateArgs';
import { VALIDATE_HELP } from './usage';
import * as count from './counts';
import * as l10n from '@vscode/l10n';
import { shownPath } from '../core/base';

export function parseFormatOption(value: string | undefined, option: string): FormatId | undefined {
  if (value === undefined) return undefined;
  if (!isFormatId(value)) throw new UsageError(l10n.t('unknown format "{0}" for {1} (run "pairwise formats" for the list)', value, option));
  return value;
}

export interface JsonProblem {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  rule: string;
  message: string;
  trainers?: TrainerId[];
}

function parseTrainerOption(value: string | undefined): TrainerId | undefined {
  if (value === undefined) return undefined;
  const id = parseTrainerId(value);
  if (!id) throw new UsageError(l10n.t('unknown trainer "{0}" for --trainer (one of: {1})', value, TRAINER_IDS.join(', ')));
  return id;
}

/** The dataset references of `--config` files (read as text, never run), resolved from the current folder. */
function readConfigs(files: readonly string[]): ConfigReference[] {
  const readDatasetInfo = (dir: string): string | undefined => {
    try {
      const p = path.join(dir, 'dataset_info.json');
      return fs.statSync(p).size <= MAX_CONFIG_BYTES ? fs.readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const out: ConfigReference[] = [];
  for (const f of files) {
    let text: string;
    try {
      if (fs.statSync(f).size > MAX_CONFIG_BYTES) throw new UsageError(l10n.t('--config {0}: larger than {1} MB, not a trainer config', f, MAX_CONFIG_BYTES >> 20));
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(l10n.t('cannot read --config {0}: {1}', f, describeFsError(e)));
    }
    out.push(...configReferences(path.resolve(f), text, { roots: [process.cwd()], readDatasetInfo }));
  }
  return out;
}

/** "configs/sft.yaml line 3 (Axolotl)": where a config names a file. */
function configPlace(r: ConfigReference): string {
  return l10n.t('{0} line {1} ({2})', path.relative(process.cwd(), r.config) || r.config, r.line, trainerName(r.trainer));
}

/** The summary line of one validated file. */
export function summaryLine(file: string, r: ValidationResult): string {
  const fmt = r.format ? `${r.format} (${r.detection.evidence})` : l10n.t('unknown format ({0})', r.detection.evidence);
  const more = r.omitted > 0 ? l10n.t('; {0} more problems not listed', r.omitted) : '';
  return l10n.t('{0}: {1}, {2}: {3}, {4}{5}', file, count.records(r.records), fmt, count.errors(r.bySeverity.error), count.warnings(r.bySeverity.warning), more);
}

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, trainer: { type: 'string' }, config: { type: 'string', multiple: true }, workers: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(VALIDATE_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError(l10n.t('validate needs at least one FILE'));
  const format = parseFormatOption(values.format, '--format');
  const given = parseTrainerOption(values.trainer);
  const configs = values.config ? readConfigs(values.config) : [];
  const workers = intOption(values.workers, '--workers', 1);
  const files: { path: string; format: FormatId | null; trainer: TrainerId | null; trainerReason?: string; records: number; problems: JsonProblem[] }[] = [];
  let unreadable = false;
  let errors = 0;
  let warnings = 0;
  for (const file of positionals) {
    // --trainer wins; else the configs that name the file, when they agree on one trainer.
    const verdict = given ? undefined : targetFromConfigs(configs, file);
    const trainer = given ?? verdict?.trainer;
    const places = verdict ? verdict.references.map(configPlace).join(', ') : '';
    const reason = verdict
      ? verdict.trainer
        ? l10n.t('named by {0}', places)
        : l10n.t('configs of different trainers name it: {0}; no target (choose one with --trainer)', places)
      : undefined;
    const bar = new ProgressBar(io.errStream, file);
    let r: ValidationResult;
    try {
      favourMemoryFor(fs.statSync(file).size);
      // Large JSON Lines files may be validated on worker threads (--workers, PAIRWISE_WORKERS), with the same result.
      r = await validateFileInParallel(file, { format, formatOptions: trainer ? { trainer } : undefined, workers, onProgress: (d, t) => bar.update(d, t) });
    } catch (e) {
      bar.clear();
      io.err(l10n.t('pairwise: cannot read {0}: {1}', shownPath(file), describeFsError(e)) + '\n');
      unreadable = true;
      continue;
    } finally {
      bar.clear();
    }
    errors += r.bySeverity.error;
    warnings += r.bySeverity.warning;
    if (values.json) {
      files.push({
        path: file,
        format: r.format ?? null,
        trainer: trainer ?? null,
        ...(reason ? { trainerReason: reason } : {}),
        records: r.records,
        problems: r.problems.map((p) => {
          const j: JsonProblem = { line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, severity: p.severity, rule: p.rule, message: p.message };
          if (p.trainers) j.trainers = p.trainers;
          return j;
        }),
      });
      if (r.omitted > 0) io.err(l10n.t('pairwise: {0}: {1} more problems not listed', shownPath(file), r.omitted) + '\n');
    } else {
      const shown = shownPath(file);
      const lines = r.problems.map((p) => `${shown}:${p.line}:${p.column} ${p.severity} ${p.rule} ${p.message}\n`);
      const target = reason ? (trainer ? l10n.t('{0}: checked for {1}: {2}', shown, trainerName(trainer), reason) : `${shown}: ${reason}`) + '\n' : '';
      io.out(target + lines.join('') + summaryLine(shown, r) + '\n');
    }
  }
  if (values.json) io.out(JSON.stringify({ files }, null, 2) + '\n');
  else if (positionals.length > 1) io.out(`${count.files(positionals.length)}: ${count.errors(errors)}, ${count.warnings(warnings)}\n`);
  if (unreadable) return EXIT_USAGE;
  return errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
