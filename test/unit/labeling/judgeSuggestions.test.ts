import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pairIdOf, responseHash } from '../../../src/core/labeling/hashing';
import { agreementWithJudge, judgeSide, readJudgements, toJudgement } from '../../../src/core/labeling/judgeSuggestions';

const ha = responseHash('first answer');
const hb = responseHash('second answer');
const pair = pairIdOf('p0000000000000000', ha, hb);
const line = (over: Record<string, unknown> = {}) => ({ pair, id: 'x', a: { index: 0, model: 'm1', hash: ha }, b: { index: 1, model: 'm2', hash: hb }, verdict: 'A', votes: ['A', 'A'], judge: { endpoint: 'e', model: 'judge', key: 'k' }, aspects: [], ts: 't', ...over });

describe('judge suggestions', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-sugg-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the latest line per pair, skips damaged lines and leaves out a torn last line', async () => {
    const file = path.join(dir, 'x.judgements.jsonl');
    const other = pairIdOf('p1111111111111111', ha, hb);
    const text = [
      JSON.stringify(line({ verdict: 'B', votes: ['B', 'B'] })),
      'not json',
      '\u0000\u0001binary',
      JSON.stringify(line({ pair: other, verdict: 'uncertain', votes: ['A', 'B'] })),
      JSON.stringify({ ...line(), a: { hash: 'elsewhere' } }),
      JSON.stringify(line({ reason: '  concise  ' })),
      '',
    ].join('\n');
    fs.writeFileSync(file, text + '{"pair": "' + pair);
    const r = await readJudgements(file);
    assert.equal(r.missing, false);
    assert.equal(r.partialLast, true);
    assert.deepEqual(r.badLines, [2, 3, 5]);
    assert.equal(r.byPair.size, 2);
    const j = r.byPair.get(pair)!;
    assert.equal(j.verdict, 'A', 'the later line wins');
    assert.equal(j.reason, 'concise');
    assert.equal(j.line, 6);
    assert.equal(j.consistent, true);
    assert.equal(r.byPair.get(other)!.consistent, false);
  });

  it('a missing file is an empty result', async () => {
    const r = await readJudgements(path.join(dir, 'none.jsonl'));
    assert.equal(r.missing, true);
    assert.equal(r.byPair.size, 0);
  });

  it('maps the verdict to the side each response was shown on', () => {
    const j = toJudgement(line(), 1)!;
    assert.equal(judgeSide(j, ha, hb), 'left');
    assert.equal(judgeSide(j, hb, ha), 'right');
    assert.equal(judgeSide(toJudgement(line({ verdict: 'B', votes: ['B', 'B'] }), 1)!, ha, hb), 'right');
    assert.equal(judgeSide(toJudgement(line({ verdict: 'tie', votes: ['tie', 'tie'] }), 1)!, hb, ha), 'tie');
    assert.equal(judgeSide(j, 'x', 'y'), undefined, 'a judgement of other responses maps to no side');
  });

  it('agreement counts left/right/tie decisions against consistent verdicts only', () => {
    const p2 = pairIdOf('p2222222222222222', ha, hb);
    const p3 = pairIdOf('p3333333333333333', ha, hb);
    const p4 = pairIdOf('p4444444444444444', ha, hb);
    const js = new Map([
      [pair, toJudgement(line(), 1)!],
      [p2, toJudgement(line({ pair: p2, verdict: 'tie', votes: ['tie', 'tie'] }), 2)!],
      [p3, toJudgement(line({ pair: p3, verdict: 'uncertain', votes: ['A', 'B'] }), 3)!],
      [p4, toJudgement(line({ pair: p4 }), 4)!],
    ]);
    const a = agreementWithJudge(
      [
        { pair, left: hb, right: ha, choice: 'right' }, // prefers ha = judge's A: agree
        { pair: p2, left: ha, right: hb, choice: 'left' }, // judge tie: disagree
        { pair: p3, left: ha, right: hb, choice: 'left' }, // uncertain: not counted
        { pair: p4, left: ha, right: hb, choice: 'both_bad' }, // not counted
      ],
      js,
    );
    assert.deepEqual(a, { pairs: 2, agree: 1, percent: 50 });
    assert.deepEqual(agreementWithJudge([], js), { pairs: 0, agree: 0, percent: null });
  });
});
