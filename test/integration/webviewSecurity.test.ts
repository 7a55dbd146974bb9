/**
 * What a webview can make the extension host do, in a real VS Code: every Pairwise webview's
 * Content-Security-Policy; malformed messages posted through the real panels' message handlers
 * (as a webview running injected script could post them) are dropped with no write and no error,
 * and logged once per view; a catastrophic regular expression in the Dataset View search stops at
 * the time bound; the guidelines file of the labeling panel refuses devices, pipes, folders and
 * big files.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REGEX_TIME_LIMIT_MS } from '../../src/core/curate/regexTimeLimit';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { DatasetViewSession } from '../../src/extension/datasetViewSession';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

async function sessionFor(uri: vscode.Uri): Promise<DatasetViewSession> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', uri);
    if (s) return s;
    if (Date.now() > deadline) throw new Error(`no Dataset View session for ${uri.fsPath}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The directives of the CSP in a webview's HTML. */
function csp(html: string): Map<string, string> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the webview has a CSP meta tag');
  return new Map(
    m[1]
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')] as [string, string]),
  );
}

function assertStrictCsp(html: string, view: string): void {
  const d = csp(html);
  assert.equal(d.get('default-src'), "'none'", view);
  assert.equal(d.get('form-action'), "'none'", `${view}: form-action`);
  assert.equal(d.get('base-uri'), "'none'", `${view}: base-uri`);
  assert.match(d.get('script-src') ?? '', /^'nonce-[A-Za-z0-9+/=]+'$/, `${view}: only the nonced script`);
}

