/**
 * Reads the labeling guidelines that `pairwise.labeling.guidelinesFile` names. The path comes from
 * settings and the file from the workspace, so neither is trusted: the guidelines must be a regular
 * file (never a device such as /dev/zero, which would be read for 2 GiB, nor a pipe, which would
 * block the read forever, nor a folder), at most MAX_GUIDELINES_BYTES, and a path inside the base
 * folder (the workspace folder) is read only if its symbolic links stay inside that folder.
 */
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

export const MAX_GUIDELINES_BYTES = 1 << 20;

export class GuidelinesFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuidelinesFileError';
  }
}

function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder's real path (the folder itself when it cannot be resolved). */
async function realFolder(folder: string): Promise<string> {
  try {
    return await fsp.realpath(folder);
  } catch {
    return path.resolve(folder);
  }
}

/**
 * The Markdown text of the guidelines at `file` (absolute, or relative to `baseFolder`). Throws a
 * GuidelinesFileError saying what is wrong with the file.
 */
export async function readGuidelinesFile(file: string, opts: { baseFolder?: string; maxBytes?: number } = {}): Promise<string> {
  const max = opts.maxBytes ?? MAX_GUIDELINES_BYTES;
  const abs = opts.baseFolder ? path.resolve(opts.baseFolder, file) : path.resolve(file);
  let real: string;
  try {
    real = await fsp.realpath(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GuidelinesFileError(l10n.t('file not found'));
    throw e;
  }
  if (opts.baseFolder) {
    const base = path.resolve(opts.baseFolder);
    const realBase = await realFolder(base);
    if ((isInside(abs, base) || isInside(abs, realBase)) && !isInside(real, realBase)) {
      throw new GuidelinesFileError(l10n.t('{0} is a symbolic link to {1}, outside the workspace folder; it is not followed', file, real));
    }
  }
  // Checked before opening (opening a device or a pipe can block or have effects), and again on
  // the open descriptor, in case the path was swapped in between.
  const before = await fsp.stat(real);
  const notRegular = () => new GuidelinesFileError(l10n.t('{0} is not a regular file (a folder, a device or a pipe); name a Markdown file', file));
  const tooLarge = () => new GuidelinesFileError(l10n.t('{0} is larger than {1} MB, the limit for a guidelines file', file, max / (1 << 20)));
  if (!before.isFile()) throw notRegular();
  if (before.size > max) throw tooLarge();
  const fh = await fsp.open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.dev !== before.dev || st.ino !== before.ino) throw notRegular();
    // Read at most one byte past the bound: a file that grew past it since the stat is refused, not read whole.
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n === buf.length) break;
    }
    if (n > max) throw tooLarge();
    return buf.subarray(0, n).toString('utf8');
  } finally {
    await fh.close();
  }
}
