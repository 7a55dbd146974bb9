import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CandidatesPairQueue } from '../../../src/core/labeling/candidatesQueue';
import { loadLabelLogs, makeDecision, makeRanking, readLabelLog } from '../../../src/core/labeling/decisionLog';
import { isRetraction, READER_VERSION, toLogRecord } from '../../../src/core/labeling/decisionRecord';
import { readRankingItems } from '../../../src/core/labeling/rankingItems';
import { isRankingRecord, type RankingRecord } from '../../../src/core/labeling/rankingRecord';
import { RankingSession } from '../../../src/core/labeling/rankingSession';

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'labeling');
const rankInput = path.join(fixtures, 'rank.candidates.jsonl');

function clock(start = 5_000_000) {
  let t = start;
  const f = () => t;
  f.advance = (ms: number) => {
    t += ms;
  };
  return f;
}

/** The display positions of `texts` (best first) in the item on screen. */
function positionsOf(s: RankingSession, texts: (string | string[])[]): number[][] {
  const order = s.current!.order.map((r) => r.content);
  return texts.map((t) => (Array.isArray(t) ? t : [t]).map((x) => {
    const i = order.indexOf(x);
    assert.ok(i >= 0, `${x} on screen`);
    return i;
  }));
}

/** Ranks the item on screen so that texts come out in this order (by text), checking the prompt. */
async function rankByText(s: RankingSession, promptPart: string, texts: (string | string[])[]) {
  assert.ok(JSON.stringify(s.state().item?.prompt).includes(promptPart), `on screen: ${promptPart}`);
  return s.rank(positionsOf(s, texts), { key: s.state().item!.key });
}

