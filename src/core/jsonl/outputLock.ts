/**
 * One writer per output across processes. A job that appends to or rewrites an output in place
 * (candidates, judgements, the dataset synthetic records go to) holds `<output>.lock` while it
 * runs: two CLI runs, a CLI run and a VS Code window, or two windows on one output would each pay
 * for every request and write every line twice. (OutputClaims in outputPaths.ts guards the jobs of
 * one process; this guards across processes and machines sharing a folder.)
 *
 * The lock is a small JSON file put in place whole (createLockFile: a private temp hard-linked to
 * the lock's name, which never follows a planted symbolic link), naming its owner: pid, host, start
 * time and command, so that a refused writer can say who is running. It lives in core/jsonl, beside the writers and OutputClaims, because it is a
 * property of a file on disk, not of generation: any in-place writer can take it.
 *
 * Stale locks (a holder killed with SIGKILL, a crashed window, a machine that went down) are taken
 * over: a lock whose owner ran on this host and whose pid is gone, or whose heartbeat stopped (the
 * holder touches the file every `heartbeatMs`; older than `staleMs` means dead, which also covers
 * holders on other hosts and a pid reused by another program). Breaking a stale lock happens under
 * a second, short-lived lock (`<lock>.break`) and only if the file still holds what was judged
 * stale, so two processes recovering at once cannot both end up holding it. A holder whose lock was
 * taken over (it was suspended past `staleMs`) learns it at its next heartbeat: `lost` aborts.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsc, fstatSync, openSync, readSync, realpathSync, unlinkSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { OutputPathError } from './outputPaths';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** What holds it, for the message a refused writer shows (`pairwise generate data.jsonl`, a VS Code command). */
  command: string;
  /** Tells this holding apart from an earlier one of the same pid. */
  token: string;
}

export interface OutputLockOptions {
  command: string;
  /** A lock whose file was not touched for this long is stale (default 60 s). */
  staleMs?: number;
  /** How often the holder touches its lock (default 10 s). */
  heartbeatMs?: number;
}

/** The output is being written by another process; the message names it. */
export class OutputBusyError extends OutputPathError {
  override name = 'OutputBusyError';
  constructor(
    readonly output: string,
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      owner
        ? l10n.t(
            '{0} is being written by another Pairwise process (pid {1} on {2}, since {3}: {4}); wait for it to finish or stop it. If no such process is running, delete {5}.',
            output,
            owner.pid,
            owner.host,
            owner.startedAt,
            owner.command,
            lockPath,
          )
        : l10n.t('{0} is being written by another Pairwise process (its lock {1} does not say which); wait for it to finish, or delete {1} if none is running.', output, lockPath),
    );
  }
}

const DEFAULT_STALE_MS = 60_000;
const DEFAULT_HEARTBEAT_MS = 10_000;
/** A break lock older than this belongs to a recovery that died half way. */
const BREAK_STALE_MS = 10_000;
const MAX_LOCK_BYTES = 4096;
const MAX_COMMAND_CHARS = 200;

/**
 * `<output>.lock` beside the output, in its folder with the folder's links resolved (two paths to
 * one folder share a lock). The output's own name is not resolved: a link planted under it must
 * not put the lock beside the link's target, outside the user's folder.
 */
export function lockPathFor(output: string): string {
  const abs = path.resolve(output);
  let dir = path.dirname(abs);
  try {
    dir = realpathSync.native(dir);
  } catch {
    /* a folder that does not exist: the lock's creation reports it */
  }
  return path.join(dir, `${path.basename(abs)}.lock`);
}

/** Text from a lock file (possibly planted) made safe to print: no control characters, bounded. */
function printable(s: unknown, max = MAX_COMMAND_CHARS): string {
  const t = typeof s === 'string' ? s : String(s);
  // eslint-disable-next-line no-control-regex
  const clean = t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (!v || typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0 || typeof v.host !== 'string' || typeof v.token !== 'string') return undefined;
    return { pid: v.pid, host: printable(v.host, 100), startedAt: printable(v.startedAt ?? '?', 40), command: printable(v.command ?? '?'), token: v.token };
  } catch {
    return undefined;
  }
}

interface LockState {
  /** The file's bytes as read; compared again before a stale lock is removed. */
  raw: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

const READ_FLAGS = fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0);

/** The lock as it is now; undefined when there is none. Refuses anything but a regular file. */
async function readLock(lockPath: string): Promise<LockState | undefined> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(lockPath, READ_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new OutputPathError(l10n.t('{0} is a symbolic link, not a lock Pairwise wrote; remove it', lockPath));
    throw e;
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new OutputPathError(l10n.t('{0} is not a regular file, not a lock Pairwise wrote; remove it', lockPath));
    const buf = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    const raw = buf.subarray(0, bytesRead).toString('utf8');
    return { raw, owner: parseOwner(raw), mtimeMs: st.mtimeMs };
  } finally {
    await h.close();
  }
}

