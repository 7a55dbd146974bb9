/**
 * Compare Models in the real extension host: a held-out prompts file answered by two models of the
 * OpenAI-compatible test server (loopback, through the real `openai` client), the labeling panel
 * opened blind on the answers, the per-model figures withheld until every pair is labeled, and the
 * report: counts, interval, and the prompts behind each count opening their pair in the panel.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CompareModelsResult } from '../../src/extension/compareModelsCommand';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { ComparisonReport } from '../../src/core/labeling';
import { wilsonInterval } from '../../src/core/labeling/comparisonStats';
import type { LabelingViewState } from '../../src/protocol/labeling';
import { start, type TestServer } from '../support/openaiTestServer';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFiles';

async function api(): Promise<PairwiseTestApi> {
  const ext = vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise');
  assert.ok(ext);
  return ext.activate();
}

const config = () => vscode.workspace.getConfiguration('pairwise');
const BASE = 'cmp-base-model';
const TUNED = 'cmp-tuned-model';

/** Every string in `v` outside the response texts (which the test server starts with its model name) and the file names. */
function stringsOutsideResponses(v: unknown, at = ''): string[] {
  if (typeof v === 'string') return [`${at}=${v}`];
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
    const here = `${at}.${k}`;
    if (/\.pair\.(left|right)\.content$|\.pair\.diff$/.test(here)) return [];
    // The file's name says which two models are compared (never which side is which).
    if (/^\.(title|source|resume)$/.test(here)) return [];
    return stringsOutsideResponses(x, here);
  });
}

