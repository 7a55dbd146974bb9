/**
 * What Pairwise may write to: a regular file reached without following a symbolic link in its last
 * component. A dataset folder is untrusted input too: a repository can hold `x.labels.jsonl ->
 * ~/.bashrc`, and an append through that link would write prompts and names into the user's shell
 * start-up file. Appends open with O_NOFOLLOW (race-free where the platform has it) and check the
 * opened file itself; whole-file replaces check the target before the rename, which never follows a
 * link anyway. The folders above the file resolve as the operating system resolves them (a home
 * folder or a workspace may legitimately sit behind a link).
 */
import { constants as fsc, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { linkRefusal, notRegularRefusal, OutputPathError } from './outputPaths';

// Windows has no O_NOFOLLOW (0 there: the lstat checks below do the work).
const O_NOFOLLOW = fsc.O_NOFOLLOW ?? 0;
// A FIFO planted under an output's name must not block the open; regular files ignore the flag.
const O_NONBLOCK = fsc.O_NONBLOCK ?? 0;

function hardLinkRefusal(file: string): OutputPathError {
  return new OutputPathError(l10n.t('{0} has other hard links; Pairwise does not append to a file that is also reachable under another name. Copy it first or choose another output.', file));
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The refusal an open with O_NOFOLLOW (or on a non-file) failed with, or the error itself. */
async function refusalFor(file: string, e: unknown): Promise<unknown> {
  const code = (e as NodeJS.ErrnoException).code;
  // ELOOP: Linux and macOS on a link with O_NOFOLLOW; EMLINK: FreeBSD; EFTYPE: NetBSD.
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') {
    const st = await lstatOrUndefined(file).catch(() => undefined);
    if (st?.isSymbolicLink()) return linkRefusal(file);
  }
  // A folder, or a socket (ENXIO), under the output's name.
  if (code === 'EISDIR' || code === 'ENXIO') return notRegularRefusal(file);
  return e;
}

/**
 * Refuses (OutputPathError) a whole-file output that exists and is not a regular file: a symbolic
 * link, a folder, a FIFO or a device. Returns its stats when it exists (for its mode).
 */
export async function checkReplaceTarget(file: string): Promise<Stats | undefined> {
  const st = await lstatOrUndefined(file);
  if (st?.isSymbolicLink()) throw linkRefusal(file);
  if (st && !st.isFile()) throw notRegularRefusal(file);
  return st;
}

/**
 * Opens `file` for appending (and reading), creating it when missing, without following a link:
 * refuses a symbolic link, anything but a regular file, and a file with other hard links (an
 * append would change the other name's content too). `created` says whether this call made it.
 */
export async function openForAppend(file: string): Promise<{ handle: fsp.FileHandle; created: boolean }> {
  // Without O_NOFOLLOW the name is checked first and the opened file compared with it after.
  const before = O_NOFOLLOW ? undefined : await lstatOrUndefined(file);
  if (before?.isSymbolicLink()) throw linkRefusal(file);
  let handle: fsp.FileHandle | undefined;
  let created = false;
  try {
    // O_EXCL never follows a link (a dangling one included): a new log is created here, or not at all.
    handle = await fsp.open(file, fsc.O_RDWR | fsc.O_APPEND | fsc.O_CREAT | fsc.O_EXCL | O_NOFOLLOW, 0o666);
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw await refusalFor(file, e);
  }
  if (!handle) {
    try {
      handle = await fsp.open(file, fsc.O_RDWR | fsc.O_APPEND | O_NOFOLLOW | O_NONBLOCK);
    } catch (e) {
      throw await refusalFor(file, e);
    }
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegularRefusal(file);
    if (st.nlink > 1) throw hardLinkRefusal(file);
    if (before && (before.ino !== st.ino || before.dev !== st.dev)) throw linkRefusal(file);
  } catch (e) {
    await handle.close().catch(() => undefined);
    // A file this call created and then refused (it cannot be: it is new) is not left behind.
    if (created) await fsp.unlink(file).catch(() => undefined);
    throw e;
  }
  return { handle, created };
}

/** Makes a rename or a new name in `dir` durable; some platforms cannot open a folder, which is fine. */
export async function fsyncDir(dir: string): Promise<void> {
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

/**
 * Creates the folder of an output (and its parents) when missing. Refuses a folder that is a
 * symbolic link, and folders that would be created inside one (files written there would land
 * wherever the link points: a repository can plant `data-llamafactory-sft -> ~/elsewhere` under the
 * name Pairwise gives a training-config folder). Folders further up resolve as the operating system
 * resolves them (a data disk linked into a project keeps working for files beside a dataset).
 */
export async function ensureOutputDir(dir: string): Promise<void> {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let existing = abs;
  let st = await lstatOrUndefined(existing);
  while (!st && path.dirname(existing) !== existing) {
    missing.push(existing);
    existing = path.dirname(existing);
    st = await lstatOrUndefined(existing);
  }
  // The output folder itself, or the folder new ones would be created in.
  if (st?.isSymbolicLink()) throw linkRefusal(existing);
  if (st && !st.isDirectory()) throw new OutputPathError(l10n.t('{0} is not a folder.', existing));
  if (missing.length === 0) return;
  await fsp.mkdir(abs, { recursive: true });
  // A new folder's entry in its parent is durable like the files written into it.
  for (const d of missing.reverse()) await fsyncDir(path.dirname(d));
}
