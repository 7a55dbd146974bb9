/**
 * The rubric judge in the real workbench and webview: Start Labeling offers "Order: judge
 * uncertainty first" when a judgements file lies beside the candidates, the pairs come least sure
 * first, a decision is on disk before the next pair, a window reload keeps the order and the pair,
 * and the Agreement section shows the judge per criterion against the annotator's rubric scores
 * with its position bias. Takes the docs/labeling.md screenshot (rubric-agreement.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { pairIdOf, promptHash, responseHash } from '../../src/core/labeling/hashing';
import { makeScores } from '../../src/core/labeling/scoresRecord';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';
import { until } from './waitUntil';

type S = Record<string, number>;
const ANNOTATOR = 'e2e-judge';
const ROWS = [0, 1, 2, 3].map((k) => ({
  id: `q${k}`,
  prompt: [{ role: 'user' as const, content: `Question ${k}: how do I read a rubric score?` }],
  responses: [
    { model: 'model-alpha', content: `Answer alpha to question ${k}: read the criterion, then the scale.` },
    { model: 'model-bravo', content: `Answer bravo to question ${k}: compare it with the guidelines.` },
  ],
}));
// The judge's scores per pair, [a shown first, b shown first] in a/b positions. Pair 2 flips with
// the order; margins: pair 3 0, pair 1 1, pair 0 3. So the order is 2, 3, 1, 0.
const JUDGE: [{ a: S; b: S }, { a: S; b: S }][] = [
  [{ a: { help: 5, correct: 3 }, b: { help: 3, correct: 2 } }, { a: { help: 5, correct: 3 }, b: { help: 3, correct: 2 } }],
  [{ a: { help: 3, correct: 3 }, b: { help: 2, correct: 3 } }, { a: { help: 3, correct: 3 }, b: { help: 2, correct: 3 } }],
  [{ a: { help: 5, correct: 4 }, b: { help: 3, correct: 4 } }, { a: { help: 3, correct: 4 }, b: { help: 5, correct: 4 } }],
  [{ a: { help: 3, correct: 3 }, b: { help: 3, correct: 3 } }, { a: { help: 3, correct: 3 }, b: { help: 3, correct: 3 } }],
];
// The annotator's scores (a, b): help agrees on pairs 0, 1, 3; correct on 1, 2, 3.
const HUMAN: [S, S][] = [
  [{ help: 4, correct: 4 }, { help: 2, correct: 4 }],
  [{ help: 4, correct: 3 }, { help: 2, correct: 3 }],
  [{ help: 4, correct: 4 }, { help: 2, correct: 4 }],
  [{ help: 3, correct: 3 }, { help: 3, correct: 3 }],
];

function files(): Record<string, string> {
  const judgements: string[] = [];
  const scores: string[] = [];
  ROWS.forEach((r, k) => {
    const [ha, hb] = r.responses.map((x) => responseHash(x.content));
    const pair = pairIdOf(promptHash(r.prompt), ha, hb);
    const scored = JUDGE[k];
    const d = scored.map((o) => Object.values(o.a).reduce((s, n) => s + n, 0) - Object.values(o.b).reduce((s, n) => s + n, 0));
    const votes = d.map((x) => (x > 0 ? 'A' : x < 0 ? 'B' : 'tie'));
    const verdict = votes[0] === votes[1] ? votes[0] : 'uncertain';
    judgements.push(JSON.stringify({ pair, id: r.id, a: { index: 0, model: 'model-alpha', hash: ha }, b: { index: 1, model: 'model-bravo', hash: hb }, verdict, votes, judge: { endpoint: 'local', model: 'judge-model', key: 'k' }, aspects: ['help', 'correct'], rubric: { name: 'quality', hash: 'rh' }, scores: scored, ts: '2026-12-05T00:00:00.000Z' }));
    scores.push(JSON.stringify(makeScores({ pair, rubric: 'rh', scores: { [ha]: HUMAN[k][0], [hb]: HUMAN[k][1] }, annotator: ANNOTATOR, ms: 4000 })));
  });
  return {
    'rj.candidates.jsonl': ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n',
    'rj.candidates.judgements.jsonl': judgements.join('\n') + '\n',
    'rj.candidates.labels.jsonl': scores.join('\n') + '\n',
  };
}

function logLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('e2e: the judge on a rubric', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, { settings: { 'workbench.colorTheme': 'Default Dark Modern', 'pairwise.labeling.annotator': ANNOTATOR }, files: files() });
  });
  screenshotFailuresAndClose(() => wb);

  const promptText = (frame: Frame) => frame.locator('.prompt').innerText();

  it('labels in judge-uncertainty order, keeps it across a reload, and shows the judge per criterion', async () => {
    const log = path.join(wb.workspace, 'rj.candidates.labels.jsonl');
    await wb.openFile('rj.candidates.jsonl');
    await wb.runCommand('Pairwise: Start Labeling', wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use rj.candidates.labels.jsonl' }));
    await wb.page.keyboard.press('Enter');
    const order = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Order: judge uncertainty first' });
    await order.first().waitFor({ timeout: 30_000 });
    await order.first().click();
    let frame = await wb.findFrame('Left is better', 60_000);
    await until('the pair the judge is least sure of', async () => (await promptText(frame)).includes('Question 2'), 60_000);
    assert.match(await frame.locator('body').innerText(), /judge uncertainty first \(4 pair\(s\) judged\)/);

    await frame.locator('.progress').click();
    await wb.page.keyboard.press('1');
    await until('the decision on disk', () => logLines(log).length === 5);
    assert.equal(logLines(log)[4].choice, 'left');
    await until('the next least sure pair', async () => (await promptText(frame)).includes('Question 3'));

    // A window reload: the panel comes back in the same order, at the same pair.
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommandExact('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until('the panel after the reload', async () => {
      const f = await wb.findFrame('Left is better', 60_000);
      return (await promptText(f)).includes('Question 3') && f;
    }, 60_000);
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('2');
    await until('the second decision on disk', () => logLines(log).length === 6);
    await until('margin 1 next', async () => (await promptText(frame)).includes('Question 1'));

    // The Agreement section: the rubric judge per criterion, with its position bias.
    await frame.locator('details.agreement summary').click();
    const table = frame.locator('table.rubric-judge');
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 3, rows.join('\n'));
    assert.match(rows[0], /help\s+4\s+75\.0%/);
    assert.match(rows[1], /correct\s+4\s+75\.0%/);
    assert.match(rows[2], /1\/4\s+the first shown \(\+0\.50\)/);
    await table.scrollIntoViewIfNeeded();
    await wb.screenshot('e2e-rubric-agreement');
  });
});
