/**
 * Rank mode in a real VS Code: a session started by the Rank Candidates command with arguments,
 * rankings sent through the panel's own message handler (as the webview would), the log checked on
 * disk after each commit, the order in progress kept across a webview reload, and resume after the
 * panel is closed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { RankingViewState } from '../../src/protocol/ranking';
import { waitFor } from './waitFor';
import { workspacePath, logLines } from './workspaceFiles';

const PROMPTS = [
  { id: 'a', q: 'Capital of Italy?', answers: { m1: 'Rome', m2: 'Milan', m3: 'Rome, since 1871.' } },
  { id: 'b', q: 'Largest planet?', answers: { m1: 'Jupiter', m2: 'Saturn', m3: 'Jupiter, by far.', m4: 'Earth' } },
  { id: 'c', q: 'Two only', answers: { m1: 'x', m2: 'y' } },
];

describe('Rank mode panel', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const input = () => workspacePath('labeling', 'it-rank.candidates.jsonl');
  const log = () => workspacePath('labeling', 'it-rank.labels.jsonl');
  const panel = () => api.rankingPanelForTest();
  const state = (): RankingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };
  /** Display positions, best first, that put the answers in this order of text. */
  const order = (texts: string[]) => {
    const shown = state().session.item!.candidates.map((c) => c.content);
    return texts.map((t) => [shown.indexOf(t)]);
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
    const lines = PROMPTS.map((p) => JSON.stringify({ id: p.id, prompt: [{ role: 'user', content: p.q }], responses: Object.entries(p.answers).map(([model, content]) => ({ model, content })) }));
    fs.writeFileSync(input(), lines.join('\n') + '\n');
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [input(), log()]) fs.rmSync(f, { force: true });
  });

  it('ranks by messages, each ranking on disk at once; keeps the order in progress; resumes after closing', async () => {
    await vscode.commands.executeCommand('pairwise.startRanking', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-ranker' });
    const p = await waitFor('the rank panel', () => panel());
    let s = state();
    assert.equal(s.session.progress.total, 2, 'the two-answer prompt is left to pair mode');
    assert.equal(s.session.item?.index, 0);
    assert.equal(s.session.item?.candidates.length, 3);
    assert.doesNotMatch(JSON.stringify(s), /"m1"|"m2"|"m3"|models/, 'no model names reach the webview');

    // An order in progress is kept by the host: a reloaded webview gets it back with the state.
    const draft = order(['Rome, since 1871.', 'Rome', 'Milan']);
    await p.handleMessage({ type: 'order', key: s.session.item!.key, order: draft, picked: 1 });
    await p.handleMessage({ type: 'ready' });
    assert.deepEqual(state().draft.order, draft);
    assert.equal(state().draft.picked, 1);

    await p.handleMessage({ type: 'rank', key: s.session.item!.key, order: draft });
    let lines = logLines(log());
    assert.equal(lines.length, 1, 'the ranking is on disk when the next prompt is shown');
    assert.equal(lines[0].v, 2);
    assert.equal(lines[0].annotator, 'it-ranker');
    assert.equal((lines[0].ranking as string[][]).length, 3);
    s = state();
    assert.equal(s.session.item?.index, 1);
    assert.equal(s.session.progress.done, 1);

    // A stale key is refused and nothing is written; a ranking that leaves a candidate out too.
    await p.handleMessage({ type: 'rank', key: 'stale', order: [[0], [1], [2], [3]] });
    assert.match(state().message?.text ?? '', /changed/);
    await p.handleMessage({ type: 'rank', key: s.session.item!.key, order: [[0], [1]] });
    assert.match(state().message?.text ?? '', /exactly once/);
    // A message that is not a RankingToHost is dropped at the door.
    await p.handleMessage({ type: 'rank', key: s.session.item!.key, order: 'all' });
    assert.equal(logLines(log()).length, 1);

    // Undo retracts; the prompt shows again with a fresh order.
    await p.handleMessage({ type: 'undo' });
    lines = logLines(log());
    assert.equal(lines.length, 2);
    assert.equal(lines[1].retract, lines[0].id);
    assert.equal(state().session.item?.index, 0);
    await p.handleMessage({ type: 'rank', key: state().session.item!.key, order: order(['Rome', 'Rome, since 1871.', 'Milan']) });

    // Close in the middle: the committed ranking stays, the queue resumes at the second prompt.
    await p.disposeAndWait();
    await vscode.commands.executeCommand('pairwise.startRanking', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-ranker' });
    const p2 = await waitFor('the reopened rank panel', () => panel());
    assert.notEqual(p2, p);
    s = state();
    assert.equal(s.session.item?.index, 1);
    assert.equal(s.session.progress.done, 1);
    // Tie at the top: Jupiter answers share the first tier.
    const jupiter = order(['Jupiter', 'Jupiter, by far.', 'Saturn', 'Earth']);
    await p2.handleMessage({ type: 'rank', key: s.session.item!.key, order: [[...jupiter[0], ...jupiter[1]], jupiter[2], jupiter[3]] });
    s = state();
    assert.equal(s.session.item, undefined);
    assert.equal(s.session.progress.done, 2);
    lines = logLines(log());
    assert.equal((lines[lines.length - 1].ranking as string[][])[0].length, 2);

    // The export expands the rankings and validates.
    const out = workspacePath('labeling', 'out', 'it-rank.trl.jsonl');
    const r = (await vscode.commands.executeCommand('pairwise.exportPreferences', {
      input: input(),
      logs: [log()],
      format: 'trl-preference',
      formatOptions: { variant: 'standard' },
      output: out,
      rankings: 'best-vs-rest',
    })) as { summary: { pairs: number; excluded: { ties: number }; rankings: { rankings: number } } };
    // best-vs-rest: Rome over both (2); the tied Jupiters each over Saturn and Earth (4), their tie left out.
    assert.equal(r.summary.rankings.rankings, 2);
    assert.equal(r.summary.pairs, 6);
    assert.equal(r.summary.excluded.ties, 1);
    fs.rmSync(out, { force: true });
  });

  it('has a strict CSP and drops malformed messages: nothing written, no error, one line in the log', async () => {
    const guardLog = workspacePath('labeling', 'it-rank-guard.labels.jsonl');
    try {
      await vscode.commands.executeCommand('pairwise.startRanking', vscode.Uri.file(input()), { logPath: guardLog, annotator: 'it-guard' });
      const p = await waitFor('the rank panel on the guard log', () => (panel()?.lastState()?.resume.logPath === guardLog ? panel() : undefined));
      const html = p.panel.webview.html;
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
      assert.match(csp, /form-action 'none'/);
      const key = state().session.item!.key;
      const view = 'rank panel of it-rank.candidates.jsonl';
      const before = api.logLines().filter((l) => l.includes(view)).length;
      const malformed: unknown[] = [
        { type: 'rank', key, order: [[0], [1], [-2]] },
        { type: 'rank', key, order: [['0'], [1], [2]] },
        { type: 'rank', order: [[0], [1], [2]] }, // no key: would skip the check that the prompt is still on screen
        { type: 'rank', key, order: [[0], [1], [2]], annotator: 'mallory' },
        { type: 'order', key, order: [[0, 1, 2]], picked: -1 },
        { type: 'order', key, order: 'all', picked: 0 },
        { type: '__proto__' },
        null,
        [{ type: 'undo' }],
      ];
      for (const m of malformed) await p.handleMessage(m);
      assert.ok(!fs.existsSync(guardLog) || fs.readFileSync(guardLog, 'utf8') === '', 'nothing was written to the label log');
      const lines = api.logLines().filter((l) => l.includes(view));
      assert.equal(lines.length - before, 1, `one line per view, not one per message: ${lines.join(' | ')}`);
      assert.match(lines.at(-1)!, /was dropped: ranking\.rank\.order/);
      // The panel still works.
      await p.handleMessage({ type: 'rank', key, order: [[0], [1], [2]] });
      assert.equal(logLines(guardLog).length, 1);
      await p.disposeAndWait();
    } finally {
      fs.rmSync(guardLog, { force: true });
    }
  });
});
