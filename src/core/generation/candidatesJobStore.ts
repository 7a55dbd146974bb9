/**
 * The files of one candidates output, as the adapters see them: the default output name for an
 * input, the spec it was made with (`<out>.job.json`), whether a run would resume it, and removing
 * every file of it (the Batch API state included) before an overwrite. The layout itself is
 * documented in candidatesJob.ts.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { batchJobPaths, type BatchJobPaths } from './batchState';
import { targetHash, type CandidateTarget, type JobSpec } from './candidatesPlan';

/** `<input without .jsonl/.json>.candidates.jsonl` beside the input: the default output of a candidates job. */
export function candidatesOutputFor(input: string): string {
  return path.join(path.dirname(input), `${path.basename(input).replace(/\.(jsonl|json)$/i, '')}.candidates.jsonl`);
}

/** True for a file named as a candidates output (`*.candidates.jsonl`). */
export function isCandidatesOutput(file: string): boolean {
  return /\.candidates\.jsonl$/i.test(file);
}

export class CandidatesJobStore {
  readonly paths: BatchJobPaths;

  constructor(readonly output: string) {
    this.paths = batchJobPaths(output);
  }

  /** The spec the output was made with; undefined when `<out>.job.json` is missing, unreadable or not a spec. */
  async readSpec(): Promise<JobSpec | undefined> {
    let v: unknown;
    try {
      v = JSON.parse(await fsp.readFile(this.paths.spec, 'utf8'));
    } catch {
      return undefined;
    }
    if (!v || typeof v !== 'object') return undefined;
    const s = v as Partial<JobSpec>;
    return Array.isArray(s.targets) && typeof s.responsesPerTarget === 'number' ? (s as JobSpec) : undefined;
  }

  /** True when the recorded spec has exactly these targets (in order) and responses per target. */
  async sameSpec(targets: readonly CandidateTarget[], responsesPerTarget: number): Promise<boolean> {
    const spec = await this.readSpec();
    if (!spec || spec.responsesPerTarget !== responsesPerTarget || spec.targets.length !== targets.length) return false;
    return spec.targets.every((t, i) => targetHash(t) === targetHash(targets[i]));
  }

  /**
   * Removes the output and the files a run keeps beside it: journal, failures, spec and the Batch
   * API state (a leftover batch file would make the next run poll a batch of the removed output).
   * The rate file stays: it describes the endpoint's limits, not this output.
   */
  async remove(): Promise<void> {
    const p = this.paths;
    for (const f of [p.candidates, p.journal, p.failures, p.spec, p.batch]) await fsp.rm(f, { force: true });
  }
}