describe('labeling: ranking records in the log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pw-rank-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('items: prompts with 3+ distinct answers, duplicates collapsed, two-answer prompts left to pair mode', async () => {
    const { items, problems } = await readRankingItems(rankInput);
    assert.deepEqual(problems, []);
    assert.deepEqual(items.map((i) => [i.origin.recordId, i.responses.length]), [['r1', 4], ['r2', 3], ['r4', 3], ['r5', 4]]);
    assert.deepEqual(items[2].responses.map((r) => r.model), ['alpha', 'beta', 'gamma']);
  });

  it('a ranking record round-trips through the log with version 2, tiers and models; bad rankings are set aside', async () => {
    const { items } = await readRankingItems(rankInput);
    const it0 = items[0];
    const [a, b, c, d] = it0.responses;
    const r = makeRanking({ promptHash: it0.promptHash, tiers: [[b], [a, d], [c]], annotator: 'ann', ms: 1234.4 }, 1_700_000_000_000);
    assert.equal(r.v, 2);
    assert.equal(r.group, it0.group);
    assert.deepEqual(r.ranking, [[b.hash], [a.hash, d.hash], [c.hash]]);
    assert.deepEqual(r.models, { [a.hash]: 'alpha', [b.hash]: 'beta', [c.hash]: 'gamma', [d.hash]: 'delta' });
    assert.equal(r.ms, 1234);
    const log = path.join(dir, 'x.labels.jsonl');
    const dup = { ...r, id: 'dup1', ranking: [[b.hash], [b.hash, a.hash, d.hash], [c.hash]] };
    const wrongSet = { ...r, id: 'wrong1', ranking: [[b.hash], [a.hash]] };
    const newer = { ...r, id: 'newer1', v: READER_VERSION + 1 };
    await fsp.writeFile(log, [r, dup, wrongSet, newer].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const read = await readLabelLog(log);
    assert.equal(read.records.length, 1);
    assert.deepEqual(read.records[0], r);
    assert.deepEqual(read.problems.map((p) => [p.line, p.kind]), [[2, 'invalid'], [3, 'invalid'], [4, 'invalid']]);
    assert.match(read.problems[0].message, /twice/);
    assert.match(read.problems[1].message, /responses of "group"/);
    assert.match(read.problems[2].message, /newer/);
  });

  it('old logs (v1 pair decisions, and lines without "v") stay readable beside rankings', async () => {
    const q = await CandidatesPairQueue.open(rankInput);
    const pair = (await q.get(0))!;
    await q.close();
    const d = makeDecision({ pair, leftIsA: true, choice: 'left', annotator: 'old', ms: 5 }, 1_600_000_000_000);
    assert.equal(d.v, 1, 'pair decisions keep writing version 1: readers from before rank mode read them');
    const { v: _v, ...noVersion } = { ...d, id: 'nov' };
    const parsed = toLogRecord(JSON.parse(JSON.stringify(noVersion)));
    assert.ok(typeof parsed !== 'string' && !isRankingRecord(parsed) && !isRetraction(parsed));
    assert.equal(parsed.v, 1);
    const { items } = await readRankingItems(rankInput);
    const r = makeRanking({ promptHash: items[1].promptHash, tiers: items[1].responses.map((x) => [x]), annotator: 'new', ms: 1 });
    const log = path.join(dir, 'mixed.labels.jsonl');
    await fsp.writeFile(log, `${JSON.stringify(d)}\n${JSON.stringify(noVersion)}\n${JSON.stringify(r)}\n`);
    const { store, problems } = await loadLabelLogs([log]);
    assert.deepEqual(problems, []);
    assert.equal(store.currentFor('old').size, 1);
    assert.deepEqual(store.currentRanking(items[1].group, 'new'), r);
    assert.deepEqual(store.annotators(), ['new', 'old']);
  });

  it('session: ranks durably, resumes a half-done queue after reopening, undo retracts, stale keys are refused', async () => {
    const { items } = await readRankingItems(rankInput);
    const log = path.join(dir, 'ann.labels.jsonl');
    const c = clock();
    let s = await RankingSession.open({ items, logPath: log, annotator: 'ann', clock: c });
    const st0 = s.state();
    assert.equal(st0.item?.index, 0);
    assert.equal(st0.item?.candidates.length, 4);
    assert.ok(!JSON.stringify(st0).includes('alpha') && !JSON.stringify(st0).includes(items[0].responses[0].hash), 'no model or hash in the state');
    c.advance(700);
    await rankByText(s, 'prime', ['2, the only even prime.', 'Seven is prime.', '7', '9']);
    // The ranking is on disk once rank() resolves.
    const onDisk = (await fsp.readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as RankingRecord);
    assert.equal(onDisk.length, 1);
    assert.equal(onDisk[0].ms, 700);
    assert.deepEqual(onDisk[0].ranking.map((t) => t.map((h) => items[0].responses.find((r) => r.hash === h)!.content)), [['2, the only even prime.'], ['Seven is prime.'], ['7'], ['9']]);
    const st1 = await rankByText(s, 'hot', [['Cold', 'cold.'], 'Warm']);
    assert.equal(st1.item?.index, 2);
    assert.equal(st1.progress.done, 2);
    const staleKey = st0.item!.key;
    await assert.rejects(s.rank([[0], [1], [2]], { key: staleKey }), /changed/);
    await assert.rejects(s.rank([[0], [1]], { key: st1.item!.key }), /exactly once/);
    await assert.rejects(s.rank([[0], [1], [1]], { key: st1.item!.key }), /exactly once/);
    await s.close();

    // Reload in the middle: nothing committed is lost and the queue resumes at the third prompt.
    s = await RankingSession.open({ items, logPath: log, annotator: 'ann', clock: c });
    let st = s.state();
    assert.equal(st.item?.index, 2);
    assert.equal(st.progress.done, 2);
    const back = await s.previous();
    assert.equal(back.item?.index, 1);
    const shownOrder = s.current!.order.map((r) => r.content);
    assert.deepEqual(back.item?.ranking?.map((t) => t.map((i) => shownOrder[i]).sort()), [['Cold', 'cold.'], ['Warm']], 'the committed ranking, with its tie, in display positions');
    await s.next();
    await rankByText(s, 'chat', ['cat', 'Cat', 'to chat']);
    st = await s.undo();
    assert.equal(st.item?.index, 2, 'undo shows the prompt again');
    assert.equal(st.progress.done, 2);
    await s.close();
    s = await RankingSession.open({ items, logPath: log, annotator: 'ann', clock: c });
    assert.equal(s.state().item?.index, 2, 'the undone ranking stays undone after a reload');
    const lines = (await fsp.readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.equal(lines[3].retract, lines[2].id);
    // Ranking the rest ends the queue.
    await rankByText(s, 'chat', ['Cat', 'cat', 'to chat']);
    st = await rankByText(s, 'Sum', ['5', 'Five', '<b>5</b>', 'six']);
    assert.equal(st.item, undefined);
    assert.equal(st.progress.done, 4);
    await s.close();
  });

  it('display order is seeded: the same after a reload, not the file order for every prompt', async () => {
    const { items } = await readRankingItems(rankInput);
    const log = path.join(dir, 'o.labels.jsonl');
    const orders = async (seed: string) => {
      const s = await RankingSession.open({ items, logPath: log, annotator: 'o', seed });
      const out: string[][] = [];
      for (let i = 0; i < items.length; i++) {
        await s.jump(i);
        out.push(s.current!.order.map((r) => r.content));
      }
      await s.close();
      return out;
    };
    const first = await orders('s1');
    assert.deepEqual(await orders('s1'), first);
    assert.ok(first.some((o, i) => JSON.stringify(o) !== JSON.stringify(items[i].responses.map((r) => r.content))));
  });
});

