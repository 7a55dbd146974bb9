/** `pairwise leaderboard` and `pairwise export --rankings` through the real bundle, on logs written by a real ranking session. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRankingItems } from '../../../src/core/labeling/rankingItems';
import { RankingSession } from '../../../src/core/labeling/rankingSession';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const rankInput = path.join(root, 'test', 'fixtures', 'labeling', 'rank.candidates.jsonl');
const btLog = path.join(root, 'test', 'fixtures', 'bradleyTerry', 'decisions.labels.jsonl');
const reference = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'bradleyTerry', 'reference.json'), 'utf8')) as { models: Record<string, { score: number }> };

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PAIRWISE_LANG: 'en' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pairwise leaderboard / export --rankings (dist/cli.js)', function () {
  this.timeout(60000);
  let dir: string;
  let log: string;

  before(async () => {
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-rank-cli-'));
    log = path.join(dir, 'ann.labels.jsonl');
    // Rank every prompt in file order of the models: alpha best, then beta, gamma, delta.
    const { items } = await readRankingItems(rankInput);
    const s = await RankingSession.open({ items, logPath: log, annotator: 'ann' });
    const rank = ['alpha', 'beta', 'gamma', 'delta'];
    while (s.current) {
      const order = s.current.order;
      const tiers = order.map((r, i) => ({ i, k: rank.indexOf(r.model!) })).sort((a, b) => a.k - b.k).map((x) => [x.i]);
      await s.rank(tiers, { key: s.state().item!.key });
    }
    await s.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaderboard --json: the fixture scores equal the independent reference; the same seed repeats its intervals', () => {
    const r = run('leaderboard', btLog, '--bootstrap', '300', '--seed', '5', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { entries: { model: string; score: number; lower: number; upper: number }[]; bootstrap: number };
    assert.equal(j.bootstrap, 300);
    for (const e of j.entries) {
      assert.ok(Math.abs(e.score - reference.models[e.model].score) < 0.01, e.model);
      assert.ok(e.lower < e.score && e.score < e.upper);
    }
    assert.deepEqual(JSON.parse(run('leaderboard', btLog, '--bootstrap', '300', '--seed', '5', '--json').stdout), j);
  });

  it('leaderboard: a table best first; rankings alone give an order; bad usage exits 2', () => {
    const r = run('leaderboard', log, '--bootstrap', '0');
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    assert.deepEqual(rows, ['alpha', 'beta', 'gamma', 'delta']);
    assert.match(r.stdout, /4 decision\(s\), 18 comparison\(s\) between 4 model\(s\)/);
    assert.equal(run('leaderboard').code, 2);
    assert.equal(run('leaderboard', log, '--bootstrap', '-1').code, 2);
    assert.equal(run('leaderboard', log, '--rankings', 'best').code, 2);
    assert.equal(run('leaderboard', path.join(dir, 'missing.jsonl')).code, 2);
  });

  it('agreement: two annotators who ranked the same prompts agree pair by pair', () => {
    const bob = path.join(dir, 'bob.labels.jsonl');
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // Bob ranks like ann, except that he swaps the two best of the first prompt.
    const swapped = lines.map((l, k) => ({ ...l, id: `bob-${String(l.id)}`, annotator: 'bob', ranking: k === 0 ? [(l.ranking as string[][])[1], (l.ranking as string[][])[0], ...(l.ranking as string[][]).slice(2)] : l.ranking }));
    fs.writeFileSync(bob, swapped.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = run('agreement', log, bob, '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { decisions: number; agreement: { pairs: number; percent: number } };
    assert.equal(j.decisions, 8);
    assert.equal(j.agreement.pairs, 18);
    assert.ok(Math.abs(j.agreement.percent - (100 * 17) / 18) < 1e-9, String(j.agreement.percent));
  });

  for (const [expansion, pairs] of [['all', 18], ['adjacent', 10], ['best-vs-rest', 10]] as const) {
    it(`export --rankings ${expansion}: ${pairs} pairs, and pairwise validate passes the file`, () => {
      const out = path.join(dir, `ranked.${expansion}.jsonl`);
      const r = run('export', rankInput, '--logs', log, '--to', 'trl-preference', '-o', out, '--rankings', expansion, '--json');
      assert.equal(r.code, 0, r.stderr);
      const summary = JSON.parse(r.stdout) as { pairs: number; rankings: { rankings: number; pairs: number } };
      assert.equal(summary.pairs, pairs);
      assert.equal(summary.rankings.rankings, 4);
      const v = run('validate', '--format', 'trl-preference', out);
      assert.equal(v.code, 0, v.stdout + v.stderr);
    });
  }

  it('export: rankings need every pair of the input; a bad --rankings is a usage error', () => {
    const out = path.join(dir, 'x.jsonl');
    const adj = run('export', rankInput, '--logs', log, '--to', 'trl-preference', '-o', out, '--pair-strategy', 'adjacent');
    assert.equal(adj.code, 2);
    assert.match(adj.stderr, /--pair-strategy all/);
    assert.equal(run('export', rankInput, '--logs', log, '--to', 'trl-preference', '-o', out, '--rankings', 'top').code, 2);
    assert.ok(!fs.existsSync(out));
  });
});
