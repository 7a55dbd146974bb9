/**
 * Opens the real VS Code workbench (code-server) in Chromium with Pairwise installed, for the
 * end-to-end scenarios: Playwright drives the command palette, editors, panels and webviews the
 * way a user does, and saves screenshots under test-results/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, ensureTestHost, linkExtension, startCodeServer, type RunningCodeServer } from '../support/codeServer';

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export interface Workbench {
  page: Page;
  workspace: string;
  /** code-server's user data folder (User/settings.json, logs). */
  userDataDir: string;
  server: RunningCodeServer;
  screenshot(name: string): Promise<string>;
  /** Opens a workspace file through Quick Open, as a user would. */
  openFile(name: string): Promise<void>;
  /**
   * Runs a command through the command palette by its title. With `shows`, the command is run
   * again (up to three times) while that locator does not appear within 15 s: a webview taking
   * the focus back as the palette closes can swallow the command or close its first quick pick.
   */
  runCommand(title: string, shows?: Locator): Promise<void>;
  /**
   * Presses `key` (F1, Control+P) where the keyboard focus is and returns the quick input once it
   * shows. Right after a window reload a restored webview frame may hold the focus before its
   * key forwarding is ready and swallow the press: then the focus goes back to the workbench
   * document and the key is pressed again.
   */
  openQuickInput(key: 'F1' | 'Control+P'): Promise<Locator>;
  /** Runs a command from the palette by clicking the row whose label is exactly `title`, without clicking the editor area first. */
  runCommandExact(title: string): Promise<void>;
  /** The first frame (webview iframes included) whose body text contains `text`. */
  findFrame(text: string, timeoutMs?: number): Promise<Frame>;
  /**
   * Opens a candidates file, runs a labeling command on it (Start Labeling, Rank Candidates),
   * picks the label log beside it (`X.labels.jsonl`) and returns the panel's frame once it shows
   * `frameText`.
   */
  openLabelingPanel(file: string, command: string, frameText: string): Promise<Frame>;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** User settings written before the start (e.g. `pairwise.endpoints` pointing at a test server). */
  settings?: Record<string, unknown>;
  /** Keep workspace trust on, so the folder opens in Restricted Mode. */
  workspaceTrust?: boolean;
  /**
   * Display language, e.g. 'zh-cn', with the folder of a language pack extension for it: the pack is
   * installed beside Pairwise and registered in languagepacks.json (which VS Code writes only when
   * a pack is installed through its UI), and argv.json names the locale, where code-server reads it.
   */
  locale?: { id: string; languagePack: string };
  /** Files copied into the workspace copy beside the fixtures (name in the workspace → source), writable. */
  extraFiles?: Record<string, string>;
  /** Files written into the workspace copy beside the fixtures (name in the workspace → text), e.g. generated datasets. */
  files?: Record<string, string>;
  /** An extensions folder used as it is (e.g. with the packaged .vsix installed), instead of one linking this repository. */
  extensionsDir?: string;
}

/**
 * Registers a suite's closing hooks for its workbench: a screenshot of each failed test (under
 * test-results/), and the workbench closed after the last test.
 */
export function screenshotFailuresAndClose(workbench: () => Workbench | undefined): void {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench()?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await workbench()?.close();
  });
}

