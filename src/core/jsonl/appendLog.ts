/**
 * An append-only JSONL log whose every accepted line is on disk (write + fdatasync) before the
 * returned promise resolves. Used for label decisions and generated responses: once the user sees
 * a result accepted, a crash cannot take it back.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fsyncDir, openForAppend } from './writeTargets';
import { writeAll } from './writeAll';

/** For tests: runs between a failed append and the check of what it left (another writer's turn). */
export const appendLogTestHooks: { beforeTakeBack?: () => void } = {};

export class AppendLog {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** A failed append may have written part of its text: the next one starts on a new line. */
  private torn = false;

  private constructor(
    readonly path: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  /**
   * Opens (creating if needed) the log for appending. If the file ends in a torn line (a crash in
   * the middle of a write), a newline is appended first so the torn text stays on a line of its own,
   * where readers report it, and never merges with the next record. Refuses (OutputPathError) a
   * symbolic link, a non-regular file and a file with other hard links under that name: a planted
   * `x.labels.jsonl -> ~/.bashrc` must not receive a single byte. A new log's folder is fsynced, so
   * the file itself survives a crash like its lines.
   */
  static async open(file: string): Promise<AppendLog> {
    const { handle, created } = await openForAppend(file);
    try {
      if (created) await fsyncDir(path.dirname(path.resolve(file)));
      await AppendLog.isolateTornLine(handle);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
    return new AppendLog(file, handle);
  }

  private static async isolateTornLine(handle: fsp.FileHandle): Promise<void> {
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await writeAll(handle, '\n');
        await handle.datasync();
      }
    }
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
    const text = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
    const next = this.queue.then(async () => {
      if (this.torn) {
        await writeAll(this.handle, '\n');
        this.torn = false;
      }
      const written = { bytes: 0 };
      try {
        await writeAll(this.handle, text, written);
      } catch (e) {
        await this.takeBack(text.subarray(0, written.bytes));
        throw e;
      }
      await this.handle.datasync();
    });
    // A failed append must not poison later ones; the caller of this one still sees the error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * After a failed append: removes the part of it that was written (a log may be the user's own
   * dataset, where a torn line is an invalid record) when those bytes still end the file; else, as
   * when another process appended after them, the next append starts on a new line.
   */
  private async takeBack(part: Uint8Array): Promise<void> {
    if (part.length === 0) return;
    appendLogTestHooks.beforeTakeBack?.();
    try {
      const { size } = await this.handle.stat();
      const tail = Buffer.alloc(part.length);
      const { bytesRead } = size >= part.length ? await this.handle.read(tail, 0, part.length, size - part.length) : { bytesRead: 0 };
      if (bytesRead === part.length && tail.equals(part)) {
        await this.handle.truncate(size - part.length);
        await this.handle.datasync();
        return;
      }
    } catch {
      /* the file is as the failed append left it */
    }
    this.torn = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
  }
}
