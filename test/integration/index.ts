/**
 * The integration test module, run inside the extension host of a real VS Code: by
 * scripts/runIntegration.mjs (code-server + Chromium) and by scripts/test-desktop.mjs
 * (@vscode/test-electron). It exports `run()` as both runners expect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: path.join(__dirname, '..', 'support', 'statsReporter.js'),
  });
  const grep = process.env.PAIRWISE_TEST_GREP;
  if (grep) mocha.grep(grep);
  // The hostile workspace suites run on their own, in Restricted Mode (runIntegration.mjs --restricted).
  const restricted = process.env.PAIRWISE_TEST_RESTRICTED === '1';
  const restrictedDir = path.join(__dirname, 'restricted') + path.sep;
  for (const f of testFiles(__dirname).sort()) if (f.startsWith(restrictedDir) === restricted) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
