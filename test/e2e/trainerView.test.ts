/**
 * The trainer's view in the real workbench: a Dataset View card shows the record rendered with the
 * model's chat template, its trained tokens and the cut at the limit an Axolotl config sets; the
 * pre-flight report opens with its chart of lengths against that limit.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';
import { datasetViewFrame, until } from './waitUntil';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const MODEL = path.join(REPO_ROOT, 'test', 'fixtures', 'chatTemplates', 'chatml');

const records = [
  { messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'hi there' }] },
  { messages: [{ role: 'system', content: 'be very brief.' }, { role: 'user', content: 'the sum of all the numbers in the list, please' }, { role: 'assistant', content: 'it is forty-two, as it always has been.' }] },
];

describe('e2e: the trainer\'s view', function () {
  this.timeout(240_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      // A user setting (not the workspace's, which Restricted Mode would ignore).
      settings: { 'pairwise.model': MODEL },
      files: {
        'tv_chat.jsonl': records.map((r) => JSON.stringify(r)).join('\n') + '\n',
        'tv_axolotl.yaml': 'base_model: some/model\nsequence_len: 80\ndatasets:\n  - path: tv_chat.jsonl\n    type: chat_template\n',
      },
    });
  });
  screenshotFailuresAndClose(() => wb);

  it('a Dataset View card shows the trained tokens and the cut', async () => {
    await wb.openFile('tv_chat.jsonl');
    await wb.runCommand('Pairwise: Open Dataset View');
    const frame = await datasetViewFrame(wb, 'tv_chat.jsonl');
    const card = frame.locator('article.card[data-index="1"]:not(.placeholder)');
    await card.waitFor();
    await card.locator('button.trainer-view-toggle').click();
    const view = card.locator('section.trainer-view');
    // The trainer comes from the config once the workspace's configs are indexed: until then the card says there is none.
    await until('the trainer\'s view with the config\'s limit', async () => /Axolotl.*limit 80 tokens/.test((await view.innerText().catch(() => '')) || '') || (await retry(card)));
    const trained = await view.locator('.tv-piece.trained').allInnerTexts();
    assert.ok(trained.join('').startsWith('it is forty-two'), trained.join('|'));
    assert.match(await view.locator('.tv-cut').innerText(), /cut at 80 tokens/);
    assert.ok((await view.locator('.tv-piece.past-cut').count()) > 0, 'what follows the cut is drawn as cut');
    assert.match(await view.locator('.tv-counts').innerText(), /over the limit of 80/);
    // Dataset text stays text.
    assert.equal(await view.locator('script, img').count(), 0);
    await wb.screenshot('trainer-view-card');
  });

  it('the pre-flight report opens with its chart of lengths against the limit', async () => {
    await wb.openFile('tv_chat.jsonl');
    await wb.runCommand('Pairwise: Pre-flight: See the Whole File as the Trainer Will');
    const frame = await wb.findFrame('Pre-flight of tv_chat.jsonl', 60_000);
    await frame.locator('svg.lengths').waitFor({ timeout: 60_000 });
    assert.ok((await frame.locator('svg.lengths rect.bar').count()) > 0);
    assert.equal(await frame.locator('svg.lengths line.limit').count(), 1);
    assert.match(await frame.locator('.issues').first().innerText(), /Over the length limit: 1/);
    assert.match(await frame.locator('.setup').innerText(), /chatml.*Axolotl/);
    await wb.screenshot('preflight-report');
  });
});

/** Closes and opens the trainer's view again, so it asks the host again; false, so `until` keeps waiting. */
async function retry(card: ReturnType<Frame['locator']>): Promise<boolean> {
  const toggle = card.locator('button.trainer-view-toggle');
  await toggle.click().catch(() => undefined);
  await toggle.click().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  return false;
}
