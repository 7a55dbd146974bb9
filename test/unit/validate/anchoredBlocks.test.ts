import * as assert from 'node:assert/strict';
import { AnchoredBlocks, lineOf, offsetOf, type AnchoredBlock, type AnchoredItem, type BlockTally } from '../../../src/core/validate/anchoredBlocks';
import { randomBelow, seededRandom, type RandomSource } from '../../../src/core/base/random';

/** A test item: `height` lines and `length` UTF-16 units, and a weight its block counts (flagged when positive). */
interface Item extends AnchoredItem<Item, Tally> {
  id: number;
  height: number;
  length: number;
  weight: number;
}

interface Tally {
  weight: number;
}

const TALLY: BlockTally<Item, Tally> = {
  empty: () => ({ weight: 0 }),
  count: (t, item, sign) => {
    t.weight += sign * item.weight;
  },
  flagged: (item) => item.weight > 0,
};

let nextId = 0;

function item(detached: AnchoredBlock<Item, Tally>, r: RandomSource): Item {
  return { id: nextId++, relLine: 0, relOffset: 0, block: detached, listed: false, height: 1 + randomBelow(r, 3), length: 1 + randomBelow(r, 40), weight: r() < 0.2 ? 1 + randomBelow(r, 3) : 0 };
}

/** Where the model puts item `k`: after every item before it, one line and one offset apart at least. */
function positions(model: readonly Item[]): { line: number; offset: number }[] {
  let line = 1;
  let offset = 0;
  return model.map((it) => {
    const at = { line, offset };
    line += it.height;
    offset += it.length;
    return at;
  });
}

/** The store against a plain array of the same items, after every operation. */
function agrees(store: AnchoredBlocks<Item, Tally>, model: readonly Item[], gone: readonly Item[], what: string): void {
  const at = positions(model);
  assert.equal(store.size, model.length, `${what}: size`);
  model.forEach((it, k) => {
    assert.equal(store.at(k), it, `${what}: item ${k}`);
    assert.equal(lineOf(it), at[k].line, `${what}: line of ${k}`);
    assert.equal(offsetOf(it), at[k].offset, `${what}: offset of ${k}`);
    assert.equal(store.indexOf(it), k, `${what}: index of ${k}`);
    assert.equal(store.firstAtLine(at[k].line), k, `${what}: first at line of ${k}`);
    assert.equal(store.lastAtOrBefore(at[k].offset + it.length - 1), k, `${what}: last at or before the end of ${k}`);
  });
  for (const it of gone) assert.equal(store.indexOf(it), -1, `${what}: a removed item is not found`);
  const visited: number[] = [];
  store.eachFlagged(
    () => false,
    (it, k) => {
      assert.equal(model[k], it, `${what}: flagged item at its index`);
      visited.push(k);
      return true;
    },
  );
  assert.deepEqual(visited, model.flatMap((it, k) => (it.weight > 0 ? [k] : [])), `${what}: flagged items in order`);
  const total = store.tallies().reduce((n, t) => n + t.weight, 0);
  assert.equal(total, model.reduce((n, it) => n + it.weight, 0), `${what}: tallies`);
}

/** Fresh items for index `k` of the model (absolute positions, as the store takes them). */
function placed(store: AnchoredBlocks<Item, Tally>, model: readonly Item[], k: number, fresh: Item[]): Item[] {
  const at = positions([...model.slice(0, k), ...fresh]);
  fresh.forEach((it, j) => {
    it.relLine = at[k + j].line;
    it.relOffset = at[k + j].offset;
    it.block = store.detached;
  });
  return fresh;
}

function span(items: readonly Item[]): { lines: number; length: number } {
  return { lines: items.reduce((n, it) => n + it.height, 0), length: items.reduce((n, it) => n + it.length, 0) };
}

function randomEdits(seed: number, blockSize: number): void {
  const r = seededRandom(seed);
  const store = new AnchoredBlocks<Item, Tally>(TALLY, blockSize);
  let model = Array.from({ length: 40 }, () => item(store.detached, r));
  store.reset(placed(store, [], 0, model));
  const gone: Item[] = [];
  agrees(store, model, gone, 'reset');
  for (let step = 0; step < 250; step++) {
    const what = `block size ${blockSize}, step ${step}`;
    const k = randomBelow(r, model.length + 1);
    const kind = r();
    if (kind < 0.6) {
      // An edit: items removed, the rest moved by the difference, new items read in (as the validator does).
      const count = Math.min(model.length - k, randomBelow(r, 4));
      // Now and then more than a block holds, which splits it.
      const n = blockSize <= 8 && r() < 0.1 ? 4 * blockSize + 1 + randomBelow(r, 10) : randomBelow(r, 4);
      const fresh = Array.from({ length: n }, () => item(store.detached, r));
      const removed = store.splice(k, count, []);
      assert.deepEqual(removed, model.slice(k, k + count), `${what}: removed items`);
      gone.push(...removed);
      const before = span(removed);
      const after = span(fresh);
      store.shiftFrom(k, after.lines - before.lines, after.length - before.length);
      model = [...model.slice(0, k), ...model.slice(k + count)];
      store.splice(k, 0, placed(store, model, k, fresh));
      model = [...model.slice(0, k), ...fresh, ...model.slice(k)];
    } else if (kind < 0.8 && model.length > 0) {
      // Scattered deletions leave many small blocks behind.
      for (let n = 0; n < 5 && model.length > 0; n++) {
        const j = randomBelow(r, model.length);
        const removed = store.splice(j, 1, []);
        gone.push(...removed);
        store.shiftFrom(j, -removed[0].height, -removed[0].length);
        model = [...model.slice(0, j), ...model.slice(j + 1)];
      }
    } else if (model.length > 0) {
      // An item changes what its block counts: flagged or not, heavier or lighter.
      const it = model[randomBelow(r, model.length)];
      store.update(it, () => (it.weight = it.weight > 0 ? 0 : 1 + randomBelow(r, 3)));
    }
    agrees(store, model, gone, what);
    // Scattered deletions must not leave the list in many small blocks, which every shift walks.
    assert.ok(store.tallies().length <= 9 + (4 * model.length) / blockSize, `${what}: ${store.tallies().length} blocks for ${model.length} items`);
  }
}

