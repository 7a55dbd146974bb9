import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { makeDecision, makeRanking } from '../../../src/core/labeling/decisionLog';
import { toLogRecord } from '../../../src/core/labeling/decisionRecord';
import { exportPreferences, PREFERENCE_EXPORT_FORMATS } from '../../../src/core/labeling/exportPreferences';
import { LabelStore } from '../../../src/core/labeling/labelStore';
import { expandRanking, rankedPairs, withExpandedRankings } from '../../../src/core/labeling/rankingExpansion';
import { readRankingItems, type RankingItem } from '../../../src/core/labeling/rankingItems';
import { validateFile } from '../../../src/core/validate/pipeline';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');
const rankInput = path.join(fixtures, 'rank.candidates.jsonl');

describe('labeling: rankings expand to pairs', () => {
  it('all, adjacent, best-vs-rest: which pairs, who wins, ties inside a tier', () => {
    const show = (strategy: 'all' | 'adjacent' | 'best-vs-rest', tiers: string[][]) => rankedPairs(tiers, strategy).map((p) => `${p.better}${p.tie ? '=' : '>'}${p.worse}`);
    assert.deepEqual(show('all', [['a'], ['b'], ['c'], ['d']]), ['a>b', 'a>c', 'a>d', 'b>c', 'b>d', 'c>d']);
    assert.deepEqual(show('adjacent', [['a'], ['b'], ['c'], ['d']]), ['a>b', 'b>c', 'c>d']);
    assert.deepEqual(show('best-vs-rest', [['a'], ['b'], ['c'], ['d']]), ['a>b', 'a>c', 'a>d']);
    assert.deepEqual(show('all', [['a'], ['b', 'c'], ['d']]), ['a>b', 'a>c', 'a>d', 'b=c', 'b>d', 'c>d']);
    assert.deepEqual(show('adjacent', [['a', 'b'], ['c'], ['d']]), ['a=b', 'a>c', 'b>c', 'c>d']);
    assert.deepEqual(show('best-vs-rest', [['a', 'b'], ['c'], ['d']]), ['a=b', 'a>c', 'b>c', 'a>d', 'b>d']);
  });

  it('expanded decisions are valid pair decisions of the annotator; a later pair decision overrides', async () => {
    const { items } = await readRankingItems(rankInput);
    const it0 = items[0];
    const [a, b, c, d] = it0.responses;
    const r = makeRanking({ promptHash: it0.promptHash, tiers: [[a], [b], [c], [d]], annotator: 'ann', ms: 9 }, 1000);
    const ds = expandRanking(r, 'all');
    assert.equal(ds.length, 6);
    for (const x of ds) assert.equal(typeof toLogRecord(JSON.parse(JSON.stringify(x))), 'object', 'each expanded decision passes the log checks');
    assert.deepEqual([ds[0].leftModel, ds[0].rightModel, ds[0].choice], ['alpha', 'beta', 'left']);
    const store = new LabelStore();
    store.add(r);
    const q = await CandidatesPairQueue.open(rankInput);
    let pairAB;
    for (let i = 0; i < q.known || !q.complete; i++) {
      const p = await q.get(i);
      if (!p) break;
      if (new Set([p.a.hash, p.b.hash]).has(a.hash) && new Set([p.a.hash, p.b.hash]).has(b.hash)) pairAB = p;
    }
    await q.close();
    assert.ok(pairAB);
    const leftIsA = pairAB.a.hash === b.hash;
    store.add(makeDecision({ pair: pairAB, leftIsA, choice: 'left', annotator: 'ann', ms: 1 }, 2000)); // later: b over a
    const { store: ex, summary } = withExpandedRankings(store, 'all');
    assert.deepEqual(summary, { strategy: 'all', rankings: 1, pairs: 6 });
    const cur = ex.current(pairAB.id, 'ann')!;
    assert.equal(cur.choice === 'left' ? cur.left : cur.right, b.hash);
    // Retracted rankings are not expanded.
    store.add({ v: 1, id: 'ret', retract: r.id, annotator: 'ann', ts: new Date(3000).toISOString() });
    assert.equal(withExpandedRankings(store, 'all').summary.rankings, 0);
  });

  describe('exports of rankings validate in each trainer format', () => {
    let dir: string;
    let queue: CandidatesPairQueue;
    let store: LabelStore;
    before(async () => {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rank-export-'));
      queue = await CandidatesPairQueue.open(rankInput, { strategy: 'all' });
      await queue.whenComplete();
      const { items } = await readRankingItems(rankInput);
      store = new LabelStore();
      // Best first, by file order reversed; the second prompt has a tie at the top.
      const byText = (it: RankingItem, texts: string[][]) => texts.map((t) => t.map((x) => it.responses.find((r) => r.content === x)!));
      const rankings = [
        byText(items[0], [['2, the only even prime.'], ['Seven is prime.'], ['7'], ['9']]),
        byText(items[1], [['Cold', 'cold.'], ['Warm']]),
        byText(items[2], [['cat'], ['Cat'], ['to chat']]),
        byText(items[3], [['5'], ['Five'], ['<b>5</b>'], ['six']]),
      ];
      rankings.forEach((tiers, k) => store.add(makeRanking({ promptHash: items[k].promptHash, tiers, annotator: 'ann', ms: 1 }, 10_000 + k)));
    });
    after(async () => {
      await queue.close();
      await fsp.rm(dir, { recursive: true, force: true });
    });

    // all: 6 + (1 tie + 2) + 3 + 6 = 17 pairs with a winner and 1 tie; adjacent: 3 + 2 + 2 + 3 = 10 and 1 tie;
    // best-vs-rest: 3 + 2 + 2 + 3 = 10 and 1 tie (the two best of the second prompt each beat the third).
    const expected = { all: 17, adjacent: 10, 'best-vs-rest': 10 } as const;
    for (const strategy of ['all', 'adjacent', 'best-vs-rest'] as const) {
      for (const format of PREFERENCE_EXPORT_FORMATS) {
        it(`${strategy} → ${format}: ${expected[strategy]} pairs, passes pairwise validate`, async () => {
          const out = path.join(dir, `${strategy}.${format}.jsonl`);
          const summary = await exportPreferences({ queue, logs: store, format, output: out, rankings: strategy });
          // KTO labels responses, not pairs: a pair whose two answers both won as often as they lost has no record.
          assert.equal(summary.pairs + (format === 'trl-unpaired' ? summary.unrepresentable : 0), expected[strategy]);
          assert.equal(summary.excluded.ties, 1);
          assert.equal(summary.notInInput, 0);
          assert.equal(summary.rankings.rankings, 4);
          const v = await validateFile(out, { format });
          const errors = v.problems.filter((p) => p.severity === 'error');
          assert.deepEqual(errors, [], JSON.stringify(errors.slice(0, 3)));
          assert.equal(v.records, summary.written);
        });
      }
    }

    it('trl-preference: chosen is the better-ranked answer', async () => {
      const out = path.join(dir, 'std.jsonl');
      await exportPreferences({ queue, logs: store, format: 'trl-preference', formatOptions: { variant: 'standard' }, output: out, rankings: 'best-vs-rest' });
      const rows = (await fsp.readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string });
      const prime = rows.filter((r) => r.prompt === 'Name a prime number.');
      assert.deepEqual(prime.map((r) => r.chosen), ['2, the only even prime.', '2, the only even prime.', '2, the only even prime.']);
      assert.deepEqual(prime.map((r) => r.rejected).sort(), ['7', '9', 'Seven is prime.']);
    });
  });
});

