/**
 * Opens a dataset (or candidates file, log, prompt set) for reading: a regular file, through a
 * link as any reader follows one, never a FIFO, a device or a socket. A FIFO with no writer blocks
 * open(2) for good (validate, stats and dedupe hung), one with a writer fails the positioned reads
 * every reader makes, and a device such as /dev/zero never ends. O_NONBLOCK lets the open return
 * so the file's kind can be checked; on a regular file it changes nothing.
 */
import { closeSync, constants as fsc, fstatSync, openSync, promises as fsp, type Stats } from 'node:fs';
import * as l10n from '@vscode/l10n';

const FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0);

/**
 * The error for an input that is not a regular file, worded to follow "cannot read FILE:" (the path
 * is its `path`); `code` EISDIR for a folder, as reading one gives.
 */
function notRegular(path: string, st: Stats): NodeJS.ErrnoException {
  if (st.isDirectory()) return Object.assign(new Error(l10n.t('is a directory')), { code: 'EISDIR', path });
  const kind = st.isFIFO() ? l10n.t('a FIFO (named pipe)') : st.isSocket() ? l10n.t('a socket') : st.isCharacterDevice() || st.isBlockDevice() ? l10n.t('a device') : l10n.t('not a regular file');
  return Object.assign(new Error(l10n.t('is {0}: Pairwise reads datasets from regular files only', kind)), { code: 'ENOTREGULAR', path });
}

export async function openInputFile(path: string): Promise<fsp.FileHandle> {
  const handle = await fsp.open(path, FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(path, st);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  return handle;
}

export function openInputFileSync(path: string): number {
  const fd = openSync(path, FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(path, st);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}
