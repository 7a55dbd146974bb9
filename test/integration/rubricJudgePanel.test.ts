/**
 * The rubric judge in the labeling panel, in a real VS Code: Start Labeling with "Order: judge
 * uncertainty first" shows the pairs whose orderings disagreed first, then the closest scores,
 * keeps that order after the panel is closed and reopened, and the Agreement section shows the
 * judge against the annotator's rubric scores, criterion by criterion, with its position bias.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { pairIdOf, promptHash, responseHash } from '../../src/core/labeling/hashing';
import { makeScores } from '../../src/core/labeling/scoresRecord';
import type { Message } from '../../src/core/model';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

describe('Rubric judge in the labeling panel', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const dir = () => workspacePath('rubric-judged');
  const input = () => path.join(dir(), 'chat.candidates.jsonl');
  const log = () => path.join(dir(), 'chat.candidates.it-rj.labels.jsonl');
  const panel = () => api.labelingPanelForTest();
  const state = (): LabelingViewState => {
    const s = panel()?.lastState();
    assert.ok(s, 'the panel has sent a state');
    return s;
  };
  /** Pair number k (in file order) by its two response texts, sorted. */
  const pairNumber = new Map<string, number>();
  const keyOf = (x: string, y: string) => JSON.stringify([x, y].sort());
  const pairs: { pair: string; a: string; b: string }[] = [];
  const shownK = () => pairNumber.get(keyOf(state().session.pair!.left.content, state().session.pair!.right.content));

  before(async () => {
    const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!;
    api = await ext.activate();
    fs.rmSync(dir(), { recursive: true, force: true });
    fs.mkdirSync(dir(), { recursive: true });
    fs.copyFileSync(workspacePath('labeling', 'chat.candidates.jsonl'), input());
    const records = fs
      .readFileSync(input(), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; prompt: Message[]; responses: { model: string; content: string }[] });
    // Judgements as rubricJudgeJob.ts writes them. Pair k has margin 8 − k (consistent in both
    // orders), except pair 4: the first shown gets 5 on helpfulness in both orders (inconsistent).
    const lines: string[] = [];
    for (const r of records) {
      for (let i = 0; i < r.responses.length; i++) {
        for (let j = i + 1; j < r.responses.length; j++) {
          const [ra, rb] = [r.responses[i], r.responses[j]];
          const a = { index: i, model: ra.model, hash: responseHash(ra.content) };
          const b = { index: j, model: rb.model, hash: responseHash(rb.content) };
          const pair = pairIdOf(promptHash(r.prompt), a.hash, b.hash);
          const k = pairs.length;
          pairs.push({ pair, a: a.hash, b: b.hash });
          pairNumber.set(keyOf(ra.content, rb.content), k);
          const m = 8 - k;
          const win = { helpfulness: 1 + Math.min(4, m), correctness: 1 + Math.max(0, m - 4) };
          const lose = { helpfulness: 1, correctness: 1 };
          const scores = k === 4 ? [{ a: { helpfulness: 5, correctness: 1 }, b: lose }, { a: lose, b: { helpfulness: 5, correctness: 1 } }] : [{ a: win, b: lose }, { a: win, b: lose }];
          const verdict = k === 4 ? 'uncertain' : m > 0 ? 'A' : 'tie';
          const votes = k === 4 ? ['A', 'B'] : [verdict, verdict];
          lines.push(JSON.stringify({ pair, id: r.id, a, b, verdict, votes, judge: { endpoint: 'local', model: 'judge-model', key: 'k1' }, aspects: ['helpfulness', 'correctness'], rubric: { name: 'quality', hash: 'h1' }, scores, ts: new Date().toISOString() }));
        }
      }
    }
    fs.writeFileSync(path.join(dir(), 'chat.candidates.judgements.jsonl'), lines.join('\n') + '\n');
  });
  after(async () => {
    await panel()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir(), { recursive: true, force: true });
  });

  it('"judge uncertainty first": the inconsistent pair, then the smallest margins; the order holds after a reopen', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-rj', order: 'judgeUncertainty' });
    const p = await waitFor('the labeling panel', () => panel());
    await waitFor('the first pair', () => p.lastState()?.session.pair);
    assert.equal(state().resume.order, 'judgeUncertainty');
    assert.match(state().source, /judge uncertainty first \(9 pair\(s\) judged\)/);
    const seen: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push(shownK());
      await p.handleMessage({ type: 'decide', choice: 'tie', key: state().session.pair!.key });
      const onDisk = fs.readFileSync(log(), 'utf8').split('\n').filter(Boolean);
      assert.equal(onDisk.length, i + 1, 'the decision is on disk before the next pair shows');
    }
    // Pair 4 flipped with the order; then margins 0 (pair 8), 1 (pair 7).
    assert.deepEqual(seen, [4, 8, 7]);
    await p.disposeAndWait();

    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-rj', order: 'judgeUncertainty' });
    const p2 = await waitFor('the reopened panel', () => (panel() !== p ? panel() : undefined));
    await waitFor('the next pair', () => p2.lastState()?.session.pair);
    assert.equal(shownK(), 6, 'resumes at the next undecided pair of the same order');
    await p2.disposeAndWait();

    // Without the option: the input's own order.
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: path.join(dir(), 'chat.candidates.other.labels.jsonl'), annotator: 'other' });
    const p3 = await waitFor('a panel in input order', () => (panel() !== p2 ? panel() : undefined));
    await waitFor('the first pair', () => p3.lastState()?.session.pair);
    assert.equal(shownK(), 0);
    await p3.disposeAndWait();
    fs.rmSync(path.join(dir(), 'chat.candidates.other.labels.jsonl'), { force: true });
  });

  it('the Agreement section shows the judge against the annotator\'s rubric scores, and its position bias', async () => {
    // it-rj scored pair 0 (helpfulness: a better, as the judge) and pair 4 (b better; the judge's orders cancel to a tie).
    const score = (k: number, a: Record<string, number>, b: Record<string, number>) => JSON.stringify(makeScores({ pair: pairs[k].pair, rubric: 'h1', scores: { [pairs[k].a]: a, [pairs[k].b]: b }, annotator: 'it-rj', ms: 900 })) + '\n';
    fs.appendFileSync(log(), score(0, { helpfulness: 5, correctness: 4 }, { helpfulness: 2, correctness: 2 }) + score(4, { helpfulness: 2, correctness: 3 }, { helpfulness: 4, correctness: 3 }));
    await vscode.commands.executeCommand('pairwise.startLabeling', vscode.Uri.file(input()), { logPath: log(), annotator: 'it-rj', order: 'judgeUncertainty' });
    const p = await waitFor('the labeling panel', () => panel());
    await waitFor('the first pair', () => p.lastState()?.session.pair);
    await p.handleMessage({ type: 'agreement' });
    const r = await waitFor('the rubric judge report', () => p.lastState()?.agreement?.rubricJudge);
    assert.deepEqual([r.judgedPairs, r.humanPairs, r.sharedPairs], [9, 2, 2]);
    const [help, correct] = r.criteria;
    assert.deepEqual([help.criterion, help.compared, help.agree], ['helpfulness', 2, 1]);
    // correctness: pair 0 judge a (5 vs 1 twice), human a; pair 4 judge tie (1 vs 1), human tie.
    assert.deepEqual([correct.criterion, correct.compared, correct.agree], ['correctness', 2, 2]);
    // Only pair 4 flips; its first shown got 4 more on the total in both orders: bonus 8 / 18.
    assert.deepEqual([r.overallBias.pairs, r.overallBias.flips, r.overallBias.favours], [9, 1, 'first']);
    assert.ok(Math.abs(r.overallBias.firstBonus! - 8 / 18) < 1e-9);
    await p.disposeAndWait();
  });
});
