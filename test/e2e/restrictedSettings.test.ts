/**
 * Restricted settings in the real workbench: a workspace opened in Restricted Mode whose own
 * `.vscode/settings.json` sets the annotator name, swaps the labeling keys, names a guidelines file
 * and picks another pair strategy. None of it may shape the label data: the panel labels with the
 * user's annotator name, the default keys and pairs, and shows no guidelines.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/codeServer';
import { openWorkbench, type Workbench } from './workbench';
import { until } from './waitUntil';

function logLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}


describe('e2e: restricted settings in Restricted Mode', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  let fixture: string;
  before(async () => {
    fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-restricted-'));
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'labeling'), path.join(fixture, 'labeling'), { recursive: true });
    fs.mkdirSync(path.join(fixture, '.vscode'));
    fs.writeFileSync(
      path.join(fixture, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'pairwise.labeling.annotator': 'workspace-annotator',
          'pairwise.labeling.keys': { left: ['2'], right: ['1'] },
          'pairwise.labeling.guidelinesFile': 'labeling/guidelines.md',
          'pairwise.labeling.pairStrategy': 'adjacent',
        },
        null,
        2,
      ),
    );
    wb = await openWorkbench(fixture, {
      workspaceTrust: true,
      settings: { 'security.workspace.trust.startupPrompt': 'never', 'pairwise.labeling.annotator': 'user-annotator' },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await wb?.close();
    fs.rmSync(fixture, { recursive: true, force: true });
  });

  it("labels with the user's annotator, keys and pairs, not the workspace's", async () => {
    const w = wb!;
    const page = w.page;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    // In Restricted Mode the workbench starts the extension host later; a dataset editor waits for it.
    await w.openFile('chat.candidates.jsonl');
    await w.runCommand('Pairwise: Start Labeling', page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use chat.candidates.labels.jsonl' }));
    await page.keyboard.press('Enter');
    const frame = await w.findFrame('Left is better', 60_000);
    // pairStrategy "all" (the default): 9 pairs; the workspace's "adjacent" would give 8. (The
    // title says "Loading…" until the host's first pair reaches the page.)
    await frame.locator('h1.title', { hasText: /pair 1 of \d+/ }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('h1.title').innerText(), /pair 1 of 9/);
    assert.equal(await frame.locator('details.guidelines').isHidden(), true, 'the workspace guidelines file is not read');

    // "1" is Left (the default), not Right as the workspace's keys say.
    await frame.locator('.progress').click();
    await page.keyboard.press('1');
    const log = path.join(w.workspace, 'labeling', 'chat.candidates.labels.jsonl');
    const [line] = await until('the decision on disk', () => logLines(log).length === 1 && logLines(log));
    assert.equal(line.choice, 'left');
    assert.equal(line.annotator, 'user-annotator');
    assert.doesNotMatch(fs.readFileSync(log, 'utf8'), /workspace-annotator/);
    await w.screenshot('e2e-restricted-settings-labeling');
  });
});
