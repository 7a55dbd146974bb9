/**
 * Ctrl-C for long commands: the first one cancels (the command stops cleanly, removing partial
 * outputs; generation lets the requests in flight finish and saves them), a second one exits at once.
 */
import { setMaxListeners } from 'node:events';
import { AbortedError } from '../core/base';
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

export interface DrainingInterrupt {
  /** Aborted by the first Ctrl-C: start nothing new, let what is in flight finish and be saved. */
  stop: AbortSignal;
  /** Aborted when the wait for what is in flight runs out (or by `abortNow`): abandon it. */
  abort: AbortSignal;
  abortNow(): void;
  dispose(): void;
}

/**
 * Ctrl-C for generation: the first one stops starting requests and waits, at most `drainMs`, for
 * the ones in flight (they are paid for: their answers are saved, not asked again on resume); a
 * second one exits at once. `message` receives how many are in flight and the bound in seconds.
 */
export function drainOnSigint(
  io: CliIo,
  messages: { stopping: (inFlight: number, seconds: number) => string; abandoned: (inFlight: number) => string },
  inFlight: () => number,
  drainMs: number,
): DrainingInterrupt {
  const stop = new AbortController();
  const abort = new AbortController();
  // Every request or worker in flight listens on the signals; dozens at once are expected, not a leak.
  setMaxListeners(0, stop.signal);
  setMaxListeners(0, abort.signal);
  let timer: NodeJS.Timeout | undefined;
  const onSigint = (): void => {
    if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.err(messages.stopping(inFlight(), Math.round(drainMs / 1000)) + '\n');
    stop.abort();
    timer = setTimeout(() => {
      const n = inFlight();
      if (n > 0) io.err(messages.abandoned(n) + '\n');
      abort.abort();
    }, drainMs);
    timer.unref();
  };
  process.on('SIGINT', onSigint);
  return {
    stop: stop.signal,
    abort: abort.signal,
    abortNow: () => {
      stop.abort();
      abort.abort();
    },
    dispose: () => {
      process.off('SIGINT', onSigint);
      if (timer) clearTimeout(timer);
    },
  };
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
