import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetViewSession } from '../../src/extension/datasetViewSession';
import type { DatasetState, DatasetViewToHost, HostToDatasetView, RecordCard } from '../../src/protocol/datasetView';
import { WEBVIEW_LOAD_TIMEOUT_MS, waitFor } from './waitFor';
import { revertToDisk } from './workspaceFiles';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0];
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

/** Polls an async probe (the host-side session is reached through a command). */
async function waitForAsync<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sessionFor(uri: vscode.Uri): Promise<DatasetViewSession> {
  return waitForAsync('a Dataset View session', async () => (await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', uri)) ?? undefined);
}

async function ask<T extends HostToDatasetView['type']>(s: DatasetViewSession, m: DatasetViewToHost, type: T): Promise<Extract<HostToDatasetView, { type: T }>> {
  const reply = await s.handle(m);
  assert.equal(reply?.type, type, `reply to ${m.type}`);
  return reply as Extract<HostToDatasetView, { type: T }>;
}

async function cards(s: DatasetViewSession, indexes: number[]): Promise<RecordCard[]> {
  return (await ask(s, { type: 'window', id: 1, indexes }, 'records')).records;
}

async function matches(s: DatasetViewSession, query: Extract<DatasetViewToHost, { type: 'query' }>['query']): Promise<Extract<HostToDatasetView, { type: 'queryResult' }>> {
  return ask(s, { type: 'query', id: 2, query }, 'queryResult');
}

function activeCustomTab(viewType: string, uri: vscode.Uri): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === viewType && t.input.uri.toString() === uri.toString());
}

function content(card: RecordCard, turn: number): unknown {
  return (card.value!.messages as { content: string }[])[turn].content;
}

