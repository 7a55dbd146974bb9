import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, freePort } from '../support/codeServer';
import { RESULTS_DIR } from './workbench';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('e2e: npm start', function () {
  this.timeout(240_000);
  let child: ChildProcess | undefined;
  let state: string;
  before(() => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-start-'));
  });
  after(() => {
    if (child?.pid && processAlive(child.pid)) child.kill('SIGKILL');
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('serves the extension on the sample workspace, and Ctrl-C leaves nothing running', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.mjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PAIRWISE_PORT: String(port), PAIRWISE_USE_CODE_SERVER: '1', PAIRWISE_START_STATE: state },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed; output:\n${out}`)), 180_000);
      const check = () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      };
      child!.stdout!.on('data', check);
      child!.on('exit', (c) => reject(new Error(`npm start exited (${c}):\n${out}`)));
    });
    assert.ok(url.includes(`:${port}/`), 'the requested port is used');
    assert.ok(decodeURIComponent(url).endsWith(path.join(REPO_ROOT, 'samples')), 'the sample workspace is opened');

    // A new user opens the URL: the samples are there and broken.jsonl shows its problems.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.jsonl' });
      await row.waitFor({ timeout: 60_000 });
      await row.click();
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS_DIR, 'e2e-npm-start-samples.png') });
    } finally {
      await browser.close();
    }

    // Ctrl-C: the launcher stops code-server and its whole process group.
    const serverPids = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(state);
        } catch {
          return false;
        }
      })
      .map(Number);
    assert.ok(serverPids.length > 0, 'code-server processes were found while running');
    const exited = new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(serverPids.filter(processAlive), [], 'no code-server process survives Ctrl-C');
  });
});
