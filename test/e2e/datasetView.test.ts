import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

describe('e2e: Dataset View', function () {
  this.timeout(180_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the records of a corpus excerpt as cards with chosen and rejected side by side', async () => {
    await wb.openFile('dpo_en_excerpt.json');
    await wb.runCommand('Pairwise: Open Dataset View');
    const frame = await wb.findFrame('3 records', 60_000);
    assert.equal(await frame.locator('article.card').count(), 3);
    assert.equal(await frame.locator('.pair .chosen').count(), 3);
    const head = await frame.locator('.view-head').innerText();
    assert.match(head, /format: sharegpt-preference/);
    // Dataset text is text: the page has no element that came from the data.
    assert.equal(await frame.locator('article.card script, article.card img').count(), 0);
    await wb.screenshot('e2e-dataset-view');
  });
});
