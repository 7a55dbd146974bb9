/**
 * The generation story of a new user, all through the command palette of the real workbench,
 * against the OpenAI-compatible test server on loopback (slow enough to cancel halfway):
 * Manage Endpoints → Add Endpoint (name, base URL, models chosen from the endpoint's /models list)
 * → Test Connection; Set API Key (a password box); Generate Candidates on a prompts file → Cancel
 * from the progress notification halfway → run again → Resume (no unit already on disk is
 * requested again) → Start Labeling on the result shows a pair in the labeling panel → Judge Pairs
 * with a Model (run from the palette over the panel) → the panel shows the judge's verdict once the
 * pair is decided with a key press.
 * The key must reach the server as `Authorization: Bearer <key>` and appear in no file written.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { start, type RecordedRequest, type TestServer } from '../support/openaiTestServer';
import { openWorkbench, type Workbench } from './workbench';
import { until } from './waitUntil';

const ENDPOINT = 'Story server';
const MODELS = ['story-model-a', 'story-model-b'];
const PROMPTS = 12;


function jsonLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every file under `dir` (recursively). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...filesUnder(p));
    else if (d.isFile()) out.push(p);
  }
  return out;
}

const chats = (reqs: RecordedRequest[]) => reqs.filter((r) => r.method === 'POST' && r.url === '/v1/chat/completions');
/** The unit a chat request asks for: model and the prompt's user text. */
function unitOf(r: RecordedRequest): string {
  const body = r.body as { model: string; messages: { role: string; content: string }[] };
  const user = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return `${body.model}|${user}`;
}

