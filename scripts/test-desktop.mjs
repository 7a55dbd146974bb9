#!/usr/bin/env node
// `npm run test:desktop`: the same integration suites in desktop VS Code, downloaded by
// @vscode/test-electron (needs access to VS Code's update servers, which these CI machines lack;
// there `npm test` runs them in code-server instead).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-desktop-'));
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(tmp, 'user-data')}`],
    extensionTestsEnv: { PAIRWISE_TEST_WORKSPACE: workspace, PAIRWISE_TEST_TMP: tmp },
  });
} catch (e) {
  console.error(`desktop integration tests failed: ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
