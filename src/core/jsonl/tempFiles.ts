/**
 * Names of the temporary files whole-file outputs are written to before their rename, and the
 * clean-up of those a killed run left behind. A temp is `.<target name>.<pid>.<host><random>.tmp`
 * beside its target: the process id and a tag of the host name tell whether its writer can still be
 * running, so a later run removes only temps whose process is gone on this machine, never a live
 * writer's (another process's, or one on another machine sharing the folder).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Six hex digits of the host name's hash: enough to tell the machines sharing one folder apart. */
export const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);

// `s`: a hostile file name may hold a line break, which `.` alone would not match.
const TEMP_NAME = /^\.(.+)\.(\d+)\.([0-9a-f]{6})[0-9a-f]{8}\.tmp$/s;

export function tempPrefix(target: string): string {
  return `.${path.basename(target)}.${process.pid}.`;
}

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `${tempPrefix(target)}${HOST_TAG}${randomBytes(4).toString('hex')}.tmp`);
}

/** True when `temp` is a name `tempPathFor(target)` could have produced (same folder, same target). */
export function isTempNameOf(temp: string, target: string): boolean {
  if (path.dirname(temp) !== path.dirname(target)) return false;
  const m = TEMP_NAME.exec(path.basename(temp));
  return !!m && m[1] === path.basename(target);
}

/** Whether process `pid` of this machine still runs (a process of another user counts: EPERM). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes from `dir` the temporary files whose writer is gone: written on this machine by a
 * process that no longer runs, owned by this user, regular files. Returns the names removed.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || m[3] !== HOST_TAG || processAlive(Number(m[2]))) continue;
    const file = path.join(dir, name);
    try {
      const st = await fsp.lstat(file);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      await fsp.unlink(file);
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}
