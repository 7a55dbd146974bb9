/**
 * common/duplicate-record: a record whose text is exactly that of an earlier record, surrounding
 * whitespace aside. The key is a cheap sampled hash of the record's bytes and length; records that
 * share a key are compared whole (the earlier one read back from the source), so a report is never a
 * hash collision. The streaming index costs 24 bytes of typed arrays per record and 8 to 16 in its
 * table (no strings kept).
 */
import { readSync } from 'node:fs';
import { isJsonSpace } from '../../jsonl/textPosition';
import type { ByteFetcher, EarlierRecord, EditableIndex, FileLevelRule, RecordAccess, StreamedRecord, StreamingIndex } from './fileLevelRule';
import { SmallIntMap } from './smallIntMap';
import * as l10n from '@vscode/l10n';

export type { ByteFetcher } from './fileLevelRule';

/** A fetcher reading an open file (short only at its end). */
export function fileByteFetcher(fd: number): ByteFetcher {
  return (offset, length, into) => {
    const b = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, b, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return b.subarray(0, got);
  };
}

/** Records longer than this are read back into buffers of their own, not kept as scratch. */
const SCRATCH_MAX_BYTES = 1024 * 1024;

const SAMPLE_EDGE = 64;
const SAMPLE_MIDDLE = 32;

const FNV = 0x01000193;

/**
 * A hash of the record's length, first and last 64 bytes and 32 bytes spread over the middle. Four
 * lanes take every fourth byte side by side: one chain of multiplications, each waiting for the
 * last, took twice as long (136 against 71 ns a record of 600 bytes); statistics hash every record.
 */
