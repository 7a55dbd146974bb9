/** This process's open file descriptors that point at files (Linux /proc), sorted: compare before and after a job. */
import { promises as fsp } from 'node:fs';

export async function openFileHandles(): Promise<string[]> {
  const fds = await fsp.readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => fsp.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t.startsWith('/') && !t.startsWith('/dev/') && !t.startsWith('/proc/')).sort();
}
