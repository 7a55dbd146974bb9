#!/usr/bin/env node
// Runs the integration suites (out/test/integration/index.js) inside a real VS Code: code-server
// with this extension as the development extension, its workbench opened in Debian's Chromium.
// This is how VS Code runs its own browser integration tests: the workbench calls
// codeAutomationExit(code) when the test module's run() settles. Run `node esbuild.js` first.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';

const require = createRequire(import.meta.url);
const host = require('../out/test/support/codeServer.js');
const { chromium } = require('playwright-core');

const TIMEOUT_MS = Number(process.env.PAIRWISE_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);
const root = host.REPO_ROOT;

try {
  host.ensureTestHost();
} catch (e) {
  console.error(String(e.message ?? e));
  process.exit(2);
}

// --restricted: the hostile workspace suite (test/integration/restricted), with workspace trust on,
// so the folder opens in Restricted Mode; the other suites run without it.
const restricted = process.argv.includes('--restricted');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-it-'));
let workspace = path.join(tmp, 'workspace');
let hostile;
if (restricted) {
  const { buildHostileWorkspace } = require('../out/test/support/hostileWorkspace.js');
  hostile = buildHostileWorkspace(tmp, path.join(root, 'test', 'fixtures', 'workspace', 'labeling', 'chat.candidates.jsonl'));
  workspace = hostile.workspace;
} else {
  // The suites edit files: they get a copy of the fixture workspace, never the repo's files.
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
}

const server = await host.startCodeServer({
  folder: workspace,
  userDataDir: path.join(tmp, 'user-data'),
  extensionsDir: path.join(tmp, 'extensions'),
  workspaceTrust: restricted,
  // No trust dialog: an untrusted folder simply opens in Restricted Mode.
  settings: restricted ? { 'security.workspace.trust.startupPrompt': 'never' } : undefined,
  env: {
    PAIRWISE_TEST_WORKSPACE: workspace,
    PAIRWISE_TEST_TMP: tmp,
    PAIRWISE_TEST_RESTRICTED: restricted ? '1' : '',
    ...(hostile ? { PAIRWISE_TEST_OUTSIDE: hostile.outside, PAIRWISE_TEST_OUTSIDE_HASH: hostile.outsideHash } : {}),
  },
  onOutput: (l) => process.env.PAIRWISE_DEBUG && console.error(`[code-server] ${l}`),
});

const browser = await chromium.launch({ executablePath: host.CHROMIUM, args: host.CHROMIUM_ARGS, headless: true });
let exitCode = 1;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await browser.close().catch(() => undefined);
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => cleanup().then(() => process.exit(143)));

try {
  const page = await browser.newPage();
  const done = new Promise((resolve) => {
    page.exposeFunction('codeAutomationLog', (type, args) => {
      // The extension host forwards console calls as (format, ...args), like console.log itself.
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      if (type === 'error') console.error(text);
      else console.log(text);
    });
    page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  page.on('pageerror', (e) => process.env.PAIRWISE_DEBUG && console.error(`[page error] ${e.message}`));
  // The browser's console, webviews included (their service worker says there why a view waits).
  page.on('console', (m) => process.env.PAIRWISE_DEBUG && console.error(`[browser ${m.type()}] ${m.text()}`));
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(path.join(root, 'out', 'test', 'integration', 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS).unref());
  const result = await Promise.race([done, timeout]);
  if (result === 'timeout') {
    console.error(`integration tests did not finish within ${TIMEOUT_MS / 1000} s`);
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'test-results', 'integration-timeout.png') }).catch(() => undefined);
    exitCode = 1;
  } else {
    exitCode = Number(result);
  }
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (hostile) {
    // Whatever the suite reported: nothing outside the hostile workspace may have changed.
    const { hashTree } = require('../out/test/support/hostileWorkspace.js');
    if (hashTree(hostile.outside) !== hostile.outsideHash) {
      console.error(`the hostile workspace run changed ${hostile.outside}, outside the workspace`);
      exitCode = 1;
    }
  }
  await cleanup();
}
process.exit(exitCode);
