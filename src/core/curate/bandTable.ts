/**
 * The buckets of one LSH band: band key (int32) → the slots of the records with that key.
 *
 * Open addressing in two typed arrays (linear probing, load ≤ 0.7, growth ×1.5 so the arrays stay
 * within about twice what they hold): 11–17 bytes per record, where a Map<number, number> took 37.
 * Near-duplicate search keeps one entry per record per band (31 bands at threshold 0.8), so this is
 * most of its memory. A key shared by several records keeps its first slot in the table and the
 * others in a small Map (shared keys are the near duplicates, a few percent).
 */
const EMPTY = -1;
const MAX_LOAD = 0.7;

export class BandTable {
  private keys: Int32Array;
  private slots: Int32Array;
  private n = 0;
  private readonly more = new Map<number, number[]>();

  constructor(capacity = 1024) {
    this.keys = new Int32Array(capacity);
    this.slots = new Int32Array(capacity).fill(EMPTY);
  }

  /** Band keys are fmix32 outputs (uniform): the high bits of key × capacity pick the cell. */
  private static cell(key: number, capacity: number): number {
    return Math.floor(((key >>> 0) * capacity) / 4294967296);
  }

  /** Calls `visit` with every slot stored under `key`. */
  forEach(key: number, visit: (slot: number) => void): void {
    const keys = this.keys;
    const slots = this.slots;
    const cap = keys.length;
    for (let i = BandTable.cell(key, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const s = slots[i];
      if (s === EMPTY) return;
      if (keys[i] === key) {
        visit(s);
        const rest = this.more.get(key);
        if (rest) for (const r of rest) visit(r);
        return;
      }
    }
  }

  add(key: number, slot: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const cap = keys.length;
    let i = BandTable.cell(key, cap);
    for (; ; i = i + 1 === cap ? 0 : i + 1) {
      const s = slots[i];
      if (s === EMPTY) break;
      if (keys[i] === key) {
        const rest = this.more.get(key);
        if (rest) rest.push(slot);
        else this.more.set(key, [slot]);
        return;
      }
    }
    keys[i] = key;
    slots[i] = slot;
    if (++this.n > cap * MAX_LOAD) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    const cap = Math.ceil(oldKeys.length * 1.5);
    this.keys = new Int32Array(cap);
    this.slots = new Int32Array(cap).fill(EMPTY);
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldSlots[j] === EMPTY) continue;
      let i = BandTable.cell(oldKeys[j], cap);
      while (this.slots[i] !== EMPTY) i = i + 1 === cap ? 0 : i + 1;
      this.keys[i] = oldKeys[j];
      this.slots[i] = oldSlots[j];
    }
  }
}
