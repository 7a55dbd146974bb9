/**
 * The folder where models fetched from the Hub are kept, laid out like the Hugging Face cache
 * (huggingface_hub file_download.py): `models--org--name/refs/<revision>` holds the commit sha a
 * branch or tag resolved to, `models--org--name/snapshots/<sha>/` the files of that commit.
 *
 * A snapshot is written into a fresh staging folder and renamed into place whole, so a snapshot
 * folder that exists is complete; a ref is a temp file renamed over the old one. Files are created
 * with O_EXCL (and O_NOFOLLOW where the platform has it), folders below the cache root one level at
 * a time and checked to be real folders, so no write goes through a planted symbolic link.
 */
import { constants as fsc, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { HubReference } from './hubReference';

const O_NOFOLLOW = fsc.O_NOFOLLOW ?? 0;

export class UnsafeCacheError extends Error {}

/** The repository's folder in the cache. */
export function repoCacheDir(cacheDir: string, ref: Pick<HubReference, 'org' | 'name'>): string {
  return path.join(cacheDir, `models--${ref.org}--${ref.name}`);
}

function refFile(repoDir: string, revision: string): string {
  // One path segment whatever the revision holds (refs/pr/1).
  return path.join(repoDir, 'refs', encodeURIComponent(revision));
}

async function isRealDir(p: string): Promise<boolean> {
  const st = await fsp.lstat(p).catch(() => undefined);
  return st !== undefined && st.isDirectory() && !st.isSymbolicLink();
}

/** The complete snapshot of `sha`, if cached (a real folder holding tokenizer.json). */
export async function cachedSnapshot(repoDir: string, sha: string): Promise<string | undefined> {
  const dir = path.join(repoDir, 'snapshots', sha);
  if (!(await isRealDir(dir))) return undefined;
  const st = await fsp.lstat(path.join(dir, 'tokenizer.json')).catch(() => undefined);
  return st?.isFile() ? dir : undefined;
}

/** The sha a branch or tag resolved to when last fetched. */
export async function cachedRef(repoDir: string, revision: string): Promise<string | undefined> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(refFile(repoDir, revision), fsc.O_RDONLY | O_NOFOLLOW);
    const sha = (await h.readFile('utf8')).trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  } finally {
    await h?.close();
  }
}

/** Creates `dir` (one level) unless it exists, and refuses anything but a real folder there. */
async function ensureRealDir(dir: string): Promise<void> {
  await fsp.mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  if (!(await isRealDir(dir))) throw new UnsafeCacheError(`${dir}: not a folder (a link?); the model cache writes nowhere else`);
}

async function writeNewFile(file: string, data: Uint8Array | string): Promise<void> {
  const h = await fsp.open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | O_NOFOLLOW, 0o644);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** A snapshot being written: `add` files, then `commit` renames it into place. */
export class SnapshotWriter {
  private constructor(
    private readonly repoDir: string,
    private readonly staging: string,
  ) {}

  static async create(cacheDir: string, ref: Pick<HubReference, 'org' | 'name'>): Promise<SnapshotWriter> {
    await fsp.mkdir(cacheDir, { recursive: true });
    const repoDir = repoCacheDir(cacheDir, ref);
    await ensureRealDir(repoDir);
    await ensureRealDir(path.join(repoDir, 'snapshots'));
    await ensureRealDir(path.join(repoDir, 'refs'));
    // mkdtemp makes a new folder: nothing planted can be under its name.
    const staging = await fsp.mkdtemp(path.join(repoDir, 'snapshots', '.staging-'));
    return new SnapshotWriter(repoDir, staging);
  }

  async add(name: string, data: Uint8Array): Promise<void> {
    if (name !== path.basename(name) || name.startsWith('.')) throw new UnsafeCacheError(`${name}: not a plain file name`);
    await writeNewFile(path.join(this.staging, name), data);
  }

  /** Renames the staged files into `snapshots/<sha>` (or keeps the one another process finished first) and records `revision` → sha. */
  async commit(sha: string, revision: string | undefined): Promise<string> {
    const target = path.join(this.repoDir, 'snapshots', sha);
    try {
      await fsp.rename(this.staging, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') || !(await cachedSnapshot(this.repoDir, sha))) throw e;
      await this.abort();
    }
    if (revision !== undefined && revision !== sha) {
      const file = refFile(this.repoDir, revision);
      const tmp = path.join(this.repoDir, 'refs', `.${randomBytes(6).toString('hex')}.tmp`);
      await writeNewFile(tmp, sha);
      // rename replaces a link at `file` itself; it never writes through it.
      await fsp.rename(tmp, file).catch(async (e: unknown) => {
        await fsp.unlink(tmp).catch(() => undefined);
        throw e;
      });
    }
    return target;
  }

  async abort(): Promise<void> {
    await fsp.rm(this.staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
