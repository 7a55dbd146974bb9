/** `pairwise agreement` and `pairwise export` through the real bundle, on logs written by real sessions. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import type { Choice } from '../../../src/core/labeling/pair';
import { LabelingSession } from '../../../src/core/labeling/session';
import { validateFile } from '../../../src/core/validate/pipeline';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const input = path.join(root, 'test', 'fixtures', 'workspace', 'labeling', 'chat.candidates.jsonl');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** One annotator labels the first pairs of the fixture with `choices`, in the panel's own session. */
async function label(log: string, annotator: string, choices: Choice[]): Promise<void> {
  const queue = await CandidatesPairQueue.open(input);
  const s = await LabelingSession.open({ queue, logPath: log, annotator });
  for (const c of choices) await s.decide(c);
  await s.close();
  await queue.close();
}

describe('pairwise agreement / export (dist/cli.js)', function () {
  this.timeout(60000);
  let dir: string;
  let alice: string;
  let bob: string;

  before(async () => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-label-cli-'));
    alice = path.join(dir, 'alice.labels.jsonl');
    bob = path.join(dir, 'bob.labels.jsonl');
    // Each annotator sees sides at random (seeded by the name), so "left" is not the same response for both.
    await label(alice, 'alice', ['left', 'left', 'tie', 'both_bad', 'right']);
    await label(bob, 'bob', ['left', 'right', 'tie', 'skip', 'right']);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agreement: kappas and win rates, as text and JSON', () => {
    const r = run('agreement', alice, bob, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { annotators: string[]; decisions: number; agreement: { pairs: number; percent: number; cohenKappa: number | null; fleissKappa: number | null }; winRates: { model: string; wins: number; losses: number }[] };
    assert.deepEqual(doc.annotators.sort(), ['alice', 'bob']);
    assert.equal(doc.decisions, 10);
    // Bob skipped pair 4: four pairs labeled by both.
    assert.equal(doc.agreement.pairs, 4);
    assert.ok(doc.agreement.percent >= 0 && doc.agreement.percent <= 100);
    assert.equal(typeof doc.agreement.cohenKappa, 'number');
    assert.deepEqual(doc.winRates.map((w) => w.model).sort(), ['alpha', 'beta', 'gamma']);
    const wins = doc.winRates.reduce((s, w) => s + w.wins, 0);
    const losses = doc.winRates.reduce((s, w) => s + w.losses, 0);
    assert.equal(wins, losses);

    const text = run('agreement', alice, bob, '--input', input);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /2 annotator\(s\) \(alice, bob\)/);
    assert.match(text.stdout, /pairs labeled by all: 4/);
    assert.match(text.stdout, /Cohen's kappa: {2}-?\d\.\d{3}/);
    assert.match(text.stdout, /Fleiss' kappa: {2}-?\d\.\d{3}/);
    assert.match(text.stdout, /win rates:\n {2}model/);
  });

  it('export: trl-preference and sharegpt-preference (with dataset_info.json), validated by the formats engine', async () => {
    const out = path.join(dir, 'out', 'prefs.jsonl');
    const r = run('export', input, '--logs', `${alice},${bob}`, '--to', 'trl-preference', '-o', out, '--rule', 'annotator:alice');
    assert.equal(r.code, 0, r.stderr);
    // alice wins every pair she labeled: left, left, tie, both bad, right → 3 records.
    assert.match(r.stdout, /: 3 record\(s\) \(trl-preference\)/);
    assert.match(r.stdout, /left out: 1 tie\(s\), 1 both bad, 0 skipped, 0 conflict\(s\)/);
    const v = await validateFile(out);
    assert.equal(v.format, 'trl-preference');
    assert.equal(v.records, 3);
    assert.deepEqual(v.problems, []);

    const sg = path.join(dir, 'out', 'prefs_sg.json');
    const r2 = run('export', input, '--logs', alice, '--logs', bob, '--to', 'sharegpt-preference', '-o', sg, '--rule', 'unanimous', '--json');
    assert.equal(r2.code, 0, r2.stderr);
    const summary = JSON.parse(r2.stdout) as { written: number; excluded: { conflicts: number }; datasetInfo: { name: string; action: string } };
    assert.ok(summary.excluded.conflicts >= 0);
    assert.deepEqual(summary.datasetInfo && { name: summary.datasetInfo.name, action: summary.datasetInfo.action }, { name: 'prefs_sg', action: 'created' });
    const v2 = await validateFile(sg);
    assert.deepEqual(v2.problems, []);
    assert.equal(v2.records, summary.written);
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'dataset_info.json'), 'utf8')) as Record<string, { ranking: boolean; file_name: string }>;
    assert.deepEqual([info.prefs_sg.ranking, info.prefs_sg.file_name], [true, 'prefs_sg.json']);
  });

  it('bad usage exits 2 with a message', () => {
    const r = run('export', input, '--to', 'trl-preference', '-o', path.join(dir, 'x.jsonl'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--logs is required/);
    const r2 = run('export', input, '--logs', alice, '--to', 'sharegpt', '-o', path.join(dir, 'x.jsonl'));
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--to must be one of/);
    assert.equal(run('agreement').code, 2);
    assert.equal(fs.existsSync(path.join(dir, 'x.jsonl')), false);
  });
});
