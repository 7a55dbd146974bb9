/**
 * An append-only JSONL log whose every accepted line is on disk (write + fdatasync) before the
 * returned promise resolves. Used for label decisions and generated responses: once the user sees
 * a result accepted, a crash cannot take it back.
 */
import { promises as fsp } from 'node:fs';

export class AppendLog {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  /**
   * Opens (creating if needed) the log for appending. If the file ends in a torn line (a crash in
   * the middle of a write), a newline is appended first so the torn text stays on a line of its own,
   * where readers report it, and never merges with the next record.
   */
  static async open(path: string): Promise<AppendLog> {
    const handle = await fsp.open(path, 'a+');
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await handle.write('\n');
        await handle.datasync();
      }
    }
    return new AppendLog(path, handle);
  }

  /** Appends one record as a JSON line; resolves once it is durable. Appends are serialized. */
  append(record: unknown): Promise<void> {
    return this.appendLines([JSON.stringify(record)]);
  }

  /** Appends several lines with one fdatasync. */
  appendLines(lines: string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`append to closed log ${this.path}`));
    for (const l of lines) {
      if (l.includes('\n')) return Promise.reject(new Error('a log line must not contain a newline'));
    }
    const text = lines.map((l) => l + '\n').join('');
    const next = this.queue.then(async () => {
      await this.handle.write(text);
      await this.handle.datasync();
    });
    // A failed append must not poison later ones; the caller of this one still sees the error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
  }
}
