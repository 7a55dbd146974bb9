/** Waiting in the e2e tests: a probe polled until it holds, and the Dataset View's frame of a file. */
import type { Frame } from 'playwright-core';
import type { Workbench } from './workbench';

/** Polls `probe` until it gives a truthy value (returned), or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The Dataset View's frame for a file: its header names the file (the workbench page also shows file names in tabs). */
export async function datasetViewFrame(wb: Workbench, fileName: string, timeoutMs = 60_000): Promise<Frame> {
  return until(
    `a Dataset View of ${fileName}`,
    async () => {
      for (const f of wb.page.frames()) {
        const title = await f.evaluate(() => document.querySelector('.view-head h1')?.textContent ?? '').catch(() => '');
        if (title === fileName) return f;
      }
      return undefined;
    },
    timeoutMs,
  );
}
