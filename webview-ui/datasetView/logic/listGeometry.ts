/**
 * Where each card of the Dataset View's virtual list sits, without laying them all out. Card
 * heights vary: an unmeasured card counts at an estimate, a measured one corrects it, and a Fenwick
 * tree of the corrections gives any card's offset in O(log n). Pure: no DOM, unit-tested in plain Node.
 */

/** Prefix sums of height corrections (measured height minus the estimate), by list position. */
export class Fenwick {
  private t: Float64Array;
  constructor(readonly size: number) {
    this.t = new Float64Array(size + 1);
  }
  add(i: number, d: number): void {
    for (i++; i < this.t.length; i += i & -i) this.t[i] += d;
  }
  /** Sum over positions [0, i). */
  sum(i: number): number {
    let s = 0;
    for (i = Math.min(i, this.size); i > 0; i -= i & -i) s += this.t[i];
    return s;
  }
}

const MIN_CAPACITY = 1024;

export class ListGeometry {
  /** Measured heights (gap included), by list position. */
  private heights = new Map<number, number>();
  private fen = new Fenwick(MIN_CAPACITY);
  /** Cards in the list. */
  private count = 0;

  constructor(readonly estimate: number) {}

  get total(): number {
    return this.count;
  }

  /** A new list of `total` cards: every measurement is forgotten. */
  reset(total: number): void {
    this.count = total;
    this.heights = new Map();
    this.fen = new Fenwick(Math.max(MIN_CAPACITY, total));
  }

  /** The list grew or shrank (a large file still being indexed): measurements are kept. */
  setTotal(total: number): void {
    this.count = total;
    if (total <= this.fen.size) return;
    let size = this.fen.size;
    while (size < total) size *= 2;
    this.fen = new Fenwick(size);
    for (const [pos, h] of this.heights) this.fen.add(pos, h - this.estimate);
  }

  /** Records the measured height of the card at `pos`; true when it changed. */
  measure(pos: number, height: number): boolean {
    const old = this.heights.get(pos);
    if (old === height) return false;
    this.fen.add(pos, height - (old ?? this.estimate));
    this.heights.set(pos, height);
    return true;
  }

  /** The height of the card at `pos`: measured, else the estimate. */
  heightOf(pos: number): number {
    return this.heights.get(pos) ?? this.estimate;
  }

  /** The top of the card at `pos`. */
  offsetOf(pos: number): number {
    return pos * this.estimate + this.fen.sum(pos);
  }

  totalHeight(): number {
    return this.offsetOf(this.count);
  }

  /** The last list position whose top is at or above `y` (0 for an empty list). */
  positionAt(y: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsetOf(mid) <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }
}
