import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_BIN, REPO_ROOT, ensureTestHost, extensionId } from '../support/codeServer';

function files(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, base) : [path.relative(base, p)];
  });
}

describe('e2e: npm run package', function () {
  this.timeout(300_000);

  it('builds a .vsix with the bundles, media and README only, which installs in code-server', () => {
    ensureTestHost();
    const r = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /WARNING/i, 'vsce packages without warnings');
    const vsix = path.join(REPO_ROOT, 'dist-vsix', 'pairwise.vsix');
    assert.ok(fs.statSync(vsix).size > 10_000);

    const ext = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-vsix-'));
    try {
      const inst = spawnSync(CODE_SERVER_BIN, ['--extensions-dir', ext, '--user-data-dir', path.join(ext, 'ud'), '--install-extension', vsix], { encoding: 'utf8' });
      assert.equal(inst.status, 0, `install failed:\n${inst.stdout}\n${inst.stderr}`);
      const installed = path.join(ext, extensionId().folderName);
      // vsce stores README and CHANGELOG in lower case.
      const list = files(installed).map((f) => (/^(readme|changelog)\.md$/i.test(f) ? f.toLowerCase() : f));
      for (const f of ['package.json', 'readme.md', 'LICENSE.txt', 'dist/extension.js', 'dist/cli.js', 'dist/curateWorker.js', 'dist/searchWorker.js', 'dist/webview/datasetView.js', 'media/datasetView.css', 'media/icon.png', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json']) {
        assert.ok(list.includes(f), `${f} is in the package (got ${list.join(', ')})`);
      }
      for (const f of list) assert.doesNotMatch(f, /^(src|test|node_modules|samples|bench|scripts|out)\/|\.map$|\.ts$/, `${f} must not be packaged`);
    } finally {
      fs.rmSync(ext, { recursive: true, force: true });
    }
  });
});
