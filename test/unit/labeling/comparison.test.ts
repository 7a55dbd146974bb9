import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pairsOfRecord, toCandidatesRecord } from '../../../src/core/labeling/candidateRecord';
import { armsOfCandidates, compareModels, type ComparisonReport } from '../../../src/core/labeling/comparison';
import { signTestPValue, wilsonInterval } from '../../../src/core/labeling/comparisonStats';
import { makeDecision } from '../../../src/core/labeling/decisionLog';
import type { Choice, LabelPair } from '../../../src/core/labeling/pair';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'comparison');

interface ReferenceCase {
  wins: number;
  ties: number;
  losses: number;
  winRate: number;
  lower: number;
  upper: number;
  signTestP: number | null;
}

function hasScipy(): boolean {
  return spawnSync('python3', ['-c', 'import scipy'], { stdio: 'ignore' }).status === 0;
}

describe('labeling: comparison statistics (Wilson interval, sign test)', function () {
  this.timeout(60_000);

  it('Wilson 95% interval of 8 of 10: 0.490–0.943, worked by hand', () => {
    // p = 0.8, z² = 3.841459, 1 + z²/n = 1.384146: centre (0.8 + 0.192073) / 1.384146 = 0.716740;
    // half-width (1.959964 / 1.384146) · √(0.016 + 0.009604) = 1.416010 · 0.160011 = 0.226578.
    const ci = wilsonInterval(8, 10)!;
    assert.ok(Math.abs(ci.lower - 0.490162) < 5e-6, String(ci.lower));
    assert.ok(Math.abs(ci.upper - 0.943318) < 5e-6, String(ci.upper));
  });

  it('ends stay inside [0, 1], with width at 0 of n and n of n; no trial gives no interval', () => {
    const zero = wilsonInterval(0, 5)!;
    assert.equal(zero.lower, 0);
    assert.ok(zero.upper > 0.4 && zero.upper < 0.45);
    const all = wilsonInterval(5, 5)!;
    assert.equal(all.upper, 1);
    assert.ok(all.lower > 0.55 && all.lower < 0.6);
    assert.equal(wilsonInterval(0, 0), undefined);
    assert.throws(() => wilsonInterval(6, 5), RangeError);
  });

  it('sign test by hand: 8 wins to 2 is 2·(1 + 10 + 45)/1024; 5 to 0 is 2/32; an even split is 1', () => {
    const near = (x: number | undefined, y: number) => assert.ok(x !== undefined && Math.abs(x - y) < 1e-12, `${x} vs ${y}`);
    near(signTestPValue(8, 2), (2 * 56) / 1024);
    near(signTestPValue(2, 8), (2 * 56) / 1024);
    near(signTestPValue(5, 0), 2 / 32);
    assert.equal(signTestPValue(3, 3), 1);
    assert.equal(signTestPValue(0, 0), undefined);
    // 1000 to 900: far past where C(n, k) overflows a double, still a probability.
    const p = signTestPValue(1000, 900)!;
    assert.ok(p > 0.01 && p < 0.03, String(p));
  });

  it('agrees with scipy (binomtest ... proportion_ci(method="wilson"), binomtest(w, w + l).pvalue) on the committed fixture', async () => {
    const ref = JSON.parse(await fsp.readFile(path.join(fixtures, 'reference.json'), 'utf8')) as { cases: ReferenceCase[] };
    assert.ok(ref.cases.length >= 10);
    for (const c of ref.cases) {
      const n = c.wins + c.ties + c.losses;
      const ci = wilsonInterval(c.wins + c.ties / 2, n)!;
      const what = `${c.wins}/${c.ties}/${c.losses}`;
      assert.ok(Math.abs(ci.lower - c.lower) < 1e-12, `${what} lower ${ci.lower} vs ${c.lower}`);
      assert.ok(Math.abs(ci.upper - c.upper) < 1e-12, `${what} upper ${ci.upper} vs ${c.upper}`);
      const p = signTestPValue(c.wins, c.losses);
      if (c.signTestP === null) assert.equal(p, undefined);
      else assert.ok(Math.abs(p! - c.signTestP) < 1e-12 * Math.max(1, c.signTestP) + 1e-15, `${what} p ${p} vs ${c.signTestP}`);
    }
  });

  it('the committed reference is what reference.py computes now (re-run when python3 + scipy are present)', async function () {
    if (!hasScipy()) this.skip();
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-cmp-'));
    try {
      const out = path.join(tmp, 'reference.json');
      const r = spawnSync('python3', [path.join(fixtures, 'reference.py'), out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const fresh = JSON.parse(await fsp.readFile(out, 'utf8')) as { cases: ReferenceCase[] };
      const committed = JSON.parse(await fsp.readFile(path.join(fixtures, 'reference.json'), 'utf8')) as { cases: ReferenceCase[] };
      assert.deepEqual(fresh.cases, committed.cases);
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });
});

/** A candidates line: the baseline's answer, then the candidate's (as Compare Models writes them). */
function line(id: string, q: string, a: string | undefined, b: string | undefined, names = ['base', 'tuned']): string {
  const responses = [...(a === undefined ? [] : [{ model: names[0], content: a }]), ...(b === undefined ? [] : [{ model: names[1], content: b }])];
  return JSON.stringify({ id, prompt: [{ role: 'user', content: q }], responses });
}

function pairOf(text: string): LabelPair {
  return pairsOfRecord(toCandidatesRecord(JSON.parse(text)))[0];
}

type Says = 'tuned' | 'base' | 'tie' | 'both_bad' | 'skip';

/** A decision on `pair` shown with the canonical response `a` on the left or not; `says` names the winner by model. */
function decide(pair: LabelPair, says: Says, annotator: string, leftIsA: boolean, at: number): string {
  const left = leftIsA ? pair.a : pair.b;
  let choice: Choice;
  if (says === 'tuned' || says === 'base') choice = left.model === says ? 'left' : 'right';
  else choice = says;
  return JSON.stringify(makeDecision({ pair, leftIsA, choice, annotator, ms: 1000 }, at));
}

describe('labeling: the comparison report (Compare Models, pairwise compare)', () => {
  let dir: string;
  let candidates: string;
  const lines = [
    line('p1', 'What is 2+2?', 'four', '4'),
    line('p2', 'Name a colour', 'red', 'blue'),
    line('p3', 'Say hi', 'hi', 'hi'), // identical: no pair
    line('p4', 'Capital of France?', 'Paris', 'It is Paris.'),
    line('p5', 'A haiku', 'old pond', undefined), // the candidate failed
    line('p6', 'Sort [3,1,2]', '[1,2,3]', '1, 2, 3'),
    line('p7', 'Unlabeled prompt', 'x', 'y'),
  ];
  const pair = (i: number) => pairOf(lines[i]);

  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-compare-'));
    candidates = path.join(dir, 'heldout.base-vs-tuned.candidates.jsonl');
    await fsp.writeFile(candidates, lines.join('\n') + '\nnot json\n');
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    // ana: tuned wins p1 (tuned on the left) and p2 (tuned on the right), tie on p4, base wins p6;
    // she first said base on p2, then changed her mind (the later decision counts).
    const ana = [
      decide(pair(1), 'base', 'ana', true, t0),
      decide(pair(0), 'tuned', 'ana', true, t0 + 1),
      decide(pair(1), 'tuned', 'ana', false, t0 + 3),
      decide(pair(3), 'tie', 'ana', true, t0 + 4),
      decide(pair(5), 'base', 'ana', false, t0 + 5),
    ];
    // bo: tuned on p1, both bad on p2, tuned on p4, skip on p6.
    const bo = [decide(pair(0), 'tuned', 'bo', false, t0 + 6), decide(pair(1), 'both_bad', 'bo', true, t0 + 7), decide(pair(3), 'tuned', 'bo', true, t0 + 8), decide(pair(5), 'skip', 'bo', true, t0 + 9)];
    await fsp.writeFile(path.join(dir, 'heldout.base-vs-tuned.candidates.labels.jsonl'), ana.join('\n') + '\n');
    await fsp.writeFile(path.join(dir, 'heldout.base-vs-tuned.candidates.bo.labels.jsonl'), bo.join('\n') + '\n');
    // Another comparison's log in the same folder is not read.
    await fsp.writeFile(path.join(dir, 'other.labels.jsonl'), decide(pair(5), 'base', 'eve', true, t0) + '\n');
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const ids = (r: ComparisonReport['merged'], o: keyof ComparisonReport['merged']['pairs']) => r.pairs[o].map((p) => p.id);

  it('per annotator: wins, ties, losses of B from the side-free decisions, with the pairs behind each', async () => {
    const r = await compareModels(candidates, { baseline: 'base', candidate: 'tuned' });
    assert.equal(r.prompts, 7);
    assert.equal(r.pairs, 5);
    assert.deepEqual(r.identical.map((p) => p.id), ['p3']);
    assert.deepEqual(r.missing.map((p) => p.id), ['p5']);
    assert.deepEqual(r.badLines.map((b) => b.line), [8]);
    assert.deepEqual(r.logs.map((l) => path.basename(l)), ['heldout.base-vs-tuned.candidates.bo.labels.jsonl', 'heldout.base-vs-tuned.candidates.labels.jsonl']);
    assert.deepEqual(r.annotators.map((a) => a.annotator), ['ana', 'bo']);
    const ana = r.annotators[0].tally;
    assert.deepEqual(ana.counts, { candidateWins: 2, ties: 1, baselineWins: 1, bothBad: 0, skipped: 0, unlabeled: 1, noMajority: 0 });
    assert.deepEqual(ids(ana, 'candidateWins'), ['p1', 'p2']);
    assert.deepEqual(ids(ana, 'ties'), ['p4']);
    assert.deepEqual(ids(ana, 'baselineWins'), ['p6']);
    assert.deepEqual(ids(ana, 'unlabeled'), ['p7']);
    assert.equal(ana.decisive, 4);
    assert.equal(ana.winRate, 2.5 / 4);
    assert.deepEqual(ana.interval, wilsonInterval(2.5, 4));
    assert.equal(ana.signTestP, signTestPValue(2, 1));
    // The pairs carry what opens them again: the pair id and the line of the prompt.
    assert.equal(ana.pairs.candidateWins[0].pair, pair(0).id);
    assert.equal(ana.pairs.candidateWins[0].line, 1);
    assert.equal(ana.pairs.candidateWins[0].prompt, 'What is 2+2?');
    const bo = r.annotators[1].tally;
    assert.deepEqual(bo.counts, { candidateWins: 2, ties: 0, baselineWins: 0, bothBad: 1, skipped: 1, unlabeled: 1, noMajority: 0 });
    assert.deepEqual(ids(bo, 'bothBad'), ['p2']);
    assert.deepEqual(ids(bo, 'skipped'), ['p6']);
    assert.equal(bo.winRate, 1);
    assert.ok(Math.abs(bo.signTestP! - 0.5) < 1e-12);
  });

  it('merged by strict majority: agreement counts, a split is "no majority", a skip abstains', async () => {
    const r = await compareModels(candidates, { baseline: 'base', candidate: 'tuned' });
    const m = r.merged;
    // p1: tuned+tuned; p2: tuned vs both bad → no majority; p4: tie vs tuned → no majority;
    // p6: base (bo skipped: abstains) → base; p7: nobody.
    assert.deepEqual(m.counts, { candidateWins: 1, ties: 0, baselineWins: 1, bothBad: 0, skipped: 0, unlabeled: 1, noMajority: 2 });
    assert.deepEqual(ids(m, 'noMajority'), ['p2', 'p4']);
    assert.deepEqual(ids(m, 'baselineWins'), ['p6']);
    assert.equal(m.winRate, 0.5);
    const byAna = await compareModels(candidates, { baseline: 'base', candidate: 'tuned' }, { rule: { kind: 'annotator', name: 'ana' } });
    assert.deepEqual(byAna.merged.counts, { candidateWins: 2, ties: 1, baselineWins: 1, bothBad: 0, skipped: 0, unlabeled: 1, noMajority: 0 });
  });

  it('swapping the arms swaps wins and losses (the rate is of the model named candidate)', async () => {
    const r = await compareModels(candidates, { baseline: 'tuned', candidate: 'base' });
    const ana = r.annotators[0].tally;
    assert.equal(ana.counts.candidateWins, 1);
    assert.equal(ana.counts.baselineWins, 2);
    assert.equal(ana.winRate, 1.5 / 4);
  });

  it('two targets with the same model name: the first answer is the baseline, the second the candidate', async () => {
    const same = path.join(dir, 'same.candidates.jsonl');
    const l1 = line('s1', 'Q', 'from A', 'from B', ['llama', 'llama']);
    await fsp.writeFile(same, l1 + '\n');
    const p = pairOf(l1);
    await fsp.writeFile(path.join(dir, 'same.candidates.labels.jsonl'), JSON.stringify(makeDecision({ pair: p, leftIsA: true, choice: p.a.content === 'from B' ? 'left' : 'right', annotator: 'ana', ms: 5 })) + '\n');
    assert.deepEqual(await armsOfCandidates(same), { baseline: 'llama', candidate: 'llama' });
    const r = await compareModels(same, { baseline: 'llama', candidate: 'llama' });
    assert.equal(r.annotators[0].tally.counts.candidateWins, 1);
  });

  it('an undo (retraction) takes the decision out of the count', async () => {
    const d = JSON.parse(decide(pair(6), 'tuned', 'cy', true, Date.parse('2026-01-02T00:00:00Z'))) as { id: string };
    const log = path.join(dir, 'heldout.base-vs-tuned.candidates.cy.labels.jsonl');
    await fsp.writeFile(log, JSON.stringify(d) + '\n');
    let r = await compareModels(candidates, { baseline: 'base', candidate: 'tuned' });
    assert.equal(r.annotators.find((a) => a.annotator === 'cy')!.tally.counts.candidateWins, 1);
    await fsp.appendFile(log, JSON.stringify({ v: 1, id: 'zzz-retract', retract: d.id, annotator: 'cy', ts: '2026-01-02T00:00:01.000Z' }) + '\n');
    r = await compareModels(candidates, { baseline: 'base', candidate: 'tuned' });
    assert.equal(r.annotators.find((a) => a.annotator === 'cy'), undefined, 'no current decision left: cy says nothing about these pairs');
    await fsp.rm(log);
  });
});