function readLockSync(lockPath: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(MAX_LOCK_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds, by token (a second job of this process on the same output is refused too). */
const held = new Map<string, OutputLock>();

function isStale(state: LockState, staleMs: number, now: number): boolean {
  const o = state.owner;
  if (o && o.host === os.hostname()) {
    if (o.pid === process.pid) return !held.has(o.token);
    if (!pidAlive(o.pid)) return true;
  }
  return now - state.mtimeMs > staleMs;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes `lockPath` if it still holds `raw`, under the break lock. */
async function breakStale(lockPath: string, raw: string): Promise<void> {
  const breakPath = `${lockPath}.break`;
  for (let attempt = 0; ; attempt++) {
    try {
      const h = await fsp.open(breakPath, 'wx', 0o644);
      await h.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await fsp.lstat(breakPath).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > BREAK_STALE_MS) await fsp.unlink(breakPath).catch(() => undefined);
      else if (attempt >= 40) return; // someone else is recovering it; the caller looks again
      else await sleep(25);
    }
  }
  try {
    const now = await readLock(lockPath);
    if (now && now.raw === raw) await fsp.unlink(lockPath);
  } finally {
    await fsp.unlink(breakPath).catch(() => undefined);
  }
}

/** Creates `file` holding `text`; O_EXCL: created here or not at all (an existing file, or a link, makes it fail). */
async function writeNewFile(file: string, text: string): Promise<void> {
  const h = await fsp.open(file, 'wx', 0o644);
  try {
    await h.writeFile(text);
  } catch (e) {
    // A full disk: no half-written lock (or temp) stays behind to block or litter.
    await h.close().catch(() => undefined);
    await fsp.unlink(file).catch(() => undefined);
    throw e;
  }
  await h.close();
}

/** Errors of a file system without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates the lock holding `text`; false when a lock (or anything else) is already there. The lock
 * appears with its owner in it: written to a temp of this holder's own, then hard-linked into place
 * (link fails when the name exists, and never follows a link planted there). Created empty and
 * written after, as it once was, a second writer could read it empty in between and refuse without
 * naming the holder (seen on a loaded machine). Where the file system has no hard links: created
 * with O_EXCL and written after.
 */
async function createLockFile(lockPath: string, text: string, token: string): Promise<boolean> {
  const temp = `${lockPath}.${token}.tmp`;
  await writeNewFile(temp, text);
  try {
    await fsp.link(temp, lockPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_LINKS.has(code)) throw e;
  } finally {
    await fsp.unlink(temp).catch(() => undefined);
  }
  try {
    await writeNewFile(lockPath, text);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function removeHeldLocksAtExit(): void {
  for (const lock of held.values()) lock.releaseSync();
}

export class OutputLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  private readonly lostController = new AbortController();

  private constructor(
    readonly output: string,
    readonly path: string,
    readonly owner: LockOwner,
    heartbeatMs: number,
  ) {
    held.set(owner.token, this);
    if (held.size === 1) process.on('exit', removeHeldLocksAtExit);
    this.timer = setInterval(() => void this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /** Aborts when another process took the lock over (this one was taken for dead). */
  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  /**
   * Takes the lock of `output`, taking over a stale one. Throws OutputBusyError naming the holder
   * when another live process holds it.
   */
  static async acquire(output: string, options: OutputLockOptions): Promise<OutputLock> {
    const lockPath = lockPathFor(output);
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      startedAt: new Date().toISOString(),
      command: printable(options.command),
      token: randomBytes(8).toString('hex'),
    };
    const text = JSON.stringify(owner) + '\n';
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createLockFile(lockPath, text, owner.token)) return new OutputLock(output, lockPath, owner, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
      const state = await readLock(lockPath);
      if (!state) continue; // released meanwhile
      if (!isStale(state, staleMs, Date.now())) throw new OutputBusyError(output, lockPath, state.owner);
      await breakStale(lockPath, state.raw);
    }
    const state = await readLock(lockPath);
    throw new OutputBusyError(output, lockPath, state?.owner);
  }

  private async heartbeat(): Promise<void> {
    if (this.released) return;
    try {
      const state = await readLock(this.path);
      if (this.released) return;
      // A lock another process is still writing reads empty or cut: not a verdict yet, the next beat reads it whole.
      if (state && !state.owner) return;
      if (state?.owner?.token !== this.owner.token) {
        this.stop();
        this.lostController.abort(new OutputBusyError(this.output, this.path, state?.owner));
        return;
      }
      const now = new Date();
      await fsp.lutimes(this.path, now, now);
    } catch {
      /* a missed beat; the next one tries again */
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    held.delete(this.owner.token);
    if (held.size === 0) process.off('exit', removeHeldLocksAtExit);
  }

  /** Removes the lock if it is still this holder's. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stop();
    const state = await readLock(this.path).catch(() => undefined);
    if (state?.owner?.token === this.owner.token) await fsp.unlink(this.path).catch(() => undefined);
  }

  /** For process exit (a second Ctrl-C exits at once): the same, synchronously. */
  releaseSync(): void {
    if (this.released) return;
    this.released = true;
    this.stop();
    const raw = readLockSync(this.path);
    if (raw !== undefined && parseOwner(raw)?.token === this.owner.token) {
      try {
        unlinkSync(this.path);
      } catch {
        /* gone already */
      }
    }
  }
}

/**
 * Runs `job` holding the locks of `outputs` (taken in a fixed order, so two jobs on overlapping
 * sets cannot each hold one and wait for the other). `lost` aborts if another process takes one
 * over. Every lock is released when the job settles.
 */
export async function withOutputLocks<T>(outputs: readonly string[], options: OutputLockOptions, job: (lost: AbortSignal) => Promise<T>): Promise<T> {
  const byCanonical = new Map<string, string>();
  for (const o of outputs) if (!byCanonical.has(lockPathFor(o))) byCanonical.set(lockPathFor(o), o);
  const locks: OutputLock[] = [];
  try {
    for (const key of [...byCanonical.keys()].sort()) locks.push(await OutputLock.acquire(byCanonical.get(key)!, options));
    return await job(locks.length === 1 ? locks[0].lost : AbortSignal.any(locks.map((l) => l.lost)));
  } finally {
    await Promise.all(locks.map((l) => l.release()));
  }
}
