import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { datasetText, preferenceDataset } from '../support/ownDatasets';
import { openWorkbench, type Workbench } from './workbench';
import { datasetViewFrame, until } from './waitUntil';

/** 300 ShareGPT preference records of our own (no repeats, so an edited answer occurs once in the file). */
const PAIRS = preferenceDataset({ name: 'preference_300.json', count: 300, duplicates: 0, seed: 21 });
/**
 * A word no template uses, put into the shortest answer of each third of the file: the search finds
 * three records far apart, short enough that all three cards fit in the window together.
 */
const WORD = 'heliograph';
for (let third = 0; third < 3; third++) {
  const range = PAIRS.records.slice(third * 100, third * 100 + 100);
  const size = (r: (typeof range)[number]) => JSON.stringify(r).length;
  const shortest = range.reduce((a, b) => (size(b) < size(a) ? b : a));
  (shortest.chosen as { value: string }).value += ` An old ${WORD} could have signalled this across the valley.`;
}

/**
 * Runs a command from the palette while a webview fills the editor area (where the shared helper
 * clicks to focus the workbench): the focus leaves the webview frame first.
 */
async function palette(wb: Workbench, title: string): Promise<void> {
  await wb.page.locator('.part.sidebar .title-label').first().click();
  await wb.runCommandExact(title);
}

/**
 * Opens a workspace file by clicking it in the Explorer, as a user would; unlike Quick Open it does
 * not depend on where the keyboard focus is (a webview frame keeps it after the previous test).
 */
async function openFromExplorer(wb: Workbench, name: string): Promise<void> {
  await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await wb.page.locator(`.tab[aria-label^="${name}"]`).first().waitFor();
}