export function sampledHash(b: Uint8Array): number {
  const n = b.length;
  // Mixing written out in each loop: a closure over the lanes would keep them in context slots, not registers.
  let h0 = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  let h1 = h0 ^ 0x27d4eb2f;
  let h2 = h0 ^ 0x165667b1;
  let h3 = h0 ^ 0x61c88647;
  if (n <= 2 * SAMPLE_EDGE + SAMPLE_MIDDLE) {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      h0 = Math.imul(h0 ^ b[i], FNV);
      h1 = Math.imul(h1 ^ b[i + 1], FNV);
      h2 = Math.imul(h2 ^ b[i + 2], FNV);
      h3 = Math.imul(h3 ^ b[i + 3], FNV);
    }
    for (; i < n; i++) h0 = Math.imul(h0 ^ b[i], FNV);
  } else {
    for (let i = 0; i < SAMPLE_EDGE; i += 4) {
      h0 = Math.imul(h0 ^ b[i], FNV);
      h1 = Math.imul(h1 ^ b[i + 1], FNV);
      h2 = Math.imul(h2 ^ b[i + 2], FNV);
      h3 = Math.imul(h3 ^ b[i + 3], FNV);
    }
    const stride = Math.floor((n - 2 * SAMPLE_EDGE) / SAMPLE_MIDDLE);
    for (let k = 0, i = SAMPLE_EDGE; k < SAMPLE_MIDDLE; k += 4, i += 4 * stride) {
      h0 = Math.imul(h0 ^ b[i], FNV);
      h1 = Math.imul(h1 ^ b[i + stride], FNV);
      h2 = Math.imul(h2 ^ b[i + 2 * stride], FNV);
      h3 = Math.imul(h3 ^ b[i + 3 * stride], FNV);
    }
    for (let i = n - SAMPLE_EDGE; i < n; i += 4) {
      h0 = Math.imul(h0 ^ b[i], FNV);
      h1 = Math.imul(h1 ^ b[i + 1], FNV);
      h2 = Math.imul(h2 ^ b[i + 2], FNV);
      h3 = Math.imul(h3 ^ b[i + 3], FNV);
    }
  }
  let h = h0 ^ Math.imul(h1, 0x85ebca6b) ^ Math.imul(h2, 0xc2b2ae35) ^ Math.imul(h3, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The text without surrounding JSON whitespace. */
export function trimJson(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isJsonSpace(s.charCodeAt(a))) a++;
  while (b > a && isJsonSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** The bytes without surrounding JSON whitespace, as the reader hands a record to the index. */
function trimmed(b: Uint8Array): Uint8Array {
  let s = 0;
  let e = b.length;
  while (s < e && isJsonSpace(b[s])) s++;
  while (e > s && isJsonSpace(b[e - 1])) e--;
  return b.subarray(s, e);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Records per chunk of the duplicate index (the first chunk grows to this size, the others start full). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * Up to CHUNK records of a DuplicateIndex, a typed array per field: 24 bytes a record. Every byte
 * kept is memory touched for the first time (a page fault per 4 KB, some 15 µs on a virtual machine;
 * 32 bytes a record took 1,000 more on a file of 354,000 records). No length is kept: the hash
 * covers it (sampledHash), so records that share a hash have the same length but for a true 32-bit
 * collision, which the comparison settles.
 */
class RecordChunk {
  readonly hashes: Uint32Array;
  /** Offsets in 32 bits until one does not fit (a file past 4 GB; `wideOffsets`). */
  readonly offsets: Uint32Array | Float64Array;
  /** Byte length of the record's whole span from its offset (whitespace around it included). */
  readonly spans: Uint32Array;
  /** Lines and indexes in 32 bits until one does not fit (wide). */
  readonly lines: Uint32Array | Float64Array;
  readonly indices: Uint32Array | Float64Array;
  /** The next record with the same hash (a slot of the index), or -1. */
  readonly next: Int32Array;

  constructor(
    readonly capacity: number,
    wide: boolean,
    wideOffsets: boolean,
    from?: RecordChunk,
  ) {
    this.hashes = new Uint32Array(capacity);
    this.offsets = wideOffsets ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.spans = new Uint32Array(capacity);
    this.lines = wide ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.indices = wide ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.next = new Int32Array(capacity);
    if (!from) return;
    this.hashes.set(from.hashes);
    this.offsets.set(from.offsets);
    this.spans.set(from.spans);
    this.lines.set(from.lines);
    this.indices.set(from.indices);
    this.next.set(from.next);
  }
}

/**
 * The records seen so far, in chunks of typed arrays: a hash table of first records by hash, chained
 * to the later ones. Chunks of 64K records are added as records come; only the first grows (by
 * doubling, so a small file keeps small arrays), and a chunk is copied once more only if its lines
 * must widen. Doubling whole arrays held the old ones and the new ones at once, 192 MB for 2.6
 * million records, and a size reserved up front from the first part of a file overshot wherever the
 * rest repeats it.
 */
export class DuplicateIndex implements StreamingIndex<number> {
  private count = 0;
  private readonly chunks: RecordChunk[] = [new RecordChunk(1024, false, false)];
  /** The chunk records are added to (the last one). */
  private tail = this.chunks[0];
  private wide = false;
  private wideOffsets = false;
  /** Open table: slot + 1 of the first record with a given hash (0 = empty). */
  private table = new Int32Array(4096);
  private heads = 0;

  private readonly scratch: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  /** What prefetch read, kept so that its loads are not optimized away. */
  private touched = 0;

  constructor(private readonly fetch: ByteFetcher) {
    if (!warmedUp) {
      warmedUp = true;
      warmUp();
    }
  }

  /**
   * Registers a record; when an identical one came before, returns its line and index instead
   * (the record itself is then not registered: the first one stands for all its copies).
   * `bytes` is the record without surrounding whitespace; `rec.byteOffset` and `rec.byteLength`
   * give its whole span in the source, which is what the fetcher reads back.
   */
  add(h: number, rec: StreamedRecord, bytes: Uint8Array): EarlierRecord | undefined {
    return this.insert(h, rec, bytes.length, bytes, 0);
  }

  /**
   * As add, for a record whose trimmed bytes are read back through the fetcher only when an earlier
   * record shares its hash (they start at file offset `start`, `length` bytes): the
   * records of a file validated in parallel, whose bytes stayed in the workers.
   */
  addSpan(h: number, rec: StreamedRecord, start: number, length: number): EarlierRecord | undefined {
    return this.insert(h, rec, length, undefined, start);
  }

  private insert(h: number, rec: StreamedRecord, length: number, own: Uint8Array | undefined, ownStart: number): EarlierRecord | undefined {
    const mask = this.table.length - 1;
    let t = h & mask;
    while (this.table[t] !== 0) {
      const first = this.table[t] - 1;
      const head = this.chunks[first >>> CHUNK_BITS];
      if (head.hashes[first & IN_CHUNK] === h) {
        for (let s = first; s >= 0; ) {
          const c = this.chunks[s >>> CHUNK_BITS];
          const i = s & IN_CHUNK;
          own ??= this.read(0, ownStart, length);
          if (sameBytes(trimmed(this.read(1, c.offsets[i], c.spans[i])), own)) return { line: c.lines[i], index: c.indices[i] };
          s = c.next[i];
        }
        const slot = this.push(h, rec);
        // Chain the new record after the head of its hash (whose chunk push may have replaced).
        const headChunk = this.chunks[first >>> CHUNK_BITS];
        const i = first & IN_CHUNK;
        this.tail.next[slot & IN_CHUNK] = headChunk.next[i];
        headChunk.next[i] = slot;
        return undefined;
      }
      t = (t + 1) & mask;
    }
    const slot = this.push(h, rec);
    this.table[t] = slot + 1;
    this.heads++;
    if (this.heads * 2 > this.table.length) this.rehash();
    return undefined;
  }

  /**
   * Each key's first slot in the table is a cache miss of its own (4 MB of table for 354,000
   * records): read one after another with nothing depending on them, the misses of a batch overlap,
   * and the adds that follow find the slots in the cache.
   */
  prefetch(keys: Float64Array, from: number, to: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let x = 0;
    for (let j = from; j < to; j++) {
      const k = keys[j];
      // NaN (no key) is the only value not equal to itself.
      if (k === k) x ^= table[k & mask];
    }
    this.touched ^= x;
  }

  /**
   * A record's bytes read back into scratch buffer `k` (0: the record being added, 1: an earlier
   * one), up to SCRATCH_MAX_BYTES: a file of 265,000 duplicates read 1.5 GB back into fresh
   * buffers, which waited for the garbage collector.
   */
  private read(k: 0 | 1, offset: number, length: number): Uint8Array {
    if (length > SCRATCH_MAX_BYTES) return this.fetch(offset, length);
    if (this.scratch[k].length < length) this.scratch[k] = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.scratch[k].length, 4096));
    return this.fetch(offset, length, this.scratch[k]);
  }

  private push(h: number, rec: StreamedRecord): number {
    const s = this.count;
    let i = s & IN_CHUNK;
    if (i === 0 && s > 0) this.addChunk(new RecordChunk(CHUNK, this.wide, this.wideOffsets));
    else if (i === this.tail.capacity) this.growFirst(this.tail.capacity * 2);
    if ((rec.line > 0xffffffff || rec.index > 0xffffffff) && !this.wide) this.widen(true, this.wideOffsets);
    if (rec.byteOffset > 0xffffffff && !this.wideOffsets) this.widen(this.wide, true);
    const c = this.tail;
    i = s & IN_CHUNK;
    c.hashes[i] = h;
    c.offsets[i] = rec.byteOffset;
    c.spans[i] = rec.byteLength;
    c.lines[i] = rec.line;
    c.indices[i] = rec.index;
    c.next[i] = -1;
    this.count++;
    return s;
  }

  private addChunk(c: RecordChunk): void {
    this.chunks.push(c);
    this.tail = c;
  }

  /** The first chunk, grown to `capacity` (at most CHUNK): small files keep small arrays. */
  private growFirst(capacity: number): void {
    const c = new RecordChunk(Math.min(CHUNK, capacity), this.wide, this.wideOffsets, this.chunks[0]);
    this.chunks[0] = c;
    this.tail = c;
  }

  /** Lines and indexes, or offsets, in 64-bit numbers from the last chunk on. */
  private widen(wide: boolean, wideOffsets: boolean): void {
    this.wide = wide;
    this.wideOffsets = wideOffsets;
    const c = new RecordChunk(this.tail.capacity, wide, wideOffsets, this.tail);
    this.chunks[this.chunks.length - 1] = c;
    this.tail = c;
  }

  /**
   * Makes room for `n` records at once: the table, and the first chunk up to its size (rehashing
   * as the table fills costs as much again).
   */
  reserve(n: number): void {
    if (this.chunks.length === 1 && n > this.tail.capacity) this.growFirst(n);
    let slots = this.table.length;
    while (n * 2 > slots) slots *= 2;
    if (slots > this.table.length) this.rehash(slots);
  }

  private rehash(slots = this.table.length * 2): void {
    const old = this.table;
    this.table = new Int32Array(slots);
    const mask = this.table.length - 1;
    for (let t = 0; t < old.length; t++) {
      const v = old[t];
      if (v === 0) continue;
      const s = v - 1;
      let u = this.chunks[s >>> CHUNK_BITS].hashes[s & IN_CHUNK] & mask;
      while (this.table[u] !== 0) u = (u + 1) & mask;
      this.table[u] = v;
    }
  }

  get size(): number {
    return this.count;
  }
}

let warmedUp = false;

/**
 * Takes every path of DuplicateIndex's lookup once, on a small index of its own, before a file's
 * records do: a slot taken by another hash, a hash shared by records that differ, an exact
 * duplicate. V8 optimizes the lookup on the first records of a file, where the table is nearly
 * empty; a path that never ran has no type feedback, and the first record to take it threw the
 * optimized code away. On a file without duplicates that happened at its first 30-bit hash
 * collision, after V8 had compiled the loop of the main thread's merge (parallelValidate.ts,
 * addNumbers) with the lookup inside: three compiles of it where one does.
 */
function warmUp(): void {
  // V8 keeps no type feedback for a function's first few calls (it allocates the feedback vector
  // lazily, after 8 in this Node): distinct records first, then the paths.
  const texts = Array.from({ length: 64 }, (_, i) => `{"a":${i}}`);
  texts.push('{"a":1}', '{"b":1}', '{"c":1}');
  const hashes = texts.map((_, i) => i + 1);
  // Record 1 again (a duplicate), a record of its hash that differs, one of record 2's that takes the next slot.
  hashes.splice(64, 3, 2, 2, 3 + 4096);
  const bytes = Buffer.from(texts.join('\n'));
  const index = new DuplicateIndex((offset, length) => bytes.subarray(offset, offset + length));
  index.prefetch(new Float64Array(hashes), 0, hashes.length);
  let offset = 0;
  texts.forEach((t, i) => {
    const rec = { line: i + 1, index: i, byteOffset: offset, byteLength: t.length };
    if (i % 2 === 0) index.add(hashes[i], rec, Buffer.from(t));
    else index.addSpan(hashes[i], rec, offset, t.length);
    offset += t.length + 1;
  });
}

/** Records by hash; only hashes held by several records are looked at again. */
class EditableDuplicates<T> implements EditableIndex<number, T> {
  private readonly groups: SmallIntMap<T | T[]>;
  /** Hashes held by more than one record. */
  private readonly shared = new Set<number>();
  changed = false;

  constructor(expected: number) {
    this.groups = new SmallIntMap<T | T[]>(expected);
  }

  add(item: T, h: number): void {
    const g = this.groups.setIfAbsent(h, item);
    if (g === undefined) return;
    if (Array.isArray(g)) g.push(item);
    else this.groups.set(h, [g, item]);
    this.shared.add(h);
    this.changed = true;
  }

  remove(item: T, h: number): void {
    const g = this.groups.get(h);
    if (g === item) this.groups.delete(h);
    else if (Array.isArray(g)) {
      const i = g.indexOf(item);
      if (i >= 0) g.splice(i, 1);
      if (g.length === 1) {
        this.groups.set(h, g[0] as T);
        this.shared.delete(h);
      }
      this.changed = true;
    }
  }

  findings(access: RecordAccess<T>, fn: (item: T, earlier: T) => void): void {
    this.changed = false;
    for (const h of this.shared) {
      const g = this.groups.get(h);
      if (!Array.isArray(g)) continue;
      const members = [...(g as T[])].sort((a, b) => access.offsetOf(a) - access.offsetOf(b));
      const firsts: { item: T; text: string }[] = [];
      for (const m of members) {
        const t = trimJson(access.text(m));
        const first = firsts.find((f) => f.text === t);
        if (first) fn(m, first.item);
        else firsts.push({ item: m, text: t });
      }
    }
  }
}

export const duplicateRecord: FileLevelRule<number> = {
  id: 'common/duplicate-record',
  severity: 'warning',
  stage: 'object',
  appliesTo: () => true,
  // 30 bits: a small integer, which V8 keeps in place (a larger number is an object of its own).
  key: (input) => sampledHash(input.bytes) >>> 2,
  message: (earlierLine) => l10n.t('Exact duplicate of the record on line {0}.', earlierLine),
  streamingIndex: (fetch) => new DuplicateIndex(fetch),
  editableIndex: <T>(expected = 0) => new EditableDuplicates<T>(expected),
};
