/**
 * A hostile workspace (test/support/hostileWorkspace.ts) opened in Restricted Mode, the way a user
 * opens a repository cloned from a stranger. Everything Restricted Mode allows is run through the
 * real commands: validation, labeling, curation, conversion, statistics, export and training
 * configs. Every output planted as a link to a file outside the workspace is refused with a message
 * naming it; datasets whose names hold every line break, quotes and `$(…)` are processed with their
 * outputs beside them; generation stays off. Nothing outside the workspace changes (its hash is
 * checked after every test here, and once more by scripts/runIntegration.mjs after the run).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DedupeResult } from '../../../src/core/curate/dedupeTypes';
import type { SplitResult } from '../../../src/core/curate/split';
import type { PairwiseTestApi } from '../../../src/extension/extension';
import { DEFAULT_KEYS } from '../../../src/protocol/labeling';
import { HOSTILE_SETTINGS, HOSTILE_STEMS, PLANTED_LINKS, hashTree } from '../../support/hostileWorkspace';
import { waitFor } from '../waitFor';

const ws = (...parts: string[]) => path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, ...parts);
const uri = (...parts: string[]) => vscode.Uri.file(ws(...parts));
const LINK_REFUSED = /is a symbolic link; Pairwise never writes through a link/;

/** The command fails (for a caller with arguments) with the link refusal naming `link`. */
async function refused(link: string, run: () => Thenable<unknown>): Promise<void> {
  await assert.rejects(Promise.resolve(run()), (e: Error) => LINK_REFUSED.test(e.message) && e.message.includes(link));
  assert.ok(fs.lstatSync(link).isSymbolicLink(), `${path.basename(link)} is still the planted link`);
}