/** The string values of a record except role names, as the view searches them. */
function texts(v: unknown, key?: string, out: string[] = []): string[] {
  if (typeof v === 'string') {
    if (key !== 'from' && key !== 'role') out.push(v);
  } else if (Array.isArray(v)) v.forEach((x) => texts(x, key, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) texts(x, k, out);
  return out;
}

/** 30 chat rows of our own as a Parquet file in two row groups (messages as a JSON column). */
const PARQUET_ROWS = Array.from({ length: 30 }, (_, i) => [
  { role: 'user', content: `Parquet question ${i}` },
  { role: 'assistant', content: `Parquet answer ${i}` },
]);

describe('e2e: Dataset View', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let parquetDir: string;
  before(async () => {
    parquetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-e2e-pq-'));
    const parquet = path.join(parquetDir, 'chat.parquet');
    fs.writeFileSync(parquet, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'messages', data: PARQUET_ROWS, type: 'JSON' }], rowGroupSize: 20 })));
    // The fixture workspace plus a generated 300-record file, too large to keep among the fixtures.
    wb = await openWorkbench(undefined, { files: { [PAIRS.name]: datasetText(PAIRS) }, extraFiles: { 'chat.parquet': parquet } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    if (wb) await palette(wb, 'View: Close All Editors').catch(() => undefined);
  });
  after(async () => {
    await wb?.close();
    fs.rmSync(parquetDir, { recursive: true, force: true });
  });

  it('shows the records of a ShareGPT preference file as cards with chosen and rejected side by side', async () => {
    await wb.openFile('sharegpt_preference.json');
    await wb.runCommand('Pairwise: Open Dataset View');
    const frame = await datasetViewFrame(wb, 'sharegpt_preference.json');
    await frame.locator('article.card:not(.placeholder)').nth(2).waitFor();
    assert.equal(await frame.locator('article.card').count(), 3);
    assert.equal(await frame.locator('.pair .chosen').count(), 3);
    // Each speaker is drawn on the side the host named for it: ShareGPT's human and gpt tags.
    const sides = await frame.locator('article.card').first().locator('.bubble').evaluateAll((bs) => bs.map((b) => `${b.querySelector('.role')?.textContent}:${[...b.classList].filter((c) => c !== 'bubble').join(' ')}`));
    assert.ok(sides.includes('human:user') && sides.includes('gpt:assistant'), sides.join(', '));
    const head = await frame.locator('.view-head').innerText();
    assert.match(head, /3 records/);
    assert.match(head, /format: sharegpt-preference/);
    // Dataset text is text: the page has no element that came from the data.
    assert.equal(await frame.locator('article.card script, article.card img').count(), 0);
    await wb.screenshot('e2e-dataset-view');
  });

  it('virtualizes 300 records, searches on the host, moves by keyboard, and edits a field into the file', async () => {
    const raw = fs.readFileSync(path.join(wb.workspace, PAIRS.name), 'utf8');
    const records = JSON.parse(raw) as { chosen: { value: string } }[];
    const word = WORD;
    const expected = records.map((r, i) => (texts(r).join('\n').toLowerCase().includes(word) ? i : -1)).filter((i) => i >= 0);
    assert.ok(expected.length > 0);

    await openFromExplorer(wb, PAIRS.name);
    await wb.runCommand('Pairwise: Open Dataset View');
    const frame = await datasetViewFrame(wb, PAIRS.name);
    await until('the header counts', async () => /300 records/.test(await frame.locator('.view-head').innerText()));
    await frame.locator('article.card:not(.placeholder)').first().waitFor();
    const inDom = await frame.locator('article.card').count();
    assert.ok(inDom > 0 && inDom < 60, `only the visible window is in the DOM (${inDom} cards of 300)`);
    // Scrolling to the end pages in the last records, and the DOM stays small.
    await frame.locator('.scroller').evaluate((s) => (s.scrollTop = s.scrollHeight));
    await frame.locator('article.card[data-index="299"]:not(.placeholder)').waitFor({ timeout: 30_000 });
    // The view stays at the end while the last cards are measured: the last record is on screen.
    await until('the last record on screen', () =>
      frame.evaluate(() => {
        const view = document.querySelector('.scroller')!.getBoundingClientRect();
        const last = document.querySelector('article.card[data-index="299"]:not(.placeholder)')?.getBoundingClientRect();
        return !!last && last.top >= view.top - 1 && last.bottom <= view.bottom + 1;
      }),
    );
    assert.ok((await frame.locator('article.card').count()) < 60);

    // `/` focuses the search; the host answers with the matching records.
    await frame.locator('article.card:not(.placeholder)').last().click({ position: { x: 5, y: 5 } });
    await frame.page().keyboard.press('/');
    assert.equal(await frame.evaluate(() => document.activeElement?.className), 'search');
    await frame.page().keyboard.type(word);
    await until('the matching count', async () => (await frame.locator('.count.matching').innerText()) === `${expected.length} matching`);
    await until('the matching cards', async () => (await frame.locator('article.card:not(.placeholder)').count()) === expected.length);
    assert.deepEqual(await frame.locator('article.card').evaluateAll((cs) => cs.map((c) => Number((c as HTMLElement).dataset.index))), expected);
    await wb.screenshot('e2e-dataset-view-search');

    // Escape leaves the search; j moves to the next card.
    await frame.page().keyboard.press('Escape');
    assert.equal(await frame.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pos), '0');
    await frame.page().keyboard.press('j');
    assert.equal(await frame.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pos), '1');
    await frame.page().keyboard.press('k');
    assert.equal(await frame.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pos), '0');

    // Edit the chosen answer of the first match in place; the file changes by exactly that token.
    const target = expected[0];
    const oldValue = records[target].chosen.value;
    const oldToken = JSON.stringify(oldValue);
    assert.equal(raw.split(oldToken).length, 2, 'the edited token occurs once in the file');
    const newValue = 'Edited in the Dataset View: "quoted", <b>not bold</b>\nsecond line';
    const value = frame.locator(`article.card[data-index="${target}"] .pair .chosen .value`);
    await value.dblclick();
    const area = frame.locator('textarea.editor');
    await area.waitFor();
    assert.equal(await area.inputValue(), oldValue);
    await area.fill(newValue);
    await area.press('Control+Enter');
    await until('the edited value in the card', async () => (await value.innerText()) === newValue);
    await wb.page.locator(`.tab.dirty[aria-label^="${PAIRS.name}"]`).first().waitFor({ timeout: 30_000 });
    await palette(wb, 'File: Save');
    const file = path.join(wb.workspace, PAIRS.name);
    const want = raw.replace(oldToken, JSON.stringify(newValue));
    await until('the saved file', async () => fs.readFileSync(file, 'utf8') === want);
    // The search is re-run over the changed document (the edit removed the word from one record, or not).
    const after = (JSON.parse(want) as unknown[]).filter((r) => texts(r).join('\n').toLowerCase().includes(word)).length;
    await until('the re-run search', async () => (await frame.locator('.count.matching').innerText()) === `${after} matching`);
  });

  it('renders hostile record text as literal text: no element from data, no handler runs', async () => {
    await openFromExplorer(wb, 'hostile.jsonl');
    await wb.runCommand('Pairwise: Open Dataset View');
    const frame = await datasetViewFrame(wb, 'hostile.jsonl');
    await frame.locator('article.card:not(.placeholder)').nth(2).waitFor();
    const body = await frame.locator('#app').innerText();
    assert.ok(body.includes(`<script>window.__pwned = 'script'</script>`), 'the script tag shows as text');
    assert.ok(body.includes(`<img src=x onerror="window.__pwned='img'">`), 'the img tag shows as text');
    assert.ok(body.includes(`javascript:window.__pwned='link'`), 'the javascript: text shows as text');
    assert.ok(body.includes(`<b onmouseover="window.__pwned='key'">key</b>`), 'a hostile key shows as text');
    assert.equal(await frame.locator('#app script, #app img, #app iframe, #app svg, #app a, #app style, #app b').count(), 0, 'no element from the data');
    await frame.locator('article.card').first().hover();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await frame.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'no payload ran in the view');
    assert.equal(await wb.page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'no payload ran in the workbench');
  });

  it('opens a Parquet file from the Explorer in the read-only Dataset View, its rows as chat cards', async () => {
    // Clicked before the extension host has registered Pairwise, a .parquet opens in the binary
    // text editor (seen in code-server right after start): wait for Pairwise's status bar item.
    await openFromExplorer(wb, 'chat_sample.jsonl');
    await wb.page.locator('.statusbar-item', { hasText: /records?/ }).first().waitFor({ timeout: 60_000 });
    await openFromExplorer(wb, 'chat.parquet');
    const frame = await datasetViewFrame(wb, 'chat.parquet (read-only)');
    await frame.locator('article.card:not(.placeholder)').first().waitFor();
    await until('the whole file indexed', async () => /30 records/.test(await frame.locator('.view-head').innerText()) && /format: openai-chat/.test(await frame.locator('.view-head').innerText()));
    const first = await frame.locator('article.card:not(.placeholder)').first().innerText();
    assert.match(first, /Parquet question 0/);
    assert.match(first, /Parquet answer 0/);
    assert.equal(await frame.locator('article.card .editable').count(), 0, 'nothing is editable');
    await wb.screenshot('e2e-dataset-view-parquet');
  });
});