export async function openWorkbench(fixtureFolder = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), options: WorkbenchOptions = {}): Promise<Workbench> {
  ensureTestHost();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(fixtureFolder, workspace, { recursive: true });
  for (const [name, from] of Object.entries(options.extraFiles ?? {})) {
    // A source may be read-only; the workspace copy must be editable.
    fs.copyFileSync(from, path.join(workspace, name));
    fs.chmodSync(path.join(workspace, name), 0o644);
  }
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(workspace, name), text);
  const extensionsDir = options.extensionsDir ?? path.join(tmp, 'extensions');
  if (!options.extensionsDir) linkExtension(extensionsDir);
  const userDataDir = path.join(tmp, 'user-data');
  if (options.locale) {
    const { id, languagePack } = options.locale;
    fs.symlinkSync(languagePack, path.join(extensionsDir, path.basename(languagePack)), 'dir');
    const manifest = JSON.parse(fs.readFileSync(path.join(languagePack, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
      contributes: { localizations: { languageId: string; translations: { id: string; path: string }[] }[] };
    };
    const loc = manifest.contributes.localizations.find((l) => l.languageId === id);
    const core = loc?.translations.find((t) => t.id === 'vscode');
    if (!core) throw new Error(`${languagePack} translates no 'vscode' for ${id}`);
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: id }));
    const packs = {
      [id]: {
        hash: `${path.basename(languagePack)}-${Date.now()}`,
        extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
        translations: { vscode: path.resolve(languagePack, core.path) },
        label: id,
      },
    };
    fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
  }
  // code-server, like every web build of VS Code, saves an edit a second after it is made
  // (files.autoSave defaults to afterDelay there); desktop VS Code does not. The scenarios save
  // explicitly, as a desktop user does: with the web default, whether a check still saw the unsaved
  // edit depended on how busy the machine was.
  const settings = { 'files.autoSave': 'off', ...options.settings };
  const server = await startCodeServer({ folder: workspace, userDataDir, extensionsDir, settings, workspaceTrust: options.workspaceTrust });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace once the workbench has restored.
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
    const b = browser;
    /**
     * Puts the keyboard focus where F1 and Ctrl+P reach the workbench. The editor area is clicked
     * only when no webview covers it: a webview panel filling the editor area would take the click
     * (on whatever button is under the mouse). A webview that has the focus forwards key presses to
     * the workbench, so there nothing needs to be clicked.
     */
    const focusWorkbench = async (): Promise<void> => {
      const where = await page.evaluate(() => {
        const part = document.querySelector('.monaco-workbench .part.editor');
        if (!part) return 'none';
        const r = part.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const covered = !hit || hit.tagName === 'IFRAME' || !!hit.closest('.webview, iframe, [data-parent-flow-to-element-id]');
        return covered ? 'webview' : 'editor';
      });
      if (where === 'none') return;
      if (where === 'editor') {
        await page.locator('.monaco-workbench .part.editor').click();
        return;
      }
      // A webview covers the editor area: focus the one under the centre without a click (its frame forwards the keys).
      await page.evaluate(() => {
        const active = document.activeElement;
        if (active && active.tagName === 'IFRAME') return;
        const part = document.querySelector('.monaco-workbench .part.editor')!.getBoundingClientRect();
        const cx = part.left + part.width / 2;
        const cy = part.top + part.height / 2;
        const frame = [...document.querySelectorAll('iframe')].find((f) => {
          const r = f.getBoundingClientRect();
          return r.left <= cx && cx <= r.right && r.top <= cy && cy <= r.bottom;
        });
        frame?.focus();
      });
    };
    const runCommandOnce = async (title: string): Promise<void> => {
      // Right after the start the palette may not list the extension's commands yet: try again for a while.
      const deadline = Date.now() + 60_000;
      for (;;) {
        await focusWorkbench();
        const input = await wb.openQuickInput('F1');
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        try {
          await row.waitFor({ timeout: Math.max(1000, Math.min(10_000, deadline - Date.now())) });
        } catch (e) {
          if (Date.now() >= deadline) throw e;
          await page.keyboard.press('Escape');
          continue;
        }
        await page.keyboard.press('Enter');
        return;
      }
    };
    const wb: Workbench = {
      page,
      workspace,
      userDataDir,
      server,
      async screenshot(name) {
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        const file = path.join(RESULTS_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async openFile(name) {
        await focusWorkbench();
        const input = await wb.openQuickInput('Control+P');
        await input.fill(name);
        await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
        await page.keyboard.press('Enter');
        await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor();
      },
      async runCommand(title, shows) {
        for (let attempt = 1; ; attempt++) {
          await runCommandOnce(title);
          if (!shows) return;
          try {
            await shows.waitFor({ timeout: 15_000 });
            return;
          } catch (e) {
            if (attempt === 3) throw e;
            console.error(`runCommand: "${title}" showed nothing within 15 s (attempt ${attempt}); running it again`);
            await wb.screenshot(`retry-${title.replace(/\W+/g, '-')}-${attempt}`);
            await page.keyboard.press('Escape');
          }
        }
      },
      async openQuickInput(key) {
        const input = page.locator('.quick-input-widget input');
        const deadline = Date.now() + 30_000;
        for (let attempt = 0; ; attempt++) {
          if (attempt > 0) {
            console.error(`openQuickInput: ${key} opened nothing; pressing it again from the workbench document`);
            await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          }
          await page.keyboard.press(key);
          try {
            await input.waitFor({ state: 'visible', timeout: 5_000 });
            return input;
          } catch (e) {
            if (Date.now() >= deadline) throw e;
          }
        }
      },
      async runCommandExact(title) {
        const input = await wb.openQuickInput('F1');
        await input.fill(`>${title}`);
        // Fuzzy matching may rank a longer title first ("File: Compare Active File with Saved").
        const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
        await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first().click();
      },
      // 60 s: a new webview can stay blank ~30 s while VS Code's webview service worker waits out a
      // request of a view closed while loading (test/integration/waitFor.ts, WEBVIEW_LOAD_TIMEOUT_MS).
      async findFrame(text, timeoutMs = 60_000) {
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
      async openLabelingPanel(file, command, frameText) {
        await wb.openFile(file);
        const log = path.basename(file).replace(/\.jsonl$/, '.labels.jsonl');
        await wb.runCommand(command, page.locator('.quick-input-list .monaco-list-row', { hasText: `Use ${log}` }));
        await page.keyboard.press('Enter');
        return wb.findFrame(frameText, 60_000);
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
