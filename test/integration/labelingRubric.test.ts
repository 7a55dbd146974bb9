/**
 * Rubric scoring in the labeling panel, in a real VS Code: the rubric beside the input is found and
 * shown, scores in progress are kept by the host (a reloaded webview gets them back), a criterion
 * scored on one side only is refused, the scores line reaches the log with the decision (on disk
 * before the next pair shows), undo and redo take the scores with the decision, and a bad rubric is
 * reported by field while labeling goes on without it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { responseHash } from '../../src/core/labeling/hashing';
import { waitFor } from './waitFor';
import { workspacePath, logLines } from './workspaceFiles';

const RUBRIC = `name: answer quality
scale: { min: 1, max: 5, labels: { 1: unusable, 3: acceptable, 5: excellent } }
guidelines: |
  Read the **question** first. <script>alert(1)</script>
criteria:
  - id: helpfulness
    title: Helpfulness
    guidelines: Does it answer what was asked?
  - id: correctness
    title: Correctness
`;

const PROMPTS = [
  { id: 'a', q: 'Capital of Italy?', answers: { m1: 'Rome', m2: 'Milan, I think.' } },
  { id: 'b', q: 'Largest planet?', answers: { m1: 'Jupiter', m2: 'Saturn' } },
  { id: 'c', q: 'Boiling point of water at sea level?', answers: { m1: '100 °C', m2: '90 °C' } },
];

describe('Labeling panel with a rubric', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const input = () => workspacePath('labeling', 'it-rubric.candidates.jsonl');
  const rubricFile = () => workspacePath('labeling', 'it-rubric.candidates.rubric.yaml');
  const badRubric = () => workspacePath('labeling', 'it-bad.rubric.yaml');
  const log = () => workspacePath('labeling', 'it-rubric.labels.jsonl');
  const log2 = () => workspacePath('labeling', 'it-rubric-bad.labels.jsonl');
  const log3 = () => workspacePath('labeling', 'it-rubric-second.labels.jsonl');
  const linkInput = () => workspacePath('labeling', 'it-link.candidates.jsonl');
  const linkRubric = () => workspacePath('labeling', 'it-link.candidates.rubric.yaml');
  const linkLog = () => workspacePath('labeling', 'it-link.labels.jsonl');
  const outside = path.join(os.tmpdir(), `pw-it-outside-${process.pid}.rubric.yaml`);
  const panel = () => api.labelingPanelForTest();
  const state = (): LabelingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
    const lines = PROMPTS.map((p) => JSON.stringify({ id: p.id, prompt: [{ role: 'user', content: p.q }], responses: Object.entries(p.answers).map(([model, content]) => ({ model, content })) }));
    fs.writeFileSync(input(), lines.join('\n') + '\n');
    fs.writeFileSync(rubricFile(), RUBRIC);
    fs.writeFileSync(badRubric(), 'scale: [1, 5]\ncriteria:\n  - id: Helpfulness\n');
  });
  // A test that fails before closing its panel must not leave it to the next test.
  afterEach(async () => {
    await panel()?.disposeAndWait();
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [input(), rubricFile(), badRubric(), log(), log2(), log3(), linkInput(), linkRubric(), linkLog(), outside]) fs.rmSync(f, { force: true });
  });

  it('shows the rubric, keeps scores in progress, commits them with the decision; undo and redo take them along', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-scorer' });
    const p = await waitFor('the labeling panel', () => panel());
    let s = state();
    const r = s.rubric;
    assert.ok(r?.rubric, 'the rubric beside the input is shown');
    assert.equal(r.file, 'it-rubric.candidates.rubric.yaml');
    assert.equal(r.rubric.name, 'answer quality');
    assert.deepEqual(r.rubric.criteria.map((c) => c.id), ['helpfulness', 'correctness']);
    assert.deepEqual(r.rubric.scale, { min: 1, max: 5, labels: { 1: 'unusable', 3: 'acceptable', 5: 'excellent' } });
    assert.doesNotMatch(JSON.stringify(s), /"m1"|"m2"/, 'no model names reach the webview');
    const pair = s.session.pair!;
    const [leftHash, rightHash] = [responseHash(pair.left.content), responseHash(pair.right.content)];
    assert.ok(!JSON.stringify(s).includes(leftHash), 'no response hashes reach the webview');

    // Scores in progress: kept by the host, given back to a reloaded webview (`ready`).
    await p.handleMessage({ type: 'rubricScores', key: pair.key, left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2 } });
    await p.handleMessage({ type: 'ready' });
    assert.deepEqual(state().rubric?.draft, { key: pair.key, left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2 } });
    // Off-scale scores and unknown criteria are dropped; a malformed message is refused at the door.
    await p.handleMessage({ type: 'rubricScores', key: pair.key, left: { helpfulness: 4, correctness: 5, style: 3 }, right: { helpfulness: 2, correctness: 9 } });
    await p.handleMessage({ type: 'rubricScores', key: pair.key, left: 'all fives', right: {} });
    await p.handleMessage({ type: 'ready' });
    assert.deepEqual(state().rubric?.draft, { key: pair.key, left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2 } });

    // Correctness is scored for the left response only: the decision is refused, nothing written.
    await p.handleMessage({ type: 'decide', choice: 'left', key: pair.key });
    assert.match(state().message?.text ?? '', /Correctness/);
    assert.equal(state().session.pair?.key, pair.key);
    assert.deepEqual(logLines(log()), []);

    await p.handleMessage({ type: 'rubricScores', key: pair.key, left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2, correctness: 3 } });
    await p.handleMessage({ type: 'decide', choice: 'left', key: pair.key });
    let lines = logLines(log());
    assert.equal(lines.length, 2, 'the scores and the decision are on disk when the next pair shows');
    assert.equal(lines[0].kind, 'scores');
    assert.equal(lines[0].v, 3);
    assert.equal(lines[0].annotator, 'it-scorer');
    assert.deepEqual(lines[0].scores, { [leftHash]: { helpfulness: 4, correctness: 5 }, [rightHash]: { helpfulness: 2, correctness: 3 } });
    assert.equal(lines[1].choice, 'left');
    s = state();
    assert.notEqual(s.session.pair?.key, pair.key);
    assert.equal(s.rubric?.draft, undefined, 'a new pair starts unscored');

    // A skip writes no scores; pair 2 is decided without scores (they are optional).
    await p.handleMessage({ type: 'rubricScores', key: s.session.pair!.key, left: { helpfulness: 1 }, right: { helpfulness: 1 } });
    await p.handleMessage({ type: 'decide', choice: 'skip', key: s.session.pair!.key });
    assert.equal(logLines(log()).length, 3);
    assert.equal(logLines(log())[2].choice, 'skip');

    // Undo (the skip, then pair 1): the scores are retracted with the decision; pair 1 shows again with them in progress.
    await p.handleMessage({ type: 'undo' });
    await p.handleMessage({ type: 'undo' });
    lines = logLines(log());
    assert.deepEqual(lines.slice(4).map((l) => l.retract), [lines[1].id, lines[0].id]);
    s = state();
    assert.equal(s.session.pair?.key, pair.key);
    assert.equal(s.rubric?.committed, undefined);
    assert.deepEqual(s.rubric?.draft, { key: pair.key, left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2, correctness: 3 } });
    await p.handleMessage({ type: 'redo' });
    lines = logLines(log());
    assert.deepEqual([lines[6].kind, lines[6].redo, lines[7].choice, lines[7].redo], ['scores', lines[0].id, 'left', lines[1].id]);

    // Closed and reopened: pair 1 shows its committed scores.
    await p.disposeAndWait();
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-scorer' });
    const p2 = await waitFor('the reopened panel', () => panel() !== p && panel());
    await p2.handleMessage({ type: 'jump', index: pair.index });
    s = state();
    assert.deepEqual(s.rubric?.committed, { left: { helpfulness: 4, correctness: 5 }, right: { helpfulness: 2, correctness: 3 } });
    assert.deepEqual(s.rubric?.draft, { key: pair.key, ...s.rubric?.committed });
    // Deciding again with the same scores writes the decision only.
    await p2.handleMessage({ type: 'decide', choice: 'tie', key: pair.key });
    lines = logLines(log());
    assert.equal(lines.length, 9);
    assert.equal(lines[8].choice, 'tie');
    await p2.disposeAndWait();
  });

  it('the Agreement section compares two annotators per criterion', async () => {
    // The first test's annotator scored pair 1: helpfulness 4 and 2, correctness 5 and 3 (by answer).
    const first = logLines(log()).find((l) => l.kind === 'scores')!.scores as Record<string, Record<string, number>>;
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log3(), annotator: 'it-second', otherLogs: [log()] });
    const p = await waitFor('the labeling panel', () => panel());
    const pair = state().session.pair!;
    assert.equal(pair.index, 0);
    const [l, r] = [first[responseHash(pair.left.content)], first[responseHash(pair.right.content)]];
    // The same scores but one: helpfulness of the left answer one point apart.
    const left = { helpfulness: l.helpfulness === 5 ? 4 : l.helpfulness + 1, correctness: l.correctness };
    await p.handleMessage({ type: 'rubricScores', key: pair.key, left, right: r });
    await p.handleMessage({ type: 'decide', choice: 'right', key: pair.key });
    await p.handleMessage({ type: 'agreement' });
    const rows = state().rubric?.agreement;
    assert.deepEqual(
      rows?.map((x) => [x.criterion, x.annotators, x.responses, x.exactPercent, x.meanAbsDiff]),
      [
        ['helpfulness', ['it-scorer', 'it-second'], 2, 50, 0.5],
        ['correctness', ['it-scorer', 'it-second'], 2, 100, 0],
      ],
    );
    assert.equal(state().agreement?.annotators.length, 2);
    await p.disposeAndWait();
  });

  it('a rubric beside the input that links out of the workspace folder is not followed', async () => {
    fs.writeFileSync(outside, RUBRIC);
    fs.copyFileSync(input(), linkInput());
    fs.symlinkSync(outside, linkRubric());
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(linkInput()), { logPath: linkLog(), annotator: 'it-scorer' });
    const p = await waitFor('the labeling panel', () => panel());
    const s = state();
    assert.equal(s.rubric?.rubric, undefined);
    assert.match(s.rubric?.error ?? '', /symbolic link/);
    await p.handleMessage({ type: 'decide', choice: 'left', key: s.session.pair!.key });
    assert.equal(logLines(linkLog()).length, 1, 'labeling goes on without the rubric');
    await p.disposeAndWait();
  });

  it('a bad rubric is reported by field, and labeling goes on without it', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log2(), annotator: 'it-scorer', rubric: badRubric() });
    const p = await waitFor('the labeling panel', () => panel());
    const s = state();
    assert.equal(s.rubric?.file, 'it-bad.rubric.yaml');
    assert.match(s.rubric?.error ?? '', /criteria\[0\]\.id/);
    assert.equal(s.rubric?.rubric, undefined);
    assert.equal(s.resume.rubric, badRubric(), 'the chosen rubric is kept for a window reload');
    await p.handleMessage({ type: 'rubricScores', key: s.session.pair!.key, left: { helpfulness: 4 }, right: { helpfulness: 4 } });
    await p.handleMessage({ type: 'decide', choice: 'right', key: s.session.pair!.key });
    const lines = logLines(log2());
    assert.equal(lines.length, 1);
    assert.equal(lines[0].choice, 'right');
    await p.disposeAndWait();
  });
});
