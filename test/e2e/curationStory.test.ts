/**
 * The curation story of issue #7 in the real workbench, all through the UI with the keyboard: a new
 * user opens the statistics of a dataset (charts drawn as SVG), removes near duplicates, splits
 * off 5% for validation and registers the training split in dataset_info.json. The dataset is our
 * own ShareGPT file with tools, in the layout of LLaMA-Factory's tool-calling demo, which holds
 * exact duplicates and near duplicates. Every output is read back from disk and checked against the input.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { filterFile } from '../../src/core/curate/filter';
import { datasetText, toolCallDataset } from '../support/ownDatasets';
import { openWorkbench, screenshotFailuresAndClose, type Workbench } from './workbench';
import { until } from './waitUntil';

const DATASET = toolCallDataset();
const NAME = DATASET.name;
const DEDUP = 'tool_calls.dedup.json';
const REPORT = 'tool_calls.dedup-report.jsonl';
const TRAIN = 'tool_calls.dedup.train.json';
const VALIDATION = 'tool_calls.dedup.validation.json';

interface Removed {
  record: number;
  kind: 'exact' | 'near';
  duplicateOf: number;
  similarity: number;
}


/** The first frame whose `selector` element reads `text`. */
async function frameWith(wb: Workbench, selector: string, text: string, timeoutMs = 90_000): Promise<Frame> {
  let found: Frame | undefined;
  await until(
    `a frame with ${selector} = ${text}`,
    async () => {
      for (const f of wb.page.frames()) {
        const t = await f.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector).catch(() => '');
        if (t === text) found = f;
      }
      return !!found;
    },
    timeoutMs,
  );
  return found!;
}

function readArray(file: string): unknown[] {
  const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  assert.ok(Array.isArray(v), `${path.basename(file)} is a JSON array`);
  return v;
}

