/**
 * The labeling panel in the real workbench and webview: keyboard and mouse labeling, undo, typing
 * in the rationale box, light and dark themes, a window reload (the serializer brings the panel
 * back at the same pair), export through the quick picks, and hostile model output that must
 * render as inert text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
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

describe('e2e: labeling panel', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, {
      settings: {
        'workbench.colorTheme': 'Default Light Modern',
        'pairwise.labeling.annotator': 'e2e',
        'pairwise.labeling.guidelinesFile': 'labeling/guidelines.md',
      },
    });
  });
  screenshotFailuresAndClose(() => wb);

  /** Runs a command through the palette without clicking the editor area first: there the labeling webview would take the click. */
  const palette = (title: string) => wb.runCommandExact(title);

  /** Opens a workspace file through Quick Open (without clicking the editor area first, as palette()). */
  async function quickOpen(file: string): Promise<void> {
    const input = await wb.openQuickInput('Control+P');
    await input.fill(file);
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().click();
    await wb.page.locator(`.tab[aria-label^="${path.basename(file)}"]`).first().waitFor();
  }

  /** Starts a session on a workspace file through the palette and the log quick pick. */
  async function start(file: string, logName: string): Promise<Frame> {
    await quickOpen(file);
    await palette('Pairwise: Start Labeling');
    const pick = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: `Use ${logName}` });
    await pick.first().waitFor();
    await wb.page.keyboard.press('Enter');
    const frame = await wb.findFrame('Left is better', 60_000);
    // The page says "Loading…" until the first pair comes from the extension host: wait for the
    // pair, not only the page (on a loaded machine the title was read while still loading).
    await until('the first pair on screen', async () => /pair 1 of \d+/.test(await pairTitle(frame)), 60_000);
    return frame;
  }

  async function pairTitle(frame: Frame): Promise<string> {
    return frame.locator('h1.title').innerText();
  }

  it('labels with keys and mouse, undoes, survives a window reload, themes, and exports', async () => {
    const log = path.join(wb.workspace, 'labeling', 'chat.candidates.labels.jsonl');
    let frame = await start('labeling/chat.candidates.jsonl', 'chat.candidates.labels.jsonl');
    assert.match(await pairTitle(frame), /pair 1 of 9/);
    assert.match(await frame.locator('.progress').innerText(), /0 \/ 9 done/);
    // Guidelines are rendered Markdown; their <script> stays text.
    await frame.locator('details.guidelines summary').click();
    assert.equal(await frame.locator('details.guidelines strong').first().innerText(), 'correctly');
    assert.equal(await frame.locator('details.guidelines script').count(), 0);

    // Five pairs by keyboard (focus the webview first, as a user clicking into it would).
    await frame.locator('.progress').click();
    const keys = ['1', 'ArrowRight', 't', '4', 's'];
    const expected = ['left', 'right', 'tie', 'both_bad', 'skip'];
    for (let i = 0; i < keys.length; i++) {
      await wb.page.keyboard.press(keys[i]);
      await until(`decision ${i + 1} on disk`, () => logLines(log).length === i + 1);
      await until(`pair ${i + 2} on screen`, async () => (await pairTitle(frame)).includes(`pair ${i + 2} of 9`));
    }
    assert.deepEqual(logLines(log).map((l) => l.choice), expected);

    // Keys typed into the rationale box are text, not decisions.
    await frame.locator('textarea.rationale').click();
    await wb.page.keyboard.type('1 2 tb because');
    assert.equal(await frame.locator('textarea.rationale').inputValue(), '1 2 tb because');
    assert.equal(logLines(log).length, 5);
    await frame.locator('fieldset.strength input[value="clearly"]').check();

    // Two pairs by mouse; the first carries the rationale and strength.
    await frame.locator('button.choice-left').click();
    await until('decision 6 on disk', () => logLines(log).length === 6);
    assert.equal(logLines(log)[5].rationale, '1 2 tb because');
    assert.equal(logLines(log)[5].strength, 'clearly');
    await until('pair 7 on screen', async () => (await pairTitle(frame)).includes('pair 7 of 9'));
    await frame.locator('button.choice-tie').click();
    await until('decision 7 on disk', () => logLines(log).length === 7);
    await until('pair 8 on screen', async () => (await pairTitle(frame)).includes('pair 8 of 9'));

    // Undo by key: a retraction is appended and pair 7 is back.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('z');
    await until('the retraction on disk', () => logLines(log).length === 8);
    assert.equal(logLines(log)[7].retract, logLines(log)[6].id);
    await until('pair 7 on screen again', async () => (await pairTitle(frame)).includes('pair 7 of 9'));
    assert.match(await frame.locator('.progress').innerText(), /5 \/ 9 done · 1 skipped/);

    // The shortcuts overlay.
    await wb.page.keyboard.press('?');
    await frame.locator('.shortcuts:not([hidden])').waitFor();
    assert.match(await frame.locator('.shortcuts').innerText(), /Undo the last decision\s+z \/ Ctrl\+z/);
    await wb.page.keyboard.press('Escape');
    await frame.locator('.shortcuts[hidden]').waitFor({ state: 'attached' });

    await wb.screenshot('e2e-labeling-light');
    await palette('Preferences: Color Theme');
    // The theme picker replaces the palette's list: wait for it before typing.
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
    await wb.page.locator('.quick-input-widget input').fill('Dark Modern');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await until('the dark theme', () => wb.page.locator('.monaco-workbench.vs-dark').count());
    frame = await wb.findFrame('Left is better');
    await wb.screenshot('e2e-labeling-dark');

    // A window reload: the serializer reopens the session at the same pair.
    // Wait for the new page's load: until then the old workbench, and its frame at pair 7, are still there,
    // and a key pressed then is lost with the old page.
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await palette('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = await until('the panel after the reload', async () => {
      const f = await wb.findFrame('Left is better', 60_000);
      return (await pairTitle(f)).includes('pair 7 of 9') && f;
    }, 60_000);

    // Export through the quick picks: the open session's input and log, trl-preference, conversational, default file.
    await palette('Pairwise: Export Preferences');
    const row = (text: string) => wb.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    const input = wb.page.locator('.quick-input-widget input');
    // The restored webview may take focus back: click into the quick input before each Enter.
    const accept = async () => {
      await input.click();
      await wb.page.keyboard.press('Enter');
    };
    await row('chat.candidates.labels.jsonl').waitFor();
    await accept();
    await row('trl-preference-implicit').waitFor();
    await accept();
    await row('conversational').waitFor();
    await accept();
    // The save dialog (code-server's simple dialog) proposes <input>.trl-preference.jsonl.
    const out = path.join(wb.workspace, 'labeling', 'chat.candidates.trl-preference.jsonl');
    await until('the proposed file name', async () => (await input.isVisible()) && (await input.inputValue()).endsWith('chat.candidates.trl-preference.jsonl'));
    await accept();
    await until('the exported file', () => fs.existsSync(out), 30_000);
    const records = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prompt: unknown; chosen: unknown; rejected: unknown });
    // Decided left/right/left(pair 6): three records; tie, both bad, skip are left out.
    assert.equal(records.length, 3);
    for (const r of records) assert.ok(Array.isArray(r.prompt) && Array.isArray(r.chosen) && Array.isArray(r.rejected));
    await wb.page.locator('.notifications-toasts', { hasText: '3 record(s) written' }).waitFor({ timeout: 20_000 });
  });

  it('renders hostile model output inert: no script, handler, javascript: link, style or navigation', async () => {
    const frame = await start('labeling/hostile.candidates.jsonl', 'hostile.candidates.labels.jsonl');
    const url = frame.url();
    const checkInert = async () => {
      const found = await frame.evaluate(() => {
        const scope = document.querySelectorAll('.prompt, .response .body, details.guidelines');
        const q = (sel: string) => [...scope].reduce((n, s) => n + s.querySelectorAll(sel).length, 0);
        return {
          pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
          parentPwned: (() => {
            try {
              return (window.parent as unknown as { __pwned?: number }).__pwned ?? null;
            } catch {
              return null;
            }
          })(),
          script: q('script'),
          handlers: q('[onerror],[onload],[onclick],[onmouseover],[ontoggle]'),
          jsLinks: q('a[href^="javascript" i],[data-href^="javascript" i]'),
          anyHref: q('a[href]'),
          style: q('style,[style],link'),
          embeds: q('iframe,object,embed,svg,form,meta,base'),
          remoteImg: q('img:not([src^="data:"])'),
          bodyVisible: getComputedStyle(document.body).display !== 'none',
        };
      });
      assert.deepEqual(found, { pwned: null, parentPwned: null, script: 0, handlers: 0, jsLinks: 0, anyHref: 0, style: 0, embeds: 0, remoteImg: 0, bodyVisible: true });
      assert.equal(await wb.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null), null);
      assert.equal(frame.url(), url, 'the webview did not navigate');
    };
    // The payloads are on screen as text.
    assert.match(await frame.locator('.response.left .body, .response.right .body').allInnerTexts().then((t) => t.join('\n')), /<script>window.__pwned = 1<\/script>/);
    await checkInert();
    // The web link is inert in the page; clicking asks before anything opens outside.
    const webLink = frame.locator('.ext-link[data-href="https://example.invalid/page"]');
    assert.equal(await webLink.count(), 1);
    await webLink.click();
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'Open this link' });
    await dialog.waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await checkInert();
    // The second hostile pair, reached with the keyboard.
    await frame.locator('.progress').click();
    await wb.page.keyboard.press('s');
    await until('the second pair', async () => (await pairTitle(frame)).includes('pair 2 of 2'));
    await checkInert();
    assert.equal(frame.url(), url);
  });
});
