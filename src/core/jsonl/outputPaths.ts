/**
 * Guards for the files a job writes. Every writer replaces its output by rename, so an output that
 * is also an input would replace the user's dataset, and two outputs on one path would leave only
 * the second. Jobs that append or rewrite in place (candidates, judgements, synthetic records)
 * must not run twice on one file at once either: a second run's Overwrite would delete the files
 * the first still appends to, and two rewrites of a .json array would drop each other's records.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

/** The absolute path with symbolic links resolved; for a file not yet written, its folder's links. */
export function canonicalPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    try {
      return path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

export function samePath(a: string, b: string): boolean {
  return canonicalPath(a) === canonicalPath(b);
}

/** A refused output path: the message says which and why, for the user. */
export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

export function linkRefusal(file: string): OutputPathError {
  return new OutputPathError(l10n.t('{0} is a symbolic link; Pairwise never writes through a link. Remove the link or choose another output.', file));
}

export function notRegularRefusal(file: string): OutputPathError {
  return new OutputPathError(l10n.t('{0} is not a regular file; Pairwise writes only regular files. Choose another output.', file));
}

/**
 * Throws OutputPathError when an output is one of the inputs, two outputs are the same file, or an
 * output exists as something else than a regular file (a symbolic link planted under an output's
 * name, a folder, a FIFO): checked before a job starts, so nothing is computed or paid for a run
 * that could not write. The writers check again as they open (writeTargets.ts).
 */
export function refuseUnsafeOutputs(inputs: readonly string[], outputs: readonly string[]): void {
  const ins = inputs.map(canonicalPath);
  const outs = outputs.map(canonicalPath);
  for (let i = 0; i < outs.length; i++) {
    if (ins.includes(outs[i])) throw new OutputPathError(l10n.t('the output {0} is an input; inputs are never overwritten. Choose another output path.', outputs[i]));
    if (outs.indexOf(outs[i]) !== i) throw new OutputPathError(l10n.t('two outputs would be written to {0}; give them different paths.', outputs[i]));
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(outputs[i]);
    } catch {
      continue; // not there yet (or its folder is missing: the writer says so)
    }
    if (st.isSymbolicLink()) throw linkRefusal(outputs[i]);
    if (!st.isFile()) throw notRegularRefusal(outputs[i]);
  }
}

/** The files that jobs running in this process write; a second job on one of them is refused. */
export class OutputClaims {
  private readonly held = new Set<string>();

  /**
   * Claims `files` for one job until the returned release function is called. Throws
   * OutputPathError, claiming nothing, when another running job holds one of them.
   */
  claim(files: readonly string[]): () => void {
    const keys = [...new Set(files.map(canonicalPath))];
    const busy = keys.findIndex((k) => this.held.has(k));
    if (busy >= 0) throw new OutputPathError(l10n.t('another Pairwise job is writing {0}; wait for it to finish or cancel it first.', path.basename(keys[busy])));
    for (const k of keys) this.held.add(k);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of keys) this.held.delete(k);
    };
  }

  /** Runs `job` holding `files`. */
  async with<T>(files: readonly string[], job: () => Promise<T>): Promise<T> {
    const release = this.claim(files);
    try {
      return await job();
    } finally {
      release();
    }
  }
}
