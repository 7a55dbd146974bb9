import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { scanL10nCalls } from './l10nCalls';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('l10n call scanner', () => {
  it('finds the same messages as @vscode/l10n-dev on sample sources (host, webview, core)', async function () {
    this.timeout(120000);
    const files = ['webview-ui/statistics/render.ts', 'src/extension/datasetStatusBar.ts', 'src/extension/workspaceValidation.ts'].filter((f) => fs.existsSync(path.join(root, f)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-l10n-'));
    try {
      for (const f of files) fs.copyFileSync(path.join(root, f), path.join(dir, f.replace(/\//g, '_')));
      const ours = scanL10nCalls(dir, ['.']);
      const theirs = await getL10nJson(files.map((f) => ({ contents: fs.readFileSync(path.join(root, f), 'utf8'), extension: '.ts' })));
      assert.ok(ours.messages.size > 20, `only ${ours.messages.size} messages in the samples`);
      assert.deepEqual([...ours.messages.keys()].sort(), Object.keys(theirs).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports calls whose message is not a literal', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-l10n-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import * as vscode from 'vscode';\nconst m = 'x';\nvscode.l10n.t(m);\nvscode.l10n.t('Fine {0}', m);\nl10n.t(`tpl`);\n");
      const r = scanL10nCalls(dir, ['.']);
      assert.deepEqual([...r.messages.keys()].sort(), ['Fine {0}', 'tpl']);
      assert.equal(r.dynamic.length, 1);
      assert.match(r.dynamic[0], /^a\.ts:3: vscode\.l10n\.t\(m\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