describe('Compare Models', function () {
  this.timeout(120_000);
  let server: TestServer;
  let pw: PairwiseTestApi;
  const input = () => workspacePath('compare-heldout.jsonl');
  const output = () => workspacePath(`compare-heldout.${BASE}-vs-${TUNED}.candidates.jsonl`);
  const log = () => workspacePath(`compare-heldout.${BASE}-vs-${TUNED}.candidates.labels.jsonl`);
  const args = () => ({
    input: input(),
    baseline: { endpoint: 'cmp', model: BASE },
    candidate: { endpoint: 'cmp', model: TUNED },
    temperature: 0,
    maxTokens: 60,
    seed: 3,
    annotator: 'it-cmp',
  });

  before(async () => {
    server = await start({ models: [BASE, TUNED] });
    pw = await api();
    const added = await vscode.commands.executeCommand('pairwise.manageEndpoints', {
      action: 'add',
      endpoint: { name: 'cmp', baseURL: server.baseURL, models: [BASE, TUNED], maxConcurrency: 2, timeoutSeconds: 10 },
    });
    assert.ok(added, 'endpoint added');
    await waitFor('the endpoint in the settings', () => (config().get<{ name: string }[]>('endpoints') ?? []).some((e) => e.name === 'cmp'));
    const prompts = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `h${i + 1}`, messages: [{ role: 'user', content: `Held-out question ${i + 1}` }, { role: 'assistant', content: '(reference)' }] }));
    fs.writeFileSync(input(), prompts.join('\n') + '\n');
  });

  after(async () => {
    await pw.labelingPanelForTest()?.disposeAndWait();
    await config().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
    for (const f of fs.readdirSync(workspacePath()).filter((n) => n.startsWith('compare-heldout'))) fs.rmSync(workspacePath(f), { force: true });
  });

  it('answers each prompt once per model (baseline first) and opens the labeling panel blind', async () => {
    const r = await vscode.commands.executeCommand<CompareModelsResult>('pairwise.compareModels', args());
    assert.ok(r, 'the command returned a result');
    assert.equal(r.output, output());
    assert.equal(r.labeling, true);
    assert.equal(r.generation.progress.promptsWritten, 12);
    const chats = server.requests.filter((q) => q.url === '/v1/chat/completions');
    assert.equal(chats.length, 24);
    // The real openai client made the requests.
    assert.ok(chats.every((q) => /OpenAI\/JS/.test(String(q.headers['user-agent']))), String(chats[0].headers['user-agent']));
    assert.deepEqual([...new Set(chats.map((q) => (q.body as { model: string }).model))].sort(), [BASE, TUNED]);
    const lines = fs.readFileSync(output(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { responses: { model: string }[] });
    assert.equal(lines.length, 12);
    assert.ok(lines.every((l) => l.responses.map((x) => x.model).join() === `${BASE},${TUNED}`));

    const panel = await waitFor('the labeling panel', () => pw.labelingPanelForTest());
    assert.equal(panel.lastState()?.resume.logPath, log());
    // Blind: no model name anywhere in what the webview gets, but in the answer texts themselves
    // (this test server writes its model name into each answer).
    const sides: boolean[] = [];
    const s = panel.lastState()!;
    assert.deepEqual(stringsOutsideResponses(s).filter((x) => x.includes(BASE) || x.includes(TUNED)), []);
    // Random sides: over the 12 pairs the tuned model's answer is shown on both sides.
    await panel.handleMessage({ type: 'filter', filter: 'all' });
    for (let i = 0; i < 12; i++) {
      await panel.handleMessage({ type: 'jump', index: i });
      sides.push(panel.lastState()!.session.pair!.left.content.startsWith(`[${TUNED}#`));
    }
    assert.ok(sides.includes(true) && sides.includes(false), JSON.stringify(sides));
    await panel.handleMessage({ type: 'filter', filter: 'unlabeled' });
  });

  it('withholds per-model win rates until every pair is labeled, then the report counts them with the pairs behind', async () => {
    const panel = pw.labelingPanelForTest()!;
    const state = (): LabelingViewState => panel.lastState()!;
    await panel.handleMessage({ type: 'agreement' });
    // Question n: the tuned answer wins 1–8, the base answer 9–10, a tie on 11, both bad on 12.
    const verdictFor = (n: number) => (n <= 8 ? 'tuned' : n <= 10 ? 'base' : n === 11 ? 'tie' : 'both_bad');
    let decided = 0;
    while (state().session.pair) {
      const p = state().session.pair!;
      const n = Number(/question (\d+)/.exec(p.prompt.map((m) => m.content).join(' '))![1]);
      const v = verdictFor(n);
      const tunedLeft = p.left.content.startsWith(`[${TUNED}#`);
      const choice = v === 'tie' ? 'tie' : v === 'both_bad' ? 'both_bad' : (v === 'tuned') === tunedLeft ? 'left' : 'right';
      await panel.handleMessage({ type: 'decide', choice, key: p.key });
      decided++;
      if (state().session.pair) {
        // Mid-session: the Agreement section is open and recomputed after each decision, yet names no model's score.
        const a = state().agreement!;
        assert.deepEqual(a.winRates, [], `win rates shown after ${decided} decision(s)`);
        assert.equal(a.leaderboard, undefined);
        assert.equal(a.modelsWithheld, true);
      }
    }
    assert.equal(decided, 12);
    // Every pair labeled: now the figures show.
    assert.deepEqual(state().agreement!.winRates.map((w) => w.model).sort(), [BASE, TUNED]);
    assert.ok(!state().agreement!.modelsWithheld);
    const logged = fs.readFileSync(log(), 'utf8').trim().split('\n');
    assert.equal(logged.length, 12, 'each decision is on disk');

    const report = await vscode.commands.executeCommand<ComparisonReport>('pairwise.showComparisonReport', vscode.Uri.file(output()));
    assert.ok(report);
    assert.deepEqual(report.arms, { baseline: BASE, candidate: TUNED });
    const m = report.merged;
    assert.deepEqual(m.counts, { candidateWins: 8, ties: 1, baselineWins: 2, bothBad: 1, skipped: 0, unlabeled: 0, noMajority: 0 });
    assert.equal(m.winRate, 8.5 / 11);
    assert.deepEqual(m.interval, wilsonInterval(8.5, 11));
    assert.deepEqual(m.pairs.baselineWins.map((p) => p.id), ['h9', 'h10']);
    assert.deepEqual(m.pairs.bothBad.map((p) => p.line), [12]);
    const reportPanel = pw.comparisonReportForTest()!;
    assert.equal(reportPanel.lastState().status, 'done');

    // A prompt behind a number opens its pair in the labeling panel.
    const target = m.pairs.baselineWins[1];
    await reportPanel.handleMessage({ type: 'openPair', pair: target.pair });
    await waitFor('the pair of line 10 on screen', () => /question 10$/.test(panel.lastState()?.session.pair?.prompt.map((x) => x.content).join(' ') ?? ''));
    // A message that is not the protocol's is dropped.
    await reportPanel.handleMessage({ type: 'openPair', pair: 42 });
    assert.ok(pw.logLines().some((l) => /comparison report/.test(l)));
  });

  it('run again: resumes (nothing requested again) and keeps the labels', async () => {
    const before = server.requests.filter((q) => q.url === '/v1/chat/completions').length;
    const r = await vscode.commands.executeCommand<CompareModelsResult>('pairwise.compareModels', args());
    assert.equal(r.generation.progress.promptsSkipped, 12);
    assert.equal(server.requests.filter((q) => q.url === '/v1/chat/completions').length, before);
    assert.equal(fs.readFileSync(log(), 'utf8').trim().split('\n').length, 12);
    const same = await vscode.commands.executeCommand<CompareModelsResult | undefined>('pairwise.compareModels', { ...args(), candidate: args().baseline });
    assert.equal(same, undefined, 'the same model on both sides is refused');
  });
});