describe('AnchoredBlocks', () => {
  it('keeps items, their positions, tallies and flagged lists right through random edits', () => {
    for (const [seed, blockSize] of [[1, 1], [2, 2], [3, 3], [4, 8], [5, 256]]) randomEdits(seed, blockSize);
  });

  it('moves the anchors of later blocks, not their items, when lines are inserted above them', () => {
    const r = seededRandom(9);
    const store = new AnchoredBlocks<Item, Tally>(TALLY, 4);
    const model = Array.from({ length: 40 }, () => item(store.detached, r));
    store.reset(placed(store, [], 0, model));
    const relative = model.map((it) => it.relLine);
    store.shiftFrom(5, 3, 30);
    // Items 5..7 share a block with items before them and move themselves; items from 8 on sit in later blocks.
    model.forEach((it, k) => assert.equal(it.relLine, k >= 5 && k < 8 ? relative[k] + 3 : relative[k], `relative line of ${k}`));
    assert.equal(lineOf(model[39]), positions(model)[39].line + 3);
    assert.equal(offsetOf(model[4]), positions(model)[4].offset);
    // From the first item of a block on, only anchors move.
    store.shiftFrom(8, 1, 10);
    model.forEach((it, k) => assert.equal(it.relLine, k >= 5 && k < 8 ? relative[k] + 3 : relative[k], `relative line of ${k} after the second shift`));
    assert.equal(lineOf(model[8]), positions(model)[8].line + 4);
  });

  it('gathers the items of many nearly empty blocks into full ones', () => {
    const r = seededRandom(12);
    const store = new AnchoredBlocks<Item, Tally>(TALLY, 8);
    let model = Array.from({ length: 400 }, () => item(store.detached, r));
    store.reset(placed(store, [], 0, model));
    assert.equal(store.tallies().length, 50);
    // All but the first item of every block, deleted one by one from the end.
    for (let k = model.length - 1; k >= 0; k--) {
      if (k % 8 === 0) continue;
      const [gone] = store.splice(k, 1, []);
      store.shiftFrom(k, -gone.height, -gone.length);
      model = [...model.slice(0, k), ...model.slice(k + 1)];
    }
    agrees(store, model, [], 'after the deletions');
    // At most 8 blocks more than four times the full ones (50 without the gathering).
    assert.ok(store.tallies().length <= 8 + (4 * 50) / 8, `${store.tallies().length} blocks for 50 items`);
  });

  it('skips the blocks a reader says hold nothing of interest', () => {
    const r = seededRandom(10);
    const store = new AnchoredBlocks<Item, Tally>(TALLY, 4);
    const model = Array.from({ length: 16 }, () => ({ ...item(store.detached, r), weight: 0 }));
    model[2].weight = 1;
    model[13].weight = 2;
    store.reset(placed(store, [], 0, model));
    const seen: number[] = [];
    store.eachFlagged(
      (t) => t.weight < 2,
      (_it, k) => seen.push(k) > 0,
    );
    assert.deepEqual(seen, [13]);
    const first: number[] = [];
    store.eachFlagged(
      () => false,
      (_it, k) => first.push(k) < 1,
    );
    assert.deepEqual(first, [2], 'stops when told to');
  });

  it('lists the leading items and walks them in order', () => {
    const r = seededRandom(11);
    const store = new AnchoredBlocks<Item, Tally>(TALLY, 2);
    const model = Array.from({ length: 7 }, () => item(store.detached, r));
    store.reset(placed(store, [], 0, model));
    assert.deepEqual(store.leading(5), model.slice(0, 5));
    assert.deepEqual(store.leading(0), []);
    const order: number[] = [];
    store.each((_it, k) => order.push(k) < 4);
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(store.firstAtLine(1e9), 7, 'past the last line: the end');
    assert.equal(store.lastAtOrBefore(-1), -1, 'before the first item: none');
  });
});