describe('e2e: the generation story (endpoint, key, generate, cancel, resume, label)', function () {
  this.timeout(300_000);
  let server: TestServer;
  let wb: Workbench | undefined;
  // Assembled at run time so that secret scanners do not take a test value for a leak.
  const apiKey = ['sk', 'e2e', crypto.randomBytes(12).toString('hex')].join('-');

  before(async () => {
    // 4 requests in flight (the default concurrency) × 1.5 s: the 24 requests take about 9 s, time to cancel halfway.
    server = await start({ models: MODELS, latencyMs: 1500 });
    wb = await openWorkbench(undefined, { settings: { 'pairwise.labeling.annotator': 'story' } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await wb?.close();
    await server?.close();
  });

  it('adds an endpoint, tests it, sets a key, generates, cancels, resumes and starts labeling', async () => {
    const w = wb!;
    const { page } = w;
    const widget = page.locator('.quick-input-widget');
    // Visible rows only: the widget keeps the rows of an earlier pick in its DOM, hidden, and under load the
    // next pick can open after a locator has already settled on a stale row (a 30 s "not visible" timeout).
    const rows = widget.locator('.quick-input-list .monaco-list-row').filter({ visible: true });
    const box = widget.locator('.quick-input-box input');
    const toast = (text: string) => page.locator('.notification-toast', { hasText: text }).first();
    const typeInBox = async (prompt: string, value: string): Promise<void> => {
      await widget.filter({ hasText: prompt }).waitFor();
      await box.fill(value);
      await page.keyboard.press('Enter');
    };

    // ---- Manage Endpoints → Add Endpoint… ------------------------------------------------------
    await w.runCommand('Pairwise: Manage Endpoints');
    await rows.filter({ hasText: 'Add Endpoint' }).first().click();
    await typeInBox('Name (shown in pickers', ENDPOINT);
    await widget.filter({ hasText: 'Base URL of the OpenAI-compatible API' }).waitFor();
    await box.fill(server.baseURL);
    await w.screenshot('endpoint-add');
    await page.keyboard.press('Enter');
    // No models typed: they are chosen from the endpoint's own list below.
    await typeInBox('Models, separated by commas', '');
    await toast(`Endpoint ${ENDPOINT} added`).locator('.monaco-button', { hasText: 'Choose Models' }).click();
    await widget.filter({ hasText: `Models of ${ENDPOINT}` }).waitFor();
    for (const m of MODELS) await rows.filter({ hasText: m }).first().click();
    await widget.filter({ hasText: '2 Selected' }).waitFor();
    await page.keyboard.press('Enter');
    const settingsFile = path.join(w.userDataDir, 'User', 'settings.json');
    await until('the endpoint in the user settings', () => fs.existsSync(settingsFile) && fs.readFileSync(settingsFile, 'utf8').includes(MODELS[1]));
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.url === '/v1/models'), 'the models were listed from the endpoint');

    // ---- Manage Endpoints → the endpoint → Test Connection ------------------------------------
    await w.runCommand('Pairwise: Manage Endpoints');
    await rows.filter({ hasText: ENDPOINT }).first().click();
    await rows.filter({ hasText: 'Test Connection' }).first().click();
    await toast(`${ENDPOINT} works`).waitFor({ timeout: 30_000 });
    await w.screenshot('endpoint-test-connection');
    const probe = chats(server.requests);
    assert.ok(probe.length >= 1, 'the test connection sent a chat request');
    assert.equal(probe[0].headers.authorization, undefined, 'no key yet: no Authorization header');

    // ---- Set API Key (password box) ------------------------------------------------------------
    await w.runCommand('Pairwise: Set API Key');
    await rows.filter({ hasText: ENDPOINT }).first().click();
    await widget.filter({ hasText: `API key of ${ENDPOINT}` }).waitFor();
    const password = widget.locator('.quick-input-box input[type="password"]');
    await password.waitFor();
    await password.fill(apiKey);
    await page.keyboard.press('Enter');
    await toast(`API key for ${ENDPOINT} stored`).waitFor();

    // ---- Generate Candidates, cancelled halfway ------------------------------------------------
    const generate = async (): Promise<void> => {
      await w.runCommand('Pairwise: Generate Candidates');
      await rows.filter({ hasText: 'active editor' }).first().click();
      await widget.filter({ hasText: 'models to ask' }).waitFor();
      for (const m of MODELS) await rows.filter({ hasText: m }).first().click();
      await widget.filter({ hasText: '2 Selected' }).waitFor();
      await page.keyboard.press('Enter');
      // One answer per model (the setting's default is more), the other parameters as they come.
      await typeInBox('Responses per model', '1');
      for (const prompt of ['Temperature', 'Maximum tokens', 'System prompt']) {
        await widget.filter({ hasText: prompt }).waitFor();
        await page.keyboard.press('Enter');
      }
    };
    await w.openFile('prompts.jsonl');
    const before1 = server.requests.length;
    await generate();
    const progress = toast('Generating candidates for prompts.jsonl');
    await progress.waitFor({ timeout: 30_000 });
    // Halfway: once half of the 24 requests has arrived (four in flight, so about eight have answered).
    await until('half of the requests', () => chats(server.requests.slice(before1)).length >= 12);
    await w.screenshot('generation-progress');
    await progress.hover();
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await toast('Cancelled:').waitFor({ timeout: 30_000 });
    await w.screenshot('generation-cancelled');
    const run1 = chats(server.requests.slice(before1));

    const out = path.join(w.workspace, 'generation', 'prompts.candidates.jsonl');
    // What is on disk after the cancel: complete prompts in the candidates file, single answers in the journal.
    const doneUnits = new Set<string>();
    for (const l of jsonLines(out)) for (const r of l.responses as { model: string }[]) doneUnits.add(`${l.id as string}|${r.model}`);
    for (const l of jsonLines(`${out}.progress.jsonl`)) for (const r of l.responses as { model: string }[]) doneUnits.add(`${l.id as string}|${r.model}`);
    assert.ok(doneUnits.size > 0 && doneUnits.size < PROMPTS * MODELS.length, `cancelled halfway: ${doneUnits.size} of ${PROMPTS * MODELS.length} answers on disk`);
    assert.ok(run1.length < PROMPTS * MODELS.length, 'the cancel stopped the requests');

    // ---- Run again: Resume ----------------------------------------------------------------------
    const before2 = server.requests.length;
    await generate();
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'exists from the same job' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Resume' }).click();
    const done = toast('Done:');
    await done.waitFor({ timeout: 90_000 });
    await w.screenshot('generation-resumed');
    const run2 = chats(server.requests.slice(before2));

    // The result: every prompt once, both models' answers.
    const lines = jsonLines(out);
    assert.equal(lines.length, PROMPTS);
    assert.equal(new Set(lines.map((l) => l.id)).size, PROMPTS, 'no prompt written twice');
    for (const l of lines) assert.deepEqual((l.responses as { model: string }[]).map((r) => r.model), MODELS);
    // No unit that was on disk after the cancel was requested again; none twice in the resumed run.
    const idOfUser = new Map<string, string>();
    for (const l of lines) idOfUser.set((l.prompt as { role: string; content: string }[]).filter((m) => m.role === 'user').at(-1)!.content, l.id as string);
    const resumedUnits = run2.map((r) => {
      const [model, user] = unitOf(r).split('|');
      return `${idOfUser.get(user)}|${model}`;
    });
    for (const u of resumedUnits) assert.ok(!doneUnits.has(u), `${u} was done before the cancel and was requested again`);
    assert.equal(new Set(resumedUnits).size, resumedUnits.length, 'no unit requested twice by the resumed run');
    assert.equal(doneUnits.size + resumedUnits.length, PROMPTS * MODELS.length, 'the resumed run asked exactly for the missing answers');

    // The key: sent as a bearer token with every generation request, and in no file written.
    for (const r of [...run1, ...run2]) assert.equal(r.headers.authorization, `Bearer ${apiKey}`);
    const settingsText = fs.readFileSync(settingsFile, 'utf8');
    assert.ok(settingsText.includes(server.baseURL) && !settingsText.includes(apiKey), 'settings.json has the endpoint and not the key');
    for (const f of [...filesUnder(w.workspace), ...filesUnder(path.join(w.userDataDir, 'User')), ...filesUnder(path.join(w.userDataDir, 'logs'))]) {
      if (fs.statSync(f).size > 50 << 20) continue;
      assert.ok(!fs.readFileSync(f).includes(apiKey), `the key is in ${f}`);
    }

    // ---- Start Labeling on the result ----------------------------------------------------------
    await done.hover();
    await done.locator('.monaco-button', { hasText: 'Start Labeling' }).click();
    await rows.filter({ hasText: 'Use ' }).first().click();
    const frame = await w.findFrame('Left is better', 60_000);
    // The panel's page is up before the host's first state reaches it (the title says "Loading…" until then).
    await frame.locator('h1.title', { hasText: /pair 1 of/ }).waitFor({ timeout: 60_000 });
    const title = await frame.locator('h1.title').textContent();
    assert.match(title ?? '', /prompts\.candidates\.jsonl — pair 1 of/);
    assert.ok(((await frame.locator('.response.left .body').textContent()) ?? '').trim().length > 0, 'the left response is shown');
    await w.screenshot('generation-start-labeling');

    // ---- Judge Pairs with a Model, run from the palette while the panel fills the editor area ----
    // The judge (the test server in judge mode) prefers story-model-a's answers, in both orders.
    server.setJudge({ marker: `[${MODELS[0]}#` });
    server.setLatency(100);
    const log = path.join(w.workspace, 'generation', 'prompts.candidates.labels.jsonl');
    await w.runCommand('Pairwise: Judge Pairs with a Model', widget.filter({ hasText: 'candidates file' }));
    await box.fill('prompts.candidates');
    await rows.filter({ hasText: /^prompts\.candidates\.jsonl(?!\.)/ }).first().click();
    await widget.filter({ hasText: 'judge model' }).waitFor();
    await rows.filter({ hasText: MODELS[0] }).first().click();
    await toast('Judged: 12 pair(s)').waitFor({ timeout: 60_000 });
    assert.equal(jsonLines(log).length, 0, 'the palette helper did not click a choice in the panel');
    // The panel picks up the new judgements file; by default the verdict waits for the decision.
    const judgeNote = frame.locator('section.judge');
    await until('the judge note in the panel', async () => /appears after you decide/.test((await judgeNote.textContent().catch(() => '')) ?? ''));
    assert.doesNotMatch((await judgeNote.textContent()) ?? '', /is better/, 'no verdict before the decision');
    const leftText = (await frame.locator('.response.left .body').textContent()) ?? '';
    const expected = leftText.includes(`[${MODELS[0]}#`) ? 'left is better' : 'right is better';
    // Decide with the keyboard, in the webview.
    await frame.locator('h1.title').click();
    await page.keyboard.press('1');
    await until('the decision on disk', () => jsonLines(log).length === 1);
    await until("the judge's verdict on the labeled pair", async () => /which you just labeled/.test((await judgeNote.textContent()) ?? ''));
    const shown = (await judgeNote.textContent()) ?? '';
    assert.match(shown, new RegExp(`AI judge \\(${MODELS[0]}\\) on pair 1, which you just labeled: ${expected}`));
    assert.match(shown, expected === 'left is better' ? /agrees with you/ : /differs from your label/);
    assert.match(shown, /Agreement with the judge: [01] of 1 pair/);
    // The notifications cover part of the panel: clear them for the README picture.
    await w.runCommand('Notifications: Clear All Notifications');
    await page.locator('.notification-toast').first().waitFor({ state: 'detached' });
    assert.equal(jsonLines(log).length, 1);
    await w.screenshot('labeling-panel');
  });
});
