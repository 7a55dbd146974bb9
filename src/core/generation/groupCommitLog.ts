/**
 * Group commit over AppendLog: records appended while a write + fdatasync is in progress are
 * written together by the next one. Each append still resolves only once its line is durable, but
 * at hundreds of results per second one fdatasync covers many lines instead of one each.
 */
import { AppendLog } from '../jsonl/appendLog';

export class GroupCommitLog {
  private pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  private constructor(private readonly log: AppendLog) {}

  static async open(path: string): Promise<GroupCommitLog> {
    return new GroupCommitLog(await AppendLog.open(path));
  }

  get path(): string {
    return this.log.path;
  }

  append(record: unknown): Promise<void> {
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.log.appendLines(batch.map((b) => b.line));
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    while (this.flushing || this.pending.length) await new Promise((r) => setImmediate(r));
    await this.log.close();
  }
}
