/**
 * A list of items in document order (here: a document's records) whose lines and offsets move with
 * every edit above them. Items are held in blocks of about `blockSize` consecutive items, each with
 * its own array and an anchor that its items' lines and offsets are relative to: an edit that
 * inserts a line above 90 000 items splices one block's array and moves that block's later items
 * and the later anchors, not every item (splicing one array of 100 000 objects alone costs about a
 * millisecond).
 *
 * Each block also keeps a tally over its items and lists the items its owner flags (the validator
 * counts problems per severity and flags the records that have any), so that a reader can skip
 * whole blocks and visit the flagged items only.
 */

export interface AnchoredBlock<T, C> {
  /** The anchor: added to its items' relative line and offset. */
  line: number;
  offset: number;
  /** Index of the block's first item in the list. */
  start: number;
  items: T[];
  /** Its flagged items, in no particular order. */
  flagged: T[];
  /** The owner's counts over the block's items. */
  tally: C;
}

export interface AnchoredItem<T, C> {
  /** Line and UTF-16 offset relative to the anchor of `block` (absolute while detached). */
  relLine: number;
  relOffset: number;
  block: AnchoredBlock<T, C>;
  /** In its block's `flagged` list (kept by the store). */
  listed: boolean;
}

/** What a block counts of its items, and which items it lists. */
export interface BlockTally<T, C> {
  empty(): C;
  /** Adds (sign 1) or takes away (sign -1) the item's share of a tally. */
  count(tally: C, item: T, sign: 1 | -1): void;
  flagged(item: T): boolean;
}

function newBlock<T, C>(tally: C, start: number, items: T[] = [], line = 0, offset = 0): AnchoredBlock<T, C> {
  return { line, offset, start, items, flagged: [], tally };
}

/** Absolute line of an item. */
export function lineOf<T, C>(item: AnchoredItem<T, C>): number {
  return item.relLine + item.block.line;
}

/** Absolute UTF-16 offset of an item. */
export function offsetOf<T, C>(item: AnchoredItem<T, C>): number {
  return item.relOffset + item.block.offset;
}

export class AnchoredBlocks<T extends AnchoredItem<T, C>, C> {
  /** Where items are before they are placed: its anchor is 0, so their positions are absolute. */
  readonly detached: AnchoredBlock<T, C>;
  /** Never empty. */
  private blocks: AnchoredBlock<T, C>[];
  private count = 0;
  private readonly blockSize: number;

  constructor(
    private readonly tally: BlockTally<T, C>,
    blockSize = 256,
  ) {
    this.blockSize = Math.max(1, Math.floor(blockSize));
    this.detached = newBlock(tally.empty(), 0);
    this.blocks = [newBlock(tally.empty(), 0)];
  }

  get size(): number {
    return this.count;
  }

  /** Replaces the list by `items`, in order, folding every anchor into its items. */
  reset(items: T[]): void {
    const blocks: AnchoredBlock<T, C>[] = [];
    for (let start = 0; start < items.length; start += this.blockSize) {
      const b = newBlock(this.tally.empty(), start, items.slice(start, start + this.blockSize));
      for (const item of b.items) {
        item.relLine += item.block.line;
        item.relOffset += item.block.offset;
        this.enter(item, b);
      }
      blocks.push(b);
    }
    this.blocks = blocks.length > 0 ? blocks : [newBlock(this.tally.empty(), 0)];
    this.count = items.length;
  }

  /** The item at `index` (0 <= index < size). */
  at(index: number): T {
    const b = this.blocks[this.blockAt(index)];
    return b.items[index - b.start];
  }

  /** Index of an item in the list, or -1 when it is no longer there. */
  indexOf(item: T): number {
    const k = localIndex(item);
    return k < 0 ? -1 : item.block.start + k;
  }

