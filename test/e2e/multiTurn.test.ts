/**
 * Multi-turn labeling in the real workbench and webview: a candidates file of two conversations
 * (written by Generate Candidates with turns `each`, its lines out of turn order) is labeled turn by
 * turn with keys; the log is on disk after each decision; a window reload in the middle loses
 * nothing; the history is shown once, earlier turns collapsible, and HTML in it stays text.
 * Takes the docs/labeling.md screenshot (multi-turn.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { promptHash } from '../../src/core/labeling/hashing';
import type { Message } from '../../src/core/model';
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

const u = (content: string): Message => ({ role: 'user', content });
const a = (content: string): Message => ({ role: 'assistant', content });

const TRIP1 = [u('Plan a day in Lisbon for me.')];
const TRIP2 = [...TRIP1, a('Morning in **Belém**, afternoon in Alfama, sunset at a miradouro.'), u('Make it rain-proof, please. <img src=x onerror="document.title=1">')];
const PETS1 = [u('Cat or dog for a small flat?')];
const PETS2 = [...PETS1, a('A cat: it needs less space and no walks.'), u('And if I work from home?')];

function line(conv: string, turn: number, prompt: Message[], answers: [string, string]): string {
  return JSON.stringify({ id: `${conv}#${turn}`, prompt, responses: [{ model: 'model-a', content: answers[0] }, { model: 'model-b', content: answers[1] }], conversation: conv, turn, turns: 2 });
}

// The order Generate Candidates may write them in: a turn's line lands when its answers are in.
const CANDIDATES = [
  line('trip', 2, TRIP2, ['Museums: the **Gulbenkian** in the morning, MAAT after lunch, dinner in a tasca.', 'Bring an umbrella.']),
  line('pets', 1, PETS1, ['A cat.', 'A large dog, they love small flats.']),
  line('trip', 1, TRIP1, ['Belém, Alfama, a miradouro at sunset.', 'Stay at the hotel.']),
  line('pets', 2, PETS2, ['Then a dog is fine too: you can walk it at lunch.', 'Get a fish.']),
].join('\n') + '\n';

describe('e2e: multi-turn labeling', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'pairwise.labeling.annotator': 'e2e-turns' },
      files: { 'trips.candidates.jsonl': CANDIDATES },
    });
  });
  screenshotFailuresAndClose(() => wb);

  const title = (frame: Frame) => frame.locator('h1.title').innerText();

  it('labels two turns of one conversation in order with keys, steps between turns, and survives a reload', async () => {
    const log = path.join(wb.workspace, 'trips.candidates.labels.jsonl');
    let frame = await wb.openLabelingPanel('trips.candidates.jsonl', 'Pairwise: Start Labeling', 'Left is better');
    // Turn 1 of the trip first, although its line is third in the file.
    await until('turn 1 of the trip', async () => /pair 1 of 4 · turn 1 of 2/.test(await title(frame)), 60_000);
    assert.equal(await frame.locator('.turn-indicator').innerText(), 'Turn 1 of 2 of this conversation');
    assert.equal(await frame.locator('details.history').count(), 0, 'the first turn has no earlier turns');
    assert.match(await frame.locator('.prompt').innerText(), /Plan a day in Lisbon/);

    // ] and [ step to the next and previous turn of the conversation without deciding.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press(']');
    await until('turn 2 by key', async () => /pair 2 of 4 · turn 2 of 2/.test(await title(frame)));
    assert.equal(await frame.locator('details.history[open] .bubble').count(), 2, 'the earlier turns, open');
    assert.match(await frame.locator('.latest-turn').innerText(), /Make it rain-proof/);
    await wb.page.keyboard.press('[');
    await until('back to turn 1', async () => /pair 1 of 4 · turn 1 of 2/.test(await title(frame)));
    assert.equal(logLines(log).length, 0, 'stepping between turns decides nothing');

    // Decide turn 1: on disk before the panel moves on, to turn 2 of the same conversation.
    await wb.page.keyboard.press('1');
    await until('decision 1 on disk', () => logLines(log).length === 1);
    assert.ok(String(logLines(log)[0].pair).startsWith(`${promptHash(TRIP1)}.`), 'the decision is on the pair of turn 1');
    await until('turn 2 of the trip', async () => /pair 2 of 4 · turn 2 of 2/.test(await title(frame)));

    // The shared history once: the earlier turns collapsible, the latest user turn always visible; HTML stays text.
    assert.match(await frame.locator('details.history').innerText(), /Belém/);
    assert.match(await frame.locator('.latest-turn').innerText(), /<img src=x onerror="document.title=1">/);
    assert.equal(await frame.locator('.prompt img').count(), 0);
    assert.equal(await frame.locator('.prompt').locator('text=Plan a day in Lisbon').count(), 1, 'the history is shown once');
    await frame.locator('details.history > summary').click();
    await frame.locator('details.history:not([open])').waitFor();
    assert.equal(await frame.locator('.latest-turn .bubble').isVisible(), true);
    await frame.locator('details.history > summary').click();
    await frame.locator('details.history[open]').waitFor();
    await wb.screenshot('e2e-multi-turn');

    // A window reload in the middle of the conversation: the same turn comes back, the log is intact.
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until(
      'the labeling panel after the reload',
      async () => {
        const f = await wb.findFrame('Left is better', 60_000);
        return /pair 2 of 4 · turn 2 of 2/.test(await title(f)) && f;
      },
      90_000,
    );
    assert.equal(logLines(log).length, 1, 'nothing lost, nothing extra written');

    // Decide turn 2: on disk, then the next conversation starts at its turn 1.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('2');
    await until('decision 2 on disk', () => logLines(log).length === 2);
    const second = logLines(log)[1];
    assert.ok(String(second.pair).startsWith(`${promptHash(TRIP2)}.`), 'the decision is on the pair of turn 2');
    assert.equal(second.choice, 'right');
    assert.equal(second.annotator, 'e2e-turns');
    await until('turn 1 of the next conversation', async () => /pair 3 of 4 · turn 1 of 2/.test(await title(frame)));
    assert.match(await frame.locator('.prompt').innerText(), /Cat or dog/);
  });
});
