import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';

describe('e2e: fixing a dataset problem from the editor', function () {
  this.timeout(240_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  screenshotFailuresAndClose(() => wb);

  it('shows the rule in Problems and applies the quick fix chosen with Ctrl+.', async () => {
    await wb.openFile('kto_feedback.jsonl');
    const editor = wb.page.locator('.monaco-editor').first();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await wb.runCommand('View: Focus Problems');
    const panel = wb.page.locator('.markers-panel');
    const row = panel.locator('.monaco-list-row', { hasText: 'ignores a KTO tag that is not a boolean' });
    await row.first().waitFor({ timeout: 30_000 });
    const text = await panel.innerText();
    assert.match(text, /llamafactory\/kto-tag-not-boolean/);
    // The status bar names the detected format, the records and the errors.
    assert.match(await wb.page.locator('.statusbar').innerText(), /llamafactory-kto · 2 records · 1 error/);
    assert.match(text, /\[Ln 2, Col 100\]/);
    await wb.screenshot('e2e-dataset-problem');

    // To the squiggle (Go to Next Problem puts the cursor on it), then the quick fix menu.
    await editor.click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('F8');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+Period');
    const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Write false' });
    await fix.first().waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-dataset-quick-fix-menu');
    // The preferred fix is the focused entry; Enter applies it (a pointer overlay takes clicks).
    await wb.page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Write false' }).waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter');

    // The text changed and the problem is gone.
    await wb.page.waitForFunction(() => (document.querySelector('.monaco-editor .view-lines') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ').includes('"label": false}'), undefined, { timeout: 30_000 });
    await editor.locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
    const shot = await wb.screenshot('e2e-dataset-quick-fix-applied');
    assert.ok(fs.statSync(shot).size > 10_000, 'the screenshot holds a rendered workbench');
    // The file on disk is unchanged until saved; the editor holds the fix.
    assert.match(fs.readFileSync(path.join(wb.workspace, 'editing', 'kto_feedback.jsonl'), 'utf8'), /"label": "false"/);
  });
});
