/**
 * Bounded concurrency for a job's units (after `Limiter` in vscode/src/vs/base/common/async.ts):
 * at most `max` tasks run at once. A task's error does not reject the caller: the first one is
 * kept in `error` (a job stops feeding new units once `failed`, lets the running ones finish,
 * then throws it), so one failed write never leaves other units running unobserved.
 */
export class Limiter {
  private readonly running = new Set<Promise<void>>();
  private firstError: unknown;
  private hasFailed = false;

  /**
   * @param max most tasks running at once (at least 1)
   * @param options.ignore errors that are not failures (a cancelled request): dropped, not kept
   * @param options.settled called after each task ends, whatever its outcome
   */
  constructor(
    readonly max: number,
    private readonly options: { ignore?: (e: unknown) => boolean; settled?: () => void } = {},
  ) {}

  /** Tasks running now. */
  get size(): number {
    return this.running.size;
  }

  get failed(): boolean {
    return this.hasFailed;
  }

  /** The first error a task threw (or `fail` recorded). */
  get error(): unknown {
    return this.firstError;
  }

  /** Records an error from outside the tasks (e.g. the input failed to read); the first one wins. */
  fail(e: unknown): void {
    if (this.hasFailed) return;
    this.hasFailed = true;
    this.firstError = e;
  }

  /** Starts `task` now, whatever the number running. */
  start(task: Promise<void>): void {
    const tracked: Promise<void> = task
      .catch((e: unknown) => {
        if (!this.options.ignore?.(e)) this.fail(e);
      })
      .finally(() => {
        this.running.delete(tracked);
        this.options.settled?.();
      });
    this.running.add(tracked);
  }

  /** Starts `task`, then resolves once fewer than `max` tasks run (the caller's back-pressure). */
  async queue(task: Promise<void>): Promise<void> {
    this.start(task);
    while (this.running.size >= this.max) await Promise.race(this.running);
  }

  /** Resolves when any running task ends (at once when none runs). */
  async whenAny(): Promise<void> {
    if (this.running.size) await Promise.race(this.running);
  }

  /** Resolves when every task started so far has ended. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.running);
  }
}
