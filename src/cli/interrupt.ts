/**
 * Ctrl-C for long commands: the first one cancels (the command stops cleanly, removing partial
 * outputs or keeping what generation already saved), a second one exits at once.
 */
import { setMaxListeners } from 'node:events';
import { AbortedError } from '../core/jsonl/readRecords';
import type { CliIo } from './io';
import * as l10n from '@vscode/l10n';

/** The exit code of a run cancelled with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** A signal that the first Ctrl-C aborts, after printing `message`. */
export function abortOnSigint(io: CliIo, message: string): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  // Every request or worker in flight listens on the signal; dozens at once are expected, not a leak.
  setMaxListeners(0, ac.signal);
  const onSigint = (): void => {
    if (ac.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.err(message + '\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * Runs a curation command's work with Ctrl-C as its Cancel. Resolves with the result, or with
 * EXIT_INTERRUPTED after saying so when it was cancelled (its outputs are never half written).
 */
export async function runInterruptible<T>(io: CliIo, verb: string, run: (signal: AbortSignal) => Promise<T>): Promise<{ result: T } | { exit: number }> {
  const sigint = abortOnSigint(io, l10n.t('\ncancelling {0}: removing partial output files (Ctrl-C again to quit now)', verb));
  try {
    return { result: await run(sigint.signal) };
  } catch (e) {
    if (e instanceof AbortedError && sigint.signal.aborted) {
      io.err(l10n.t('pairwise: {0} cancelled; no output written', verb) + '\n');
      return { exit: EXIT_INTERRUPTED };
    }
    throw e;
  } finally {
    sigint.dispose();
  }
}
