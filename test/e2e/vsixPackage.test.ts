import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_BIN, REPO_ROOT, ensureTestHost, extensionId } from '../support/codeServer';
import { openWorkbench } from './workbench';
import { createTokenCounter } from '../../src/core/tokens/tokenCounter';

function files(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, base) : [path.relative(base, p)];
  });
}

/** The images of a Markdown text: [alt, src] in order. */
function images(markdown: string): [string, string][] {
  return [...markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => [m[1], m[2]]);
}

describe('e2e: npm run package', function () {
  this.timeout(300_000);

  it('builds a .vsix with the bundles, media and README only, which installs in code-server and shows its README with the screenshots', async () => {
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
      for (const f of ['package.json', 'readme.md', 'LICENSE.txt', 'dist/extension.js', 'dist/cli.js', 'dist/curateWorker.js', 'dist/validateWorker.js', 'dist/searchWorker.js', 'dist/tokenizer-o200k_base.bin', 'dist/tokenizer-cl100k_base.bin', 'dist/webview/datasetView.js', 'media/datasetView.css', 'media/icon.png', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json']) {
        assert.ok(list.includes(f), `${f} is in the package (got ${list.join(', ')})`);
      }
      for (const f of list) assert.doesNotMatch(f, /^(src|test|node_modules|samples|bench|scripts|out)\/|\.map$|\.ts$/, `${f} must not be packaged`);

      // The installed bundles count tokens with the tables beside them, as the repository's build does.
      const sample = path.join(ext, 'sample.jsonl');
      fs.writeFileSync(sample, JSON.stringify({ messages: [{ role: 'user', content: 'Count these tokens, please.' }, { role: 'assistant', content: 'Seven or so.' }] }) + '\n');
      for (const model of ['gpt-4o', 'gpt-4']) {
        const run = spawnSync(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'stats', '--json', '--tokens', 'exact', '--model', model, sample], { encoding: 'utf8' });
        assert.equal(run.status, 0, `the installed CLI's stats failed:\n${run.stderr}`);
        const byRole = (JSON.parse(run.stdout) as { tokensByRole: Record<string, { sum: number }> }).tokensByRole;
        const counter = createTokenCounter({ model });
        assert.deepEqual([byRole.user.sum, byRole.assistant.sum], [counter.count('Count these tokens, please.'), counter.count('Seven or so.')], model);
      }

      // No repository, homepage or issue tracker is named: the project has none that anyone owns.
      const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual([manifest.repository, manifest.homepage, manifest.bugs], [undefined, undefined, undefined]);
      // The README's screenshots travel inside it, as data: URIs of the very files in docs/images.
      const readmeName = files(installed).find((f) => /^readme\.md$/i.test(f))!;
      const packaged = fs.readFileSync(path.join(installed, readmeName), 'utf8');
      const source = images(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
      assert.ok(source.length >= 8, 'the README shows its screenshots');
      assert.deepEqual(
        images(packaged).map(([alt, src]) => [alt, src.replace(/^data:image\/png;base64,/, '')]),
        source.map(([alt, src]) => [alt, fs.readFileSync(path.join(REPO_ROOT, src)).toString('base64')]),
      );
      assert.doesNotMatch(packaged, /pairwise-dev/);

      // VS Code shows the README of the installed extension with every screenshot loaded.
      const wb = await openWorkbench(undefined, { extensionsDir: ext });
      try {
        await wb.runCommand('View: Show Extensions');
        await wb.page.locator('.extensions-viewlet .suggest-input-container').click();
        await wb.page.keyboard.type('@installed');
        await wb.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Pairwise' }).first().click();
        const readme = await wb.findFrame('Diagnostics in the trainer', 60_000);
        const shown = () =>
          readme.evaluate(() => [...document.images].map((img) => ({ complete: img.complete, width: img.naturalWidth, data: img.src.startsWith('data:image/png;base64,') })));
        const deadline = Date.now() + 30_000;
        let images = await shown();
        while (!(images.length === source.length && images.every((x) => x.complete && x.width > 0)) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 250));
          images = await shown();
        }
        assert.equal(images.length, source.length, 'every screenshot is an image in the README view');
        assert.ok(images.every((x) => x.data && x.complete && x.width > 0), `every screenshot loaded: ${JSON.stringify(images)}`);
        await wb.screenshot('e2e-vsix-readme');
      } finally {
        await wb.close();
      }
    } finally {
      fs.rmSync(ext, { recursive: true, force: true });
    }
  });
});
