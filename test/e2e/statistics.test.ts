/**
 * The statistics report in the real workbench: Show Dataset Statistics on an Alpaca file draws the
 * histograms as SVG, and clicking a bar opens the Dataset View filtered to that bar's records.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { alpacaDataset, datasetText } from '../support/ownDatasets';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';
import { until } from './waitUntil';

/** 240 Alpaca records of our own, printed as LLaMA-Factory prints its files; answers from one sentence to a few hundred tokens. */
const DATASET = alpacaDataset();
const NAME = DATASET.name;

/** The first frame whose `selector` element reads `text`. */
async function frameWith(wb: Workbench, selector: string, text: string, timeoutMs = 90_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of wb.page.frames()) {
      const t = await f.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector).catch(() => '');
      if (t === text) return f;
    }
    if (Date.now() > deadline) throw new Error(`no frame with ${selector} = ${text} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}


describe('e2e: dataset statistics', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    // The fixture workspace plus a generated dataset, too large to keep among the fixtures.
    wb = await openWorkbench(undefined, { files: { [NAME]: datasetText(DATASET) } });
  });
  screenshotFailuresAndClose(() => wb);

  it('draws the report with SVG histograms, and a bar click opens the Dataset View filtered to its records', async () => {
    const records = (JSON.parse(fs.readFileSync(path.join(wb.workspace, NAME), 'utf8')) as unknown[]).length;
    await wb.openFile(NAME);
    await wb.runCommand('Pairwise: Show Dataset Statistics');
    const report = await frameWith(wb, '.stats-head h1', NAME);
    await until('the report', async () => (await report.locator('svg.histogram').count()) === 2);
    assert.match(await report.locator('.stats-head').innerText(), new RegExp(`${records.toLocaleString('en-US')} records`));
    assert.match(await report.locator('.stats-head').innerText(), /format: alpaca/);
    assert.ok((await report.locator('svg.histogram rect.bar').count()) > 0, 'the charts have bars');
    assert.match(await report.locator('.facts').innerText(), /o200k_base/);
    // Dataset text is text: nothing in the report came from the data as markup.
    assert.equal(await report.locator('#app script, #app img, #app iframe').count(), 0);

    // A bar of the tokens-per-record chart holding some but not all records.
    const bars = report.locator('figure[data-chart="tokensPerRecord"] g.bin:not(.empty)');
    const counts = await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-count'))));
    const pick = counts.findIndex((c) => c > 1 && c < records);
    assert.ok(pick >= 0, `a bar with more than one record (${counts.join(',')})`);
    const count = counts[pick];
    await wb.screenshot('e2e-statistics');
    await bars.nth(pick).click();

    const view = await frameWith(wb, '.view-head h1', NAME);
    await until(`${count} matching`, async () => (await view.locator('.count.matching').innerText().catch(() => '')) === `${count.toLocaleString('en-US')} matching`);
    await view.locator('article.card:not(.placeholder)').first().waitFor();
    await wb.screenshot('e2e-statistics-filtered');
  });
});
