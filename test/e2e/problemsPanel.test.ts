import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';

describe('e2e: a broken JSONL file in the workbench', function () {
  this.timeout(180_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  screenshotFailuresAndClose(() => wb);

  it('shows the syntax errors in the Problems panel', async () => {
    await wb.openFile('broken.jsonl');
    // The editor underlines the bad token.
    await wb.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await wb.runCommand('View: Focus Problems');
    const panel = wb.page.locator('.markers-panel');
    await panel.waitFor();
    const row = panel.locator('.monaco-list-row', { hasText: "expected ':' after the property name" });
    await row.first().waitFor({ timeout: 30_000 });
    const text = await panel.innerText();
    assert.match(text, /trailing comma \(not allowed in JSON\)/);
    assert.match(text, /\[Ln 5, Col 33\]/);
    const shot = await wb.screenshot('e2e-problems-panel');
    assert.ok(fs.statSync(shot).size > 10_000, 'the screenshot holds a rendered workbench');
  });
});
