/**
 * The journal that makes a set of outputs (split's train/validation/test, dedupe's kept file and
 * report, filter's kept and removed files) replace the previous set all or nothing. Every output is
 * first written to its temp and fsynced; then a small journal listing the renames is written
 * atomically beside the first output; then the renames; then the journal is removed. A run killed
 * before the journal exists leaves the old set (and temps, removed later as stale); one killed after
 * leaves a journal that the next run in that folder (or any reader calling `recoverOutputSets`)
 * rolls forward, so the folder holds the new set. It is never left mixed.
 *
 * A journal is data in a folder the user may not trust: it is honoured only for renames of a temp
 * named after its target, in the target's own folder, onto a target that is still what it was when
 * the journal was written (a file the user changed since is left alone).
 */
import { randomBytes } from 'node:crypto';
import { constants as fsc, lstatSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { samePath } from './outputPaths';
import { HOST_TAG, isTempNameOf, tempPathFor } from './tempFiles';
import { fsyncDir } from './writeTargets';

const JOURNAL_NAME = /^\.pairwise-commit\.\d+\.[0-9a-f]{14}\.json$/;
const MAX_JOURNAL_BYTES = 1 << 20;

/** What a target was before the set was committed: its identity and content stamp, or absent. */
type Before = { ino: string; size: string; mtimeNs: string } | null;

interface JournalEntry {
  temp: string;
  target: string;
  before: Before;
}

interface Journal {
  pairwiseOutputSet: 1;
  renames: JournalEntry[];
}

async function stateOf(file: string): Promise<Before> {
  try {
    const st = await fsp.lstat(file, { bigint: true });
    return { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function sameState(a: Before, b: Before): boolean {
  return a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs);
}

/**
 * Writes the journal of `renames` (temp → target, temps already fsynced) durably into every folder
 * the set's targets are in, and returns their paths; `finishJournal` removes them once the renames
 * are done. A copy in each folder keeps the sweep of that folder (atomicWrite.ts, the next write
 * there) from taking the set's temps for a killed run's litter: it rolls the set forward instead.
 */
export async function writeJournal(renames: readonly { temp: string; target: string }[]): Promise<string[]> {
  const abs = renames.map((r) => ({ temp: path.resolve(r.temp), target: path.resolve(r.target) }));
  const name = `.pairwise-commit.${process.pid}.${HOST_TAG}${randomBytes(4).toString('hex')}.json`;
  const journal: Journal = { pairwiseOutputSet: 1, renames: [] };
  for (const r of abs) journal.renames.push({ temp: r.temp, target: r.target, before: await stateOf(r.target) });
  const files: string[] = [];
  for (const dir of foldersOf(abs)) {
    const file = path.join(dir, name);
    const temp = tempPathFor(file);
    const h = await fsp.open(temp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600);
    try {
      await h.writeFile(JSON.stringify(journal));
      await h.sync();
    } catch (e) {
      await h.close().catch(() => undefined);
      await fsp.unlink(temp).catch(() => undefined);
      await finishJournal(files);
      throw e;
    }
    await h.close();
    await fsp.rename(temp, file);
    await fsyncDir(dir);
    files.push(file);
  }
  return files;
}

/** The folders of the targets, the first target's first. */
function foldersOf(entries: readonly { target: string }[]): string[] {
  return [...new Set(entries.map((e) => path.dirname(e.target)))];
}

/** Removes the journal's copies (one per folder of the set). */
export async function finishJournal(files: readonly string[]): Promise<void> {
  for (const file of files) {
    await fsp.unlink(file).catch(() => undefined);
    await fsyncDir(path.dirname(file));
  }
}

/** Renames `temp` over `target`; a temp already gone was renamed by a roll-forward: done too. */
export async function renameEntry(temp: string, target: string): Promise<void> {
  try {
    await fsp.rename(temp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function parseJournal(text: string, dir: string): JournalEntry[] | undefined {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return undefined;
  }
  const renames = (j as Partial<Journal> | null)?.renames;
  if ((j as Partial<Journal> | null)?.pairwiseOutputSet !== 1 || !Array.isArray(renames) || renames.length === 0) return undefined;
  const entries: JournalEntry[] = [];
  for (const r of renames as unknown[]) {
    const e = r as Partial<JournalEntry> | null;
    if (!e || typeof e.temp !== 'string' || typeof e.target !== 'string' || !path.isAbsolute(e.target) || !isTempNameOf(e.temp, e.target)) return undefined;
    const b = e.before;
    if (b !== null && !(b && typeof b.ino === 'string' && typeof b.size === 'string' && typeof b.mtimeNs === 'string')) return undefined;
    entries.push({ temp: e.temp, target: e.target, before: b });
  }
  // A copy of the journal sits beside each output of its set: one naming only other folders is not one.
  if (!entries.some((e) => samePath(path.dirname(e.target), dir))) return undefined;
  return entries;
}

/** The journal named `name` in each folder of its set that holds one (a regular file, not a link). */
function copiesOf(name: string, dir: string, entries: readonly JournalEntry[]): string[] {
  const files = [path.join(dir, name)];
  for (const d of foldersOf(entries)) {
    if (samePath(d, dir)) continue;
    const file = path.join(d, name);
    try {
      if (lstatSync(file).isFile()) files.push(file);
    } catch {
      /* no copy there */
    }
  }
  return files;
}

/**
 * Completes the output sets whose commit was interrupted in `dir`: each journal's renames that
 * have not happened yet are done (temps of targets changed since are removed instead), then the
 * journal goes. Returns the targets renamed into place. Harmless beside a live commit: a rename
 * whose temp is gone was done.
 */
export async function recoverOutputSets(folder: string): Promise<string[]> {
  const dir = path.resolve(folder);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const done: string[] = [];
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (const name of names) {
    if (!JOURNAL_NAME.test(name)) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      const h = await fsp.open(file, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0));
      try {
        const st = await h.stat();
        if (!st.isFile() || st.size > MAX_JOURNAL_BYTES) continue;
        text = await h.readFile('utf8');
      } finally {
        await h.close();
      }
    } catch {
      continue; // a link, or gone: not a journal to honour
    }
    const entries = parseJournal(text, dir);
    if (!entries) continue;
    // Which renames are pending (their temp is here), done (the temp is gone, the target changed)
    // or lost (the temp is gone, the target as it was: a sweep removed it before this folder had
    // the journal, the run having been killed while writing its copies).
    const pending: JournalEntry[] = [];
    let renamed = 0;
    let lost = 0;
    for (const e of entries) {
      const temp = await fsp.lstat(e.temp).catch(() => undefined);
      // Only a regular file of this user's can be the new output (a planted link or device never).
      if (temp && temp.isFile() && (uid === undefined || temp.uid === uid)) pending.push(e);
      else if (temp) continue;
      else if (sameState((await stateOf(e.target).catch(() => undefined)) ?? null, e.before)) lost++;
      else renamed++;
    }
    // Nothing renamed yet and a part missing: the set cannot go through whole, so the old one stays.
    const rollBack = lost > 0 && renamed === 0;
    const dirs = new Set<string>();
    for (const e of pending) {
      const now = await stateOf(e.target).catch(() => undefined);
      const target = now ? await fsp.lstat(e.target).catch(() => undefined) : undefined;
      if (!rollBack && now !== undefined && sameState(now, e.before) && (!target || target.isFile())) {
        await renameEntry(e.temp, e.target);
        done.push(e.target);
      } else {
        await fsp.unlink(e.temp).catch(() => undefined);
      }
      dirs.add(path.dirname(e.target));
    }
    for (const d of dirs) await fsyncDir(d);
    await finishJournal(copiesOf(name, dir, entries));
  }
  return done;
}
