/**
 * write(2) may write less than it was given: a disk that fills up, or a file size limit, writes a
 * part and returns its length, and only the next call fails. Every writer of user data goes through
 * this loop, so a short write is an error and never a silently shortened file or line.
 */
import type { promises as fsp } from 'node:fs';

/** Writes all of `data`; `written.bytes` tells, also after a failure, how much of it went out. */
export async function writeAll(handle: fsp.FileHandle, data: string | Uint8Array, written = { bytes: 0 }): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (written.bytes = 0; written.bytes < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, written.bytes, bytes.length - written.bytes);
    if (bytesWritten === 0) throw new Error('write(2) wrote no byte');
    written.bytes += bytesWritten;
  }
}
