/**
 * A time bound on every regular expression a user types (the Dataset View's search, `filter
 * --regex`). JavaScript regular expressions backtrack: `(a+)+$` on forty a's and a b runs for
 * hours, and a running test cannot be interrupted from inside its own thread. So each such pattern
 * runs in a worker thread that ticks a shared counter before and after every test; the thread that
 * started the worker polls the counter and, when one test has been running for longer than the
 * limit, terminates the worker and fails the run with RegexTimeLimitError.
 *
 * The bound is per test (one record), not per run: a search over a large file may take minutes
 * and is cancellable, while no sensible pattern spends seconds on a single record.
 */
import * as l10n from '@vscode/l10n';

/** How long one test of a user's regular expression (on one record) may run. */
export const REGEX_TIME_LIMIT_MS = 5000;

export class RegexTimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(l10n.t('The regular expression took longer than {0} s on one record; simplify it.', limitMs / 1000));
    this.name = 'RegexTimeLimitError';
  }
}

/** The counter a worker ticks around each test: even between tests, odd while one runs. */
export function newRegexClock(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** Worker side: a user's regular expression whose every test is announced on the shared clock. */
export class TimedRegex {
  private readonly ticks: Int32Array | undefined;

  constructor(
    readonly pattern: RegExp,
    clock?: SharedArrayBuffer,
  ) {
    this.ticks = clock ? new Int32Array(clock) : undefined;
  }

  test(text: string): boolean {
    const t = this.ticks;
    if (t) Atomics.add(t, 0, 1);
    try {
      this.pattern.lastIndex = 0;
      return this.pattern.test(text);
    } finally {
      if (t) Atomics.add(t, 0, 1);
    }
  }
}

/**
 * Starting side: calls `onExceeded` (once) when a test on one of the clocks has been running for
 * at least `limitMs`. Returns the function that stops watching.
 */
export function watchRegexClocks(clocks: readonly SharedArrayBuffer[], limitMs: number, onExceeded: () => void): () => void {
  const views = clocks.map((c) => new Int32Array(c));
  // A test is timed from the first poll that sees it running: the bound is never reached early.
  const seen = views.map(() => ({ tick: 0, since: 0 }));
  const timer = setInterval(
    () => {
      const now = performance.now();
      for (let i = 0; i < views.length; i++) {
        const tick = Atomics.load(views[i], 0);
        const s = seen[i];
        if (tick !== s.tick) {
          s.tick = tick;
          s.since = now;
        } else if (tick % 2 === 1 && now - s.since >= limitMs) {
          clearInterval(timer);
          onExceeded();
          return;
        }
      }
    },
    Math.max(10, Math.min(250, limitMs / 8)),
  );
  return () => clearInterval(timer);
}
