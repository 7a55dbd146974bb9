/**
 * Opens the real VS Code workbench (code-server) in Chromium with Pairwise installed, for the
 * end-to-end scenarios: Playwright drives the command palette, editors, panels and webviews the
 * way a user does, and saves screenshots under test-results/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, ensureTestHost, linkExtension, startCodeServer, type RunningCodeServer } from '../support/codeServer';

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export interface Workbench {
  page: Page;
  workspace: string;
  server: RunningCodeServer;
  screenshot(name: string): Promise<string>;
  /** Opens a workspace file through Quick Open, as a user would. */
  openFile(name: string): Promise<void>;
  /** Runs a command through the command palette by its title. */
  runCommand(title: string): Promise<void>;
  /** The first frame (webview iframes included) whose body text contains `text`. */
  findFrame(text: string, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** User settings written before the start (e.g. `pairwise.endpoints` pointing at a test server). */
  settings?: Record<string, unknown>;
  /** Keep workspace trust on, so the folder opens in Restricted Mode. */
  workspaceTrust?: boolean;
}

export async function openWorkbench(fixtureFolder = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), options: WorkbenchOptions = {}): Promise<Workbench> {
  ensureTestHost();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(fixtureFolder, workspace, { recursive: true });
  const extensionsDir = path.join(tmp, 'extensions');
  linkExtension(extensionsDir);
  const server = await startCodeServer({ folder: workspace, userDataDir: path.join(tmp, 'user-data'), extensionsDir, settings: options.settings, workspaceTrust: options.workspaceTrust });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace once the workbench has restored.
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
    const b = browser;
    const wb: Workbench = {
      page,
      workspace,
      server,
      async screenshot(name) {
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        const file = path.join(RESULTS_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async openFile(name) {
        await page.locator('.monaco-workbench .part.editor').click();
        await page.keyboard.press('Control+P');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(name);
        await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
        await page.keyboard.press('Enter');
        await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor();
      },
      async runCommand(title) {
        await page.locator('.monaco-workbench .part.editor').click();
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(`>${title}`);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
        await page.keyboard.press('Enter');
      },
      async findFrame(text, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          for (const f of page.frames()) {
            const body = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
            if (body.includes(text)) return f;
          }
          if (Date.now() > deadline) throw new Error(`no frame shows "${text}" within ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      async close() {
        await b.close().catch(() => undefined);
        await server.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
      },
    };
    return wb;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}
