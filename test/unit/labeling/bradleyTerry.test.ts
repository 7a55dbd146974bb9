import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decisionUnits, ELO_PER_NAT, fitStrengths, leaderboard, type DecisionUnit } from '../../../src/core/labeling/bradleyTerry';
import { loadLabelLogs } from '../../../src/core/labeling/decisionLog';

const dir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'bradleyTerry');
const log = path.join(dir, 'decisions.labels.jsonl');
const script = path.join(dir, 'reference.py');

interface Reference {
  ridge: number;
  bootstrap: number;
  decisions: number;
  comparisons: number;
  models: Record<string, { score: number; lower: number; upper: number }>;
}

function hasScipy(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
  return r.status === 0;
}

describe('labeling: Bradley-Terry scores', function () {
  this.timeout(120000);
  let reference: Reference;
  before(async () => {
    reference = JSON.parse(await fsp.readFile(path.join(dir, 'reference.json'), 'utf8')) as Reference;
  });

  it('the committed reference is what the Python script computes now (re-run when python3 + scipy are present)', async function () {
    if (!hasScipy()) this.skip();
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-bt-'));
    try {
      const out = path.join(tmp, 'reference.json');
      const r = spawnSync('python3', [script, log, out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const fresh = JSON.parse(await fsp.readFile(out, 'utf8')) as Reference;
      assert.deepEqual(Object.keys(fresh.models), Object.keys(reference.models));
      for (const [m, v] of Object.entries(fresh.models)) {
        for (const k of ['score', 'lower', 'upper'] as const) assert.ok(Math.abs(v[k] - reference.models[m][k]) < 1e-6, `${m} ${k}: ${v[k]} vs ${reference.models[m][k]}`);
      }
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  it('scores agree with the independent implementation on the fixture; bootstrap intervals too', async () => {
    const { store, problems } = await loadLabelLogs([log]);
    assert.deepEqual(problems, []);
    const units = decisionUnits(store, 'all');
    const board = leaderboard(units, { bootstrap: reference.bootstrap, seed: 3, ridge: reference.ridge });
    assert.equal(board.decisions, reference.decisions);
    assert.equal(board.comparisons, reference.comparisons);
    assert.deepEqual(board.entries.map((e) => e.model).sort(), Object.keys(reference.models).sort());
    for (const e of board.entries) {
      const ref = reference.models[e.model];
      // Same objective, different optimiser (Newton on aggregated counts vs BFGS on per-game rows).
      assert.ok(Math.abs(e.score - ref.score) < 0.01, `${e.model}: ${e.score} vs reference ${ref.score}`);
      // Different random resamples: the percentiles agree within Monte Carlo error (a fifth of the half-width).
      for (const k of ['lower', 'upper'] as const) {
        const tol = 0.2 * (ref[k] - ref.score) * (k === 'lower' ? -1 : 1);
        assert.ok(Math.abs(e[k]! - ref[k]) < tol, `${e.model} ${k}: ${e[k]} vs reference ${ref[k]} (tolerance ${tol.toFixed(1)})`);
      }
    }
    // Sorted best first.
    assert.deepEqual(board.entries.map((e) => e.score), board.entries.map((e) => e.score).sort((a, b) => b - a));
  });

  it('ties are half a win each way; equal records give equal scores; the scale is 400 points per factor 10 in odds', () => {
    const units: DecisionUnit[] = [];
    for (let k = 0; k < 30; k++) units.push([{ a: 'x', b: 'y', score: 1 }], [{ a: 'x', b: 'y', score: 0 }]);
    units.push([{ a: 'x', b: 'y', score: 0.5 }]);
    const even = leaderboard(units, { ridge: 0 });
    assert.ok(Math.abs(even.entries[0].score - 1000) < 1e-6 && Math.abs(even.entries[1].score - 1000) < 1e-6);
    assert.deepEqual(even.entries.map((e) => e.ties), [1, 1]);
    // 10 wins to 1 (a tie and 9.5 wins against 0.5 losses would be the same odds: 19:1).
    const tenToOne: DecisionUnit[] = [...Array.from({ length: 10 }, () => [{ a: 'x', b: 'y', score: 1 as const }]), [{ a: 'x', b: 'y', score: 0 }]];
    const b = leaderboard(tenToOne, { ridge: 0 });
    assert.ok(Math.abs(b.entries[0].score - b.entries[1].score - 400) < 1e-6, `${b.entries[0].score - b.entries[1].score}`);
    const halfWin: DecisionUnit[] = [...Array.from({ length: 9 }, () => [{ a: 'x', b: 'y', score: 1 as const }]), [{ a: 'x', b: 'y', score: 0.5 }]];
    const h = leaderboard(halfWin, { ridge: 0 });
    assert.ok(Math.abs(h.entries[0].score - h.entries[1].score - ELO_PER_NAT * Math.log(19)) < 1e-6);
  });

  it('a model that never lost gets a finite, top score; an unconnected model stays at the base', () => {
    const w = new Float64Array(9);
    w[0 * 3 + 1] = 5; // 0 beat 1 five times, never lost
    w[1 * 3 + 2] = 2;
    w[2 * 3 + 1] = 2;
    const t = fitStrengths(w, 3);
    assert.ok(t.every(Number.isFinite));
    assert.ok(t[0] > t[1] && t[0] > t[2]);
    assert.ok(Math.abs(t[0] + t[1] + t[2]) < 1e-8, 'scores are centred on the base');
  });

  it('bootstrap: the same seed gives the same intervals, another seed others; the score is inside its interval', async () => {
    const { store } = await loadLabelLogs([log]);
    const units = decisionUnits(store, 'all');
    const a = leaderboard(units, { bootstrap: 200, seed: 1 });
    const b = leaderboard(units, { bootstrap: 200, seed: 1 });
    const c = leaderboard(units, { bootstrap: 200, seed: 2 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.entries.map((e) => e.lower), c.entries.map((e) => e.lower));
    for (const e of a.entries) assert.ok(e.lower! < e.score && e.score < e.upper!, `${e.model}: ${e.lower} ${e.score} ${e.upper}`);
  });

  it('ranking expansion changes the comparisons: best-vs-rest holds fewer than all', async () => {
    const { store } = await loadLabelLogs([log]);
    const all = leaderboard(decisionUnits(store, 'all'));
    const best = leaderboard(decisionUnits(store, 'best-vs-rest'));
    assert.equal(all.decisions, best.decisions);
    assert.ok(best.comparisons < all.comparisons);
  });
});
