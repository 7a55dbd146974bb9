/**
 * The labeling panel in a real VS Code: a session started by command with arguments, decisions sent
 * through the panel's own message handler (as the webview would), the label log checked on disk
 * after each, undo, dispose and reopen (resume), and export validated by the formats engine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { ExportPreferencesResult } from '../../src/extension/exportPreferencesCommand';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { validateFile } from '../../src/core/validate/pipeline';
import { waitFor } from './waitFor';

function workspacePath(...parts: string[]): string {
  return path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, ...parts);
}

function logLines(file: string): Record<string, unknown>[] {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'every line of the log is complete');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Labeling panel', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const input = () => workspacePath('labeling', 'chat.candidates.jsonl');
  const log = () => workspacePath('labeling', 'it-ann.labels.jsonl');
  const panel = () => api.labelingPanelForTest();
  const state = (): LabelingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('labels, undoes, resumes after the panel is closed, and exports trl-preference and sharegpt-preference', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-ann' });
    const p = await waitFor('the labeling panel', () => panel());
    let s = state();
    assert.equal(s.session.annotator, 'it-ann');
    // 7 prompts: six with two responses, one with three (all pairs: 3) → 9 pairs.
    await waitFor('the whole input indexed', () => p.lastState()?.session.progress.totalFinal || (void p.handleMessage({ type: 'ready' }), false));
    s = state();
    assert.equal(s.session.progress.total, 9);
    assert.equal(s.session.pair?.index, 0);
    assert.equal(s.resume.logPath, log());
    // The state names no model: nothing in it tells which side is which model.
    assert.doesNotMatch(JSON.stringify(s.session), /"alpha"|"beta"|"gamma"|leftModel|rightModel/);

    const choices = ['left', 'right', 'tie', 'both_bad', 'skip'] as const;
    for (let i = 0; i < choices.length; i++) {
      const key = state().session.pair!.key;
      await p.handleMessage({ type: 'decide', choice: choices[i], key, ...(i === 0 ? { strength: 'clearly' as const, rationale: 'more detail' } : {}) });
      const lines = logLines(log());
      assert.equal(lines.length, i + 1, 'the decision is on disk when the next pair is shown');
      assert.equal(lines[i].choice, choices[i]);
      assert.equal(lines[i].annotator, 'it-ann');
      assert.equal(state().session.pair?.index, i + 1);
    }
    assert.equal(logLines(log())[0].strength, 'clearly');
    assert.equal(logLines(log())[0].rationale, 'more detail');
    assert.equal(state().session.progress.done, 4);
    assert.equal(state().session.progress.skipped, 1);

    // A stale key (a decision meant for a pair no longer on screen) is refused, nothing written.
    await p.handleMessage({ type: 'decide', choice: 'left', key: 'stale' });
    assert.equal(logLines(log()).length, 5);
    assert.match(state().message?.text ?? '', /changed/);

    // Undo appends a retraction and shows the skipped pair again.
    await p.handleMessage({ type: 'undo' });
    let lines = logLines(log());
    assert.equal(lines.length, 6);
    assert.equal(lines[5].retract, lines[4].id);
    assert.equal(state().session.pair?.index, 4);
    await p.handleMessage({ type: 'decide', choice: 'left', key: state().session.pair!.key });
    assert.equal(state().session.pair?.index, 5);

    // The draft rationale lives in the host: it is in the next state.
    await p.handleMessage({ type: 'draft', key: state().session.pair!.key, rationale: 'half-typed', strength: 'slightly' });
    await p.handleMessage({ type: 'diff', on: true });
    assert.equal(state().draft.rationale, 'half-typed');
    assert.ok(state().session.pair?.diff?.length, 'the word diff is in the state when toggled on');

    // Close the panel, start again: the session resumes at the first undecided pair (index 5).
    await p.disposeAndWait();
    assert.equal(panel(), undefined);
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-ann' });
    const p2 = await waitFor('the reopened panel', () => panel());
    assert.notEqual(p2, p);
    assert.equal(state().session.pair?.index, 5);
    assert.equal(state().session.progress.done, 5);
    assert.equal(state().session.canUndo, false, 'undo history is per session');
    // Filters and jump.
    await p2.handleMessage({ type: 'filter', filter: 'all' });
    await p2.handleMessage({ type: 'jump', index: 2 });
    assert.equal(state().session.pair?.index, 2);
    assert.equal(state().session.pair?.decision?.choice, 'tie');
    await p2.handleMessage({ type: 'jump', index: 99 });
    assert.match(state().message?.text ?? '', /No such pair/);
    await p2.handleMessage({ type: 'filter', filter: 'unlabeled' });
    assert.equal(state().session.pair?.index, 5);

    // A second annotator's log beside the input gives agreement and win rates.
    const other = workspacePath('labeling', 'chat.candidates.bob.labels.jsonl');
    const mine = logLines(log()).filter((l) => !l.retract && l.id !== lines[4].id);
    fs.writeFileSync(other, mine.map((l) => JSON.stringify({ ...l, id: `bob-${l.id as string}`, annotator: 'bob' })).join('\n') + '\n');
    lines = logLines(log());

    const trlOut = workspacePath('labeling', 'out', 'prefs.trl.jsonl');
    const trl = (await vscode.commands.executeCommand('pairwise.exportPreferences', {
      input: input(),
      logs: [log(), other],
      format: 'trl-preference',
      formatOptions: { variant: 'conversational' },
      output: trlOut,
      rule: 'majority',
    })) as ExportPreferencesResult;
    // Pairs 0 (left) and 1 (right) and 4 (left) were won by one side: 3 records; tie, both bad out.
    assert.equal(trl.summary.written, 3);
    assert.deepEqual(trl.summary.excluded, { ties: 1, bothBad: 1, skipped: 0, conflicts: 0 });
    const trlCheck = await validateFile(trlOut);
    assert.equal(trlCheck.format, 'trl-preference');
    assert.equal(trlCheck.records, 3);
    assert.deepEqual(trlCheck.problems, []);
    assert.equal(trl.agreement?.report?.percent, 100);
    assert.equal(trl.agreement?.report?.cohenKappa, 1);
    assert.ok(trl.agreement!.winRates.length >= 2);

    const sgOut = workspacePath('labeling', 'out', 'prefs_sharegpt.json');
    const sg = (await vscode.commands.executeCommand('pairwise.exportPreferences', {
      input: input(),
      logs: [log()],
      format: 'sharegpt-preference',
      output: sgOut,
    })) as ExportPreferencesResult;
    assert.equal(sg.summary.written, 3);
    const sgCheck = await validateFile(sgOut);
    assert.equal(sgCheck.format, 'sharegpt-preference');
    assert.deepEqual(sgCheck.problems, []);
    const info = JSON.parse(fs.readFileSync(workspacePath('labeling', 'out', 'dataset_info.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    assert.equal(info.prefs_sharegpt.file_name, 'prefs_sharegpt.json');
    assert.equal(info.prefs_sharegpt.ranking, true);
    assert.equal(info.prefs_sharegpt.formatting, 'sharegpt');

    // The panel shows what the export computed, and computes it on request.
    assert.equal(state().agreement?.report?.annotators.length, 2);
    await p2.handleMessage({ type: 'agreement' });
    assert.deepEqual(state().agreement?.annotators.sort(), ['bob', 'it-ann']);
  });

  it('audits a preference dataset blind, and reports a torn log line when the session opens', async () => {
    const dataset = workspacePath('dpo_en_excerpt.json');
    const torn = workspacePath('labeling', 'audit.labels.jsonl');
    fs.writeFileSync(torn, '{"v":1,"id":"x","pair":"tor');
    const seen: string[] = [];
    const original = vscode.window.showWarningMessage;
    // Record the notification text (the message still reaches the real API).
    (vscode.window as { showWarningMessage: typeof original }).showWarningMessage = ((msg: string, ...rest: never[]) => {
      seen.push(msg);
      return original(msg, ...rest);
    }) as typeof original;
    try {
      await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(dataset), { logPath: torn, annotator: 'auditor' });
      const p = await waitFor('the audit panel', () => (panel()?.lastState()?.resume.logPath === torn ? panel() : undefined));
      const s = p.lastState()!;
      assert.equal(s.resume.input.kind, 'audit');
      assert.equal(s.session.progress.total, 3);
      assert.equal(s.session.problems.log[0]?.kind, 'torn');
      const shown = s.session.pair!;
      assert.doesNotMatch(JSON.stringify(shown), /chosen|rejected/);
      await waitFor('the torn-line warning', () => seen.find((m) => /torn last line/.test(m)));
      await p.handleMessage({ type: 'decide', choice: 'left', key: shown.key });
      // The new decision starts on a line of its own after the torn one.
      const text = fs.readFileSync(torn, 'utf8');
      assert.equal(text.split('\n').filter((l) => l.trim()).length, 2);
      assert.ok(text.endsWith('\n'));
      await p.disposeAndWait();
    } finally {
      (vscode.window as { showWarningMessage: typeof original }).showWarningMessage = original;
    }
  });
});
