import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { judgeAgreement } from '../../../src/core/generation/judgeAgreement';
import { pairIdOf } from '../../../src/core/labeling/hashing';

const P = '0123456789abcdef';
const H = ['1111111111111111', '2222222222222222', '3333333333333333'];

function judgement(a: string, b: string, verdict: string, model = 'judge') {
  return { pair: pairIdOf(P, a, b), id: 'x', a: { index: 0, model: 'm1', hash: a }, b: { index: 1, model: 'm2', hash: b }, verdict, judge: { endpoint: 'e', model, key: 'k' } };
}

function decision(a: string, b: string, choice: string, annotator: string, n: number) {
  return { v: 1, id: `d${annotator}${n}`, pair: pairIdOf(P, a, b), left: a, right: b, choice, annotator, ts: new Date(1_700_000_000_000 + n).toISOString(), ms: 10 };
}

describe('judge agreement with human labels', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-agree-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compares pairs both judged, by the winning response, whatever side it was shown on', async () => {
    const j = path.join(dir, 'c.judgements.jsonl');
    fs.writeFileSync(
      j,
      [
        judgement(H[0], H[1], 'A'), // judge prefers H0
        judgement(H[0], H[2], 'B'), // judge prefers H2
        judgement(H[1], H[2], 'uncertain'),
        judgement(H[0], H[1], 'B', 'other-judge'), // another judge: ignored when filtering
      ]
        .map((x) => JSON.stringify(x))
        .join('\n') + '\n{torn',
    );
    const log = path.join(dir, 'c.labels.jsonl');
    fs.writeFileSync(
      log,
      [
        decision(H[1], H[0], 'right', 'ann', 1), // H0 shown on the right and chosen: agrees
        decision(H[0], H[2], 'left', 'ann', 2), // H0 chosen, judge said H2: disagrees
        decision(H[1], H[2], 'tie', 'ann', 3), // judge uncertain: incomparable
      ]
        .map((x) => JSON.stringify(x))
        .join('\n') + '\n',
    );
    const r = await judgeAgreement(j, [log, path.join(dir, 'missing.labels.jsonl')], { endpoint: 'e', model: 'judge' });
    assert.deepEqual({ compared: r.compared, agree: r.agree, percent: r.percent, incomparable: r.incomparable, annotators: r.annotators }, { compared: 2, agree: 1, percent: 50, incomparable: 1, annotators: ['ann'] });
    const none = await judgeAgreement(j, [path.join(dir, 'none.labels.jsonl')]);
    assert.equal(none.compared, 0);
    assert.equal(none.percent, null);
  });
});
