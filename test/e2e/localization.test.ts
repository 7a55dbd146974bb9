/**
 * Pairwise in a zh-cn VS Code: the command palette, the status bar, a notification and the Dataset
 * View speak Chinese. The Microsoft language pack cannot be installed offline, so the workbench is
 * switched to zh-cn by argv.json plus a language-pack fixture that declares zh-cn and translates
 * nothing of VS Code itself: VS Code's own chrome stays English, while VS Code hands Pairwise its
 * package.nls.zh-cn.json and l10n/bundle.l10n.zh-cn.json as it would with the real pack.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { REPO_ROOT } from '../support/codeServer';
import { openWorkbench, type Workbench } from './workbench';

const LANGUAGE_PACK = path.join(REPO_ROOT, 'test', 'fixtures', 'zh-cn-language-pack');

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('e2e: zh-cn localization', function () {
  this.timeout(300_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench(undefined, { locale: { id: 'zh-cn', languagePack: LANGUAGE_PACK } });
  });
  after(async () => {
    await wb?.close();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-zh-cn-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('shows Chinese command titles, status bar, notifications and Dataset View chrome', async () => {
    const page = wb.page;
    // Status bar: the dataset summary of the open file.
    await wb.openFile('chat_sample.jsonl');
    const status = page.locator('.statusbar-item', { hasText: '条记录' }).first();
    await status.waitFor({ timeout: 60_000 });
    const statusText = (await status.innerText()).trim();
    assert.match(statusText, /\d+ 条记录 · \d+ 个错误/);
    await wb.screenshot('zh-cn-status-bar');

    // Command palette: Pairwise's commands under their Chinese titles (category "Pairwise").
    await page.locator('.monaco-workbench .part.editor').click();
    const input = await wb.openQuickInput('F1');
    await input.fill('>Pairwise: 打开数据集视图');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '打开数据集视图' }).first();
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /Pairwise: 打开数据集视图/);
    await wb.screenshot('zh-cn-command-palette');
    await page.keyboard.press('Enter');

    // Dataset View: its chrome comes from the zh-cn bundle, and <html lang> follows VS Code.
    const frame: Frame = await until('the Dataset View in Chinese', async () => {
      for (const f of page.frames()) {
        const head = await f.evaluate(() => document.querySelector('.view-head')?.textContent ?? '').catch(() => '');
        if (head.includes('条记录')) return f;
      }
      return undefined;
    });
    const chrome = await frame.evaluate(() => ({
      lang: document.documentElement.lang,
      search: (document.querySelector('input.search') as HTMLInputElement | null)?.placeholder ?? '',
      clear: document.querySelector('button.clear')?.textContent ?? '',
      head: document.querySelector('.view-head')?.textContent ?? '',
    }));
    assert.equal(chrome.lang, 'zh-CN');
    assert.equal(chrome.search, '搜索记录 (/)');
    assert.equal(chrome.clear, '清除');
    assert.match(chrome.head, /格式: /);
    await wb.screenshot('zh-cn-dataset-view');

    // A notification: Validate Workspace Datasets reports in Chinese.
    await page.locator('.part.sidebar .title-label').first().click();
    await wb.openQuickInput('F1');
    await input.fill('>Pairwise: 验证工作区数据集');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '验证工作区数据集' }).first().click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Pairwise: 已验证' }).first();
    await toast.waitFor({ timeout: 120_000 });
    assert.match(await toast.innerText(), /个数据集/);
    await wb.screenshot('zh-cn-notification');
  });
});