  /** Index of the first item on or after `line` (size when there is none). */
  firstAtLine(line: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineOf(this.at(mid)) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the last item starting at or before `offset`, or -1. */
  lastAtOrBefore(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offsetOf(this.at(mid)) <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Replaces `count` items from `at` by `fresh` (detached, absolute positions); returns the removed
   * items, which leave their blocks' tallies and lists.
   */
  splice(at: number, count: number, fresh: T[]): T[] {
    const gone: T[] = [];
    let first = this.blockAt(at);
    for (let left = count, bi = first; left > 0 && bi < this.blocks.length; ) {
      const b = this.blocks[bi];
      const local = Math.max(0, at - b.start);
      const removed = b.items.splice(local, Math.min(left, b.items.length - local));
      for (const item of removed) {
        this.leave(item);
        gone.push(item);
      }
      left -= removed.length;
      if (b.items.length === 0 && this.blocks.length > 1) this.blocks.splice(bi, 1);
      else bi++;
    }
    first = Math.min(first, this.blocks.length - 1);
    if (fresh.length > 0) {
      this.renumber(first);
      const bi = this.blockAt(at);
      const b = this.blocks[bi];
      for (const item of fresh) {
        item.relLine -= b.line;
        item.relOffset -= b.offset;
        this.enter(item, b);
      }
      const local = at - b.start;
      // Too many to pass as arguments otherwise.
      if (fresh.length < 8192) b.items.splice(local, 0, ...fresh);
      else b.items = b.items.slice(0, local).concat(fresh, b.items.slice(local));
      if (b.items.length > 4 * this.blockSize) this.splitBlock(bi);
    }
    this.renumber(first);
    // Scattered deletions leave many small blocks, which the shift walks one by one.
    if (this.blocks.length > 8 + (4 * this.count) / this.blockSize) this.reset(this.items());
    return gone;
  }

  /** Moves every item from index `from` on by `lineDelta` lines and `offsetDelta` offsets. */
  shiftFrom(from: number, lineDelta: number, offsetDelta: number): void {
    if (from >= this.count || (lineDelta === 0 && offsetDelta === 0)) return;
    let bi = this.blockAt(from);
    const b = this.blocks[bi];
    if (b.start < from) {
      for (let i = from - b.start; i < b.items.length; i++) {
        const item = b.items[i];
        item.relLine += lineDelta;
        item.relOffset += offsetDelta;
      }
      bi++;
    }
    for (; bi < this.blocks.length; bi++) {
      const t = this.blocks[bi];
      t.line += lineDelta;
      t.offset += offsetDelta;
    }
  }

  /** Changes a placed item in what its block counts or lists (`change` edits the item). */
  update(item: T, change: () => void): void {
    const b = item.block;
    this.tally.count(b.tally, item, -1);
    change();
    this.tally.count(b.tally, item, 1);
    const flagged = this.tally.flagged(item);
    if (flagged && !item.listed) {
      item.listed = true;
      b.flagged.push(item);
    } else if (!flagged && item.listed) unlist(item);
  }

  /** Calls `fn` with the items in order until it returns false. */
  each(fn: (item: T, index: number) => boolean): void {
    for (const b of this.blocks) for (let k = 0; k < b.items.length; k++) if (!fn(b.items[k], b.start + k)) return;
  }

  /** The first `n` items. */
  leading(n: number): T[] {
    const out: T[] = [];
    if (n > 0) this.each((item) => out.push(item) < n);
    return out;
  }

  /**
   * Calls `fn` with the flagged items in order until it returns false; blocks `skip` says have none
   * of interest are not visited.
   */
  eachFlagged(skip: (tally: C) => boolean, fn: (item: T, index: number) => boolean): void {
    for (const b of this.blocks) {
      if (b.flagged.length === 0 || skip(b.tally)) continue;
      // Relative offsets order the items of one block; the list is mostly sorted already.
      if (b.flagged.length > 1) b.flagged.sort((x, y) => x.relOffset - y.relOffset);
      for (const item of b.flagged) if (!fn(item, b.start + localIndex(item))) return;
    }
  }

  /** Every block's tally. */
  tallies(): C[] {
    return this.blocks.map((b) => b.tally);
  }

  private items(): T[] {
    const all: T[] = [];
    for (const b of this.blocks) for (const item of b.items) all.push(item);
    return all;
  }

  /** Counts and lists an item (already relative to `b`'s anchor) in `b`. */
  private enter(item: T, b: AnchoredBlock<T, C>): void {
    item.block = b;
    this.tally.count(b.tally, item, 1);
    item.listed = this.tally.flagged(item);
    if (item.listed) b.flagged.push(item);
  }

  private leave(item: T): void {
    this.tally.count(item.block.tally, item, -1);
    unlist(item);
  }

  /** Position in `blocks` of the block holding item `index` (the last block for the end). */
  private blockAt(index: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].start <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private renumber(from: number): void {
    let start = from > 0 ? this.blocks[from - 1].start + this.blocks[from - 1].items.length : 0;
    for (let bi = from; bi < this.blocks.length; bi++) {
      this.blocks[bi].start = start;
      start += this.blocks[bi].items.length;
    }
    this.count = start;
  }

  /** Cuts an oversized block into blocks of `blockSize` items with the same anchor. */
  private splitBlock(bi: number): void {
    const old = this.blocks[bi];
    const parts: AnchoredBlock<T, C>[] = [];
    for (let k = 0; k < old.items.length; k += this.blockSize) {
      const b = newBlock<T, C>(this.tally.empty(), old.start + k, old.items.slice(k, k + this.blockSize), old.line, old.offset);
      for (const item of b.items) this.enter(item, b);
      parts.push(b);
    }
    this.blocks.splice(bi, 1, ...parts);
  }
}

/** Position of an item in its block's array (by its relative offset: one anchor for all of them), or -1. */
function localIndex<T extends AnchoredItem<T, C>, C>(item: T): number {
  const items = item.block.items;
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = items[mid].relOffset;
    if (o === item.relOffset) return items[mid] === item ? mid : -1;
    if (o < item.relOffset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function unlist<T extends AnchoredItem<T, C>, C>(item: T): void {
  if (!item.listed) return;
  item.listed = false;
  const list = item.block.flagged;
  const i = list.indexOf(item);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
}
