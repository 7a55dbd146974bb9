/** The order being built in rank mode (webview-ui/ranking/logic/order.ts): picks, moves, ties, tiers. */
import * as assert from 'node:assert/strict';
import { fromTiers, initial, moveTo, pick, rankAt, toggleTie, toTiers } from '../../../webview-ui/ranking/logic/order';

describe('rank mode: the order in progress', () => {
  it('number keys pick the next best; a picked candidate stays put when picked again', () => {
    let o = initial(4);
    o = pick(o, 2);
    assert.deepEqual(o.seq, [2, 0, 1, 3]);
    o = pick(o, 3);
    assert.deepEqual(o.seq, [2, 3, 0, 1]);
    assert.equal(o.picked, 2);
    assert.equal(pick(o, 2), o);
    o = pick(o, 1);
    assert.deepEqual(toTiers(o), [[2], [3], [1], [0]]);
  });

  it('moves up and down, not past the ends; ties join a card to the tier above and share its rank', () => {
    let o = initial(3);
    o = moveTo(o, 2, 1);
    assert.deepEqual(o.seq, [0, 2, 1]);
    assert.equal(moveTo(o, 0, -1), o);
    assert.equal(moveTo(o, 2, 3), o);
    o = toggleTie(o, 2);
    assert.deepEqual(toTiers(o), [[0], [2, 1]]);
    assert.deepEqual([0, 1, 2].map((i) => rankAt(o, i)), [1, 2, 2]);
    assert.equal(toggleTie(o, 0), o, 'the first card has nothing above it');
    // Moving a tied card clears the tie it had.
    assert.deepEqual(toTiers(moveTo(o, 2, 0)), [[1], [0], [2]]);
  });

  it('tiers round-trip, so the host can restore an order in progress', () => {
    const tiers = [[1], [0, 3], [2]];
    assert.deepEqual(toTiers(fromTiers(tiers, 2)), tiers);
    assert.equal(fromTiers(tiers, 9).picked, 4);
  });
});
