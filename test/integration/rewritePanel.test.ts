/**
 * Rewrite in the labeling panel, in a real VS Code: messages sent through the panel's own handler
 * (as the webview sends them) open the editor on an answer, keep the draft in the host (a reloaded
 * webview gets it back), refuse an unchanged rewrite, save it (the rewrite line and the decision it
 * implies on disk before the next state), undo and redo it, and export it with Export Preferences.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { ExportPreferencesResult } from '../../src/extension/exportPreferencesCommand';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { responseHash } from '../../src/core/labeling/hashing';
import { validateFile } from '../../src/core/validate/pipeline';
import { waitFor } from './waitFor';
import { workspacePath, logLines } from './workspaceFiles';

describe('Labeling panel: rewrite', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const input = () => workspacePath('labeling', 'chat.candidates.jsonl');
  const log = () => workspacePath('labeling', 'it-rewriter.labels.jsonl');
  const panel = () => api.labelingPanelForTest();
  const state = (): LabelingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
    fs.rmSync(log(), { force: true });
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(log(), { force: true });
  });

  it('opens an answer, keeps the draft in the host, refuses an unchanged rewrite, saves with the decision it implies, undoes, redoes and exports', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-rewriter' });
    const p = await waitFor('the labeling panel', () => (panel()?.lastState()?.resume.logPath === log() ? panel() : undefined));
    const first = state().session.pair!;
    assert.equal(first.index, 0);
    assert.deepEqual(state().keys.rewrite, ['e']);

    // E with the right column focused: the webview names the side.
    await p.handleMessage({ type: 'rewriteOpen', key: first.key, side: 'right' });
    let ed = state().rewrite?.editor;
    assert.ok(ed, 'the editor is open in the state');
    assert.equal(ed.side, 'right');
    assert.equal(ed.original, first.right.content);
    assert.equal(ed.text, first.right.content);

    // The typed text goes to the host, which answers with the word diff.
    const typed = `${first.right.content} It has been the capital since the 10th century.`;
    await p.handleMessage({ type: 'rewriteDraft', key: first.key, side: 'right', text: typed });
    ed = state().rewrite!.editor!;
    assert.equal(ed.text, typed);
    assert.ok(ed.diff.some((d) => d.op === 'insert' && d.text.includes('10th century')), JSON.stringify(ed.diff));
    assert.deepEqual(state().resume.rewrite, { key: first.key, side: 'right', text: typed }, 'the webview persists the draft for a window reload');
    // A reloaded webview (it posts ready) gets the draft back from the host.
    await p.handleMessage({ type: 'ready' });
    assert.equal(state().rewrite?.editor?.text, typed);

    // Unchanged or empty: refused, nothing written, the editor stays open.
    await p.handleMessage({ type: 'rewriteSave', key: first.key, side: 'right', text: `${first.right.content}\n` });
    assert.match(state().message?.text ?? '', /same as the original answer/);
    await p.handleMessage({ type: 'rewriteSave', key: first.key, side: 'right', text: '   ' });
    assert.match(state().message?.text ?? '', /empty rewrite/);
    assert.equal(logLines(log()).length, 0);
    assert.ok(state().rewrite?.editor);

    // Save: the rewrite, then the decision "right is better", both on disk before the next pair shows.
    await p.handleMessage({ type: 'rewriteSave', key: first.key, side: 'right', text: typed });
    let lines = logLines(log());
    assert.equal(lines.length, 2);
    assert.equal(lines[0].kind, 'rewrite');
    assert.equal(lines[0].text, typed);
    assert.equal(lines[0].base, responseHash(first.right.content));
    assert.equal(lines[0].annotator, 'it-rewriter');
    assert.equal(lines[1].choice, 'right');
    assert.equal(lines[1].right, responseHash(first.right.content));
    assert.equal(state().session.pair?.index, 1);
    assert.equal(state().rewrite?.editor, undefined);
    assert.match(state().message?.text ?? '', /saved, and the pair labeled/);
    assert.equal(state().session.canUndo, true);

    // Undo: the rewrite and its decision are retracted; the pair is back with no label.
    await p.handleMessage({ type: 'undo' });
    lines = logLines(log());
    assert.equal(lines.length, 4);
    assert.deepEqual([lines[2].retract, lines[3].retract].sort(), [lines[0].id, lines[1].id].sort());
    assert.equal(state().session.pair?.index, 0);
    assert.equal(state().session.pair?.decision, undefined);
    assert.equal(state().rewrite, undefined);
    // Redo: both again.
    await p.handleMessage({ type: 'redo' });
    lines = logLines(log());
    assert.equal(lines.length, 6);
    assert.equal(lines[4].kind, 'rewrite');
    assert.equal(lines[4].redo, lines[0].id);
    assert.equal(lines[5].choice, 'right');
    assert.equal(state().session.pair?.index, 1);

    // Back on the first pair: the badge of the saved rewrite, and E opens it again from the rewrite.
    await p.handleMessage({ type: 'jump', index: 0 });
    assert.deepEqual(state().rewrite?.saved, { side: 'right', chars: typed.length });
    await p.handleMessage({ type: 'rewriteOpen', key: first.key });
    assert.equal(state().rewrite?.editor?.text, typed);
    assert.equal(state().rewrite?.editor?.fromSaved, true);
    await p.handleMessage({ type: 'rewriteCancel' });
    assert.equal(state().rewrite?.editor, undefined);
    assert.equal(logLines(log()).length, 6, 'cancel writes nothing');

    // Export: the decided pair and the rewrite pairs (vs original and vs the other answer), and the rewrite as SFT.
    const out = workspacePath('labeling', 'out', 'rewrites.trl.jsonl');
    const sft = workspacePath('labeling', 'out', 'rewrites.sft.jsonl');
    const r = (await vscode.commands.executeCommand('pairwise.exportPreferences', {
      input: input(),
      logs: [log()],
      format: 'trl-preference',
      formatOptions: { variant: 'standard' },
      output: out,
      rewrites: 'with-other',
      rewritesSft: { output: sft, format: 'sharegpt' },
    })) as ExportPreferencesResult;
    assert.equal(r.summary.pairs, 1);
    assert.deepEqual([r.summary.rewrites.vsOriginal, r.summary.rewrites.vsOther], [1, 1]);
    assert.equal(r.summary.written, 3);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { chosen: string; rejected: string });
    assert.deepEqual(rows.filter((x) => x.chosen === typed).map((x) => x.rejected).sort(), [first.left.content, first.right.content].sort());
    const check = await validateFile(out);
    assert.deepEqual(check.problems, []);
    assert.equal(r.rewritesSft?.written, 1);
    const sftCheck = await validateFile(sft, { format: 'sharegpt' });
    assert.deepEqual(sftCheck.problems, []);
    assert.equal(sftCheck.records, 1);
  });
});
