/**
 * Whole-file outputs are written to a temporary file beside the target, fsynced and renamed over
 * it, so a crash or a failed run never leaves half a file where the user expects a whole one.
 * The target must be a regular file or absent (never a link: see writeTargets.ts), the temp is
 * created exclusively (O_EXCL never follows a planted link), and a replaced file keeps its mode (a
 * 0600 output stays 0600; a new one gets the umask's default). The first write into a folder also
 * completes the output sets a killed run left half renamed there and removes the temps of killed
 * runs (commitJournal.ts, tempFiles.ts).
 */
import { constants as fsc, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { recoverOutputSets } from './commitJournal';
import { removeStaleTemps, tempPathFor, tempPrefix } from './tempFiles';
import { checkReplaceTarget, fsyncDir } from './writeTargets';
import { writeAll } from './writeAll';

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

const SWEEP_INTERVAL_MS = 10_000;
const lastSweep = new Map<string, number>();

/**
 * Rolls interrupted output sets forward and removes stale temps in `dir`, at most once in
 * SWEEP_INTERVAL_MS per folder and process (a long-lived extension host sees later kills too).
 */
export async function sweepOutputDir(dir: string): Promise<void> {
  const now = Date.now();
  if (now - (lastSweep.get(dir) ?? -Infinity) < SWEEP_INTERVAL_MS) return;
  lastSweep.set(dir, now);
  // Journals first: their temps are the new set, not litter.
  await recoverOutputSets(dir).catch(() => undefined);
  await removeStaleTemps(dir).catch(() => undefined);
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

/**
 * Bytes written between background fdatasync calls. Writing back a large output takes the disk
 * longer than it takes the processor (200 MB: 55-62 ms of fsync, 12 ms of it CPU): started while the
 * run still computes, it leaves the final fsync only the last part.
 */
export const BACKGROUND_SYNC_BYTES = 32 * 1024 * 1024;

/** A streaming whole-file writer: `write` chunks, then `commit` (fsync + rename) or `abort`. */
export class AtomicFileWriter {
  private done = false;
  private finished = false;
  private unsynced = 0;
  /** The background fdatasync in flight; its failure is kept for `finish` (see write). */
  private syncing: Promise<void> | undefined;
  private syncError: unknown;
  private constructor(
    readonly target: string,
    readonly tempPath: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicFileWriter> {
    await sweepOutputDir(path.dirname(path.resolve(target)));
    const existing = await checkReplaceTarget(target);
    const tmp = tempPathFor(target);
    // The replaced file's permissions from the start (umask can only narrow them; fixed below).
    const mode = existing ? existing.mode & 0o777 : 0o666;
    const handle = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | (fsc.O_NOFOLLOW ?? 0), mode);
    if (existing) {
      try {
        await handle.chmod(mode);
      } catch (e) {
        await handle.close().catch(() => undefined);
        await fsp.unlink(tmp).catch(() => undefined);
        throw e;
      }
    }
    return new AtomicFileWriter(target, tmp, handle);
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.done || this.finished) throw new Error('AtomicFileWriter: write after commit or abort');
    const written = { bytes: 0 };
    try {
      await writeAll(this.handle, data, written);
    } finally {
      this.unsynced += written.bytes;
    }
    if (this.unsynced >= BACKGROUND_SYNC_BYTES && !this.syncing) this.syncInBackground();
  }

  /**
   * Starts writing back what is written so far without waiting for it. A failure is not dropped:
   * Linux reports a failed writeback to one fsync only, so a later fsync could succeed over lost
   * pages; `finish` throws it.
   */
  private syncInBackground(): void {
    this.unsynced = 0;
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncing = undefined;
      },
      (e: unknown) => {
        this.syncError ??= e;
        this.syncing = undefined;
      },
    );
  }

  /** Waits for a background sync; throws what any of them failed with. */
  private async settleSyncs(): Promise<void> {
    await this.syncing;
    if (this.syncError !== undefined) throw this.syncError;
  }

  /** Makes the temp durable and closes it; the target is unchanged until `renameIntoPlace`. */
  async finish(): Promise<void> {
    if (this.done || this.finished) throw new Error('AtomicFileWriter: already committed or aborted');
    this.finished = true;
    try {
      await this.settleSyncs();
      await this.handle.sync();
    } catch (e) {
      await this.handle.close().catch(() => undefined);
      throw e;
    }
    await this.handle.close();
  }

  /**
   * Renames the finished temp over the target, refusing a target that became a link or a non-file
   * while the output was written. The folder is not fsynced here (`commit` and output sets do).
   */
  async renameIntoPlace(): Promise<void> {
    if (this.done || !this.finished) throw new Error('AtomicFileWriter: rename before finish, or twice');
    await checkReplaceTarget(this.target);
    this.done = true;
    try {
      await fsp.rename(this.tempPath, this.target);
    } catch (e) {
      // EPERM or EBUSY where another program holds the target open (Windows): the temp would
      // outlive this process's sweep, since the process is alive.
      await fsp.unlink(this.tempPath).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Hands a finished temp to the journal of its output set (outputSet.ts): from now on the rename
   * is the journal's, and `abort` leaves the temp for a roll-forward.
   */
  journaled(): { temp: string; target: string } {
    if (this.done || !this.finished) throw new Error('AtomicFileWriter: journaled before finish, or after commit');
    this.done = true;
    return { temp: this.tempPath, target: this.target };
  }

  async commit(): Promise<void> {
    await this.finish();
    await this.renameIntoPlace();
    await fsyncDir(path.dirname(this.target));
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (!this.finished) {
      // Closing under a sync in flight would let it run on a closed (or reused) descriptor.
      await this.syncing;
      await this.handle.close().catch(() => undefined);
    }
    await fsp.unlink(this.tempPath).catch(() => undefined);
  }
}
