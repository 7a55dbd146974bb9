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
import { pairIdOf, promptHash, responseHash } from '../../src/core/labeling/hashing';
import type { Message } from '../../src/core/model';
import { waitFor } from './waitFor';
import { workspacePath, logLines } from './workspaceFiles';

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
    // Bradley-Terry scores beside the win rates, each inside its bootstrap interval.
    const board = trl.agreement!.leaderboard ?? [];
    assert.deepEqual(board.map((e) => e.model).sort(), trl.agreement!.winRates.map((w) => w.model).sort());
    for (const e of board) assert.ok(e.lower! <= e.score && e.score <= e.upper!, JSON.stringify(e));

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
    const dataset = workspacePath('sharegpt_preference.json');
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

describe('Labeling panel: AI judge suggestions', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const dir = () => workspacePath('judged');
  const input = () => path.join(dir(), 'chat.candidates.jsonl');
  const judgements = () => path.join(dir(), 'chat.candidates.judgements.jsonl');
  const panel = () => api.labelingPanelForTest();
  const state = (): LabelingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };
  const config = () => vscode.workspace.getConfiguration('pairwise.judge');
  /** For each pair (by its two response texts, sorted): the text the judge prefers, or 'tie'/'uncertain'. */
  const expected = new Map<string, string>();
  const keyOf = (x: string, y: string) => JSON.stringify([x, y].sort());
  let uncertainKey = '';
  let tieKey = '';

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
    fs.mkdirSync(dir(), { recursive: true });
    fs.copyFileSync(workspacePath('labeling', 'chat.candidates.jsonl'), input());
    // Judgements as judgeJob writes them: `a` is the response first in the candidates line.
    const lines: string[] = [];
    const records = fs
      .readFileSync(input(), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; prompt: Message[]; responses: { model: string; content: string }[] });
    records.forEach((r, k) => {
      const ph = promptHash(r.prompt);
      for (let i = 0; i < r.responses.length; i++) {
        for (let j = i + 1; j < r.responses.length; j++) {
          const [ra, rb] = [r.responses[i], r.responses[j]];
          const a = { index: i, model: ra.model, hash: responseHash(ra.content) };
          const b = { index: j, model: rb.model, hash: responseHash(rb.content) };
          const pair = pairIdOf(ph, a.hash, b.hash);
          // Alternate A and B so the judge's pick sits on either side of the canonical order; p5 is a tie, p6 uncertain.
          let verdict: string = k % 2 === 0 ? 'A' : 'B';
          let votes = [verdict, verdict];
          if (r.id === 'p5') votes = [(verdict = 'tie'), 'tie'];
          if (r.id === 'p6') [verdict, votes] = ['uncertain', ['A', 'B']];
          const key = keyOf(ra.content, rb.content);
          expected.set(key, verdict === 'A' ? ra.content : verdict === 'B' ? rb.content : verdict);
          if (r.id === 'p5') tieKey = key;
          if (r.id === 'p6') uncertainKey = key;
          const line = { pair, id: r.id, a, b, verdict, votes, judge: { endpoint: 'local', model: 'judge-model', key: 'k1' }, aspects: ['helpfulness'], ts: new Date().toISOString() };
          if (r.id === 'p1') {
            // An older verdict for the same pair, the other way round: the later line must win.
            lines.push(JSON.stringify({ ...line, verdict: verdict === 'A' ? 'B' : 'A', votes: verdict === 'A' ? ['B', 'B'] : ['A', 'A'], judge: { ...line.judge, model: 'old-judge' } }));
            lines.push(JSON.stringify({ ...line, reason: 'Names the capital directly.' }));
          } else lines.push(JSON.stringify(line));
        }
      }
    });
    lines.splice(2, 0, '{"pair": "not json', '[1,2,3]', JSON.stringify({ pair: 'x.y.z', a: { hash: 'q' }, b: { hash: 'r' }, verdict: 'A' }));
    // A last line a judge job is still writing.
    fs.writeFileSync(judgements(), lines.join('\n') + '\n{"pair":"' + 'abc');
    await config().update('showSuggestions', 'afterDecision', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await config().update('showSuggestions', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The side the judge's pick must appear on, from the texts on screen. */
  function expectedSide(s: LabelingViewState): string {
    const pair = s.session.pair!;
    const pick = expected.get(keyOf(pair.left.content, pair.right.content));
    assert.ok(pick !== undefined, 'every pair on screen has a judgement');
    return pick === 'tie' || pick === 'uncertain' ? pick : pick === pair.left.content ? 'left' : 'right';
  }

  it('hides the verdict until the pair is decided (afterDecision), then shows it on the side shown, swapped sides included, with the agreement figure', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: path.join(dir(), 'ann.labels.jsonl'), annotator: 'judge-it' });
    const p = await waitFor('the labeling panel', () => (panel()?.lastState()?.resume.input.path === input() ? panel() : undefined));
    await waitFor('the whole input indexed', () => p.lastState()?.session.progress.totalFinal || (void p.handleMessage({ type: 'ready' }), false));
    let s = state();
    assert.ok(s.judge, 'the judgements file beside the input is loaded');
    assert.equal(s.judge.mode, 'afterDecision');
    assert.equal(s.judge.file, 'chat.candidates.judgements.jsonl');
    assert.equal(s.judge.judged, 9, 'one verdict per pair, the older p1 line replaced, the torn last line left out');
    assert.equal(s.judge.badLines, 3);
    assert.deepEqual(s.judge.agreement, { pairs: 0, agree: 0, percent: null });

    // Before each decision nothing of the verdict is in the state; after it, on the side it was shown.
    const sides: string[] = [];
    let agree = 0;
    let comparable = 0;
    for (let i = 0; i < 9; i++) {
      s = state();
      assert.equal(s.session.pair?.index, i);
      assert.equal(s.judge?.pending, true);
      assert.equal(s.judge?.suggestion, undefined);
      // (lastDecided is the verdict on the pair decided before, no longer on screen.)
      const seen = JSON.stringify({ ...s.judge, lastDecided: undefined });
      assert.doesNotMatch(seen, /"verdict"|judge-model|capital/, 'no verdict, judge or reason of the pair on screen leaks before the decision');
      const side = expectedSide(s);
      sides.push(side);
      const choice = i % 3 === 0 ? 'left' : i % 3 === 1 ? 'right' : 'tie';
      if (side !== 'uncertain') {
        comparable++;
        if (side === choice) agree++;
      }
      await p.handleMessage({ type: 'decide', choice, key: s.session.pair!.key });
      s = state();
      const last = s.judge?.lastDecided;
      assert.ok(last, 'the verdict on the pair just labeled is shown once decided');
      assert.equal(last.pairNumber, i + 1);
      assert.equal(last.suggestion.verdict, side);
      assert.equal(last.suggestion.model, 'judge-model');
      assert.equal(last.suggestion.consistent, side !== 'uncertain');
      assert.equal(last.suggestion.agreesWithYou, side === 'uncertain' ? undefined : side === choice);
      assert.deepEqual(s.judge?.agreement, { pairs: comparable, agree, percent: (100 * agree) / comparable });
    }
    assert.ok(sides.includes('left') && sides.includes('right'), `the judge's pick appeared on both sides: ${sides.join(',')}`);
    assert.ok(sides.includes('tie') && sides.includes('uncertain'));

    // Back on a decided pair: the verdict is on the current pair, mapped to the side on screen.
    await p.handleMessage({ type: 'filter', filter: 'all' });
    for (let i = 0; i < 9; i++) {
      await p.handleMessage({ type: 'jump', index: i });
      s = state();
      assert.equal(s.judge?.pending, undefined);
      assert.equal(s.judge?.suggestion?.verdict, expectedSide(s), `pair ${i + 1}`);
      if (s.session.pair!.left.content.includes('Paris') && s.judge?.suggestion?.verdict !== 'uncertain') assert.equal(s.judge?.suggestion?.reason, 'Names the capital directly.');
    }

    // Undo brings the last pair back undecided: hidden again, and the agreement no longer counts it.
    await p.handleMessage({ type: 'undo' });
    s = state();
    assert.equal(s.session.pair?.index, 8);
    assert.equal(s.session.pair?.decision, undefined);
    assert.equal(s.judge?.suggestion, undefined);
    assert.equal(s.judge?.pending, true);
    const lastSide = sides[8];
    assert.equal(s.judge?.agreement.pairs, comparable - (lastSide === 'uncertain' ? 0 : 1));

    // A skip is not a decision: the verdict stays hidden.
    await p.handleMessage({ type: 'decide', choice: 'skip', key: s.session.pair!.key });
    await p.handleMessage({ type: 'jump', index: 8 });
    assert.equal(state().judge?.suggestion, undefined);
    assert.equal(state().judge?.pending, true);
  });

  it('shows the verdict at once with "always", and reloads the judgements when the file changes', async () => {
    const p = panel()!;
    await config().update('showSuggestions', 'always', vscode.ConfigurationTarget.Workspace);
    const s = await waitFor('the always mode', () => (p.lastState()?.judge?.mode === 'always' ? p.lastState() : undefined));
    // Pair 9 is still undecided (skipped): its verdict shows now.
    assert.equal(s.session.pair?.index, 8);
    assert.equal(s.session.pair?.decision?.choice, 'skip');
    assert.equal(s.judge?.suggestion?.verdict, expectedSide(s));
    assert.equal(s.judge?.suggestion?.agreesWithYou, undefined);

    // Undecided pairs of a fresh annotator show it too, mapped to the side on screen.
    await p.disposeAndWait();
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: path.join(dir(), 'fresh.labels.jsonl'), annotator: 'someone-else' });
    const p2 = await waitFor('the fresh panel', () => (panel()?.lastState()?.resume.annotator === 'someone-else' ? panel() : undefined));
    for (let i = 0; i < 9; i++) {
      await p2.handleMessage({ type: 'jump', index: i });
      const st = state();
      assert.equal(st.session.pair?.decision, undefined);
      assert.equal(st.judge?.suggestion?.verdict, expectedSide(st), `pair ${i + 1}`);
    }

    // A judge job rewrites the verdict of the tie pair: the panel picks up the appended line.
    await p2.handleMessage({ type: 'jump', index: 0 });
    let tieIndex = -1;
    for (let i = 0; i < 9 && tieIndex < 0; i++) {
      await p2.handleMessage({ type: 'jump', index: i });
      const pair = state().session.pair!;
      if (keyOf(pair.left.content, pair.right.content) === tieKey) tieIndex = i;
    }
    assert.ok(tieIndex >= 0 && uncertainKey);
    const tieLine = fs
      .readFileSync(judgements(), 'utf8')
      .split('\n')
      .find((l) => l.includes('"tie"'))!;
    const updated = { ...(JSON.parse(tieLine) as Record<string, unknown>), verdict: 'B', votes: ['B', 'B'], reason: 'Shows the working.' };
    // Finish the torn line first (as the judge job would), then append.
    fs.appendFileSync(judgements(), '"}\n' + JSON.stringify(updated) + '\n');
    const after = await waitFor('the reloaded judgements', () => (p2.lastState()?.judge?.suggestion?.reason === 'Shows the working.' ? p2.lastState() : undefined), 10_000);
    const b = ((updated as Record<string, unknown>).b as { hash: string }).hash;
    const bContent = [after.session.pair!.left.content, after.session.pair!.right.content].find((c) => responseHash(c) === b);
    assert.equal(after.judge?.suggestion?.verdict, bContent === after.session.pair!.left.content ? 'left' : 'right');
    assert.equal(after.judge?.badLines, 4, 'the finished torn line is not a judgement and is counted as damaged');
    await p2.disposeAndWait();
  });
});