describe('Hostile workspace in Restricted Mode', function () {
  this.timeout(120_000);
  const outside = process.env.PAIRWISE_TEST_OUTSIDE!;
  const outsideHash = process.env.PAIRWISE_TEST_OUTSIDE_HASH!;
  let api: PairwiseTestApi;

  before(async () => {
    assert.ok(outside && outsideHash, 'run by scripts/runIntegration.mjs --restricted');
    api = await vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!.activate();
  });
  afterEach(() => {
    assert.equal(hashTree(outside), outsideHash, 'nothing outside the workspace changed');
    assert.equal(fs.existsSync(ws('PWNED')) || fs.existsSync(path.join(outside, 'PWNED')), false, 'no `$(…)` in a name or a record ran');
  });
  after(async () => {
    await api.labelingPanelForTest()?.disposeAndWait();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the folder is untrusted, and every planted link is in place', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'Restricted Mode');
    for (const link of Object.keys(PLANTED_LINKS)) assert.ok(fs.lstatSync(ws(link)).isSymbolicLink(), link);
  });

  it('validates the workspace, hostile names included', async () => {
    const summary = await api.validateWorkspace();
    assert.equal(summary.cancelled, false);
    assert.ok(summary.errors >= HOSTILE_STEMS.length, `${summary.errors} errors`);
    const missed = HOSTILE_STEMS.filter((stem) => !vscode.languages.getDiagnostics(uri('hostile-broken', `${stem}.jsonl`)).some((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 1));
    // VS Code's file search (ripgrep, one path per line) does not return a name holding '\n', so
    // Validate Workspace (workspace.findFiles) never sees that one; every other name is validated.
    assert.deepEqual(missed, HOSTILE_STEMS.filter((stem) => stem.includes('\n')));
  });

  it('Start Labeling refuses a label log planted as a link, opens no panel and appends nothing', async () => {
    await vscode.commands.executeCommand('pairwise.startLabeling', uri('labeling', 'chat.candidates.jsonl'), { annotator: 'restricted-tester' });
    assert.equal(api.labelingPanelForTest(), undefined, 'no labeling panel');
    // An explicit log that is a link is refused as well.
    await vscode.commands.executeCommand('pairwise.startLabeling', uri('labeling', 'chat.candidates.jsonl'), { annotator: 'x', logPath: ws('exports', 'prefs.jsonl') });
    assert.equal(api.labelingPanelForTest(), undefined);
  });

  it('labels a candidates file whose name holds line breaks, quotes and $(…), its log beside it', async () => {
    const name = `${HOSTILE_STEMS[0]} ${HOSTILE_STEMS[8]}.candidates.jsonl`;
    const log = ws('hostile', `${HOSTILE_STEMS[0]} ${HOSTILE_STEMS[8]}.candidates.labels.jsonl`);
    await vscode.commands.executeCommand('pairwise.startLabeling', uri('hostile', name), { annotator: 'restricted-tester' });
    const panel = await waitFor('the labeling panel', () => api.labelingPanelForTest());
    const key = await waitFor('a pair', () => panel.lastState()?.session.pair?.key ?? (void panel.handleMessage({ type: 'ready' }), undefined));
    await panel.handleMessage({ type: 'decide', choice: 'left', key });
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0]) as { annotator: string }).annotator, 'restricted-tester');
    await panel.disposeAndWait();
  });

  it('curation refuses every set with a linked output, and writes none of its other outputs', async () => {
    const data = uri('curation', 'data.jsonl');
    await refused(ws('curation', 'data.validation.jsonl'), () => vscode.commands.executeCommand('pairwise.split', data, { ratios: [0.5, 0.5] }));
    assert.equal(fs.existsSync(ws('curation', 'data.train.jsonl')), false);
    await refused(ws('curation', 'data.dedup-report.jsonl'), () => vscode.commands.executeCommand('pairwise.deduplicate', data, { mode: 'exact' }));
    assert.equal(fs.existsSync(ws('curation', 'data.dedup.jsonl')), false);
    await refused(ws('curation', 'data.removed.jsonl'), () => vscode.commands.executeCommand('pairwise.filter', data, { maxTokens: 5 }));
    assert.equal(fs.existsSync(ws('curation', 'data.kept.jsonl')), false);
    await refused(ws('curation', 'data.sample2.jsonl'), () => vscode.commands.executeCommand('pairwise.sample', data, { n: 2 }));
    await refused(ws('curation', 'merged.jsonl'), () => vscode.commands.executeCommand('pairwise.merge', undefined, { inputs: [data.fsPath, data.fsPath], to: 'alpaca', out: ws('curation', 'merged.jsonl') }));
    await refused(ws('curation', 'dataset_info.json'), () => vscode.commands.executeCommand('pairwise.registerDatasetInfo', data, {}));
    assert.deepEqual(fs.readdirSync(ws('curation')).filter((n) => n.endsWith('.tmp') || n.startsWith('.pairwise-commit')), []);
  });

  it('curates datasets whose names hold every line break, quotes and $(…): outputs beside them, inside the workspace', async () => {
    for (const stem of HOSTILE_STEMS) {
      const input = uri('hostile', `${stem}.jsonl`);
      const d = await vscode.commands.executeCommand<DedupeResult>('pairwise.deduplicate', input, { mode: 'exact' });
      assert.equal(d.out, ws('hostile', `${stem}.dedup.jsonl`), JSON.stringify(stem));
      assert.equal(d.kept, 4);
      const s = await vscode.commands.executeCommand<SplitResult>('pairwise.split', input, { ratios: [0.5, 0.5], seed: 3 });
      assert.deepEqual(s.splits.map((x) => x.path), [ws('hostile', `${stem}.train.jsonl`), ws('hostile', `${stem}.validation.jsonl`)]);
    }
    const stats = uri('hostile', `${HOSTILE_STEMS[5]}.jsonl`);
    await vscode.commands.executeCommand('pairwise.showStatistics', stats, {});
    const p = await waitFor('the statistics panel', () => api.statisticsPanelForTest());
    await p.whenComputed();
    assert.equal(await p.saveMarkdown(ws('hostile', `${HOSTILE_STEMS[5]}.stats.md`)), ws('hostile', `${HOSTILE_STEMS[5]}.stats.md`));
  });

  it('conversion, the statistics report, export and training configs refuse their linked outputs', async () => {
    const data = uri('curation', 'data.jsonl');
    await refused(ws('curation', 'data.sharegpt.jsonl'), () => vscode.commands.executeCommand('pairwise.convertDataset', data, { to: 'sharegpt', mode: 'new-file' }));

    await vscode.commands.executeCommand('pairwise.showStatistics', data, {});
    const p = await waitFor('the statistics panel of data.jsonl', () => api.statisticsPanelForTest()?.lastState().fileName === 'data.jsonl' && api.statisticsPanelForTest());
    await p.whenComputed();
    await refused(ws('curation', 'data.stats.md'), () => p.saveMarkdown(ws('curation', 'data.stats.md')));
    // The report is never written over the dataset it describes.
    await assert.rejects(p.saveMarkdown(data.fsPath), /is an input; inputs are never overwritten/);

    // A label log written by the panel, exported onto planted links.
    const log = ws('hostile', `${HOSTILE_STEMS[0]} ${HOSTILE_STEMS[8]}.candidates.labels.jsonl`);
    const input = ws('hostile', `${HOSTILE_STEMS[0]} ${HOSTILE_STEMS[8]}.candidates.jsonl`);
    await refused(ws('exports', 'prefs.jsonl'), () => vscode.commands.executeCommand('pairwise.exportPreferences', { input, logs: [log], format: 'trl-preference', output: ws('exports', 'prefs.jsonl') }));
    await refused(ws('exports', 'linked-folder'), () => vscode.commands.executeCommand('pairwise.exportPreferences', { input, logs: [log], format: 'trl-preference', output: ws('exports', 'linked-folder', 'x', 'prefs.jsonl') }));

    const train = ws('train', 'llamafactory_sft_lora.yaml');
    await refused(train, () => vscode.commands.executeCommand('pairwise.createTrainingConfig', { dataset: data, trainer: 'llamafactory', method: 'sft', model: 'Qwen/Qwen2.5-0.5B', finetuning: 'lora', outDir: ws('train'), overwrite: true, open: false }));
  });

  it('generation stays off: a planted candidates link is never opened', async () => {
    const before = fs.readlinkSync(ws('labeling', 'prompts.candidates.jsonl'));
    const r = await vscode.commands.executeCommand('pairwise.generateCandidates', uri('labeling', 'prompts.jsonl'));
    assert.equal(r, undefined);
    assert.equal(fs.readlinkSync(ws('labeling', 'prompts.candidates.jsonl')), before);
  });

  it("ignores the workspace's labeling settings: the user's annotator, the default keys and pairs, no guidelines read", async () => {
    // The workspace sets them (proof the file is there and is what VS Code reads as workspace settings).
    const labeling = vscode.workspace.getConfiguration('pairwise.labeling');
    assert.equal(JSON.parse(fs.readFileSync(ws('.vscode', 'settings.json'), 'utf8'))['pairwise.labeling.annotator'], HOSTILE_SETTINGS['pairwise.labeling.annotator']);
    assert.notEqual(labeling.get('annotator'), HOSTILE_SETTINGS['pairwise.labeling.annotator']);
    assert.notEqual(labeling.get('guidelinesFile'), HOSTILE_SETTINGS['pairwise.labeling.guidelinesFile']);

    await vscode.commands.executeCommand('pairwise.startLabeling', uri('labeling', 'settings.candidates.jsonl'), {});
    const panel = await waitFor('the labeling panel', () => api.labelingPanelForTest());
    const state = await waitFor('a pair', () => (panel.lastState()?.session.pair ? panel.lastState() : (void panel.handleMessage({ type: 'ready' }), undefined)));
    assert.deepEqual(state.keys, DEFAULT_KEYS);
    assert.equal(state.guidelines, undefined, 'the guidelines file (a link to /dev/zero) is not read');
    // pairStrategy "all": k responses to a prompt give k(k-1)/2 pairs; "adjacent" would give 2.
    const prompts = fs.readFileSync(ws('labeling', 'settings.candidates.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { responses: unknown[] }).responses.length);
    assert.equal(state.session.progress.total, prompts.reduce((n, k) => n + (k * (k - 1)) / 2, 0));
    assert.ok(prompts.some((k) => k > 2), 'the fixture tells the two strategies apart');

    await panel.handleMessage({ type: 'decide', choice: 'left', key: state.session.pair!.key });
    const [line] = fs.readFileSync(ws('labeling', 'settings.candidates.labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { annotator: string });
    assert.equal(state.session.annotator, line.annotator);
    assert.doesNotMatch(line.annotator, /workspace-annotator|PWNED|\u2028/);
    await panel.disposeAndWait();
  });
});
