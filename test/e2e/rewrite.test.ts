/**
 * Rewrite in the real workbench and webview: E opens the answer in the editor, typing shows the
 * word diff and the preview, Ctrl+Enter saves (the rewrite and the decision on disk), a window
 * reload with a draft open brings the draft back, Esc asks before discarding it, and Export
 * Preferences writes the rewrite pairs and the rewrites as SFT records through its quick picks.
 * Takes the docs/labeling.md screenshot.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { responseHash } from '../../src/core/labeling/hashing';
import { validateFile } from '../../src/core/validate/pipeline';
import { REPO_ROOT } from '../support/codeServer';
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

describe('e2e: rewrite in the labeling panel', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'pairwise.labeling.annotator': 'e2e-rewriter' },
      extraFiles: { 'rewrite.candidates.jsonl': path.join(REPO_ROOT, 'test', 'fixtures', 'labeling', 'rewrite.candidates.jsonl') },
    });
  });
  screenshotFailuresAndClose(() => wb);

  const title = (frame: Frame) => frame.locator('h1.title').innerText();
  const editorOpen = (frame: Frame) => frame.locator('.rewrite-editor:not([hidden])');

  it('E, type, see the diff, Ctrl+Enter saves; a reload keeps the draft; Esc asks; export writes rewrite pairs and SFT records', async () => {
    const log = path.join(wb.workspace, 'rewrite.candidates.labels.jsonl');
    let frame = await wb.openLabelingPanel('rewrite.candidates.jsonl', 'Pairwise: Start Labeling', 'Left is better');
    await frame.locator('h1.title', { hasText: /pair 1 of 8/ }).waitFor({ timeout: 60_000 });

    // Focus the page as a user clicking into it would, then E: the editor opens on the left answer (nothing decided, nothing focused).
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('e');
    await editorOpen(frame).waitFor();
    assert.match(await frame.locator('.rewrite-heading').innerText(), /Rewrite the left answer/);
    assert.match(await frame.locator('.rewrite-prompt').innerText(), /hidden files in a shell/, 'the prompt stays in view');
    const box = frame.locator('textarea.rewrite-text');
    const original = await box.inputValue();
    assert.ok(original.length > 0);
    // Typed at the end of the answer; the labeling keys (1, 2, s, z…) are text here.
    await wb.page.keyboard.press('Control+End');
    const added = ' See also `ls -A` 1 2 s z.';
    await wb.page.keyboard.type(added);
    assert.equal(await box.inputValue(), original + added);
    await until('the word diff of the typed text', async () => (await frame.locator('.rewrite-diff-body ins').allInnerTexts()).join('').includes('ls -A'));
    await until('the preview of the typed Markdown', async () => (await frame.locator('.rewrite-preview-body code').allInnerTexts()).includes('ls -A'));
    assert.equal(logLines(log).length, 0, 'no key typed in the editor labeled the pair');
    await wb.screenshot('e2e-rewrite');

    // Ctrl+Enter saves: the rewrite and the decision "left is better" are on disk, the next pair shows.
    await wb.page.keyboard.press('Control+Enter');
    await until('the rewrite and the decision on disk', () => logLines(log).length === 2);
    const [rw, dec] = logLines(log);
    assert.equal(rw.kind, 'rewrite');
    assert.equal(rw.text, (original + added).trimEnd());
    assert.equal(rw.base, responseHash(original));
    assert.equal(rw.annotator, 'e2e-rewriter');
    assert.equal(dec.choice, 'left');
    assert.equal(dec.left, responseHash(original));
    await until('pair 2 on screen', async () => (await title(frame)).includes('pair 2 of 8'));
    await frame.locator('.rewrite-editor[hidden]').waitFor({ state: 'attached' });

    // A draft on pair 2, then a window reload: the draft comes back with its diff.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('e');
    await editorOpen(frame).waitFor();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type(' (draft kept across a reload)');
    const draft = await frame.locator('textarea.rewrite-text').inputValue();
    await until('the draft diffed by the host', async () => (await frame.locator('.rewrite-diff-body ins').allInnerTexts()).join('').includes('draft kept'));
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until(
      'the labeling panel after the reload',
      async () => {
        const f = await wb.findFrame('Left is better', 60_000);
        return (await title(f)).includes('pair 2 of 8') && f;
      },
      60_000,
    );
    await editorOpen(frame).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('textarea.rewrite-text').inputValue(), draft, 'the draft survives the window reload');
    await until('its diff', async () => (await frame.locator('.rewrite-diff-body ins').allInnerTexts()).join('').includes('draft kept'));
    assert.equal(logLines(log).length, 2, 'nothing written by the reload');

    // Esc asks first (the text was changed); Esc again discards; nothing is written.
    await frame.locator('textarea.rewrite-text').click();
    await wb.page.keyboard.press('Escape');
    await frame.locator('.rewrite-confirm:not([hidden])').waitFor();
    assert.ok(await editorOpen(frame).isVisible(), 'the first Esc only asks');
    await wb.page.keyboard.press('Escape');
    await frame.locator('.rewrite-editor[hidden]').waitFor({ state: 'attached' });
    assert.equal(logLines(log).length, 2);

    // Export through the quick picks: sharegpt-preference, rewrite vs original, and the rewrites as sharegpt SFT records.
    await wb.runCommandExact('Pairwise: Export Preferences');
    const row = (text: string) => wb.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    const input = wb.page.locator('.quick-input-widget input');
    const accept = async () => {
      await input.click();
      await wb.page.keyboard.press('Enter');
    };
    await row('rewrite.candidates.labels.jsonl').waitFor();
    await accept();
    await row('sharegpt-preference').waitFor();
    await input.fill('sharegpt-preference');
    await accept();
    const out = path.join(wb.workspace, 'rewrite.candidates.sharegpt-preference.jsonl');
    await until('the proposed file name', async () => (await input.isVisible()) && (await input.inputValue()).endsWith('rewrite.candidates.sharegpt-preference.jsonl'));
    await accept();
    await row('rewrite vs original').waitFor();
    await accept();
    // The first item is "No SFT file": filter to the one wanted.
    await row('SFT records as sharegpt').waitFor();
    await input.fill('SFT records as sharegpt');
    await accept();
    const sft = path.join(wb.workspace, 'rewrite.candidates.sharegpt-preference.rewrites.sharegpt.jsonl');
    await until('the proposed SFT file name', async () => (await input.isVisible()) && (await input.inputValue()).endsWith('rewrites.sharegpt.jsonl'));
    await accept();
    await until('the exported files', () => fs.existsSync(out) && fs.existsSync(sft), 30_000);
    await wb.page.locator('.notifications-toasts', { hasText: '1 rewrite(s) became 1 pair(s)' }).waitFor({ timeout: 20_000 });
    const prefs = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { chosen: { value: string }; rejected: { value: string } });
    // The decided pair (left over right) and the rewrite over the answer it rewrote.
    assert.equal(prefs.length, 2);
    assert.deepEqual(prefs.filter((p) => p.chosen.value === rw.text).map((p) => p.rejected.value), [original]);
    for (const [file, format] of [
      [out, 'sharegpt-preference'],
      [sft, 'sharegpt'],
    ] as const) {
      const v = await validateFile(file, { format });
      assert.deepEqual(v.problems.filter((p) => p.severity === 'error'), [], file);
    }
    const sftRows = fs.readFileSync(sft, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { conversations: { from: string; value: string }[] });
    assert.equal(sftRows.length, 1);
    assert.equal(sftRows[0].conversations.at(-1)!.value, rw.text);
  });
});
