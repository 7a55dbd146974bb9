/**
 * Create Training Config through the real workbench, the way a user goes: the command palette on a
 * preference dataset, the six quick input steps (trainer, method, a model id typed freely, QLoRA,
 * default hyperparameters, a wandb project), the YAML opening with the expected fields, Reveal in
 * Explorer; a second run stopping at the overwrite confirmation. Then the Getting Started
 * walkthrough from Welcome > Walkthroughs, its screenshot, and its first button opening a sample.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, type Workbench } from './workbench';

const MODEL = 'my-org/tiny-llama-7b';

/** Waits for the quick input titled with step `step` of 6 and showing `text` (in its placeholder, prompt or rows). */
async function atStep(page: Page, step: number, text: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `(${step}/6)` }).waitFor();
  const placeholder = page.locator(`.quick-input-widget input[placeholder*=${JSON.stringify(text)}]`);
  const shown = page.locator('.quick-input-widget', { hasText: text });
  await placeholder.or(shown).first().waitFor();
}

async function pickRow(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/** Steps 1–6 for LLaMA-Factory DPO with the typed model, QLoRA, defaults and a wandb project. */
async function walkSteps(page: Page, options: { tryBack?: boolean } = {}): Promise<void> {
  await atStep(page, 1, 'Which trainer');
  await pickRow(page, 'LLaMA-Factory');

  // Only the methods preference data supports, and the placeholder says which are left out.
  await atStep(page, 2, 'sharegpt-preference data cannot train sft, ppo, kto');
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.filter({ hasText: 'ORPO' }).first().waitFor();
  const texts = await rows.allInnerTexts();
  assert.equal(texts.length, 3, texts.join(' | '));
  ['reward model (RM)', 'DPO', 'ORPO'].forEach((label, i) => assert.ok(texts[i].startsWith(label), `${texts[i]} is ${label}`));
  await pickRow(page, 'DPO');

  await atStep(page, 3, 'Base model');
  await page.locator('.quick-input-widget input').fill(MODEL);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'your model id or local path' }).waitFor();
  await page.keyboard.press('Enter');

  await atStep(page, 4, 'Which weights train');
  if (options.tryBack) {
    // Back returns to the model step with the typed id still there.
    await page.locator('.quick-input-widget .quick-input-left-action-bar .action-label, .quick-input-widget .codicon-quick-input-back').first().click();
    await atStep(page, 3, 'Base model');
    assert.equal(await page.locator('.quick-input-widget input').inputValue(), MODEL);
    await page.keyboard.press('Enter');
    await atStep(page, 4, 'Which weights train');
  }
  await pickRow(page, 'QLoRA (4-bit)');

  await atStep(page, 5, 'Use defaults');
  await page.locator('.quick-input-widget', { hasText: 'lr 0.000005' }).waitFor();
  await pickRow(page, 'Use defaults');

  await atStep(page, 6, 'Weights & Biases');
  await page.locator('.quick-input-widget input').fill('e2e-runs');
  await page.keyboard.press('Enter');
}

describe('e2e: Create Training Config and the Getting Started walkthrough', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    await wb?.close();
    wb = undefined;
  });

  it('drives the quick picks to a LLaMA-Factory DPO QLoRA YAML, asks before overwriting, and shows the walkthrough', async () => {
    wb = await openWorkbench();
    const { page } = wb;
    await wb.openFile('sharegpt_preference.json');
    await wb.runCommand('Pairwise: Create Training Config');
    await walkSteps(page, { tryBack: true });

    // The YAML opens in an editor, and the notification lists the files.
    await page.locator('.tab[aria-label^="llamafactory_dpo_qlora.yaml"]').first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'stage: dpo' }).first().waitFor();
    const note = page.locator('.notification-toast', { hasText: 'config written' }).first();
    await note.waitFor();
    assert.match(await note.innerText(), /dataset_info\.json/);
    await wb.screenshot('e2e-train-config');

    const yamlFile = path.join(wb.workspace, 'sharegpt_preference-llamafactory-dpo', 'llamafactory_dpo_qlora.yaml');
    const yaml = fs.readFileSync(yamlFile, 'utf8');
    const field = (k: string) => new RegExp(`^${k}: (.*?)(\\s+#.*)?$`, 'm').exec(yaml)?.[1];
    assert.equal(field('model_name_or_path'), MODEL);
    assert.equal(field('stage'), 'dpo');
    assert.equal(field('finetuning_type'), 'lora');
    assert.equal(field('quantization_bit'), '4');
    assert.equal(field('dataset'), 'sharegpt_preference');
    assert.equal(field('report_to'), 'wandb');
    assert.equal(field('learning_rate'), '5.0e-6');
    assert.match(yaml, /WANDB_PROJECT=e2e-runs/);
    assert.match(yaml, /^# Dataset: \.\.\/sharegpt_preference\.json \(sharegpt-preference\)$/m);
    const info = JSON.parse(fs.readFileSync(path.join(path.dirname(yamlFile), 'dataset_info.json'), 'utf8')) as Record<string, { file_name: string; ranking: boolean }>;
    assert.deepEqual([info.sharegpt_preference?.file_name, info.sharegpt_preference?.ranking], ['../sharegpt_preference.json', true]);

    await note.locator('.monaco-button', { hasText: 'Reveal in Explorer' }).click();
    await page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: 'llamafactory_dpo_qlora.yaml' }).waitFor();

    // The same choices again: the files exist, so a modal asks; Cancel leaves the YAML as it was.
    const before = fs.readFileSync(yamlFile, 'utf8');
    // Its tab is open already: activate it by its tab (Quick Open under load sometimes left the YAML in front).
    await page.locator('.tab[aria-label^="sharegpt_preference.json"]').first().click();
    await page.locator('.tab.active[aria-label^="sharegpt_preference.json"]').first().waitFor();
    await page.locator('.monaco-editor .view-line', { hasText: '"conversations"' }).first().waitFor();
    await wb.runCommand('Pairwise: Create Training Config');
    await walkSteps(page);
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Replace what is already there?' });
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /llamafactory_dpo_qlora\.yaml/);
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(fs.readFileSync(yamlFile, 'utf8'), before);

    // Welcome > Walkthroughs lists Pairwise's; its page shows the five steps.
    await wb.runCommand('Welcome: Open Walkthrough...');
    await pickRow(page, 'Get Started with Pairwise');
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const title of ['Open a sample dataset', 'Open the Dataset View', 'Label five pairs', 'Generate candidates', 'Export and create a training config']) {
      await walkthrough.locator('.getting-started-step', { hasText: title }).first().waitFor();
    }
    await page.waitForTimeout(1000);
    const shot = await wb.screenshot('walkthrough');
    assert.ok(fs.statSync(shot).size > 10_000);

    // The first step's button opens the sample (a copy outside this workspace) with its diagnostics.
    await walkthrough.locator('.monaco-button', { hasText: 'Open Sample Dataset' }).first().click();
    await page.locator('.tab[aria-label^="preferences.jsonl"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 30_000 });
  });
});