describe('e2e: the curation story (statistics, near-duplicate removal, 95/5 split, dataset_info.json)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  const file = (name: string) => path.join(wb.workspace, name);
  const quickInput = () => wb.page.locator('.quick-input-widget');

  /** Waits until the quick input shows `text` (its title, prompt, placeholder or a row), then presses Enter. */
  async function acceptWhenShown(text: string, typed?: string): Promise<void> {
    await until(`the quick input to show "${text}"`, async () => {
      if (!(await quickInput().isVisible())) return false;
      const shown = await quickInput().innerText();
      const placeholder = (await quickInput().locator('input').getAttribute('placeholder')) ?? '';
      return shown.includes(text) || placeholder.includes(text);
    });
    if (typed !== undefined) await quickInput().locator('input').fill(typed);
    await wb.page.keyboard.press('Enter');
  }

  /**
   * Clicks a button of the notification that reads `message`, until the tab of the file it opens
   * (`opens`) shows. On a loaded machine a click once landed on the toast list while it moved, or
   * after the toast had gone to the notification center: the click is tried again, in the toast
   * while it shows, else in the notification center, where the notification stays.
   */
  async function clickNotificationButton(message: RegExp, button: string, opens: string): Promise<void> {
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: message }).first();
    await toast.waitFor({ timeout: 60_000 });
    const tab = wb.page.locator(`.tab[aria-label^="${opens}"]`).first();
    const centre = wb.page.locator('.notifications-center .notification-list-item', { hasText: message }).first();
    await until(`${button} to open ${opens}`, async () => {
      if (await tab.isVisible()) return true;
      // Hovering keeps the toast from hiding and lets the list settle after the progress toast
      // closes, so the click lands on the button, not on a toast that is moving.
      let item = toast;
      if (!(await toast.isVisible())) {
        if (!(await centre.isVisible())) await wb.runCommand('Notifications: Show Notifications');
        item = centre;
      }
      await item.hover({ timeout: 5_000 }).catch(() => undefined);
      await item.locator('.monaco-button', { hasText: button }).first().click({ timeout: 5_000 }).catch(() => undefined);
      return tab.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    });
    if (await centre.isVisible()) await wb.page.keyboard.press('Escape');
  }

  before(async () => {
    // The fixture workspace plus a generated dataset, too large to keep among the fixtures.
    wb = await openWorkbench(undefined, { files: { [NAME]: datasetText(DATASET) } });
  });
  screenshotFailuresAndClose(() => wb);

  it('shows the charts, removes near duplicates, splits 95/5 and registers the training split, all from the palette', async () => {
    const inputText = fs.readFileSync(file(NAME), 'utf8');
    const original = JSON.parse(inputText) as unknown[];

    // 1. Statistics: the report draws its charts as SVG.
    await wb.openFile(NAME);
    await wb.runCommand('Pairwise: Show Dataset Statistics');
    const report = await frameWith(wb, '.stats-head h1', NAME);
    await until('the charts', async () => (await report.locator('svg.histogram').count()) > 0);
    assert.match(await report.locator('.stats-head').innerText(), new RegExp(`${original.length.toLocaleString('en-US')} records`));
    assert.ok((await report.locator('svg.histogram rect.bar').count()) > 0, 'the charts have bars');
    await wb.screenshot('statistics-report');

    // 2. Deduplicate the file behind the report: near duplicates, default threshold.
    await wb.runCommand('Pairwise: Deduplicate');
    await acceptWhenShown('Near-duplicate', 'Near-dup');
    await acceptWhenShown('0.8 is a common choice');
    await until(DEDUP, () => fs.existsSync(file(DEDUP)) && fs.existsSync(file(REPORT)));
    const kept = readArray(file(DEDUP));
    const removed = fs
      .readFileSync(file(REPORT), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Removed);
    assert.ok(removed.some((r) => r.kind === 'near' && r.similarity >= 0.8 && r.similarity < 1), 'at least one near duplicate removed');
    assert.ok(removed.some((r) => r.kind === 'exact'), 'exact duplicates go too');
    // Every repeat the file was made with is gone (the near ones share about 92% of their word shingles).
    for (const i of [...DATASET.duplicates, ...DATASET.nearDuplicateOf.keys()]) assert.ok(removed.some((r) => r.record === i), `record ${i} removed`);
    assert.equal(kept.length + removed.length, original.length);
    const gone = new Set(removed.map((r) => r.record));
    assert.deepEqual(
      kept,
      original.filter((_, i) => !gone.has(i)),
      'the kept records are the input minus the removed ones, in order',
    );
    for (const r of removed) assert.ok(r.duplicateOf < r.record && !gone.has(r.duplicateOf), `record ${r.record} duplicates a kept earlier record`);
    // The summary's button opens the kept records.
    await clickNotificationButton(/Deduplicated tool_calls\.json: kept/, 'Open Kept', DEDUP);

    // 3. Split the deduplicated file 95/5 (the first preset), default seed, no grouping.
    await wb.runCommand('Pairwise: Split Train/Validation');
    await acceptWhenShown('95 / 5', '95 / 5');
    await acceptWhenShown('Random seed');
    await acceptWhenShown('Exact counts');
    await until(`${TRAIN} and ${VALIDATION}`, () => fs.existsSync(file(TRAIN)) && fs.existsSync(file(VALIDATION)));
    const train = readArray(file(TRAIN));
    const validation = readArray(file(VALIDATION));
    assert.equal(train.length + validation.length, kept.length, 'every kept record in one split');
    assert.ok(Math.abs(validation.length - kept.length * 0.05) <= 1, `validation holds 5% of ${kept.length} (±1): ${validation.length}`);
    const keys = (a: unknown[]) => a.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(keys([...train, ...validation]), keys(kept));
    await clickNotificationButton(/Split tool_calls\.dedup\.json/, 'Open train', TRAIN);

    // 4. Register the training split in dataset_info.json under its default name.
    await wb.runCommand('Pairwise: Register in dataset_info.json');
    await acceptWhenShown('Dataset name');
    await until('dataset_info.json', () => fs.existsSync(file('dataset_info.json')));
    const info = JSON.parse(fs.readFileSync(file('dataset_info.json'), 'utf8')) as Record<string, { file_name: string; formatting?: string; columns?: Record<string, string> }>;
    const entry = info['tool_calls.dedup.train'];
    assert.ok(entry, `an entry for the training split (${Object.keys(info).join(', ')})`);
    assert.equal(entry.file_name, TRAIN);
    assert.equal(entry.formatting, 'sharegpt');
    assert.equal(entry.columns?.messages, 'conversations');
    assert.equal(entry.columns?.tools, 'tools');
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /Added "tool_calls\.dedup\.train" \(sharegpt\) to a new dataset_info\.json/ }).first().waitFor();
    await wb.screenshot('curation-story-registered');

    // The input itself never changed.
    assert.equal(fs.readFileSync(file(NAME), 'utf8'), inputText);
  });

  it('filters by a token range and samples through the quick inputs, and asks before replacing an output', async () => {
    // The training split of the story is the active editor.
    await wb.page.locator(`.tab[aria-label^="${TRAIN}"]`).first().click();
    const train = readArray(file(TRAIN));

    await wb.runCommand('Pairwise: Filter Records');
    await acceptWhenShown('Keep the records that', 'Token range');
    await acceptWhenShown('Minimum tokens');
    await acceptWhenShown('Maximum tokens', '500');
    await acceptWhenShown('Add a criterion, or Done');
    const kept = 'tool_calls.dedup.train.kept.json';
    const removed = 'tool_calls.dedup.train.removed.json';
    await until(`${kept} and ${removed}`, () => fs.existsSync(file(kept)) && fs.existsSync(file(removed)));
    // The same criterion through the core gives the same files: the quick inputs meant "at most 500 tokens".
    const direct = fs.mkdtempSync(path.join(os.tmpdir(), 'pairwise-filter-direct-'));
    try {
      const r = await filterFile(file(TRAIN), { criteria: { maxTokens: 500 }, out: path.join(direct, 'kept.json'), removedOut: path.join(direct, 'removed.json') });
      assert.ok(r.kept > 0 && r.removed > 0, `the bound splits the file (${r.kept} kept, ${r.removed} removed)`);
      assert.equal(fs.readFileSync(file(kept), 'utf8'), fs.readFileSync(r.out, 'utf8'));
      assert.equal(fs.readFileSync(file(removed), 'utf8'), fs.readFileSync(r.removedOut, 'utf8'));
    } finally {
      fs.rmSync(direct, { recursive: true, force: true });
    }
    assert.equal(readArray(file(kept)).length + readArray(file(removed)).length, train.length);

    await wb.page.locator(`.tab[aria-label^="${TRAIN}"]`).first().click();
    await wb.runCommand('Pairwise: Sample Records');
    await acceptWhenShown('How many records', '10');
    await acceptWhenShown('the same seed gives the same sample');
    const sample = 'tool_calls.dedup.train.sample10.json';
    await until(sample, () => fs.existsSync(file(sample)));
    const first = fs.readFileSync(file(sample), 'utf8');
    const drawn = readArray(file(sample));
    assert.equal(drawn.length, 10);
    const inTrain = new Set(train.map((x) => JSON.stringify(x)));
    assert.ok(drawn.every((x) => inTrain.has(JSON.stringify(x))), 'every sampled record comes from the file');
    assert.equal(new Set(drawn.map((x) => JSON.stringify(x))).size, 10, 'no record drawn twice');

    // Again, over an existing output: a modal asks first; Replace writes the same sample (same seed).
    fs.writeFileSync(file(sample), 'stale\n');
    await wb.page.locator(`.tab[aria-label^="${TRAIN}"]`).first().click();
    await wb.runCommand('Pairwise: Sample Records');
    await acceptWhenShown('How many records', '10');
    await acceptWhenShown('the same seed gives the same sample');
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: `${sample} already exists` });
    await dialog.waitFor({ timeout: 60_000 });
    assert.equal(fs.readFileSync(file(sample), 'utf8'), 'stale\n', 'nothing replaced before the answer');
    await dialog.locator('.monaco-button', { hasText: 'Replace' }).first().click();
    await until('the sample replaced', () => fs.readFileSync(file(sample), 'utf8') === first);
    await wb.screenshot('curation-filter-sample');
  });
});
