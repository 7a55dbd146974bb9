/**
 * Whole-file outputs are written to a temporary file beside the target, fsynced and renamed over
 * it, so a crash or a failed run never leaves half a file where the user expects a whole one.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `${tempPrefix(target)}${randomBytes(4).toString('hex')}.tmp`);
}

function tempPrefix(target: string): string {
  return `.${path.basename(target)}.${process.pid}.`;
}

/**
 * Removes the temporary files this process left for `target`: a writer in a worker thread that was
 * terminated (a cancelled search or filter) cannot abort its own.
 */
export async function removeTempFilesOf(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  const dir = path.dirname(target);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => fsp.unlink(path.join(dir, n)).catch(() => undefined)));
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open a directory, which is fine.
  try {
    const h = await fsp.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort */
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const w = await AtomicFileWriter.create(target);
  try {
    await w.write(data);
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** A streaming whole-file writer: `write` chunks, then `commit` (fsync + rename) or `abort`. */
export class AtomicFileWriter {
  private done = false;
  private constructor(
    readonly target: string,
    readonly tempPath: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicFileWriter> {
    const tmp = tempPathFor(target);
    const handle = await fsp.open(tmp, 'wx', 0o644);
    return new AtomicFileWriter(target, tmp, handle);
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.done) throw new Error('AtomicFileWriter: write after commit or abort');
    if (typeof data === 'string') await this.handle.write(data, null, 'utf8');
    else await this.handle.write(data);
  }

  async commit(): Promise<void> {
    if (this.done) throw new Error('AtomicFileWriter: already committed or aborted');
    this.done = true;
    await this.handle.sync();
    await this.handle.close();
    await fsp.rename(this.tempPath, this.target);
    await fsyncDir(path.dirname(this.target));
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await fsp.unlink(this.tempPath).catch(() => undefined);
  }
}
