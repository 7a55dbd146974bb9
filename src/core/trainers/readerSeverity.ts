/**
 * Severity that follows the trainer that will read the file. A format has several readers (a
 * `messages` file is read by OpenAI fine-tuning, TRL, Axolotl, torchtune and LLaMA-Factory) and they
 * disagree: OpenAI rejects a message key that TRL hands to the chat template. A rule says which of
 * the readers reject (or drop, or mis-train) the record; this decides how loud that is:
 * - with a target trainer among the readers: error when the target is one of them, warning when
 *   only other readers are (the file may travel);
 * - with no target: error only when every reader is hit, warning when some are.
 */
import type { Severity } from '../base/problem';
import type { TrainerId } from '../base/trainerId';

export interface ReaderContext {
  /** The trainers that read this format. */
  readonly readers: readonly TrainerId[];
  /** The trainer chosen for the file (setting, `--trainer`, or inferred), if any. */
  readonly target?: TrainerId;
}

/** What a rule found, seen from the readers: who is hit, and how loud that is; undefined when no reader is. */
export interface ReaderVerdict {
  severity: Severity;
  /** Readers that reject, drop or mis-train the record. */
  hit: TrainerId[];
  /** Readers that take it as it is. */
  fine: TrainerId[];
}

export function readerVerdict(ctx: ReaderContext, affected: readonly TrainerId[]): ReaderVerdict | undefined {
  const hit = ctx.readers.filter((r) => affected.includes(r));
  if (hit.length === 0) return undefined;
  const fine = ctx.readers.filter((r) => !affected.includes(r));
  let severity: Severity;
  if (ctx.target !== undefined && ctx.readers.includes(ctx.target)) severity = hit.includes(ctx.target) ? 'error' : 'warning';
  else severity = fine.length === 0 ? 'error' : 'warning';
  return { severity, hit, fine };
}

/**
 * readerVerdict for one affected trainer, made once per readers list, target and trainer: a rule
 * that asks it of every record (a strict reader's unknown keys) allocated two lists and a verdict
 * for each. The verdict is shared, and frozen.
 */
export function readerVerdictFor(ctx: ReaderContext, trainer: TrainerId): ReaderVerdict | undefined {
  let byTarget = verdicts.get(ctx.readers);
  if (!byTarget) verdicts.set(ctx.readers, (byTarget = new Map()));
  let byTrainer = byTarget.get(ctx.target);
  if (!byTrainer) byTarget.set(ctx.target, (byTrainer = new Map()));
  let v = byTrainer.get(trainer);
  if (v === undefined) {
    const made = readerVerdict(ctx, [trainer]);
    v = made ? Object.freeze({ severity: made.severity, hit: Object.freeze(made.hit) as TrainerId[], fine: Object.freeze(made.fine) as TrainerId[] }) : null;
    byTrainer.set(trainer, v);
  }
  return v ?? undefined;
}

const verdicts = new WeakMap<readonly TrainerId[], Map<TrainerId | undefined, Map<TrainerId, ReaderVerdict | null>>>();
