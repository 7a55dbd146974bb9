import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { hasWords, scanSource, scanTree } from './userVisibleLiterals';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('user-visible string literals', () => {
  it('src/extension passes no literal text straight to the UI (wrap it in vscode.l10n.t)', () => {
    const found = scanTree(root, 'src/extension', false).map((f) => `${f.file}:${f.line}:${f.column} ${f.where}: ${JSON.stringify(f.text)}`);
    assert.deepEqual(found, []);
  });

  it('webview-ui puts no literal text into the DOM (wrap it in l10n.t)', () => {
    const found = scanTree(root, 'webview-ui', true).map((f) => `${f.file}:${f.line}:${f.column} ${f.where}: ${JSON.stringify(f.text)}`);
    assert.deepEqual(found, []);
  });

  it('flags literals, templates and concatenations in the watched places, and only words', () => {
    const src = [
      "vscode.window.showInformationMessage('Saved the file.');",
      'vscode.window.showErrorMessage(`Failed: ${e}`, "Retry");',
      "vscode.window.showQuickPick([{ label: '$(check)' }, { label: 'Keep all' }], { placeHolder: 'Pick ' + n });",
      "item.text = '$(database) 42';",
      "item.tooltip = vscode.l10n.t('Fine {0}', x);",
      "vscode.window.withProgress({ title: `Indexing ${name}` }, (p) => { p.report({ message: 'half way' }); });",
      "vscode.window.showInputBox({ prompt: vscode.l10n.t('Name'), placeHolder: 'dataset_info.json' });",
    ].join('\n');
    const found = scanSource('a.ts', src, false).map((f) => `${f.line}:${f.text}`);
    assert.deepEqual(found, ['1:Saved the file.', '2:Failed: ', '2:Retry', '3:Keep all', '3:Pick ', '6:Indexing ', '6:half way']);
    const web = scanSource('w.ts', "el('p', 'hint', 'Click a bar');\nb.textContent = `${n}%`;\nx.setAttribute('aria-label', 'Close');\nel('p', 'x', l10n.t('Fine'));", true);
    assert.deepEqual(web.map((f) => `${f.line}:${f.text}`), ['1:Click a bar', '3:Close']);
    assert.equal(hasWords('$(sync~spin) {0}'), false);
    assert.equal(hasWords('train.jsonl → pairwise.stats.model'), false);
    assert.equal(hasWords('数据集'), true);
  });
});
