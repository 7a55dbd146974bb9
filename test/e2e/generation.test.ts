/**
 * Generation through the real workbench: the command palette, the quick picks and input boxes, the
 * progress notification and the summary's "Open" button, against the OpenAI-compatible test
 * server running in this process on loopback. Then Restricted Mode: the command explains itself
 * instead of running.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { start, type TestServer } from '../support/openaiTestServer';
import { openWorkbench, type Workbench } from './workbench';

describe('e2e: Generate Candidates from the command palette', function () {
  this.timeout(240_000);
  let server: TestServer;
  let wb: Workbench | undefined;
  before(async () => {
    // Slow enough that the progress notification is on screen for a few seconds.
    server = await start({ latencyMs: 250 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    await wb?.close();
    wb = undefined;
  });
  after(async () => {
    await server?.close();
  });

  it('picks the file, models and parameters, shows progress, and opens the candidates file', async () => {
    wb = await openWorkbench(undefined, {
      settings: {
        'pairwise.endpoints': [{ name: 'Local test server', baseURL: server.baseURL, models: ['test-model-a', 'test-model-b'], maxConcurrency: 2, timeoutSeconds: 20 }],
        'pairwise.generation.responsesPerModel': 1,
        'pairwise.generation.seed': 7,
      },
    });
    const { page } = wb;
    await wb.openFile('prompts.jsonl');
    await wb.runCommand('Pairwise: Generate Candidates');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

    // 1. The dataset: the active editor is offered first.
    await rows.filter({ hasText: 'active editor' }).first().waitFor();
    await rows.filter({ hasText: 'active editor' }).first().click();

    // 2. Both models of the endpoint (multi-select).
    await page.locator('.quick-input-widget', { hasText: 'models to ask' }).waitFor();
    await rows.filter({ hasText: 'test-model-b' }).first().waitFor();
    // A click on a row of a multi-select quick pick toggles its checkbox.
    await rows.filter({ hasText: 'test-model-a' }).first().click();
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor();
    await rows.filter({ hasText: 'test-model-b' }).first().click();
    await page.locator('.quick-input-widget', { hasText: '2 Selected' }).waitFor();
    await page.keyboard.press('Enter');

    // 3. Responses per model, temperature, max tokens, system prompt: the defaults from the settings.
    for (const prompt of ['Responses per model', 'Temperature', 'Maximum tokens', 'System prompt']) {
      await page.locator('.quick-input-widget', { hasText: prompt }).waitFor();
      await page.keyboard.press('Enter');
    }

    // 4. The cancellable progress notification, then the summary.
    const progress = page.locator('.notification-toast', { hasText: 'Generating candidates for prompts.jsonl' });
    await progress.first().waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-generate-candidates-progress');
    const summary = page.locator('.notification-toast', { hasText: 'Done: 12 prompt(s) answered' });
    await summary.first().waitFor({ timeout: 90_000 });
    await summary.first().locator('.monaco-button', { hasText: 'Open' }).click();
    await page.locator('.tab[aria-label^="prompts.candidates.jsonl"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'test-model-b' }).first().waitFor();
    const shot = await wb.screenshot('e2e-generate-candidates');
    assert.ok(fs.statSync(shot).size > 10_000);

    const out = path.join(wb.workspace, 'generation', 'prompts.candidates.jsonl');
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { responses: { model: string }[] });
    assert.equal(lines.length, 12);
    assert.ok(lines.every((l) => l.responses.map((r) => r.model).join() === 'test-model-a,test-model-b'));
    assert.equal(server.requests.filter((r) => r.url === '/v1/chat/completions').length, 24);
  });

  it('in Restricted Mode explains why generation is off and sends nothing', async () => {
    const before = server.requests.length;
    wb = await openWorkbench(undefined, {
      workspaceTrust: true,
      settings: {
        'security.workspace.trust.startupPrompt': 'never',
        'pairwise.endpoints': [{ name: 'Local test server', baseURL: server.baseURL, models: ['test-model-a'], maxConcurrency: 1, timeoutSeconds: 20 }],
      },
    });
    // In Restricted Mode the workbench starts the extension host later; a dataset editor waits for it.
    await wb.openFile('broken.jsonl');
    await wb.runCommand('Pairwise: Generate Candidates');
    const note = wb.page.locator('.notification-toast', { hasText: 'Pairwise generation is disabled in Restricted Mode' });
    await note.first().waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-generate-candidates-restricted');
    assert.equal(await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'active editor' }).count(), 0);
    assert.equal(server.requests.length, before);
  });
});
