/**
 * Keeps the endpoints' rate windows beside a job's files (`<out>.rate.json` and the like), so that
 * a run started right after another one on the same output continues the window instead of opening
 * a fresh one: two back-to-back runs under `--rpm 600` sent 610 requests in one minute. Also keeps a
 * pause a server asked for with Retry-After, so a rerun before its end sends nothing.
 *
 * The file is rewritten (temp + rename) every second while the job runs and when it ends; a killed
 * run loses at most its last second of send times. It is written only for endpoints that have
 * limits (or a pause); what it holds expires with the window.
 */
import { constants as fsc, promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../jsonl/atomicWrite';
import type { EndpointPool } from './endpointPool';

const MAX_BYTES = 8 * 1024 * 1024;
const SAVE_EVERY_MS = 1000;

interface RateFile {
  version: 1;
  endpoints: Record<string, unknown>;
}

/** The file's state, or undefined when there is none or it is not one (a damaged file only loses the window). */
async function readRateFile(path: string): Promise<RateFile | undefined> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(path, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = await h.stat();
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    const v = JSON.parse(await h.readFile('utf8')) as RateFile;
    return v && v.version === 1 && v.endpoints && typeof v.endpoints === 'object' ? v : undefined;
  } catch {
    return undefined;
  } finally {
    await h.close();
  }
}

export class RateStateFile {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private last = '';

  private constructor(
    private readonly pool: EndpointPool,
    readonly path: string,
    private existed: boolean,
  ) {}

  /** Loads what an earlier run left into the pool's limiters, and saves the window from now on. */
  static async open(pool: EndpointPool, path: string): Promise<RateStateFile> {
    const earlier = await readRateFile(path);
    if (earlier) pool.importRateState(earlier.endpoints);
    pool.keepsRateStateIn(path);
    const keeper = new RateStateFile(pool, path, earlier !== undefined);
    keeper.timer = setInterval(() => void keeper.save(), SAVE_EVERY_MS);
    keeper.timer.unref();
    return keeper;
  }

  /** Writes the current window (serialized: a slow disk never has two writes racing). */
  save(): Promise<void> {
    this.saving = this.saving.then(() => this.write()).catch(() => undefined);
    return this.saving;
  }

  private async write(): Promise<void> {
    if (!this.existed && !this.pool.hasRateLimits()) return;
    const text = JSON.stringify({ version: 1, endpoints: this.pool.exportRateState() } satisfies RateFile) + '\n';
    if (text === this.last) return;
    await writeFileAtomic(this.path, text);
    this.last = text;
    this.existed = true;
  }

  /** Stops the periodic save and writes the final window. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.save();
  }
}
