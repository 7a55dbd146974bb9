/**
 * The curation commands and the statistics report in a real VS Code, driven with their argument
 * objects: each output file is read back (counts and contents), and the input is checked unchanged.
 * The fixture curation/alpaca_dupes.jsonl holds 10 alpaca records: 0 and 1 byte-identical, 2 the
 * same as 0 up to whitespace and case, 3 and 4 a 40-word answer differing in its last word (near
 * duplicates, Jaccard of word 3-grams 37/39), 5 with a system prompt, 6 a long answer (over 700
 * tokens), 7 invalid (a numeric instruction), 8 and 9 short distinct records.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DedupeResult } from '../../src/core/curate/dedupeTypes';
import type { FilterResult } from '../../src/core/curate/filter';
import type { MergeResult } from '../../src/core/curate/merge';
import type { RegisterResult } from '../../src/core/datasetInfo/datasetInfoEntry';
import type { SampleResult } from '../../src/core/curate/sample';
import type { SplitResult } from '../../src/core/curate/split';
import { validateFile } from '../../src/core/validate/pipeline';
import type { DatasetViewSession } from '../../src/extension/datasetViewSession';
import type { PairwiseTestApi } from '../../src/extension/extension';
import type { StatsReport } from '../../src/protocol/statistics';
import { waitFor } from './waitFor';
import { revertToDisk } from './workspaceFiles';

function curationPath(...parts: string[]): string {
  return path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'curation', ...parts);
}

function lines(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\n'), `${path.basename(file)} ends with a newline`);
  return text.split('\n').slice(0, -1);
}

function sorted(a: readonly string[]): string[] {
  return [...a].sort();
}

async function datasetViewSession(uri: vscode.Uri): Promise<DatasetViewSession> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await vscode.commands.executeCommand<DatasetViewSession | undefined>('pairwise.datasetView.sessionForTest', uri);
    if (s) return s;
    if (Date.now() > deadline) throw new Error('no Dataset View session within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const INPUT = () => curationPath('alpaca_dupes.jsonl');
const CHAT = () => curationPath('chat.jsonl');

describe('Curation commands', function () {
  this.timeout(120_000);
  let original: string[];
  let chatOriginal: string;
  const before0 = new Set<string>();

  before(async () => {
    await vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!.activate();
    original = lines(INPUT());
    chatOriginal = fs.readFileSync(CHAT(), 'utf8');
    for (const f of fs.readdirSync(curationPath())) before0.add(f);
  });
  afterEach(() => {
    // Inputs are never modified.
    assert.deepEqual(lines(INPUT()), original);
    assert.equal(fs.readFileSync(CHAT(), 'utf8'), chatOriginal);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of fs.readdirSync(curationPath())) if (!before0.has(f)) fs.rmSync(curationPath(f), { force: true });
  });

  it('deduplicates exactly, ignoring whitespace and case, and near duplicates, beside the input', async () => {
    const uri = vscode.Uri.file(INPUT());
    const exact = await vscode.commands.executeCommand<DedupeResult>('pairwise.deduplicate', uri, { mode: 'exact' });
    assert.deepEqual([exact.records, exact.kept, exact.exactDuplicates, exact.nearDuplicates], [10, 9, 1, 0]);
    assert.equal(exact.out, curationPath('alpaca_dupes.dedup.jsonl'));
    assert.deepEqual(lines(exact.out!), original.filter((_, i) => i !== 1));
    assert.deepEqual(
      lines(exact.report!).map((l) => (JSON.parse(l) as { record: number; duplicateOf: number }).record),
      [1],
    );

    const normalized = await vscode.commands.executeCommand<DedupeResult>('pairwise.deduplicate', uri, { mode: 'normalized', out: curationPath('norm.jsonl') });
    assert.deepEqual([normalized.kept, normalized.exactDuplicates], [8, 2]);
    assert.deepEqual(lines(curationPath('norm.jsonl')), original.filter((_, i) => i !== 1 && i !== 2));

    const near = await vscode.commands.executeCommand<DedupeResult>('pairwise.deduplicate', uri, { mode: 'near', threshold: 0.8, out: curationPath('near.jsonl') });
    assert.deepEqual([near.kept, near.exactDuplicates, near.nearDuplicates], [7, 2, 1]);
    assert.deepEqual(lines(curationPath('near.jsonl')), original.filter((_, i) => ![1, 2, 4].includes(i)));
    const removedNear = near.removed.find((r) => r.kind === 'near');
    assert.deepEqual([removedNear?.record, removedNear?.duplicateOf], [4, 3]);

    // A bad argument fails loudly for a script, and writes nothing.
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.deduplicate', uri, { mode: 'near', threshold: 2, out: curationPath('bad.jsonl') })), /threshold/);
    assert.equal(fs.existsSync(curationPath('bad.jsonl')), false);
  });

  it('splits train/validation with exact counts, and keeps a prompt in one split when grouping', async () => {
    const uri = vscode.Uri.file(INPUT());
    const r = await vscode.commands.executeCommand<SplitResult>('pairwise.split', uri, { ratios: [0.8, 0.2], seed: 1 });
    assert.deepEqual(
      r.splits.map((s) => [s.name, path.basename(s.path), s.records]),
      [
        ['train', 'alpaca_dupes.train.jsonl', 8],
        ['validation', 'alpaca_dupes.validation.jsonl', 2],
      ],
    );
    const train = lines(r.splits[0].path);
    const validation = lines(r.splits[1].path);
    assert.equal(train.length, 8);
    assert.equal(validation.length, 2);
    assert.deepEqual(sorted([...train, ...validation]), sorted(original), 'every record in exactly one split');
    // Same seed, same split.
    const again = await vscode.commands.executeCommand<SplitResult>('pairwise.split', uri, { ratios: [0.8, 0.2], seed: 1 });
    assert.deepEqual(lines(again.splits[1].path), validation);

    const g = await vscode.commands.executeCommand<SplitResult>('pairwise.split', uri, { ratios: [0.5, 0.5], seed: 3, groupByPrompt: true, names: ['a', 'b'] });
    const a = lines(g.splits[0].path);
    const b = lines(g.splits[1].path);
    assert.deepEqual(sorted([...a, ...b]), sorted(original));
    // Records 0, 1, 2 share the prompt (up to whitespace and case); 3 and 4 share theirs.
    for (const group of [[0, 1, 2], [3, 4]]) {
      const inA = group.map((i) => a.includes(original[i]));
      assert.ok(inA.every((x) => x === inA[0]), `records ${group.join(', ')} land in the same split`);
    }
    assert.ok(g.groups !== undefined && g.groups <= 7, `at most 7 distinct prompts (got ${g.groups})`);
  });

  it('filters by regex, role, token range and problems, writing kept and removed files', async () => {
    const uri = vscode.Uri.file(INPUT());
    const byRegex = await vscode.commands.executeCommand<FilterResult>('pairwise.filter', uri, { regex: { field: 'prompt', pattern: 'primary colou?rs', flags: 'i' } });
    assert.deepEqual([byRegex.kept, byRegex.removed], [3, 7]);
    assert.equal(byRegex.out, curationPath('alpaca_dupes.kept.jsonl'));
    assert.deepEqual(lines(byRegex.out), original.slice(0, 3));
    assert.deepEqual(sorted([...lines(byRegex.out), ...lines(byRegex.removedOut)]), sorted(original));

    const bySystem = await vscode.commands.executeCommand<FilterResult>('pairwise.filter', uri, { role: 'system', out: curationPath('system.jsonl'), removedOut: curationPath('system.removed.jsonl') });
    assert.deepEqual(lines(curationPath('system.jsonl')), [original[5]]);
    assert.equal(bySystem.removed, 9);

    const short = await vscode.commands.executeCommand<FilterResult>('pairwise.filter', uri, { maxTokens: 100, out: curationPath('short.jsonl'), removedOut: curationPath('short.removed.jsonl') });
    // Only the long answer goes (the token criterion counts whatever text a record has, valid or not).
    assert.deepEqual(lines(curationPath('short.jsonl')), original.filter((_, i) => i !== 6));
    assert.deepEqual(lines(curationPath('short.removed.jsonl')), [original[6]]);
    assert.equal(short.kept, 9);

    // "Has problems" keeps exactly the records validation reports problems for, the duplicate-record
    // warnings (a file-level rule) included, as the Problems panel shows them.
    const v = await validateFile(INPUT());
    assert.ok(v.problems.some((p) => p.rule === 'common/duplicate-record'), 'the fixture has a duplicate-record warning');
    const withProblems = [...new Set(v.problems.map((p) => p.record).filter((i): i is number => i !== undefined))].sort((x, y) => x - y);
    assert.ok(withProblems.includes(7) && withProblems.includes(1), JSON.stringify(withProblems));
    const has = await vscode.commands.executeCommand<FilterResult>('pairwise.filter', uri, { problems: 'has', out: curationPath('has.jsonl'), removedOut: curationPath('has.removed.jsonl') });
    assert.deepEqual(lines(curationPath('has.jsonl')), withProblems.map((i) => original[i]));
    assert.equal(has.kept, withProblems.length);

    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.filter', uri, {})), /at least one criterion/);
  });

  it('samples N records reproducibly, in file order', async () => {
    const uri = vscode.Uri.file(INPUT());
    const r = await vscode.commands.executeCommand<SampleResult>('pairwise.sample', uri, { n: 4, seed: 7 });
    assert.equal(r.out, curationPath('alpaca_dupes.sample4.jsonl'));
    assert.deepEqual([r.records, r.sampled], [10, 4]);
    assert.equal(new Set(r.indexes).size, 4);
    assert.deepEqual(r.indexes, [...r.indexes].sort((a, b) => a - b));
    assert.deepEqual(lines(r.out), r.indexes.map((i) => original[i]));
    const again = await vscode.commands.executeCommand<SampleResult>('pairwise.sample', uri, { n: 4, seed: 7, out: curationPath('sample-again.jsonl') });
    assert.deepEqual(again.indexes, r.indexes);
  });

  it('merges alpaca and sharegpt files into sharegpt that validates, and registers it in dataset_info.json', async () => {
    const out = curationPath('merged.jsonl');
    const r = await vscode.commands.executeCommand<MergeResult>('pairwise.merge', undefined, { inputs: [vscode.Uri.file(INPUT()), CHAT()], to: 'sharegpt', out });
    assert.equal(r.refused, undefined);
    assert.deepEqual(
      r.sources.map((s) => [path.basename(s.path), s.format, s.records, s.written]),
      [
        ['alpaca_dupes.jsonl', 'alpaca', 10, 9],
        ['chat.jsonl', 'sharegpt', 2, 2],
      ],
    );
    assert.equal(r.written, 11);
    const merged = lines(out);
    assert.equal(merged.length, 11);
    const v = await validateFile(out);
    assert.equal(v.format, 'sharegpt');
    assert.equal(v.bySeverity.error, 0);
    assert.equal((JSON.parse(merged[9]) as { conversations: { value: string }[] }).conversations[0].value, 'What is 2 + 2?');

    const reg = await vscode.commands.executeCommand<RegisterResult>('pairwise.registerDatasetInfo', vscode.Uri.file(out), {});
    assert.equal(reg.info, curationPath('dataset_info.json'));
    assert.deepEqual([reg.name, reg.format, reg.created, reg.replaced], ['merged', 'sharegpt', true, false]);
    const info = JSON.parse(fs.readFileSync(reg.info, 'utf8')) as Record<string, { file_name: string; formatting?: string }>;
    assert.deepEqual(Object.keys(info), ['merged']);
    assert.equal(info.merged.file_name, 'merged.jsonl');
    assert.equal(info.merged.formatting, 'sharegpt');
    // Registering again under another name keeps the first entry.
    await vscode.commands.executeCommand<RegisterResult>('pairwise.registerDatasetInfo', vscode.Uri.file(CHAT()), { name: 'chat_demo' });
    const info2 = JSON.parse(fs.readFileSync(reg.info, 'utf8')) as Record<string, { file_name: string }>;
    assert.deepEqual(Object.keys(info2), ['merged', 'chat_demo']);
    assert.equal(info2.chat_demo.file_name, 'chat.jsonl');
  });
});

describe('Curation: cancellation, outputs that are inputs, the report as target', function () {
  this.timeout(120_000);
  let original: string[];
  const before0 = new Set<string>();
  const newFiles = () => fs.readdirSync(curationPath()).filter((f) => !before0.has(f));

  before(async () => {
    await vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!.activate();
    original = lines(INPUT());
    for (const f of fs.readdirSync(curationPath())) before0.add(f);
  });
  afterEach(() => {
    assert.deepEqual(lines(INPUT()), original);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of newFiles()) fs.rmSync(curationPath(f), { force: true });
  });

  it('a cancelled run leaves no output and no temporary file, and the input untouched', async () => {
    // Large enough that near-duplicate detection is still writing when the first temporary file appears.
    const big = curationPath('big.jsonl');
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
    const rows: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const answer = Array.from({ length: 60 }, (_, k) => words[(i * 7 + k * (i % 13)) % words.length] + String((i * k) % 97)).join(' ');
      rows.push(JSON.stringify({ instruction: `Question ${i}: what follows?`, input: '', output: answer }));
    }
    fs.writeFileSync(big, rows.join('\n') + '\n');
    const bigText = fs.readFileSync(big, 'utf8');
    const ac = new AbortController();
    let sawTemp = false;
    const poll = setInterval(() => {
      if (fs.readdirSync(curationPath()).some((f) => f.startsWith('.big.dedup') && f.endsWith('.tmp'))) {
        sawTemp = true;
        ac.abort();
      }
    }, 2);
    try {
      const r = await vscode.commands.executeCommand<DedupeResult | undefined>('pairwise.deduplicate', vscode.Uri.file(big), { mode: 'near', signal: ac.signal });
      assert.equal(r, undefined, 'a cancelled run returns nothing');
    } finally {
      clearInterval(poll);
    }
    assert.ok(sawTemp, 'the run was cancelled while writing');
    assert.deepEqual(newFiles(), ['big.jsonl'], 'no output, no report, no temporary file');
    assert.equal(fs.readFileSync(big, 'utf8'), bigText);

    // Cancelled before it starts: nothing either (two outputs of a split).
    const pre = new AbortController();
    pre.abort();
    assert.equal(await vscode.commands.executeCommand('pairwise.split', vscode.Uri.file(INPUT()), { ratios: [0.9, 0.1], signal: pre.signal }), undefined);
    assert.deepEqual(newFiles(), ['big.jsonl']);
    fs.rmSync(big);
  });

  it('refuses an output that is an input (also through a symbolic link) or two outputs on one path', async () => {
    const uri = vscode.Uri.file(INPUT());
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.deduplicate', uri, { mode: 'exact', out: INPUT() })), /inputs are never overwritten/);
    const link = curationPath('link.jsonl');
    fs.symlinkSync(INPUT(), link);
    try {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.sample', uri, { n: 2, out: link })), /inputs are never overwritten/);
      assert.equal(fs.lstatSync(link).isSymbolicLink(), true, 'the link is left as it was');
    } finally {
      fs.rmSync(link);
    }
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('pairwise.filter', uri, { role: 'system', out: curationPath('same.jsonl'), removedOut: curationPath('same.jsonl') })),
      /two outputs would be written/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('pairwise.merge', undefined, { inputs: [INPUT(), CHAT()], to: 'sharegpt', out: CHAT() })),
      /inputs are never overwritten/,
    );
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('pairwise.registerDatasetInfo', uri, { info: INPUT() })), /the registry itself/);
    assert.deepEqual(newFiles(), [], 'nothing written');
  });

  it('acts on the file of the statistics report in front', async () => {
    const uri = vscode.Uri.file(INPUT());
    await vscode.commands.executeCommand('pairwise.showStatistics', uri, {});
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
    const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(active instanceof vscode.TabInputWebview, 'the report is the active tab');
    const r = await vscode.commands.executeCommand<DedupeResult>('pairwise.deduplicate', undefined, { mode: 'exact', out: curationPath('from-report.jsonl') });
    assert.ok(r, 'the command found its file');
    assert.deepEqual([r.records, r.kept], [10, 9]);
    assert.deepEqual(lines(curationPath('from-report.jsonl')), original.filter((_, i) => i !== 1));
  });
});

describe('Curation: statistics report', function () {
  this.timeout(120_000);
  let api: PairwiseTestApi;
  const panel = () => api.statisticsPanelForTest();

  before(async () => {
    api = await vscode.extensions.getExtension<PairwiseTestApi>('pairwise.pairwise')!.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(curationPath('report.md'), { force: true });
  });

  it('computes the report on the host, filters the Dataset View to a bar, and saves Markdown', async () => {
    const uri = vscode.Uri.file(INPUT());
    const report = await vscode.commands.executeCommand<StatsReport>('pairwise.showStatistics', uri, { contextLimit: 100, epochs: 2, prices: { 'test-model': 10 } });
    const p = await waitFor('the statistics panel', () => panel());
    assert.equal(p.lastReport(), report);
    assert.equal(p.lastState().status, 'done');
    assert.equal(report.path, INPUT());
    assert.deepEqual([report.format, report.records, report.validRecords], ['alpaca', 10, 9]);
    assert.equal(report.problems.byRule['format/unrecognized-record'], 1);
    assert.equal(report.tokens.tokenizer, 'o200k_base');
    assert.deepEqual([report.contextLimit.limit, report.contextLimit.over, report.contextLimit.records], [100, 1, [6]]);
    assert.equal(report.cost.epochs, 2);
    assert.equal(report.cost.trainingTokens, report.cost.billingTokensPerEpoch * 2);
    // Billing caps the long record at the limit: the other 8 records' tokens plus 100.
    assert.equal(report.cost.billingTokensPerEpoch, report.tokensPerRecord.sum - report.tokensPerRecord.max + 100);
    assert.deepEqual(report.cost.costs, [{ model: 'test-model', trainingPerMTok: 10, cost: (report.cost.trainingTokens / 1e6) * 10 }]);
    assert.ok(report.charsByRole.system && report.charsByRole.system.count === 1, 'one system message');
    assert.equal(report.firstWords.find((w) => w.word === 'name')?.count, 3);

    // A bar click (as the webview posts it): the host finds the records behind the bar and filters the Dataset View.
    const bins = report.histograms.tokensPerRecord.bins;
    const bin = bins.findIndex((b) => b.count > 0 && b.count < report.validRecords);
    assert.ok(bin >= 0);
    const indexes = (await p.handleMessage({ type: 'filterBin', chart: 'tokensPerRecord', bin })) as number[];
    assert.equal(indexes.length, bins[bin].count);
    assert.ok(!indexes.includes(7), 'the invalid record is in no bar');
    const session = await datasetViewSession(uri);
    assert.deepEqual(session.state().query.recordIndexes, indexes);
    // Out-of-range bins are ignored.
    assert.equal(await p.handleMessage({ type: 'filterBin', chart: 'tokensPerRecord', bin: bins.length }), undefined);
    // After the file changes, a bar of the old report filters nothing: the report is computed again.
    const saved = fs.readFileSync(INPUT(), 'utf8');
    fs.writeFileSync(INPUT(), saved.split('\n').slice(1).join('\n'));
    try {
      assert.equal(await p.handleMessage({ type: 'filterBin', chart: 'tokensPerRecord', bin }), undefined);
      await waitFor('the report of the changed file', () => p.lastState().status === 'done' && p.lastReport()?.records === 9);
      assert.deepEqual(session.state().query.recordIndexes, indexes, 'the Dataset View filter was left alone');
      const again = (await p.handleMessage({ type: 'filterBin', chart: 'tokensPerRecord', bin: 0 })) as number[] | undefined;
      assert.ok(Array.isArray(again), 'a bar of the new report filters');
    } finally {
      fs.writeFileSync(INPUT(), saved);
    }
    await p.handleMessage({ type: 'recompute' });
    await waitFor('the report of the restored file', () => p.lastState().status === 'done' && p.lastReport()?.records === 10);

    const md = await p.saveMarkdown(curationPath('report.md'));
    assert.equal(md, curationPath('report.md'));
    const text = fs.readFileSync(md!, 'utf8');
    assert.match(text, /^# Dataset statistics: /);
    assert.match(text, /- Records: 10 \(9 valid/);
    assert.match(text, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(text, /test-model: 0\.\d\d at 10 per 1M tokens/);
    assert.equal(p.lastState().message, 'Saved report.md.');
  });

  it('counts the unsaved text of the editor (what the Dataset View shows), not the saved file', async () => {
    const uri = vscode.Uri.file(INPUT());
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.positionAt(doc.getText().length), '{"instruction": "One more unsaved record.", "input": "", "output": "Yes."}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    try {
      const report = await vscode.commands.executeCommand<StatsReport>('pairwise.showStatistics', uri, {});
      assert.deepEqual([report.records, report.validRecords, report.path], [11, 10, INPUT()]);
      assert.equal(report.firstWords.find((w) => w.word === 'one')?.count, 1);
    } finally {
      // The report took the focus; revertToDisk shows the document first.
      await revertToDisk(doc);
    }
    assert.equal(doc.isDirty, false);
  });
});
