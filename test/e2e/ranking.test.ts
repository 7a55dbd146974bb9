/**
 * Rank mode in the real workbench and webview: keys reorder the cards and Enter commits (the
 * ranking is on disk), a window reload in the middle of a ranking brings back the order in
 * progress, and HTML in the prompt stays text. Takes the docs/labeling.md screenshot.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { responseHash } from '../../src/core/labeling/hashing';
import { REPO_ROOT } from '../support/codeServer';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';


function logLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The candidate labels of the cards, top to bottom ("Candidate 3" → 3). */
async function cardLabels(frame: Frame): Promise<number[]> {
  const labels = await frame.locator('.card .label').allInnerTexts();
  return labels.map((t) => Number(/\d+/.exec(t)![0]));
}

/** The card texts, top to bottom. */
async function cardTexts(frame: Frame): Promise<string[]> {
  return (await frame.locator('.card .md').allInnerTexts()).map((t) => t.trim());
}

describe('e2e: rank mode', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'pairwise.labeling.annotator': 'e2e-ranker' },
      extraFiles: { 'rank.candidates.jsonl': path.join(REPO_ROOT, 'test', 'fixtures', 'labeling', 'rank.candidates.jsonl') },
    });
  });
  screenshotFailuresAndClose(() => wb);

  const title = (frame: Frame) => frame.locator('h1.title').innerText();

  it('keys reorder and Enter commits; a reload mid-ranking keeps the order in progress', async () => {
    const log = path.join(wb.workspace, 'rank.candidates.labels.jsonl');
    let frame = await wb.openLabelingPanel('rank.candidates.jsonl', 'Pairwise: Rank Candidates', 'Commit ranking');
    await frame.locator('h1.title', { hasText: /prompt 1 of 4/ }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.progress').innerText(), /0 \/ 4 prompts ranked/);
    assert.deepEqual(await cardLabels(frame), [1, 2, 3, 4]);

    // Focus the page as a user clicking into it would, then: 3 and 1 are the two best, in that order.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('3');
    await wb.page.keyboard.press('1');
    await until('3, 1 on top', async () => JSON.stringify(await cardLabels(frame)) === JSON.stringify([3, 1, 2, 4]));
    // Focus is on the card just placed (1, second); Down moves the focus to card 2, Alt+Down moves it below 4.
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('Alt+ArrowDown');
    await until('2 moved last', async () => JSON.stringify(await cardLabels(frame)) === JSON.stringify([3, 1, 4, 2]));
    // T ties the focused card (2, last) with the one above it.
    await wb.page.keyboard.press('t');
    await frame.locator('.card.tied').waitFor();
    const expectedTexts = await cardTexts(frame);
    await wb.page.keyboard.press('Enter');
    await until('the ranking on disk', () => logLines(log).length === 1);
    const r = logLines(log)[0] as { ranking: string[][]; annotator: string; v: number };
    assert.equal(r.v, 2);
    assert.equal(r.annotator, 'e2e-ranker');
    assert.deepEqual(r.ranking, [[responseHash(expectedTexts[0])], [responseHash(expectedTexts[1])], [responseHash(expectedTexts[2]), responseHash(expectedTexts[3])]]);
    await until('prompt 2 on screen', async () => (await title(frame)).includes('prompt 2 of 4'));

    // Start a ranking, and reload the window in the middle of it.
    await wb.page.keyboard.press('2');
    await until('2 picked first', async () => (await cardLabels(frame))[0] === 2);
    const inProgress = await cardLabels(frame);
    await wb.screenshot('e2e-rank-mode');
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until('the rank panel after the reload', async () => {
      const f = await wb.findFrame('Commit ranking', 60_000);
      return (await title(f)).includes('prompt 2 of 4') && f;
    }, 60_000);
    assert.deepEqual(await cardLabels(frame), inProgress, 'the order in progress survives the reload');
    assert.equal(logLines(log).length, 1, 'nothing committed is lost, nothing extra written');
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('Enter');
    await until('the second ranking on disk', () => logLines(log).length === 2);

    // Drag: the last card dropped on the first.
    await until('prompt 3 on screen', async () => (await title(frame)).includes('prompt 3 of 4'));
    const before = await cardLabels(frame);
    await frame.locator('.card').last().dragTo(frame.locator('.card').first());
    await until('the dragged card on top', async () => (await cardLabels(frame))[0] === before[before.length - 1]);
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('Enter');
    await until('the third ranking on disk', () => logLines(log).length === 3);

    // The prompt's <script> is text on the page, not an element.
    await until('prompt 4 on screen', async () => (await title(frame)).includes('prompt 4 of 4'));
    assert.match(await frame.locator('.prompt').innerText(), /<script>alert\(1\)<\/script>/);
    assert.equal(await frame.locator('.prompt script, .cards script, .cards b').count(), 0);
  });
});
