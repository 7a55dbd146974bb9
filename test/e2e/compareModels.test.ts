/**
 * Compare Models in the real workbench: the command from the palette (the prompts file, the
 * baseline, the candidate) against two models of the OpenAI-compatible test server on loopback,
 * three pairs labeled blind with keys (each on disk before the next shows), then the report opened
 * from the palette over the labeling panel: the numbers, and a prompt behind a number opening its
 * pair. Takes the docs/labeling.md screenshot.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { start, type TestServer } from '../support/openaiTestServer';
import { until } from './waitUntil';
import { openWorkbench, type Workbench } from './workbench';

const BASE = 'base-8b';
const TUNED = 'tuned-8b-dpo';

function logLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('e2e: Compare Models', function () {
  this.timeout(300_000);
  let server: TestServer;
  let wb: Workbench | undefined;
  before(async () => {
    server = await start({ models: [BASE, TUNED] });
    const prompts = ['Explain recursion to a child', 'Write a haiku about rain', 'What is a mutex?'].map((q, i) => JSON.stringify({ id: `q${i + 1}`, messages: [{ role: 'user', content: q }] }));
    wb = await openWorkbench(undefined, {
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'pairwise.labeling.annotator': 'e2e-compare',
        'pairwise.generation.temperature': 0,
        'pairwise.generation.maxTokens': 80,
        'pairwise.generation.seed': 1,
        'pairwise.endpoints': [{ name: 'Local test server', baseURL: server.baseURL, models: [BASE, TUNED], maxConcurrency: 2, timeoutSeconds: 20 }],
      },
      files: { 'heldout.jsonl': prompts.join('\n') + '\n' },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await wb?.close();
    await server?.close();
  });

  it('generates with two models, labels three pairs blind with keys, and shows the report', async () => {
    const w = wb!;
    const answers = path.join(w.workspace, `heldout.${BASE}-vs-${TUNED}.candidates.jsonl`);
    const log = path.join(w.workspace, `heldout.${BASE}-vs-${TUNED}.candidates.labels.jsonl`);
    // The palette: the prompts file (the active editor, offered first), model A, model B.
    await w.openFile('heldout.jsonl');
    await w.runCommand('Pairwise: Compare Models');
    // Visible rows only: the widget keeps an earlier pick's rows in its DOM, hidden.
    const rows = w.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ visible: true });
    await rows.filter({ hasText: 'active editor' }).first().waitFor();
    await rows.filter({ hasText: 'active editor' }).first().click();
    await w.page.locator('.quick-input-widget', { hasText: 'model A, the baseline' }).waitFor();
    await rows.filter({ hasText: BASE }).first().click();
    await w.page.locator('.quick-input-widget', { hasText: 'model B, the candidate' }).waitFor();
    await rows.filter({ hasText: TUNED }).first().click();
    const frame = await w.findFrame('Left is better', 90_000);
    assert.ok(frame, 'the labeling panel opened');
    assert.equal(server.requests.filter((r) => r.url === '/v1/chat/completions').length, 6);
    assert.equal(fs.readFileSync(answers, 'utf8').trim().split('\n').length, 3);
    await frame.locator('h1.title', { hasText: /pair 1 of 3/ }).waitFor({ timeout: 60_000 });

    // Blind: the sides and the decision controls name no model (the file name names both, never which
    // side is which; the test server writes its model's name into each answer, so the answers do).
    const chrome = await frame.locator('.response-head, .decision').allInnerTexts();
    assert.ok(chrome.length >= 3 && chrome.every((t) => !t.includes(BASE) && !t.includes(TUNED)), chrome.join(' | '));

    // Three pairs by keys: the fine-tune wins the first two, the third is a tie.
    await frame.locator('.progress').click();
    const shownPrompts: string[] = [];
    for (let i = 0; i < 3; i++) {
      shownPrompts.push((await frame.locator('section.prompt').innerText()).trim());
      const left = await frame.locator('article.response.left .body').innerText();
      const tunedLeft = left.includes(`[${TUNED}#`);
      const key = i === 2 ? 't' : tunedLeft ? '1' : '2';
      await w.page.keyboard.press(key);
      await until(`decision ${i + 1} on disk`, () => logLines(log).length === i + 1);
      if (i < 2) await until(`pair ${i + 2} on screen`, async () => (await frame.locator('h1.title').innerText()).includes(`pair ${i + 2} of 3`));
    }
    assert.deepEqual(
      logLines(log).map((l) => l.annotator),
      ['e2e-compare', 'e2e-compare', 'e2e-compare'],
    );

    // The report, from the palette over the labeling panel (the file it labels).
    await w.runCommandExact('Pairwise: Show Model Comparison Report');
    const report = await w.findFrame('Did tuned-8b-dpo beat base-8b?', 60_000);
    // 2 wins and a tie of 3: (2 + 0.5) / 3 = 83.3%, Wilson 95% 31.0%–98.2%; sign test of 2 to 0: p = 2 · 1/4 = 0.5.
    const verdict = await report.locator('.headline .verdict').innerText();
    assert.match(verdict, /tuned-8b-dpo wins 83\.3% against base-8b \(95% interval 31\.0%–98\.2%; sign test p = 0\.500\)/);
    const merged = (await report.locator('table.tally tr.merged td').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(merged.slice(1, 7), ['2', '1', '0', '83.3%', '31.0%–98.2%', '0.500']);
    assert.match(await report.locator('.reading').innerText(), /No clear difference yet/);
    // The notifications of the run (Generate Candidates' summary, Compare Models' "Show Report") off the picture.
    await w.runCommandExact('Notifications: Clear All Notifications');
    await w.page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await w.screenshot('e2e-compare-models');

    // The prompts behind the tie: the third pair labeled, which opens in the labeling panel.
    await report.locator('table.tally tr.merged button.count[data-outcome="ties"]').click();
    const tied = report.locator('.pairs li');
    await until('one prompt behind the tie', async () => (await tied.count()) === 1 && (await tied.innerText()).includes(shownPrompts[2].split('\n').pop()!.trim()));
    await tied.locator('button.open-pair').click();
    const panel = await w.findFrame('Left is better');
    await until('the tied pair on screen', async () => (await panel.locator('h1.title').innerText()).includes('pair 3 of 3'));
    assert.equal((await panel.locator('section.prompt').innerText()).trim(), shownPrompts[2]);
  });
});