describe('Dataset View', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens as a custom editor on a JSON-array dataset', async () => {
    const uri = workspaceFile('sharegpt_preference.json');
    await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
    const tab = await waitFor('a Dataset View tab', () =>
      vscode.window.tabGroups.activeTabGroup.tabs.find(
        (t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'pairwise.datasetView' && t.input.uri.toString() === uri.toString(),
      ),
    );
    assert.equal(tab.label, 'sharegpt_preference.json');
  });

  it('is offered only as an option: a .jsonl still opens in the text editor by default', async () => {
    const uri = workspaceFile('broken.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('a tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputText, 'the default editor is the text editor');
  });

  it('answers ready, windows and queries from its record index', async () => {
    const uri = workspaceFile('chat_sample.jsonl');
    await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
    const s = await sessionFor(uri);
    const { state } = await ask(s, { type: 'ready', query: { search: 'persisted' } }, 'state');
    assert.equal(state.fileName, 'chat_sample.jsonl');
    assert.equal(state.records, 4);
    assert.equal(state.format, 'openai-chat');
    assert.equal(state.readOnly, false);
    assert.deepEqual(state.query, { search: 'persisted' }, 'the query the webview persisted comes back with the state');
    assert.deepEqual([...state.roles].sort(), ['assistant', 'system', 'user']);
    assert.ok(state.errors + state.warnings > 0, 'record 3 (two user turns, no reply) has problems');

    const got = await cards(s, [3, 1, 40]);
    assert.deepEqual(got.map((c) => c.index), [3, 1]);
    assert.equal(content(got[0], 0), 'Translate "chat" to English');
    assert.equal(got[1].line, 2);

    assert.deepEqual((await matches(s, { search: 'CHAT' })).matches, [3]);
    assert.deepEqual((await matches(s, { search: 'PARROT', caseSensitive: true })).matches, []);
    assert.deepEqual((await matches(s, { search: '\\b(blue|hi)\\b', regex: true })).matches, [0, 2]);
    const bad = await matches(s, { search: 'a(b', regex: true });
    assert.match(bad.error ?? '', /Invalid regular expression/);
    assert.equal(bad.total, 0);
    assert.deepEqual((await matches(s, { role: 'system' })).matches, [0]);
    assert.deepEqual((await matches(s, { minChars: 30 })).matches, [1, 3]);
    const withProblems = (await matches(s, { hasErrors: true })).matches!;
    assert.ok(withProblems.includes(2), `record 3 is flagged: ${JSON.stringify(withProblems)}`);
    assert.deepEqual(await matches(s, {}), { type: 'queryResult', id: 2, version: state.version, matches: null, total: 4 });
  });

  it('applies a field edit as a minimal text edit that undo restores, and shows text edits', async () => {
    const uri = workspaceFile('chat_sample.jsonl');
    await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
    const s = await sessionFor(uri);
    await ask(s, { type: 'ready' }, 'state');
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    const oldToken = '"Two, said the parrot"';
    assert.equal(before.split(oldToken).length, 2, 'the token occurs once');

    const newValue = 'Two — said "the parrot"\n<b>twice</b>';
    const r = await ask(s, { type: 'edit', id: 7, index: 1, path: ['messages', 1, 'content'], oldValue: 'Two, said the parrot', newValue }, 'editResult');
    assert.deepEqual(r, { type: 'editResult', id: 7, ok: true });
    const after = await waitFor('the edit in the document', () => doc.getText() !== before && doc.getText());
    assert.equal(after, before.replace(oldToken, JSON.stringify(newValue)), 'only that string token changed');
    assert.ok(doc.isDirty, 'the document is dirty, as after any text edit');
    assert.equal(content((await cards(s, [1]))[0], 1), newValue, 'the view shows the new value');

    const stale = await ask(s, { type: 'edit', id: 8, index: 1, path: ['messages', 1, 'content'], oldValue: 'Two, said the parrot', newValue: 'x' }, 'editResult');
    assert.equal(stale.ok, false);
    assert.match(stale.message ?? '', /changed since it was shown/);

    const tab = activeCustomTab('pairwise.datasetView', uri);
    assert.ok(tab?.isActive, 'the Dataset View is the active editor');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the text', () => doc.getText() === before);

    // An edit in the text shows in the view.
    const v0 = s.state().version;
    const at = before.indexOf('"Blue"') + 1;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 4)), 'Navy');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('a new view version', () => s.state().version > v0);
    assert.equal(content((await cards(s, [0]))[0], 2), 'Navy');
    assert.deepEqual((await matches(s, { search: 'navy' })).matches, [0]);
    await revertToDisk(doc);
    assert.equal(doc.getText(), before);
  });

  it("shows xtuner's bare message lists as chat cards and edits a turn in place, the line staying a bare list", async () => {
    const uri = workspaceFile('xtuner_bare_view.jsonl');
    const lines = [0, 1, 2].map((i) => JSON.stringify([{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }]));
    fs.writeFileSync(uri.fsPath, lines.join('\n') + '\n');
    try {
      await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
      const s = await sessionFor(uri);
      const { state } = await ask(s, { type: 'ready' }, 'state');
      assert.equal(state.format, 'openai-chat');
      assert.equal(state.records, 3);
      assert.equal(state.errors + state.warnings, 0);
      assert.deepEqual([...state.roles].sort(), ['assistant', 'user']);
      const [card] = await cards(s, [1]);
      assert.equal(content(card, 1), 'Answer 1.');
      const r = await ask(s, { type: 'edit', id: 9, index: 1, path: ['messages', 1, 'content'], oldValue: 'Answer 1.', newValue: 'Answer one.' }, 'editResult');
      assert.equal(r.ok, true, r.message);
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = await waitFor('the edit in the document', () => doc.lineAt(1).text !== lines[1] && doc.lineAt(1).text);
      assert.deepEqual(JSON.parse(line), [{ role: 'user', content: 'Question 1?' }, { role: 'assistant', content: 'Answer one.' }]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(uri.fsPath, { force: true });
    }
  });

  it('filters the view through pairwise.datasetView.filter (records and rule), run by the real webview', async function () {
    this.timeout(WEBVIEW_LOAD_TIMEOUT_MS + 30_000);
    const uri = workspaceFile('broken.jsonl');
    const ok = await vscode.commands.executeCommand<boolean>('pairwise.datasetView.filter', { uri: uri.toString(), recordIndexes: [0, 2] });
    assert.equal(ok, true);
    await waitFor('a Dataset View tab', () => activeCustomTab('pairwise.datasetView', uri));
    const s = await sessionFor(uri);
    const picked = await waitFor('the webview to run the picked-records query', () => (s.lastQuery?.query.recordIndexes ? s.lastQuery : undefined), WEBVIEW_LOAD_TIMEOUT_MS);
    assert.deepEqual(picked.query, { recordIndexes: [0, 2] });
    assert.deepEqual(picked.result.matches, [0, 2]);

    await vscode.commands.executeCommand('pairwise.datasetView.filter', { uri, rule: 'jsonl/invalid-json' });
    const byRule = await waitFor('the webview to run the rule query', () => (s.lastQuery?.query.rule ? s.lastQuery : undefined));
    assert.deepEqual(byRule.query, { rule: 'jsonl/invalid-json' });
    // broken.jsonl: records 2 ("output": 2,}) and 4 ("output" "4") are not JSON.
    assert.deepEqual(byRule.result.matches, [1, 3]);
    assert.equal(tabCount(uri), 1, 'the open view was reused');
  });

  describe('Parquet', () => {
    const name = 'generated_chat.parquet';
    const root = path.resolve(__dirname, '..', '..', '..');
    let rows: { messages: { role: string; content: string }[] }[];
    before(() => {
      // Written with hyparquet-writer (in a Node child: the package is ESM) from records of this
      // test: 2500 rows in three row groups of 1000; row 1801 ends on a user turn (an error).
      rows = Array.from({ length: 2500 }, (_, i) => ({
        messages: [{ role: 'user', content: `Question ${i}${i === 2222 ? ' about the needle' : ''}` }, ...(i === 1800 ? [] : [{ role: 'assistant', content: `Answer ${i}` }])],
      }));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-pq-int-'));
      const input = path.join(dir, 'rows.json');
      fs.writeFileSync(input, JSON.stringify(rows.map((r) => r.messages)));
      const script = [
        "import { parquetWriteBuffer } from 'hyparquet-writer';",
        "import * as fs from 'node:fs';",
        'const [input, out] = process.argv.slice(1);',
        "const data = JSON.parse(fs.readFileSync(input, 'utf8'));",
        "fs.writeFileSync(out, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'messages', data, type: 'JSON' }], rowGroupSize: 1000 })));",
      ].join('\n');
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, input, workspaceFile(name).fsPath], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      fs.rmSync(dir, { recursive: true, force: true });
      assert.equal(r.status, 0, r.stderr);
    });
    after(() => fs.rmSync(workspaceFile(name).fsPath, { force: true }));

    it('opens by default in a read-only view whose rows are read by row group, with its problems in the Problems panel', async () => {
      const uri = workspaceFile(name);
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor('a Parquet Dataset View tab', () => activeCustomTab('pairwise.datasetViewParquet', uri));
      const s = await sessionFor(uri);
      const ready = await ask(s, { type: 'ready' }, 'state');
      assert.equal(ready.state.readOnly, true);
      assert.match(ready.state.readOnlyNote ?? '', /Parquet/);
      const done = await waitFor('indexing to finish', () => s.state().indexing.done && s.state(), 60_000);
      assert.equal(done.records, rows.length);
      assert.equal(done.format, 'openai-chat');
      const served = await cards(s, [0, 999, 1000, 1800, 2499]);
      assert.deepEqual(served.map((c) => c.value), [0, 999, 1000, 1800, 2499].map((i) => rows[i]));
      assert.deepEqual(served.map((c) => c.line), [1, 1000, 1001, 1801, 2500]);
      assert.ok(served[3].problems.some((p) => p.severity === 'error'));
      assert.deepEqual((await matches(s, { search: 'needle' })).matches, [2222]);
      const edit = await ask(s, { type: 'edit', id: 3, index: 0, path: ['messages', 0, 'content'], oldValue: 'Question 0', newValue: 'x' }, 'editResult');
      assert.equal(edit.ok, false);
      const diagnostics = await waitFor('the Parquet file\'s problems in the Problems panel', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length > 0 && d;
      });
      assert.ok(diagnostics.some((d) => d.range.start.line === 1800 && d.severity === vscode.DiagnosticSeverity.Error), JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message])));
    });
  });

  describe('large-file variant', () => {
    const name = 'generated_large.jsonl';
    let file: string;
    let lines: string[];
    before(async () => {
      file = workspaceFile(name).fsPath;
      lines = [];
      let bytes = 0;
      for (let i = 0; bytes < 3 * 1024 * 1024; i++) {
        const line = i === 777 ? '{"instruction": "cut off", "output": ' : JSON.stringify({ instruction: `Task ${i}: ${i % 500 === 3 ? 'find the needle' : 'count the hay'}`, input: '', output: `Answer ${i} `.repeat(8) });
        lines.push(line);
        bytes += Buffer.byteLength(line) + 1;
      }
      fs.writeFileSync(file, lines.join('\n') + '\n');
      await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', 1, vscode.ConfigurationTarget.Workspace);
    });
    after(async () => {
      await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(file, { force: true });
    });

    it('opens above the threshold as a read-only view over its own streaming index: windows, search, filters', async () => {
      const uri = workspaceFile(name);
      await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
      await waitFor('a large-file Dataset View tab', () => activeCustomTab('pairwise.datasetViewLarge', uri));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'no text document was opened');
      const s = await sessionFor(uri);
      const ready = await ask(s, { type: 'ready' }, 'state');
      assert.equal(ready.state.readOnly, true);
      const first = await cards(s, [0, 1]);
      assert.equal((first[0].value as { instruction: string }).instruction, 'Task 0: count the hay');
      const done = await waitFor('indexing to finish', () => s.state().indexing.done && s.state(), 60_000);
      assertIndexed(done, lines.length);
      const last = lines.length - 1;
      const [lastCard, cut] = await cards(s, [last, 777]);
      assert.deepEqual(lastCard.value, JSON.parse(lines[last]));
      assert.equal(lastCard.line, lines.length);
      assert.equal(cut.text, lines[777]);
      assert.equal(cut.problems[0]?.rule, 'jsonl/invalid-json');
      const needles = lines.map((l, i) => (l.includes('needle') ? i : -1)).filter((i) => i >= 0);
      assert.deepEqual((await matches(s, { search: 'NEEDLE' })).matches, needles);
      assert.deepEqual((await matches(s, { hasErrors: true })).matches, [777]);
      assert.match((await matches(s, { search: '(', regex: true })).error ?? '', /Invalid regular expression/);
      const edit = await ask(s, { type: 'edit', id: 3, index: 0, path: ['instruction'], oldValue: 'Task 0: count the hay', newValue: 'x' }, 'editResult');
      assert.equal(edit.ok, false);
      assert.match(edit.message ?? '', /read-only/);
      assert.ok(fs.readFileSync(file, 'utf8').startsWith(lines[0]), 'the file is untouched');
    });

    it('a setting cannot raise the threshold past VS Code\'s 50 MB: a 51 MB file opens large at a threshold of 100,000 MB', async () => {
      // A cloned workspace's settings must not send a huge file to the view that reads it as one text document.
      const big = workspaceFile('over-fifty.jsonl');
      const line = Buffer.from(JSON.stringify({ instruction: 'Count the hay', input: '', output: 'hay '.repeat(60) }) + '\n');
      const block = Buffer.concat(Array.from({ length: Math.ceil((1024 * 1024) / line.length) }, () => line));
      const fd = fs.openSync(big.fsPath, 'w');
      try {
        for (let written = 0; written <= 51 * 1024 * 1024; written += block.length) fs.writeSync(fd, block);
      } finally {
        fs.closeSync(fd);
      }
      await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', 100_000, vscode.ConfigurationTarget.Workspace);
      try {
        await vscode.commands.executeCommand('pairwise.openDatasetView', big);
        await waitFor('a large-file Dataset View tab', () => activeCustomTab('pairwise.datasetViewLarge', big));
        assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === big.toString()), 'no text document was opened');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.getConfiguration('pairwise.datasetView').update('largeFileThresholdMB', 1, vscode.ConfigurationTarget.Workspace);
        fs.rmSync(big.fsPath, { force: true });
      }
    });

    it('indexes the file again when another program rewrites it: cards, counts and search follow the new text', async () => {
      const uri = workspaceFile(name);
      await vscode.commands.executeCommand('pairwise.openDatasetView', uri);
      const s = await sessionFor(uri);
      await waitFor('indexing to finish', () => s.state().indexing.done && s.state(), 60_000);
      const before = s.state().version;
      // Regenerated in place (truncated, then written), shorter, as `python prep.py > file` does.
      const fresh = Array.from({ length: 1200 }, (_, i) => JSON.stringify({ instruction: `Rewritten ${i}${i === 5 ? ' with a needle' : ''}`, input: '', output: `New answer ${i}` }));
      fs.writeFileSync(file, fresh.join('\n') + '\n');
      const after = await waitFor('the new index, complete', () => s.state().version > before && s.state().indexing.done && s.state().records === fresh.length && s.state(), 60_000);
      assert.equal(after.records, fresh.length);
      assert.equal(after.errors, 0);
      const [first, last] = await cards(s, [0, fresh.length - 1]);
      assert.deepEqual(first.value, JSON.parse(fresh[0]));
      assert.deepEqual(last.value, JSON.parse(fresh[fresh.length - 1]));
      assert.deepEqual((await matches(s, { search: 'needle' })).matches, [5]);
    });
  });
});

function assertIndexed(state: DatasetState, records: number): void {
  assert.equal(state.records, records);
  assert.equal(state.format, 'alpaca');
  assert.equal(state.indexing.error, undefined);
  assert.ok(state.errors >= 1);
}

function tabCount(uri: vscode.Uri): number {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString()).length;
}
