/**
 * Rubric scoring in the real workbench and webview: the rubric beside the input shows next to the
 * pair, keys give the scores, a window reload in the middle of scoring a pair brings the scores in
 * progress back, and the decision commits them: the scores line is on disk with the decision.
 * Takes the docs/labeling.md screenshot (docs/images/rubric.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { responseHash } from '../../src/core/labeling/hashing';
import { until } from './waitUntil';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';

function logLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const CANDIDATES = [
  { id: 'q1', q: 'What is the boiling point of water at sea level?', answers: { alpha: '100 degrees Celsius.', beta: 'About 90 degrees, depending on the pot.' } },
  { id: 'q2', q: 'Name a prime number.', answers: { alpha: '7', beta: '9' } },
]
  .map((p) => JSON.stringify({ id: p.id, prompt: [{ role: 'user', content: p.q }], responses: Object.entries(p.answers).map(([model, content]) => ({ model, content })) }))
  .join('\n');

const RUBRIC = `name: answer quality
scale: { min: 1, max: 5, labels: { 1: unusable, 3: acceptable, 5: excellent } }
guidelines: |
  Score **each** response on its own, then choose the better one.
criteria:
  - id: helpfulness
    title: Helpfulness
    guidelines: Does it answer what was asked?
  - id: correctness
    title: Correctness
    guidelines: Are the facts right? A wrong number is a *1*.
`;

/** The score shown selected in a cell ("" when none). */
async function cellScore(frame: Frame, row: number, side: 'left' | 'right'): Promise<string> {
  const b = frame.locator(`.score-cell[data-row="${row}"][data-side="${side}"] button.score.selected`);
  return (await b.count()) ? b.innerText() : '';
}

describe('e2e: rubric scoring', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'pairwise.labeling.annotator': 'e2e-scorer' },
      files: { 'answers.candidates.jsonl': CANDIDATES + '\n', 'answers.candidates.rubric.yaml': RUBRIC },
    });
  });
  screenshotFailuresAndClose(() => wb);

  const title = (frame: Frame) => frame.locator('h1.title').innerText();

  it('scores with keys, keeps the scores across a window reload, commits them with the decision', async () => {
    const log = path.join(wb.workspace, 'answers.candidates.labels.jsonl');
    let frame = await wb.openLabelingPanel('answers.candidates.jsonl', 'Pairwise: Start Labeling', 'Left is better');
    await frame.locator('.rubric-grid').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.rubric h2').innerText(), /answer quality/);
    assert.equal(await frame.locator('.rubric-guidelines strong').innerText(), 'each', 'guidelines are rendered Markdown');
    const pairTitle = await title(frame);
    assert.match(pairTitle, /pair 1 of 2/);

    // r goes to the first cell; each digit scores and moves on: helpfulness left 4, right 2; correctness left 5.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('r');
    await wb.page.keyboard.press('4');
    await wb.page.keyboard.press('2');
    await wb.page.keyboard.press('5');
    await until('three scores on screen', async () => (await cellScore(frame, 1, 'left')) === '5');
    assert.deepEqual([await cellScore(frame, 0, 'left'), await cellScore(frame, 0, 'right'), await cellScore(frame, 1, 'right')], ['4', '2', '']);
    assert.deepEqual(logLines(log), [], 'nothing is written before the decision');
    // The shortcuts dialog lists the rubric keys.
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('?');
    await frame.locator('.shortcuts:not([hidden]) .rubric-help').waitFor();
    assert.match(await frame.locator('.shortcuts .rubric-help').innerText(), /Previous \/ next criterion/);
    await wb.page.keyboard.press('Escape');
    await frame.locator('.score-cell[data-row="1"][data-side="right"]').focus();
    await wb.screenshot('e2e-rubric');

    // A window reload in the middle of the pair: the scores in progress come back.
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until(
      'the panel after the reload',
      async () => {
        const f = await wb.findFrame('Left is better', 60_000);
        return (await title(f)) === pairTitle && (await cellScore(f, 1, 'left')) === '5' && f;
      },
      60_000,
    );
    assert.deepEqual([await cellScore(frame, 0, 'left'), await cellScore(frame, 0, 'right'), await cellScore(frame, 1, 'right')], ['4', '2', '']);
    assert.deepEqual(logLines(log), []);

    // r goes to the cell still unscored; its digit is the last, so the focus leaves the rubric and 1 decides.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('r');
    await wb.page.keyboard.press('3');
    await until('the last score on screen', async () => (await cellScore(frame, 1, 'right')) === '3');
    const left = (await frame.locator('.response.left .body').innerText()).trim();
    const right = (await frame.locator('.response.right .body').innerText()).trim();
    await wb.page.keyboard.press('1');
    await until('the scores and the decision on disk', () => logLines(log).length === 2);
    const [scores, decision] = logLines(log);
    assert.equal(scores.kind, 'scores');
    assert.equal(scores.annotator, 'e2e-scorer');
    assert.deepEqual(scores.scores, { [responseHash(left)]: { helpfulness: 4, correctness: 5 }, [responseHash(right)]: { helpfulness: 2, correctness: 3 } });
    assert.equal(decision.choice, 'left');
    assert.equal(decision.pair, scores.pair);
    await until('pair 2 on screen, unscored', async () => (await title(frame)).includes('pair 2 of 2') && (await cellScore(frame, 0, 'left')) === '');

    // The mouse: a click gives a score; the pair is decided with the button.
    await frame.locator('.score-cell[data-row="0"][data-side="left"] button.score', { hasText: '5' }).click();
    await frame.locator('.score-cell[data-row="0"][data-side="right"] button.score', { hasText: '1' }).click();
    await frame.locator('button.choice-left').click();
    await until('the second scores line on disk', () => logLines(log).length === 4);
    assert.deepEqual(Object.values(logLines(log)[2].scores as object).map((s) => (s as { helpfulness: number }).helpfulness).sort(), [1, 5]);
  });
});