describe('Webview security', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const dir = () => workspacePath('webview-security');
  const logsAbout = (view: string) => api.logLines().filter((l) => l.includes(view));

  before(async () => {
    api = await vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!.activate();
    fs.mkdirSync(dir(), { recursive: true });
  });
  after(async () => {
    await api.labelingPanelForTest()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir(), { recursive: true, force: true });
  });

  it('the labeling panel drops malformed messages: nothing written, no error, one line in the log', async () => {
    const log = path.join(dir(), 'guard.labels.jsonl');
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(workspacePath('labeling', 'chat.candidates.jsonl')), { logPath: log, annotator: 'it-guard', otherLogs: [] });
    const p = await waitFor('the labeling panel', () => api.labelingPanelForTest());
    const state = (): LabelingViewState => p.lastState()!;
    await waitFor('a pair on screen', () => p.lastState()?.session.pair);
    assertStrictCsp(p.panel.webview.html, 'labeling');
    const logBefore = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    const before = state();
    const key = before.session.pair!.key;
    const view = 'labeling panel of chat.candidates.jsonl';
    const linesBefore = logsAbout(view).length;

    const malformed: unknown[] = [
      { type: 'decide', choice: 'evil', key },
      { type: 'decide', choice: 'left' }, // no key: would skip the check that the pair is still on screen
      { type: 'decide', choice: 'left', key, annotator: 'mallory' },
      { type: 'decide', choice: 'right', key: 42 },
      { type: 'decide', choice: 'tie', key, rationale: { length: 1e9 } },
      { type: 'jump', index: -1 },
      { type: 'jump', index: '3' },
      { type: 'filter', filter: 'bogus' },
      { type: 'diff', on: 'yes' },
      { type: 'openLink', href: { toString: 'javascript:alert(1)' } },
      { type: 'draft', key, rationale: ['a'] },
      { type: '__proto__' },
      null,
      'decide',
      [{ type: 'undo' }],
    ];
    for (const m of malformed) await p.handleMessage(m);

    assert.equal(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', logBefore, 'nothing was written to the label log');
    assert.deepEqual(state().session.pair?.index, before.session.pair?.index, 'the same pair is on screen');
    assert.equal(state().session.filter, before.session.filter);
    assert.equal(state().diffOn, before.diffOn);
    const lines = logsAbout(view);
    assert.equal(lines.length - linesBefore, 1, `one line per view, not one per message: ${lines.join(' | ')}`);
    assert.match(lines.at(-1)!, /was dropped: labeling\.decide\.choice: expected one of left, right, tie, both_bad, skip/);

    // The panel still works.
    await p.handleMessage({ type: 'decide', choice: 'left', key });
    const written = fs.readFileSync(log, 'utf8').trim().split('\n').slice(logBefore ? logBefore.trim().split('\n').length : 0);
    assert.equal(written.length, 1);
    assert.equal((JSON.parse(written[0]) as { choice: string; annotator: string }).choice, 'left');
    await p.disposeAndWait();
  });

  it('the Dataset View drops malformed messages: the document is left alone, no error, one line in the log', async () => {
    const uri = vscode.Uri.file(workspacePath('chat_sample.jsonl'));
    await vscode.commands.executeCommand('vscode.openWith', uri, 'pairwise.datasetView');
    const s = await sessionFor(uri);
    assertStrictCsp(s.panel.webview.html, 'Dataset View');
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const view = 'Dataset View of chat_sample.jsonl';
    const linesBefore = logsAbout(view).length;
    const path0 = ['messages', 1, 'content'];

    const malformed: unknown[] = [
      // A number or an object where the new string goes: would change the type of the field.
      { type: 'edit', id: 1, index: 0, path: path0, oldValue: 'Name a colour', newValue: 42 },
      { type: 'edit', id: 2, index: 0, path: path0, oldValue: 'Name a colour', newValue: { evil: true } },
      // No oldValue: would skip the check that the field still holds what was shown.
      { type: 'edit', id: 3, index: 0, path: path0, newValue: 'changed' },
      { type: 'edit', id: 4, index: 0, path: 'messages', oldValue: 'Name a colour', newValue: 'changed' },
      { type: 'window', id: 5, indexes: 5 },
      { type: 'window', id: 6, indexes: [0, 'x'] },
      { type: 'query', id: 7, query: { search: 'Blue', minChars: '3' } },
      { type: 'query', id: 8, query: 'Blue' },
      { type: 'reveal', index: {} },
      { type: 'ready', query: { recordIndexes: 'all' } },
      { type: 'constructor' },
      undefined,
    ];
    for (const m of malformed) assert.equal(await s.handle(m), undefined, JSON.stringify(m));

    assert.equal(doc.getText(), text, 'the document is unchanged');
    assert.equal(doc.isDirty, false);
    const lines = logsAbout(view);
    assert.equal(lines.length - linesBefore, 1, lines.join(' | '));
    assert.match(lines.at(-1)!, /was dropped: datasetView\.edit\.newValue: expected a string/);

    // The view still answers.
    const reply = await s.handle({ type: 'query', id: 9, query: { search: 'Blue' } });
    assert.equal(reply?.type, 'queryResult');
    assert.deepEqual(reply?.type === 'queryResult' && reply.matches, [0]);
  });

  it(`a catastrophic regular expression in the Dataset View search stops after ${REGEX_TIME_LIMIT_MS / 1000} s with a message`, async () => {
    const file = path.join(dir(), 'backtrack.jsonl');
    fs.writeFileSync(file, [{ instruction: 'fine', input: '', output: 'ok' }, { instruction: 'a'.repeat(40) + 'b', input: '', output: 'x' }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'pairwise.datasetView');
    const s = await sessionFor(uri);
    const started = Date.now();
    const reply = await s.handle({ type: 'query', id: 1, query: { search: '(a+)+$', regex: true } });
    const ms = Date.now() - started;
    assert.equal(reply?.type, 'queryResult');
    assert.equal(reply?.type === 'queryResult' && reply.error, `The regular expression took longer than ${REGEX_TIME_LIMIT_MS / 1000} s on one record; simplify it.`);
    assert.ok(ms >= REGEX_TIME_LIMIT_MS && ms < REGEX_TIME_LIMIT_MS + 10_000, `answered after ${ms} ms`);
    // The next search runs.
    const again = await s.handle({ type: 'query', id: 2, query: { search: 'a+b', regex: true } });
    assert.deepEqual(again?.type === 'queryResult' && again.matches, [1]);
  });

  it('the large-file Dataset View and the statistics report have the same CSP; the report drops malformed messages', async () => {
    const uri = vscode.Uri.file(workspacePath('chat_sample.jsonl'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', 0, vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
      const s = await waitFor('the large-file view', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'pairwise.datasetViewLarge'));
      assert.ok(s);
      assertStrictCsp((await sessionFor(uri)).panel.webview.html, 'large-file Dataset View');
    } finally {
      await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', undefined, vscode.ConfigurationTarget.Workspace);
    }

    await vscode.commands.executeCommand('pairwise.showStatistics', uri, {});
    const p = await waitFor('the statistics report', () => api.statisticsPanelForTest());
    await p.whenComputed();
    assertStrictCsp(p.panel.webview.html, 'statistics');
    const view = 'statistics report of chat_sample.jsonl';
    const linesBefore = logsAbout(view).length;
    for (const m of [{ type: 'filterBin', chart: 'tokensPerRecord', bin: '0' }, { type: 'filterBin', chart: '__proto__', bin: 0 }, { type: 'recompute', now: true }, 42]) {
      assert.equal(await p.handleMessage(m), undefined, JSON.stringify(m));
    }
    const lines = logsAbout(view);
    assert.equal(lines.length - linesBefore, 1, lines.join(' | '));
    assert.match(lines.at(-1)!, /was dropped: statistics\.filterBin\.bin: expected an integer ≥ 0/);
    assert.equal(p.lastState().status, 'done');
  });

  it('the labeling panel refuses a guidelines file that is a device, a pipe, a folder or too big, and says why', async () => {
    const fifo = path.join(dir(), 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    fs.writeFileSync(path.join(dir(), 'big.md'), Buffer.alloc((1 << 20) + 1, 'a'));
    const cfg = () => vscode.workspace.getConfiguration('pairwise.labeling');
    const log = path.join(dir(), 'guidelines.labels.jsonl');
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(workspacePath('labeling', 'chat.candidates.jsonl')), { logPath: log, annotator: 'it-guidelines', otherLogs: [] });
    const p = await waitFor('the labeling panel', () => api.labelingPanelForTest());
    try {
      const cases: [string, RegExp][] = [
        ['/dev/zero', /^\/dev\/zero is not a regular file \(a folder, a device or a pipe\); name a Markdown file$/],
        ['webview-security/pipe.md', /^webview-security\/pipe\.md is not a regular file/],
        ['webview-security', /^webview-security is not a regular file/],
        ['webview-security/big.md', /^webview-security\/big\.md is larger than 1 MB, the limit for a guidelines file$/],
      ];
      for (const [setting, message] of cases) {
        await cfg().update('guidelinesFile', setting, vscode.ConfigurationTarget.Workspace);
        const g = await waitFor(`the guidelines state for ${setting}`, () => p.lastState()?.guidelines?.file === setting && p.lastState()?.guidelines, 10_000);
        assert.equal(g.markdown, undefined);
        assert.match(g.error ?? '', message);
      }
      // A Markdown file is shown.
      await cfg().update('guidelinesFile', 'labeling/guidelines.md', vscode.ConfigurationTarget.Workspace);
      const ok = await waitFor('the guidelines', () => p.lastState()?.guidelines?.file === 'labeling/guidelines.md' && p.lastState()?.guidelines);
      assert.match(ok.markdown ?? '', /# Labeling guidelines/);
    } finally {
      await cfg().update('guidelinesFile', undefined, vscode.ConfigurationTarget.Workspace);
      await p.disposeAndWait();
    }
  });
});
